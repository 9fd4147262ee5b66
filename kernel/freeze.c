// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite freezing: the binder side of a cgroup freezer (Android's
 * "cached apps freezer"). BINDER_FREEZE marks every process that opened a
 * binder device with a given pid as frozen once it has no transaction in
 * flight; from then on synchronous calls to it fail at once with
 * BR_FROZEN_REPLY and one-way calls queue up (the sender learns it through
 * BR_TRANSACTION_PENDING_FROZEN where the kernel's UAPI defines it).
 * BINDER_GET_FROZEN_INFO reports what arrived while frozen.
 *
 * The freezing itself is the caller's business: the driver only refuses to
 * freeze a process that is in the middle of a call, and keeps the calls a
 * frozen process could not answer from waiting forever.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/jiffies.h>

#include "internal.h"

/*
 * Does @proc have a call in flight: work queued to it that is not yet
 * finished, or a thread in the middle of a synchronous call?
 */
bool bl_txns_pending_ilocked(struct bl_proc *proc)
	__must_hold(&proc->inner_lock)
{
	struct rb_node *n;

	lockdep_assert_held(&proc->inner_lock);
	if (proc->outstanding_txns > 0)
		return true;
	for (n = rb_first(&proc->threads); n; n = rb_next(n)) {
		struct bl_thread *thread = rb_entry(n, struct bl_thread, rb_node);

		if (thread->transaction_stack)
			return true;
	}
	return false;
}

static void bl_set_frozen(struct bl_proc *proc, bool frozen)
{
	bl_inner_lock(proc);
	proc->sync_recv = false;
	proc->async_recv = false;
	proc->is_frozen = frozen;
	bl_inner_unlock(proc);
	bl_freeze_notify(proc, frozen);
}

static int bl_freeze_one(struct bl_proc *proc, const struct binder_freeze_info *info)
{
	long ret = 0;

	if (!info->enable) {
		bl_set_frozen(proc, false);
		return 0;
	}

	/* from now on new calls fail or queue; wait for those in flight */
	bl_inner_lock(proc);
	proc->sync_recv = false;
	proc->async_recv = false;
	proc->is_frozen = true;
	bl_inner_unlock(proc);

	if (info->timeout_ms > 0)
		ret = wait_event_interruptible_timeout(proc->freeze_wait,
						       !READ_ONCE(proc->outstanding_txns),
						       msecs_to_jiffies(info->timeout_ms));
	if (ret >= 0) {
		bl_inner_lock(proc);
		if (bl_txns_pending_ilocked(proc))
			ret = -EAGAIN;
		bl_inner_unlock(proc);
	}
	if (ret < 0) {
		bl_inner_lock(proc);
		proc->is_frozen = false;
		bl_inner_unlock(proc);
		return ret;
	}
	bl_freeze_notify(proc, true);
	return 0;
}

/* BINDER_FREEZE: freeze or thaw every binder process with the given pid. */
int bl_ioctl_freeze(void __user *ubuf)
{
	struct binder_freeze_info info;
	struct bl_proc **procs;
	int i, count, ret = 0;

	if (copy_from_user(&info, ubuf, sizeof(info)))
		return -EFAULT;
	procs = bl_procs_find(info.pid, &count);
	if (IS_ERR(procs))
		return PTR_ERR(procs);
	for (i = 0; i < count; i++) {
		/* as upstream: stop at the first failure, keep what was done */
		if (!ret)
			ret = bl_freeze_one(procs[i], &info);
		bl_proc_dec_tmpref(procs[i]);
	}
	kfree(procs);
	return ret;
}

/* BINDER_GET_FROZEN_INFO: what reached the processes with a pid while frozen. */
int bl_ioctl_get_frozen_info(void __user *ubuf)
{
	struct binder_frozen_status_info info;
	struct bl_proc **procs;
	int i, count;

	if (copy_from_user(&info, ubuf, sizeof(info)))
		return -EFAULT;
	procs = bl_procs_find(info.pid, &count);
	if (IS_ERR(procs))
		return PTR_ERR(procs);
	info.sync_recv = 0;
	info.async_recv = 0;
	for (i = 0; i < count; i++) {
		struct bl_proc *proc = procs[i];

		bl_inner_lock(proc);
		/* bit 0: a sync call arrived while frozen; bit 1: calls in flight now */
		info.sync_recv |= proc->sync_recv | (bl_txns_pending_ilocked(proc) << 1);
		info.async_recv |= proc->async_recv;
		bl_inner_unlock(proc);
		bl_proc_dec_tmpref(proc);
	}
	kfree(procs);
	if (copy_to_user(ubuf, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

#ifdef BL_HAVE_FREEZE_NOTIFICATION
/*
 * Freeze notifications: a process holding a ref asks to hear when the
 * node's owner is frozen or thawed. The current state goes out at once,
 * then each change. A notification sent waits on delivered_freeze for
 * BC_FREEZE_NOTIFICATION_DONE; a change meanwhile is sent after the ack.
 */
struct bl_ref_freeze {
	struct bl_work work;		/* (protected by the ref owner's inner_lock) */
	binder_uintptr_t cookie;	/* (invariant after init) */
	bool is_frozen;			/* (protected by the ref owner's inner_lock) */
	bool sent;			/* (protected by the ref owner's inner_lock) */
	bool resend;			/* (protected by the ref owner's inner_lock) */
};

int bl_request_freeze_notification(struct bl_proc *proc, struct bl_thread *thread,
				   u32 handle, binder_uintptr_t cookie)
{
	struct bl_ref_freeze *freeze;
	struct bl_ref *ref;
	int ret = 0;

	freeze = kzalloc(sizeof(*freeze), GFP_KERNEL);
	if (!freeze)
		return -ENOMEM;
	INIT_LIST_HEAD(&freeze->work.entry);
	freeze->work.type = BL_WORK_FROZEN_BINDER;
	freeze->cookie = cookie;

	bl_outer_lock(proc);
	ref = bl_get_ref_olocked(proc, handle, false);
	if (!ref) {
		bl_user_error("%d:%d BC_REQUEST_FREEZE_NOTIFICATION invalid ref %u\n",
			      proc->pid, thread->pid, handle);
		ret = -EINVAL;
		goto out_unlock_outer;
	}
	bl_node_lock(ref->node);
	if (ref->freeze) {
		bl_user_error("%d:%d BC_REQUEST_FREEZE_NOTIFICATION already set\n",
			      proc->pid, thread->pid);
		ret = -EINVAL;
		goto out_unlock_node;
	}
	ref->freeze = freeze;
	bl_stats_created(BL_STAT_FREEZE);
	if (ref->node->proc) {
		struct bl_proc *owner = ref->node->proc;
		bool frozen;

		bl_inner_lock(owner);
		frozen = owner->is_frozen;
		bl_inner_unlock(owner);
		bl_inner_lock(proc);
		freeze->is_frozen = frozen;
		bl_enqueue_work_ilocked(&freeze->work, &proc->todo);
		bl_wakeup_proc_ilocked(proc);
		bl_inner_unlock(proc);
	}
	freeze = NULL;
out_unlock_node:
	bl_node_unlock(ref->node);
out_unlock_outer:
	bl_outer_unlock(proc);
	kfree(freeze);
	return ret;
}

int bl_clear_freeze_notification(struct bl_proc *proc, struct bl_thread *thread,
				 u32 handle, binder_uintptr_t cookie)
{
	struct bl_ref_freeze *freeze;
	struct bl_ref *ref;
	int ret = 0;

	bl_outer_lock(proc);
	ref = bl_get_ref_olocked(proc, handle, false);
	if (!ref) {
		bl_user_error("%d:%d BC_CLEAR_FREEZE_NOTIFICATION invalid ref %u\n",
			      proc->pid, thread->pid, handle);
		bl_outer_unlock(proc);
		return -EINVAL;
	}
	bl_node_lock(ref->node);
	bl_inner_lock(proc);
	freeze = ref->freeze;
	if (!freeze || freeze->cookie != cookie) {
		bl_user_error("%d:%d BC_CLEAR_FREEZE_NOTIFICATION %s\n", proc->pid, thread->pid,
			      freeze ? "cookie mismatch" : "not active");
		ret = -EINVAL;
		goto out_unlock;
	}
	ref->freeze = NULL;
	/*
	 * Not queued: queue the "done". Sent and waiting for its ack: the
	 * ack sends the "done". Queued, not sent: it goes out as the "done".
	 */
	freeze->work.type = BL_WORK_CLEAR_FREEZE_NOTIFICATION;
	if (list_empty(&freeze->work.entry)) {
		bl_enqueue_work_ilocked(&freeze->work, &proc->todo);
		bl_wakeup_proc_ilocked(proc);
	} else if (freeze->sent) {
		freeze->resend = true;
	}
out_unlock:
	bl_inner_unlock(proc);
	bl_node_unlock(ref->node);
	bl_outer_unlock(proc);
	return ret;
}

int bl_freeze_notification_done(struct bl_proc *proc, struct bl_thread *thread,
				binder_uintptr_t cookie)
{
	struct bl_ref_freeze *freeze, *found = NULL;

	bl_inner_lock(proc);
	list_for_each_entry(freeze, &proc->delivered_freeze, work.entry) {
		if (freeze->cookie == cookie) {
			found = freeze;
			break;
		}
	}
	if (!found) {
		bl_inner_unlock(proc);
		bl_user_error("%d:%d BC_FREEZE_NOTIFICATION_DONE %016llx not found\n",
			      proc->pid, thread->pid, (u64)cookie);
		return -EINVAL;
	}
	bl_dequeue_work_ilocked(&found->work);
	found->sent = false;
	if (found->resend) {
		found->resend = false;
		bl_enqueue_work_ilocked(&found->work, &proc->todo);
		bl_wakeup_proc_ilocked(proc);
	}
	bl_inner_unlock(proc);
	return 0;
}

/* Queue (or update) the notification of every ref to @node that asked for one. */
static void bl_freeze_notify_node(struct bl_node *node, bool is_frozen)
{
	struct bl_ref *ref;

	bl_node_lock(node);
	hlist_for_each_entry(ref, &node->refs, node_entry) {
		struct bl_ref_freeze *freeze;

		bl_inner_lock(ref->proc);
		freeze = ref->freeze;
		if (freeze) {
			freeze->work.type = BL_WORK_FROZEN_BINDER;
			if (list_empty(&freeze->work.entry)) {
				freeze->is_frozen = is_frozen;
				bl_enqueue_work_ilocked(&freeze->work, &ref->proc->todo);
				bl_wakeup_proc_ilocked(ref->proc);
			} else {
				/* queued: goes out with the new state; sent: again after the ack */
				if (freeze->sent && freeze->is_frozen != is_frozen)
					freeze->resend = true;
				freeze->is_frozen = is_frozen;
			}
		}
		bl_inner_unlock(ref->proc);
	}
	bl_node_unlock(node);
}

/* Tell every ref holder that asked that @proc was frozen or thawed. */
void bl_freeze_notify(struct bl_proc *proc, bool is_frozen)
{
	struct bl_node *prev = NULL;
	struct rb_node *n;

	bl_inner_lock(proc);
	n = rb_first(&proc->nodes);
	while (n) {
		struct bl_node *node = rb_entry(n, struct bl_node, rb_node);

		/* the tmpref keeps the node in the tree while we are unlocked */
		bl_inc_node_tmpref_ilocked(node);
		bl_inner_unlock(proc);
		if (prev)
			bl_dec_node_tmpref(prev);
		prev = node;
		bl_freeze_notify_node(node, is_frozen);
		bl_inner_lock(proc);
		/* a dying process takes its nodes out of the tree: stop */
		n = proc->is_dead ? NULL : rb_next(n);
	}
	bl_inner_unlock(proc);
	if (prev)
		bl_dec_node_tmpref(prev);
}

/* Deliver a freeze work item (inner_lock held, dropped on return). */
int bl_put_freeze_work_ilocked(struct bl_proc *proc, struct bl_work *w, void __user **ptr)
	__releases(&proc->inner_lock)
{
	struct bl_ref_freeze *freeze = container_of(w, struct bl_ref_freeze, work);

	if (w->type == BL_WORK_FROZEN_BINDER) {
		struct binder_frozen_state_info info = {
			.cookie = freeze->cookie,
			.is_frozen = freeze->is_frozen,
		};

		freeze->sent = true;
		bl_enqueue_work_ilocked(w, &proc->delivered_freeze);
		bl_inner_unlock(proc);
		if (put_user(BR_FROZEN_BINDER, (u32 __user *)*ptr))
			return -EFAULT;
		*ptr += sizeof(u32);
		if (copy_to_user(*ptr, &info, sizeof(info)))
			return -EFAULT;
		*ptr += sizeof(info);
		bl_stats_br(BR_FROZEN_BINDER);
	} else {
		binder_uintptr_t cookie = freeze->cookie;

		bl_inner_unlock(proc);
		bl_free_freeze(freeze);
		if (put_user(BR_CLEAR_FREEZE_NOTIFICATION_DONE, (u32 __user *)*ptr))
			return -EFAULT;
		*ptr += sizeof(u32);
		if (put_user(cookie, (binder_uintptr_t __user *)*ptr))
			return -EFAULT;
		*ptr += sizeof(cookie);
		bl_stats_br(BR_CLEAR_FREEZE_NOTIFICATION_DONE);
	}
	return 0;
}

void bl_free_freeze(struct bl_ref_freeze *freeze)
{
	kfree(freeze);
	bl_stats_deleted(BL_STAT_FREEZE);
}

/* A "done" nobody will read (its process is going away). */
void bl_free_freeze_work(struct bl_work *w)
{
	bl_free_freeze(container_of(w, struct bl_ref_freeze, work));
}

/* A ref is going away: its notification goes with it. */
void bl_cleanup_ref_freeze(struct bl_ref *ref)
{
	if (ref->freeze)
		bl_dequeue_work(ref->proc, &ref->freeze->work);
}

#else /* !BL_HAVE_FREEZE_NOTIFICATION: this kernel's UAPI has no notifications */

void bl_freeze_notify(struct bl_proc *proc, bool is_frozen)
{
}

void bl_free_freeze(struct bl_ref_freeze *freeze)
{
}

void bl_cleanup_ref_freeze(struct bl_ref *ref)
{
}

#endif
