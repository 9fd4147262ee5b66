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

#endif /* BL_COMPAT_H */
