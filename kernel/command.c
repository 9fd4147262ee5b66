// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite: the write side of BINDER_WRITE_READ, one BC_ command at a
 * time. Every field is read from userspace with get_user/copy_from_user
 * and checked by the handler it goes to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "internal.h"

static int bl_get_u32(u32 *val, void __user **ptr, void __user *end)
{
	if (end - *ptr < (long)sizeof(u32) || get_user(*val, (u32 __user *)*ptr))
		return -EFAULT;
	*ptr += sizeof(u32);
	return 0;
}

static int bl_get_uptr(binder_uintptr_t *val, void __user **ptr, void __user *end)
{
	if (end - *ptr < (long)sizeof(*val) ||
	    get_user(*val, (binder_uintptr_t __user *)*ptr))
		return -EFAULT;
	*ptr += sizeof(*val);
	return 0;
}

static int bl_cmd_refcount(struct bl_proc *proc, struct bl_thread *thread, u32 cmd,
			   u32 target)
{
	bool strong = cmd == BC_ACQUIRE || cmd == BC_RELEASE;
	bool increment = cmd == BC_INCREFS || cmd == BC_ACQUIRE;
	struct bl_ref_data rdata = {};
	int ret = -ENOENT;

	if (increment && !target) {
		ret = bl_context_ref_mgr(proc, strong, &rdata);
		if (ret == -EINVAL) {
			bl_user_error("%d:%d context manager tried to acquire desc 0\n",
				      proc->pid, thread->pid);
			return -EINVAL;
		}
	}
	if (ret)
		ret = bl_update_ref_for_handle(proc, target, increment, strong, &rdata);
	if (ret)
		bl_user_error("%d:%d refcount change %#x on invalid ref %u\n",
			      proc->pid, thread->pid, cmd, target);
	else if (rdata.desc != target)
		bl_user_error("%d:%d acquired desc %u instead of %u\n",
			      proc->pid, thread->pid, rdata.desc, target);
	return 0;
}

static void bl_cmd_node_done(struct bl_proc *proc, struct bl_thread *thread, u32 cmd,
			     const struct binder_ptr_cookie *pc)
{
	bool strong = cmd == BC_ACQUIRE_DONE;
	struct bl_node *node;

	node = bl_get_node(proc, pc->ptr);
	if (!node) {
		bl_user_error("%d:%d %s u%016llx no match\n", proc->pid, thread->pid,
			      strong ? "BC_ACQUIRE_DONE" : "BC_INCREFS_DONE", (u64)pc->ptr);
		return;
	}
	if (pc->cookie != node->cookie) {
		bl_user_error("%d:%d node %d cookie mismatch %016llx != %016llx\n",
			      proc->pid, thread->pid, node->debug_id,
			      (u64)pc->cookie, (u64)node->cookie);
		bl_put_node(node);
		return;
	}
	bl_node_inner_lock(node);
	if (strong ? !node->pending_strong_ref : !node->pending_weak_ref) {
		bl_node_inner_unlock(node);
		bl_user_error("%d:%d node %d has no pending %s request\n", proc->pid,
			      thread->pid, node->debug_id, strong ? "acquire" : "increfs");
		bl_put_node(node);
		return;
	}
	if (strong)
		node->pending_strong_ref = 0;
	else
		node->pending_weak_ref = 0;
	/* our tmpref keeps the node: the final put below frees it if unused */
	bl_dec_node_nilocked(node, strong, 0);
	bl_node_inner_unlock(node);
	bl_put_node(node);
}

static void bl_cmd_free_buffer(struct bl_proc *proc, struct bl_thread *thread,
			       binder_uintptr_t data_ptr)
{
	struct bl_buffer *buffer;

	buffer = bl_alloc_prepare_to_free(&proc->alloc, data_ptr);
	if (!buffer) {
		bl_user_error("%d:%d BC_FREE_BUFFER u%016llx no match\n",
			      proc->pid, thread->pid, (u64)data_ptr);
		return;
	}
	bl_free_buf(proc, thread, buffer, false);
}

static void bl_cmd_looper(struct bl_proc *proc, struct bl_thread *thread, u32 cmd)
{
	bl_inner_lock(proc);
	switch (cmd) {
	case BC_REGISTER_LOOPER:
		if (thread->looper & BL_LOOPER_ENTERED) {
			thread->looper |= BL_LOOPER_INVALID;
			bl_user_error("%d:%d BC_REGISTER_LOOPER after BC_ENTER_LOOPER\n",
				      proc->pid, thread->pid);
		} else if (proc->requested_threads == 0) {
			thread->looper |= BL_LOOPER_INVALID;
			bl_user_error("%d:%d BC_REGISTER_LOOPER without request\n",
				      proc->pid, thread->pid);
		} else {
			proc->requested_threads--;
			proc->requested_threads_started++;
		}
		thread->looper |= BL_LOOPER_REGISTERED;
		break;
	case BC_ENTER_LOOPER:
		if (thread->looper & BL_LOOPER_REGISTERED) {
			thread->looper |= BL_LOOPER_INVALID;
			bl_user_error("%d:%d BC_ENTER_LOOPER after BC_REGISTER_LOOPER\n",
				      proc->pid, thread->pid);
		}
		thread->looper |= BL_LOOPER_ENTERED;
		break;
	case BC_EXIT_LOOPER:
		thread->looper |= BL_LOOPER_EXITED;
		break;
	}
	bl_inner_unlock(proc);
}

