// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite: Android binder IPC for plain Linux, speaking the upstream
 * binder UAPI (protocol version 8).
 *
 * This file holds module init, the file operations and ioctl dispatch. The
 * objects live in their own files: context.c (a device and its context
 * manager), proc.c, thread.c (work queues, the read side), command.c (the
 * write side), transaction.c (the transaction pipeline), object.c (objects
 * carried by transactions), node.c, ref.c (refs and death notifications),
 * alloc.c (the buffer allocator, its own module), stats.c and debugfs.c.
 * internal.h opens with the locking rules; compat.h holds kernel-version
 * differences.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include <linux/cred.h>
#include <linux/compat.h>

#include "internal.h"
#include "compat.h"

static char *devices = "binder";
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices, "comma-separated binder device names (default: binder)");

unsigned int bl_debug_mask = BL_DEBUG_USER_ERROR | BL_DEBUG_FAILED_TXN;
module_param_named(debug_mask, bl_debug_mask, uint, 0644);
MODULE_PARM_DESC(debug_mask, "log categories: 1 user errors, 2 failed transactions, "
		 "4 dead transactions, 8 open/close, 16 refs, 32 transactions, "
		 "64 priority changes");

/* ---- ioctls ---- */

static int bl_ioctl_write_read(struct bl_proc *proc, struct bl_thread *thread,
			       struct file *filp, void __user *ubuf)
{
	struct binder_write_read bwr;
	int ret = 0;

	if (copy_from_user(&bwr, ubuf, sizeof(bwr)))
		return -EFAULT;
	if (bwr.write_consumed > bwr.write_size || bwr.read_consumed > bwr.read_size)
		return -EINVAL;

	if (bwr.write_size > 0) {
		ret = bl_thread_write(proc, thread, bwr.write_buffer, bwr.write_size,
				      &bwr.write_consumed);
		if (ret < 0) {
			bwr.read_consumed = 0;
			goto out_copy;
		}
	}
	if (bwr.read_size > 0) {
		ret = bl_thread_read(proc, thread, bwr.read_buffer, bwr.read_size,
				     &bwr.read_consumed, filp->f_flags & O_NONBLOCK);
		bl_inner_lock(proc);
		if (!list_empty(&proc->todo))
			bl_wakeup_proc_ilocked(proc);
		bl_inner_unlock(proc);
	}
out_copy:
	if (copy_to_user(ubuf, &bwr, sizeof(bwr)))
		return -EFAULT;
	return ret;
}

