// SPDX-License-Identifier: GPL-2.0-only
/*
 * bl_alloc: best-fit buffer allocator over the process's read-only mapping.
 *
 * Page lifetime: a slot's page is allocated by the first buffer covering
 * it (outside the lock, installed under it). When no buffer covers it any
 * more the free path puts the slot on the allocator's LRU of unused pages,
 * still mapped, so the next buffer there costs no page allocation, no
 * zeroing and no fault. The shrinker gives LRU pages back under memory
 * pressure: it takes the slot off the LRU, marks it "releasing", locks the
 * page (the fault path installs PTEs with the page locked), unmaps it from
 * userspace and only then empties the slot, so userspace never keeps a
 * stale mapping of a page that a later buffer might replace. An allocation
 * that covers a releasing slot cancels the release; the next buffer over an
 * emptied slot allocates a fresh page and userspace faults it in again.
 *
 * Unmapping goes through an address_space of the file's own (the open file
 * uses it as f_mapping, so only this process's mapping is linked to it):
 * unmap_mapping_pages() needs no mmap_lock and no other process's help.
 * Lock order, as the page cache's: page lock -> i_mmap_rwsem -> PTE lock;
 * the fault path holds mmap_lock (or the VMA lock) before the page lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/highmem.h>
#include <linux/uaccess.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/overflow.h>
#include <linux/err.h>
#include <linux/mutex.h>

#include "alloc.h"
#include "compat.h"

static atomic_t bl_alloc_live_buffers = ATOMIC_INIT(0);
static atomic_t bl_alloc_live_pages = ATOMIC_INIT(0);
static atomic_t bl_alloc_total_buffers = ATOMIC_INIT(0);
static atomic_t bl_alloc_total_pages = ATOMIC_INIT(0);
static atomic_t bl_alloc_next_id = ATOMIC_INIT(0);

/* Every allocator, for the shrinker; see the locking note in alloc.h. */
static LIST_HEAD(bl_alloc_all);
static DEFINE_MUTEX(bl_alloc_all_lock);
static atomic_long_t bl_alloc_lru_pages = ATOMIC_LONG_INIT(0);

int bl_alloc_live(void)
{
	return atomic_read(&bl_alloc_live_buffers);
}

int bl_alloc_live_pages_count(void)
{
	return atomic_read(&bl_alloc_live_pages);
}

int bl_alloc_total(bool pages)
{
	return atomic_read(pages ? &bl_alloc_total_pages : &bl_alloc_total_buffers);
}

/*
 * Walk the pages under [offset, offset + bytes) of an allocated buffer, one
 * page-sized chunk at a time. The caller holds the buffer, so its pages
 * stay in place (possibly NULL only while the buffer is being populated).
 */
#define bl_alloc_for_each_chunk(a_, b_, off_, bytes_, page_, pgoff_, len_, done_)	\
	for (done_ = 0;								\
	     done_ < (bytes_) &&						\
	     ((page_ = READ_ONCE((a_)->pages[((b_)->offset + (off_) + done_) >> PAGE_SHIFT].page)), \
	      (pgoff_ = ((b_)->offset + (off_) + done_) & ~PAGE_MASK),		\
	      (len_ = min_t(size_t, PAGE_SIZE - pgoff_, (bytes_) - done_)), 1);	\
	     done_ += len_)

/*
 * Set up an empty allocator; @host is the device inode the file was opened
 * through. Returns -ENOMEM when the private address_space cannot be had.
 */
int bl_alloc_init(struct bl_alloc *alloc, int pid, struct inode *host)
{
	struct address_space *mapping;

	mapping = kzalloc(sizeof(*mapping), GFP_KERNEL);
	if (!mapping)
		return -ENOMEM;
	address_space_init_once(mapping);
	/* behave as the device inode's own mapping in every other respect */
	mapping->host = host;
	mapping->a_ops = host->i_mapping->a_ops;
	mapping_set_gfp_mask(mapping, mapping_gfp_mask(host->i_mapping));
	alloc->mapping = mapping;

	spin_lock_init(&alloc->lock);
	INIT_LIST_HEAD(&alloc->buffers);
	alloc->free_buffers = RB_ROOT;
	alloc->allocated_buffers = RB_ROOT;
	INIT_LIST_HEAD(&alloc->lru);
	alloc->pid = pid;

	mutex_lock(&bl_alloc_all_lock);
	list_add_tail(&alloc->all_entry, &bl_alloc_all);
	mutex_unlock(&bl_alloc_all_lock);
	return 0;
}

