/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels binder_lite supports (6.1 and 6.12).
 * Version checks live here only; the rest of the driver uses the
 * feature-named helpers below.
 */
#ifndef BL_COMPAT_H
#define BL_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/fdtable.h>

/* vm_flags became read-only behind vm_flags_set()/vm_flags_clear() in 6.3 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define BL_HAVE_VM_FLAGS_HELPERS 1
#endif

/* Only from ->mmap, before the vma is visible: no vma write lock needed. */
static inline void bl_vma_adjust_flags(struct vm_area_struct *vma,
				       vm_flags_t set, vm_flags_t clear)
{
#ifdef BL_HAVE_VM_FLAGS_HELPERS
	__vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/* UAPI additions: BR_TRANSACTION_PENDING_FROZEN (6.7), freeze notifications (6.12) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define BL_HAVE_PENDING_FROZEN 1
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define BL_HAVE_FREEZE_NOTIFICATION 1
#endif

/* 6.7 replaced register_shrinker() with shrinker_alloc()/shrinker_register() */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define BL_HAVE_SHRINKER_ALLOC 1
#endif

typedef unsigned long (*bl_shrink_fn)(struct shrinker *, struct shrink_control *);

/* A registered shrinker with the default seek cost, or NULL. */
static inline struct shrinker *bl_shrinker_create(bl_shrink_fn count, bl_shrink_fn scan,
						  const char *name)
{
	struct shrinker *shrinker;

#ifdef BL_HAVE_SHRINKER_ALLOC
	shrinker = shrinker_alloc(0, "%s", name);
	if (!shrinker)
		return NULL;
#else
	shrinker = kzalloc(sizeof(*shrinker), GFP_KERNEL);
	if (!shrinker)
		return NULL;
#endif
	shrinker->count_objects = count;
	shrinker->scan_objects = scan;
	shrinker->seeks = DEFAULT_SEEKS;
#ifdef BL_HAVE_SHRINKER_ALLOC
	shrinker_register(shrinker);
#else
	if (register_shrinker(shrinker, "%s", name)) {
		kfree(shrinker);
		return NULL;
	}
#endif
	return shrinker;
}

static inline void bl_shrinker_destroy(struct shrinker *shrinker)
{
	if (!shrinker)
		return;
#ifdef BL_HAVE_SHRINKER_ALLOC
	shrinker_free(shrinker);
#else
	unregister_shrinker(shrinker);
	kfree(shrinker);
#endif
}

/* Detach an fd of current's table and return its file, with a reference. */
static inline struct file *bl_close_fd_get_file(unsigned int fd)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	return file_close_fd(fd);
#else
	return close_fd_get_file(fd);
#endif
}

#endif /* BL_COMPAT_H */