static int bl_ioctl_node_info_for_ref(struct bl_proc *proc, void __user *ubuf)
{
	struct binder_node_info_for_ref info;
	int ret;

	if (copy_from_user(&info, ubuf, sizeof(info)))
		return -EFAULT;
	if (info.strong_count || info.weak_count || info.reserved1 ||
	    info.reserved2 || info.reserved3)
		return -EINVAL;
	/* only the context manager may ask */
	if (!bl_context_is_mgr(proc))
		return -EPERM;
	ret = bl_node_info_for_ref(proc, &info);
	if (ret)
		return ret;
	if (copy_to_user(ubuf, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int bl_ioctl_node_debug_info(struct bl_proc *proc, void __user *ubuf)
{
	struct binder_node_debug_info info;

	if (copy_from_user(&info, ubuf, sizeof(info)))
		return -EFAULT;
	bl_node_debug_info(proc, &info);
	if (copy_to_user(ubuf, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int bl_ioctl_extended_error(struct bl_thread *thread, void __user *ubuf)
{
	struct binder_extended_error ee;

	bl_inner_lock(thread->proc);
	ee = thread->ee;
	thread->ee.id = 0;
	thread->ee.command = BR_OK;
	thread->ee.param = 0;
	bl_inner_unlock(thread->proc);

	if (copy_to_user(ubuf, &ee, sizeof(ee)))
		return -EFAULT;
	return 0;
}

static long bl_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct bl_proc *proc = filp->private_data;
	void __user *ubuf = (void __user *)arg;
	struct flat_binder_object fbo;
	struct bl_thread *thread;
	u32 max_threads;
	int ret;

	thread = bl_get_thread(proc);
	if (!thread)
		return -ENOMEM;

	switch (cmd) {
	case BINDER_WRITE_READ:
		ret = bl_ioctl_write_read(proc, thread, filp, ubuf);
		break;
	case BINDER_SET_MAX_THREADS:
		/* as upstream: an unreadable argument is EINVAL here */
		ret = copy_from_user(&max_threads, ubuf, sizeof(max_threads)) ? -EINVAL : 0;
		if (!ret) {
			bl_inner_lock(proc);
			proc->max_threads = max_threads;
			bl_inner_unlock(proc);
		}
		break;
	case BINDER_SET_CONTEXT_MGR_EXT:
		if (copy_from_user(&fbo, ubuf, sizeof(fbo))) {
			ret = -EINVAL;
			break;
		}
		ret = bl_context_set_mgr(proc, &fbo);
		break;
	case BINDER_SET_CONTEXT_MGR:
		ret = bl_context_set_mgr(proc, NULL);
		break;
	case BINDER_THREAD_EXIT:
		bl_thread_release(proc, thread);
		thread = NULL;
		ret = 0;
		break;
	case BINDER_VERSION:
		ret = put_user(BINDER_CURRENT_PROTOCOL_VERSION,
			       &((struct binder_version __user *)ubuf)->protocol_version) ?
			-EINVAL : 0;
		break;
	case BINDER_GET_NODE_INFO_FOR_REF:
		ret = bl_ioctl_node_info_for_ref(proc, ubuf);
		break;
	case BINDER_GET_NODE_DEBUG_INFO:
		ret = bl_ioctl_node_debug_info(proc, ubuf);
		break;
	case BINDER_GET_EXTENDED_ERROR:
		ret = bl_ioctl_extended_error(thread, ubuf);
		break;
	case BINDER_FREEZE:
		ret = bl_ioctl_freeze(ubuf);
		break;
	case BINDER_GET_FROZEN_INFO:
		ret = bl_ioctl_get_frozen_info(ubuf);
		break;
	case BINDER_ENABLE_ONEWAY_SPAM_DETECTION: {
		u32 enable;

		/* as upstream: an unreadable argument is EINVAL here */
		ret = copy_from_user(&enable, ubuf, sizeof(enable)) ? -EINVAL : 0;
		if (!ret)
			WRITE_ONCE(proc->oneway_spam_detection, !!enable);
		break;
	}
	default:
		ret = -EINVAL;
		break;
	}
	if (thread)
		thread->looper_need_return = false;
	return ret;
}

/* ---- file operations ---- */

static void bl_vma_open(struct vm_area_struct *vma)
{
}

static void bl_vma_close(struct vm_area_struct *vma)
{
	struct bl_proc *proc = vma->vm_private_data;

	bl_alloc_vma_close(&proc->alloc, vma);
}

static vm_fault_t bl_vm_fault(struct vm_fault *vmf)
{
	struct bl_proc *proc = vmf->vma->vm_private_data;

	return bl_alloc_fault(&proc->alloc, vmf);
}

/* The buffer mapping moves with no one: its user addresses are handed out. */
static int bl_vma_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static int bl_vma_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

static const struct vm_operations_struct bl_vm_ops = {
	.open = bl_vma_open,
	.close = bl_vma_close,
	.fault = bl_vm_fault,
	.may_split = bl_vma_may_split,
	.mremap = bl_vma_mremap,
};

static int bl_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct bl_proc *proc = filp->private_data;

	if (proc->tsk != current->group_leader)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE) {
		bl_user_error("%d: mmap with PROT_WRITE refused\n", proc->pid);
		return -EPERM;
	}
	bl_vma_adjust_flags(vma, VM_DONTCOPY | VM_DONTEXPAND, VM_MAYWRITE);
	vma->vm_ops = &bl_vm_ops;
	vma->vm_private_data = proc;
	return bl_alloc_mmap(&proc->alloc, vma);
}

static int bl_open(struct inode *inode, struct file *filp)
{
	struct miscdevice *misc = filp->private_data;
	struct bl_context *context = container_of(misc, struct bl_context, misc);
	struct bl_proc *proc;

	proc = bl_proc_create(context, inode);
	if (!proc)
		return -ENOMEM;
	filp->private_data = proc;
	/* mappings of this file link to the process's own address_space */
	filp->f_mapping = bl_alloc_mapping(&proc->alloc);
	return 0;
}

static int bl_release(struct inode *inode, struct file *filp)
{
	bl_proc_schedule_release(filp->private_data);
	return 0;
}

static int bl_flush(struct file *filp, fl_owner_t id)
{
	bl_proc_flush(filp->private_data);
	return 0;
}

static __poll_t bl_poll(struct file *filp, struct poll_table_struct *wait)
{
	struct bl_proc *proc = filp->private_data;
	struct bl_thread *thread;
	bool wait_for_proc_work;

	thread = bl_get_thread(proc);
	if (!thread)
		return EPOLLERR;

	bl_inner_lock(proc);
	thread->looper |= BL_LOOPER_POLL;
	wait_for_proc_work = bl_available_for_proc_work_ilocked(thread);
	bl_inner_unlock(proc);

	poll_wait(filp, &thread->wait, wait);
	if (bl_has_work(thread, wait_for_proc_work))
		return EPOLLIN;
	return 0;
}

static const struct file_operations bl_fops = {
	.owner = THIS_MODULE,
	.poll = bl_poll,
	.unlocked_ioctl = bl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = bl_mmap,
	.open = bl_open,
	.flush = bl_flush,
	.release = bl_release,
};

/* ---- module ---- */

static int __init bl_init(void)
{
	int ret;

	bl_release_wq = alloc_workqueue(KBUILD_MODNAME, WQ_UNBOUND, 0);
	if (!bl_release_wq)
		return -ENOMEM;
	ret = bl_alloc_shrinker_init();
	if (ret)
		goto out_destroy_wq;
	bl_debugfs_init();
	ret = bl_contexts_create(devices, &bl_fops);
	if (ret)
		goto out_destroy;
	return 0;

out_destroy:
	bl_contexts_destroy();
	bl_debugfs_exit();
	bl_alloc_shrinker_exit();
out_destroy_wq:
	destroy_workqueue(bl_release_wq);
	return ret;
}

static void __exit bl_exit(void)
{
	bl_contexts_destroy();
	/* pending releases run to completion, then pending node frees */
	destroy_workqueue(bl_release_wq);
	rcu_barrier();
	bl_alloc_shrinker_exit();
	bl_debugfs_exit();
}

module_init(bl_init);
module_exit(bl_exit);

MODULE_DESCRIPTION("binder_lite: Android binder IPC for plain Linux");
MODULE_LICENSE("GPL");