struct address_space *bl_alloc_mapping(struct bl_alloc *alloc)
{
	return alloc->mapping;
}

static void bl_alloc_insert_free_locked(struct bl_alloc *alloc, struct bl_buffer *new)
{
	struct rb_node **p = &alloc->free_buffers.rb_node;
	struct rb_node *parent = NULL;

	lockdep_assert_held(&alloc->lock);
	new->free = 1;
	while (*p) {
		struct bl_buffer *b = rb_entry(*p, struct bl_buffer, rb_node);

		parent = *p;
		if (new->size < b->size ||
		    (new->size == b->size && new->offset < b->offset))
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(&new->rb_node, parent, p);
	rb_insert_color(&new->rb_node, &alloc->free_buffers);
}

static void bl_alloc_insert_allocated_locked(struct bl_alloc *alloc, struct bl_buffer *new)
{
	struct rb_node **p = &alloc->allocated_buffers.rb_node;
	struct rb_node *parent = NULL;

	lockdep_assert_held(&alloc->lock);
	new->free = 0;
	while (*p) {
		struct bl_buffer *b = rb_entry(*p, struct bl_buffer, rb_node);

		parent = *p;
		if (new->offset < b->offset)
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(&new->rb_node, parent, p);
	rb_insert_color(&new->rb_node, &alloc->allocated_buffers);
}

int bl_alloc_mmap(struct bl_alloc *alloc, struct vm_area_struct *vma)
{
	size_t size = min_t(unsigned long, vma->vm_end - vma->vm_start, BL_ALLOC_MAX_SIZE);
	size_t npages = size >> PAGE_SHIFT;
	struct bl_alloc_page *pages;
	struct bl_buffer *whole;
	size_t i;

	if (!npages)
		return -EINVAL;
	pages = kvcalloc(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < npages; i++)
		INIT_LIST_HEAD(&pages[i].lru);
	whole = kzalloc(sizeof(*whole), GFP_KERNEL);
	if (!whole) {
		kvfree(pages);
		return -ENOMEM;
	}

	spin_lock(&alloc->lock);
	if (alloc->buffer_size) {
		spin_unlock(&alloc->lock);
		kfree(whole);
		kvfree(pages);
		return -EBUSY;
	}
	alloc->pages = pages;
	alloc->user_base = vma->vm_start;
	alloc->pgoff_base = vma->vm_pgoff;
	alloc->vma = vma;
	alloc->buffer_size = size;
	alloc->free_async_space = size / 2;
	whole->offset = 0;
	whole->size = size;
	list_add(&whole->entry, &alloc->buffers);
	bl_alloc_insert_free_locked(alloc, whole);
	spin_unlock(&alloc->lock);
	return 0;
}

void bl_alloc_vma_close(struct bl_alloc *alloc, struct vm_area_struct *vma)
{
	spin_lock(&alloc->lock);
	if (alloc->vma == vma)
		alloc->vma = NULL;
	spin_unlock(&alloc->lock);
}

vm_fault_t bl_alloc_fault(struct bl_alloc *alloc, struct vm_fault *vmf)
{
	unsigned long idx = (vmf->address - vmf->vma->vm_start) >> PAGE_SHIFT;
	struct bl_alloc_page *slot;
	struct page *page;
	bool valid;

	spin_lock(&alloc->lock);
	if (alloc->vma != vmf->vma || idx >= (alloc->buffer_size >> PAGE_SHIFT)) {
		spin_unlock(&alloc->lock);
		return VM_FAULT_SIGBUS;
	}
	slot = &alloc->pages[idx];
	page = slot->page;
	if (!page || slot->releasing) {
		spin_unlock(&alloc->lock);
		return VM_FAULT_SIGBUS;
	}
	get_page(page);
	spin_unlock(&alloc->lock);

	lock_page(page);
	spin_lock(&alloc->lock);
	valid = slot->page == page && !slot->releasing;
	spin_unlock(&alloc->lock);
	if (!valid) {
		unlock_page(page);
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return VM_FAULT_LOCKED;
}

static void bl_alloc_page_range(struct bl_buffer *buffer, size_t *first, size_t *last)
{
	*first = buffer->offset >> PAGE_SHIFT;
	*last = (buffer->offset + buffer->size - 1) >> PAGE_SHIFT;
}

/*
 * Give every page the buffer covers a user count: unused pages leave the
 * LRU, and a release the shrinker has under way is cancelled.
 */
static void bl_alloc_get_pages_locked(struct bl_alloc *alloc, struct bl_buffer *buffer)
{
	size_t i, first, last;

	lockdep_assert_held(&alloc->lock);
	bl_alloc_page_range(buffer, &first, &last);
	for (i = first; i <= last; i++) {
		struct bl_alloc_page *slot = &alloc->pages[i];

		if (!slot->users++ && !list_empty(&slot->lru)) {
			list_del_init(&slot->lru);
			atomic_long_dec(&bl_alloc_lru_pages);
		}
		slot->releasing = false;
	}
}

/* Drop the buffer's user counts; pages nobody covers go to the LRU. */
static void bl_alloc_put_pages_locked(struct bl_alloc *alloc, struct bl_buffer *buffer)
{
	size_t i, first, last;

	lockdep_assert_held(&alloc->lock);
	bl_alloc_page_range(buffer, &first, &last);
	for (i = first; i <= last; i++) {
		struct bl_alloc_page *slot = &alloc->pages[i];

		if (!--slot->users && slot->page) {
			list_add_tail(&slot->lru, &alloc->lru);
			atomic_long_inc(&bl_alloc_lru_pages);
		}
	}
}

/* Back every page of a freshly allocated buffer with memory. */
static int bl_alloc_populate(struct bl_alloc *alloc, struct bl_buffer *buffer)
{
	size_t i, first, last;

	bl_alloc_page_range(buffer, &first, &last);
	for (i = first; i <= last; i++) {
		struct page *page;

		if (READ_ONCE(alloc->pages[i].page))
			continue;
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return -ENOMEM;
		spin_lock(&alloc->lock);
		if (!alloc->pages[i].page) {
			alloc->pages[i].page = page;
			alloc->pages_high = max(alloc->pages_high, ++alloc->pages_backed);
			atomic_inc(&bl_alloc_live_pages);
			atomic_inc(&bl_alloc_total_pages);
			page = NULL;
		}
		spin_unlock(&alloc->lock);
		if (page)
			__free_page(page);
	}
	return 0;
}

/*
 * Give back the oldest unused page of @alloc, if it has one. Called from
 * reclaim: it must not wait for a page lock a faulting task may hold while
 * it allocates, so a locked page goes back to the LRU. Returns 1 when a
 * page was freed, 0 when none was, -EAGAIN when one was skipped.
 */
static int bl_alloc_shrink_one(struct bl_alloc *alloc)
{
	struct bl_alloc_page *slot;
	struct page *page;
	bool release;

	spin_lock(&alloc->lock);
	slot = list_first_entry_or_null(&alloc->lru, struct bl_alloc_page, lru);
	if (!slot) {
		spin_unlock(&alloc->lock);
		return 0;
	}
	list_del_init(&slot->lru);
	atomic_long_dec(&bl_alloc_lru_pages);
	page = slot->page;
	slot->releasing = true;
	get_page(page);
	spin_unlock(&alloc->lock);

	if (!trylock_page(page)) {
		spin_lock(&alloc->lock);
		if (slot->releasing && !slot->users) {
			list_add_tail(&slot->lru, &alloc->lru);
			atomic_long_inc(&bl_alloc_lru_pages);
		}
		slot->releasing = false;
		spin_unlock(&alloc->lock);
		put_page(page);
		return -EAGAIN;
	}
	/* no fault can map the page while we hold its lock */
	unmap_mapping_pages(alloc->mapping, alloc->pgoff_base + (slot - alloc->pages), 1, true);
	spin_lock(&alloc->lock);
	release = slot->releasing && slot->page == page && !slot->users;
	if (release) {
		slot->page = NULL;
		alloc->pages_backed--;
		atomic_dec(&bl_alloc_live_pages);
	}
	slot->releasing = false;
	spin_unlock(&alloc->lock);
	unlock_page(page);
	put_page(page);
	if (release)
		put_page(page);
	return release;
}

static unsigned long bl_alloc_shrink_count(struct shrinker *shrinker,
					   struct shrink_control *sc)
{
	return atomic_long_read(&bl_alloc_lru_pages);
}

/*
 * Free up to sc->nr_to_scan unused pages, oldest first within a process,
 * visiting the processes in turn (each visited one moves to the back).
 */
static unsigned long bl_alloc_shrink_scan(struct shrinker *shrinker,
					  struct shrink_control *sc)
{
	unsigned long freed = 0, scanned = 0;
	struct bl_alloc *alloc;

	if (!mutex_trylock(&bl_alloc_all_lock))
		return SHRINK_STOP;
	while (scanned < sc->nr_to_scan && !list_empty(&bl_alloc_all)) {
		bool progress = false;

		list_for_each_entry(alloc, &bl_alloc_all, all_entry) {
			int ret = bl_alloc_shrink_one(alloc);

			if (ret)
				progress = true;
			if (ret > 0)
				freed++;
			if (ret && ++scanned >= sc->nr_to_scan)
				break;
		}
		if (!progress)
			break;
		/* start the next pass, or the next call, with other processes */
		list_rotate_left(&bl_alloc_all);
	}
	mutex_unlock(&bl_alloc_all_lock);
	sc->nr_scanned = scanned;
	return freed ? freed : SHRINK_STOP;
}

static struct shrinker *bl_alloc_shrinker;

int bl_alloc_shrinker_init(void)
{
	bl_alloc_shrinker = bl_shrinker_create(bl_alloc_shrink_count, bl_alloc_shrink_scan,
					       KBUILD_MODNAME);
	return bl_alloc_shrinker ? 0 : -ENOMEM;
}

void bl_alloc_shrinker_exit(void)
{
	bl_shrinker_destroy(bl_alloc_shrinker);
}

/* Bytes a buffer takes in the mapping, or 0 when the sizes overflow. */
static size_t bl_alloc_buffer_size(size_t data_size, size_t offsets_size,
				   size_t extra_size)
{
	size_t data_aligned = ALIGN(data_size, sizeof(void *));
	size_t offsets_aligned = ALIGN(offsets_size, sizeof(void *));
	size_t extra_aligned = ALIGN(extra_size, sizeof(void *));
	size_t size;

	if (data_aligned < data_size || offsets_aligned < offsets_size ||
	    extra_aligned < extra_size ||
	    check_add_overflow(data_aligned, offsets_aligned, &size) ||
	    check_add_overflow(size, extra_aligned, &size))
		return 0;
	/* pad empty buffers so that every buffer has its own address */
	return max_t(size_t, size, sizeof(void *));
}

/*
 * Async space runs low: is @pid the cause? As upstream: a sender holding
 * more than 50 one-way buffers or a quarter of the mapping is a suspect,
 * reported once until the space recovers.
 */
static bool bl_alloc_low_async_space_locked(struct bl_alloc *alloc, int pid)
{
	size_t total = 0, count = 0;
	struct rb_node *n;

	lockdep_assert_held(&alloc->lock);
	for (n = rb_first(&alloc->allocated_buffers); n; n = rb_next(n)) {
		struct bl_buffer *b = rb_entry(n, struct bl_buffer, rb_node);

		if (b->pid != pid || !b->async_transaction)
			continue;
		count++;
		total += b->size;
	}
	if ((count > 50 || total > alloc->buffer_size / 4) && !alloc->oneway_spam_detected) {
		alloc->oneway_spam_detected = true;
		return true;
	}
	return false;
}

struct bl_buffer *bl_alloc_new_buf(struct bl_alloc *alloc, size_t data_size,
				   size_t offsets_size, size_t extra_buffers_size,
				   bool is_async, bool clear_on_free, int pid)
{
	size_t size = bl_alloc_buffer_size(data_size, offsets_size, extra_buffers_size);
	struct bl_buffer *spare, *best = NULL;
	struct rb_node *n;
	int ret;

	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	if (!spare)
		return ERR_PTR(-ENOMEM);

	spin_lock(&alloc->lock);
	if (!alloc->vma) {
		ret = -ESRCH;
		goto out_unlock;
	}
	if (!size) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (size > alloc->buffer_size) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	if (is_async && alloc->free_async_space < size) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	n = alloc->free_buffers.rb_node;
	while (n) {
		struct bl_buffer *b = rb_entry(n, struct bl_buffer, rb_node);

		if (size <= b->size) {
			best = b;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	if (!best) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	rb_erase(&best->rb_node, &alloc->free_buffers);
	if (best->size > size) {
		spare->offset = best->offset + size;
		spare->size = best->size - size;
		list_add(&spare->entry, &best->entry);
		bl_alloc_insert_free_locked(alloc, spare);
		spare = NULL;
		best->size = size;
	}
	bl_alloc_insert_allocated_locked(alloc, best);
	best->data_size = data_size;
	best->offsets_size = offsets_size;
	best->extra_buffers_size = extra_buffers_size;
	best->async_transaction = is_async;
	best->clear_on_free = clear_on_free;
	best->allow_user_free = 0;
	best->transaction = NULL;
	best->target_node = NULL;
	best->debug_id = atomic_inc_return(&bl_alloc_next_id);
	best->pid = pid;
	best->oneway_spam_suspect = 0;
	if (is_async) {
		alloc->free_async_space -= size;
		/* under 10% of the mapping left for one-way calls: look for a spammer */
		if (alloc->free_async_space < alloc->buffer_size / 10)
			best->oneway_spam_suspect = bl_alloc_low_async_space_locked(alloc, pid);
		else
			alloc->oneway_spam_detected = false;
	}
	bl_alloc_get_pages_locked(alloc, best);
	spin_unlock(&alloc->lock);
	kfree(spare);
	atomic_inc(&bl_alloc_live_buffers);
	atomic_inc(&bl_alloc_total_buffers);

	ret = bl_alloc_populate(alloc, best);
	if (ret) {
		bl_alloc_free_buf(alloc, best);
		return ERR_PTR(ret);
	}
	return best;

out_unlock:
	spin_unlock(&alloc->lock);
	kfree(spare);
	return ERR_PTR(ret);
}

unsigned long bl_alloc_user_addr(struct bl_alloc *alloc, struct bl_buffer *buffer)
{
	return alloc->user_base + buffer->offset;
}

struct bl_buffer *bl_alloc_prepare_to_free(struct bl_alloc *alloc,
					   unsigned long user_ptr)
{
	struct bl_buffer *found = NULL;
	struct rb_node *n;
	unsigned long offset;

	spin_lock(&alloc->lock);
	if (!alloc->buffer_size || user_ptr < alloc->user_base)
		goto out_unlock;
	offset = user_ptr - alloc->user_base;
	n = alloc->allocated_buffers.rb_node;
	while (n) {
		struct bl_buffer *b = rb_entry(n, struct bl_buffer, rb_node);

		if (offset < b->offset) {
			n = n->rb_left;
		} else if (offset > b->offset) {
			n = n->rb_right;
		} else {
			if (b->allow_user_free) {
				b->allow_user_free = 0;
				found = b;
			}
			break;
		}
	}
out_unlock:
	spin_unlock(&alloc->lock);
	return found;
}

/* Absorb @next, the chunk right after @b, into @b; @next leaves every tree. */
static void bl_alloc_absorb_locked(struct bl_alloc *alloc, struct bl_buffer *b,
				   struct bl_buffer *next)
{
	lockdep_assert_held(&alloc->lock);
	b->size += next->size;
	list_del(&next->entry);
	kfree(next);
}

/* TF_CLEAR_BUF: wipe what the buffer held before its space is reused. */
static void bl_alloc_clear_buf(struct bl_alloc *alloc, struct bl_buffer *buffer)
{
	size_t done, pgoff, len;
	struct page *page;

	bl_alloc_for_each_chunk(alloc, buffer, 0, buffer->size, page, pgoff, len, done) {
		if (page)
			memzero_page(page, pgoff, len);
	}
}

void bl_alloc_free_buf(struct bl_alloc *alloc, struct bl_buffer *buffer)
{
	if (buffer->clear_on_free)
		bl_alloc_clear_buf(alloc, buffer);
	spin_lock(&alloc->lock);
	if (buffer->async_transaction)
		alloc->free_async_space += buffer->size;
	bl_alloc_put_pages_locked(alloc, buffer);
	rb_erase(&buffer->rb_node, &alloc->allocated_buffers);
	buffer->transaction = NULL;
	buffer->target_node = NULL;
	buffer->allow_user_free = 0;
	if (!list_is_last(&buffer->entry, &alloc->buffers)) {
		struct bl_buffer *next = list_next_entry(buffer, entry);

		if (next->free) {
			rb_erase(&next->rb_node, &alloc->free_buffers);
			bl_alloc_absorb_locked(alloc, buffer, next);
		}
	}
	if (buffer->entry.prev != &alloc->buffers) {
		struct bl_buffer *prev = list_prev_entry(buffer, entry);

		if (prev->free) {
			rb_erase(&prev->rb_node, &alloc->free_buffers);
			bl_alloc_absorb_locked(alloc, prev, buffer);
			buffer = prev;
		}
	}
	bl_alloc_insert_free_locked(alloc, buffer);
	spin_unlock(&alloc->lock);
	atomic_dec(&bl_alloc_live_buffers);
}

/* Teardown: the file is gone, so is every mapping of it. */
void bl_alloc_release(struct bl_alloc *alloc)
{
	struct bl_buffer *b, *tmp;
	size_t i;

	/* after this the shrinker cannot be looking at the allocator */
	mutex_lock(&bl_alloc_all_lock);
	list_del(&alloc->all_entry);
	mutex_unlock(&bl_alloc_all_lock);

	list_for_each_entry_safe(b, tmp, &alloc->buffers, entry) {
		if (!b->free)
			atomic_dec(&bl_alloc_live_buffers);
		list_del(&b->entry);
		kfree(b);
	}
	alloc->free_buffers = RB_ROOT;
	alloc->allocated_buffers = RB_ROOT;
	if (alloc->pages) {
		for (i = 0; i < (alloc->buffer_size >> PAGE_SHIFT); i++) {
			if (!list_empty(&alloc->pages[i].lru))
				atomic_long_dec(&bl_alloc_lru_pages);
			if (alloc->pages[i].page) {
				put_page(alloc->pages[i].page);
				atomic_dec(&bl_alloc_live_pages);
			}
		}
		kvfree(alloc->pages);
		alloc->pages = NULL;
	}
	/* the file, and with it every mapping of this address_space, is gone */
	kfree(alloc->mapping);
	alloc->mapping = NULL;
}

/* Does [offset, offset + bytes) lie inside the buffer? */
static int bl_alloc_check_range(struct bl_buffer *buffer, size_t offset, size_t bytes)
{
	size_t end;

	if (check_add_overflow(offset, bytes, &end) || end > buffer->size)
		return -EINVAL;
	return 0;
}

int bl_alloc_copy_user(struct bl_alloc *alloc, struct bl_buffer *buffer,
		       size_t offset, const void __user *from, size_t bytes)
{
	size_t done, pgoff, len;
	struct page *page;

	if (bl_alloc_check_range(buffer, offset, bytes))
		return -EINVAL;
	bl_alloc_for_each_chunk(alloc, buffer, offset, bytes, page, pgoff, len, done) {
		void *kaddr;
		unsigned long left;

		kaddr = kmap_local_page(page);
		left = copy_from_user(kaddr + pgoff, from + done, len);
		kunmap_local(kaddr);
		if (left)
			return -EFAULT;
	}
	return 0;
}

int bl_alloc_read(struct bl_alloc *alloc, struct bl_buffer *buffer,
		  size_t offset, void *dest, size_t bytes)
{
	size_t done, pgoff, len;
	struct page *page;

	if (bl_alloc_check_range(buffer, offset, bytes))
		return -EINVAL;
	bl_alloc_for_each_chunk(alloc, buffer, offset, bytes, page, pgoff, len, done)
		memcpy_from_page(dest + done, page, pgoff, len);
	return 0;
}

int bl_alloc_write(struct bl_alloc *alloc, struct bl_buffer *buffer,
		   size_t offset, const void *src, size_t bytes)
{
	size_t done, pgoff, len;
	struct page *page;

	if (bl_alloc_check_range(buffer, offset, bytes))
		return -EINVAL;
	bl_alloc_for_each_chunk(alloc, buffer, offset, bytes, page, pgoff, len, done)
		memcpy_to_page(page, pgoff, src + done, len);
	return 0;
}

/* The buffer reached userspace: from now on it may free it. */
void bl_alloc_mark_delivered(struct bl_alloc *alloc, struct bl_buffer *buffer)
{
	spin_lock(&alloc->lock);
	buffer->allow_user_free = 1;
	spin_unlock(&alloc->lock);
}

void bl_alloc_print(struct seq_file *m, struct bl_alloc *alloc)
{
	struct rb_node *n;

	spin_lock(&alloc->lock);
	for (n = rb_first(&alloc->allocated_buffers); n; n = rb_next(n)) {
		struct bl_buffer *b = rb_entry(n, struct bl_buffer, rb_node);

		/* the upstream driver's layout: offset, data:offsets:extra sizes, state */
		seq_printf(m, "  buffer %d: %lx size %zu:%zu:%zu %s\n", b->debug_id, b->offset,
			   b->data_size, b->offsets_size, b->extra_buffers_size,
			   b->allow_user_free ? "delivered" : "active");
	}
	spin_unlock(&alloc->lock);
}

/* The upstream driver's per-process page line: active:lru:free, and the peak. */
void bl_alloc_print_pages(struct seq_file *m, struct bl_alloc *alloc)
{
	size_t i, active = 0, lru = 0, free = 0;

	spin_lock(&alloc->lock);
	for (i = 0; alloc->pages && i < (alloc->buffer_size >> PAGE_SHIFT); i++) {
		if (!alloc->pages[i].page)
			free++;
		else if (list_empty(&alloc->pages[i].lru))
			active++;
		else
			lru++;
	}
	seq_printf(m, "  pages: %zu:%zu:%zu\n", active, lru, free);
	seq_printf(m, "  pages high watermark: %zu\n", alloc->pages_high);
	spin_unlock(&alloc->lock);
}

int bl_alloc_buffer_count(struct bl_alloc *alloc)
{
	struct rb_node *n;
	int count = 0;

	spin_lock(&alloc->lock);
	for (n = rb_first(&alloc->allocated_buffers); n; n = rb_next(n))
		count++;
	spin_unlock(&alloc->lock);
	return count;
}

size_t bl_alloc_free_async_space(struct bl_alloc *alloc)
{
	size_t space;

	spin_lock(&alloc->lock);
	space = alloc->free_async_space;
	spin_unlock(&alloc->lock);
	return space;
}
