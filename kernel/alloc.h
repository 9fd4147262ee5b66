/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bl_alloc: the buffer allocator of one binder_lite process.
 *
 * The process maps up to 4 MiB of its device file read-only. Buffers are
 * carved out of that range best-fit (free chunks in an rbtree by size,
 * allocated ones in an rbtree by address). Pages are allocated when a
 * buffer first covers them. When the last buffer covering a page is freed
 * the page stays, mapped, on the process's list of unused pages (its LRU),
 * ready for the next buffer; only memory pressure (the allocator's shrinker)
 * or the end of the process gives it back. Userspace sees pages through the
 * fault handler. The sender's data is copied straight into these pages (the
 * one copy of binder).
 *
 * Locking: alloc->lock (spinlock) protects every field below unless noted.
 * It is taken by no caller and calls out to nothing. The shrinker finds
 * the allocators through a list under bl_alloc_all_lock (a mutex taken only
 * by open, release and the shrinker, never on the transaction path). The fields of struct
 * bl_buffer marked "(owner)" belong to the driver core (transaction.c),
 * which serialises them with the owning process's inner_lock.
 */
#ifndef BL_ALLOC_H
#define BL_ALLOC_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/mm_types.h>
#include <linux/seq_file.h>

struct inode;
struct address_space;
#define BL_ALLOC_MAX_SIZE	(4UL << 20)

struct bl_transaction;
struct bl_node;

struct bl_buffer {
	struct list_head entry;		/* all chunks in address order */
	struct rb_node rb_node;		/* free tree or allocated tree */
	unsigned long offset;		/* start inside the mapping */
	size_t size;			/* whole chunk */
	unsigned int free:1;
	unsigned int allow_user_free:1;	/* delivered, userspace may free it */
	unsigned int async_transaction:1;	/* (invariant while allocated) */
	unsigned int clear_on_free:1;	/* zero it when freed (invariant while allocated) */
	unsigned int oneway_spam_suspect:1;	/* (invariant while allocated) */
	int pid;			/* sending process (invariant while allocated) */
	int debug_id;			/* (invariant while allocated) */
	size_t data_size;		/* (invariant while allocated) */
	size_t offsets_size;		/* (invariant while allocated) */
	size_t extra_buffers_size;	/* scatter-gather space (invariant while allocated) */
	struct bl_transaction *transaction;	/* (owner) */
	struct bl_node *target_node;	/* (owner) */
};

/* Where @b's offsets array starts and ends, in bytes from the buffer's start. */
static inline size_t bl_buffer_offsets_start(const struct bl_buffer *b)
{
	return ALIGN(b->data_size, sizeof(void *));
}

static inline size_t bl_buffer_offsets_end(const struct bl_buffer *b)
{
	return bl_buffer_offsets_start(b) + b->offsets_size;
}

struct bl_alloc_page {
	struct page *page;
	struct list_head lru;		/* on alloc->lru while backed and unused */
	unsigned int users;		/* allocated buffers covering the page */
	bool releasing;			/* the shrinker is unmapping it */
};

struct bl_alloc {
	spinlock_t lock;
	struct address_space *mapping;	/* the file's f_mapping (invariant after init) */
	const struct vm_area_struct *vma;	/* identity only, NULL once unmapped */
	unsigned long user_base;	/* (invariant after mmap) */
	pgoff_t pgoff_base;		/* file page of the first slot (invariant after mmap) */
	size_t buffer_size;		/* 0 until mapped (invariant after mmap) */
	struct bl_alloc_page *pages;	/* (array invariant after mmap) */
	struct list_head buffers;
	struct list_head lru;		/* unused backed pages, oldest first */
	size_t pages_backed;		/* slots holding a page */
	size_t pages_high;		/* the most pages_backed has been */
	struct rb_root free_buffers;
	struct rb_root allocated_buffers;
	size_t free_async_space;
	bool oneway_spam_detected;	/* reported once until async space recovers */
	int pid;			/* (invariant after init) */
	struct list_head all_entry;	/* (protected by bl_alloc_all_lock) */
};

int bl_alloc_init(struct bl_alloc *alloc, int pid, struct inode *host);
struct address_space *bl_alloc_mapping(struct bl_alloc *alloc);
int bl_alloc_mmap(struct bl_alloc *alloc, struct vm_area_struct *vma);
void bl_alloc_vma_close(struct bl_alloc *alloc, struct vm_area_struct *vma);
vm_fault_t bl_alloc_fault(struct bl_alloc *alloc, struct vm_fault *vmf);
struct bl_buffer *bl_alloc_new_buf(struct bl_alloc *alloc, size_t data_size,
				   size_t offsets_size, size_t extra_buffers_size,
				   bool is_async, bool clear_on_free, int pid);
struct bl_buffer *bl_alloc_prepare_to_free(struct bl_alloc *alloc,
					   unsigned long user_ptr);
void bl_alloc_free_buf(struct bl_alloc *alloc, struct bl_buffer *buffer);
void bl_alloc_release(struct bl_alloc *alloc);
unsigned long bl_alloc_user_addr(struct bl_alloc *alloc, struct bl_buffer *buffer);
int bl_alloc_copy_user(struct bl_alloc *alloc, struct bl_buffer *buffer,
		       size_t offset, const void __user *from, size_t bytes);
int bl_alloc_read(struct bl_alloc *alloc, struct bl_buffer *buffer,
		  size_t offset, void *dest, size_t bytes);
int bl_alloc_write(struct bl_alloc *alloc, struct bl_buffer *buffer,
		   size_t offset, const void *src, size_t bytes);
void bl_alloc_mark_delivered(struct bl_alloc *alloc, struct bl_buffer *buffer);
int bl_alloc_live(void);
int bl_alloc_live_pages_count(void);
int bl_alloc_total(bool pages);
void bl_alloc_print(struct seq_file *m, struct bl_alloc *alloc);
void bl_alloc_print_pages(struct seq_file *m, struct bl_alloc *alloc);
int bl_alloc_buffer_count(struct bl_alloc *alloc);
size_t bl_alloc_free_async_space(struct bl_alloc *alloc);
int bl_alloc_shrinker_init(void);
void bl_alloc_shrinker_exit(void);

#endif /* BL_ALLOC_H */