/* One command; returns 0 or a negative errno that ends the write. */
static int bl_write_one(struct bl_proc *proc, struct bl_thread *thread, u32 cmd,
			void __user **ptr, void __user *end)
{
	struct binder_transaction_data tr;
	struct binder_ptr_cookie pc;
	binder_uintptr_t uptr;
	u32 target;

	switch (cmd) {
	case BC_INCREFS:
	case BC_ACQUIRE:
	case BC_RELEASE:
	case BC_DECREFS:
		if (bl_get_u32(&target, ptr, end))
			return -EFAULT;
		return bl_cmd_refcount(proc, thread, cmd, target);
	case BC_INCREFS_DONE:
	case BC_ACQUIRE_DONE:
		if (end - *ptr < (long)sizeof(pc) || copy_from_user(&pc, *ptr, sizeof(pc)))
			return -EFAULT;
		*ptr += sizeof(pc);
		bl_cmd_node_done(proc, thread, cmd, &pc);
		return 0;
	case BC_FREE_BUFFER:
		if (bl_get_uptr(&uptr, ptr, end))
			return -EFAULT;
		bl_cmd_free_buffer(proc, thread, uptr);
		return 0;
	case BC_TRANSACTION:
	case BC_REPLY:
		if (end - *ptr < (long)sizeof(tr) || copy_from_user(&tr, *ptr, sizeof(tr)))
			return -EFAULT;
		*ptr += sizeof(tr);
		bl_transaction(proc, thread, &tr, cmd == BC_REPLY, 0);
		return 0;
	case BC_TRANSACTION_SG:
	case BC_REPLY_SG: {
		struct binder_transaction_data_sg tr_sg;

		if (end - *ptr < (long)sizeof(tr_sg) ||
		    copy_from_user(&tr_sg, *ptr, sizeof(tr_sg)))
			return -EFAULT;
		*ptr += sizeof(tr_sg);
		bl_transaction(proc, thread, &tr_sg.transaction_data, cmd == BC_REPLY_SG,
			       tr_sg.buffers_size);
		return 0;
	}
	case BC_REGISTER_LOOPER:
	case BC_ENTER_LOOPER:
	case BC_EXIT_LOOPER:
		bl_cmd_looper(proc, thread, cmd);
		return 0;
	case BC_REQUEST_DEATH_NOTIFICATION:
	case BC_CLEAR_DEATH_NOTIFICATION:
		if (bl_get_u32(&target, ptr, end) || bl_get_uptr(&uptr, ptr, end))
			return -EFAULT;
		bl_request_death(proc, thread, cmd, target, uptr);
		return 0;
	case BC_DEAD_BINDER_DONE:
		if (bl_get_uptr(&uptr, ptr, end))
			return -EFAULT;
		bl_dead_binder_done(proc, thread, uptr);
		return 0;
#ifdef BL_HAVE_FREEZE_NOTIFICATION
	/* as upstream, a refused freeze notification command fails the write */
	case BC_REQUEST_FREEZE_NOTIFICATION:
	case BC_CLEAR_FREEZE_NOTIFICATION:
		if (bl_get_u32(&target, ptr, end) || bl_get_uptr(&uptr, ptr, end))
			return -EFAULT;
		if (cmd == BC_REQUEST_FREEZE_NOTIFICATION)
			return bl_request_freeze_notification(proc, thread, target, uptr);
		return bl_clear_freeze_notification(proc, thread, target, uptr);
	case BC_FREEZE_NOTIFICATION_DONE:
		if (bl_get_uptr(&uptr, ptr, end))
			return -EFAULT;
		return bl_freeze_notification_done(proc, thread, uptr);
#endif
	default:
		bl_user_error("%d:%d unknown command %#x\n", proc->pid, thread->pid, cmd);
		return -EINVAL;
	}
}

int bl_thread_write(struct bl_proc *proc, struct bl_thread *thread,
		    binder_uintptr_t buffer, size_t size, binder_size_t *consumed)
{
	void __user *start = u64_to_user_ptr(buffer);
	void __user *ptr = start + *consumed;
	void __user *end = start + size;
	int ret;

	/* an error not yet read stops the commands, as upstream */
	while (ptr < end && READ_ONCE(thread->return_error.cmd) == BR_OK) {
		u32 cmd;

		if (bl_get_u32(&cmd, &ptr, end))
			return -EFAULT;
		bl_stats_bc(cmd);
		ret = bl_write_one(proc, thread, cmd, &ptr, end);
		if (ret)
			return ret;
		*consumed = ptr - start;
	}
	return 0;
}
