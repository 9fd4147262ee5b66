// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite nodes: the kernel side of a binder object a process hosts.
 *
 * A node counts strong and weak references: "internal" ones held by refs
 * of other processes and "local" ones held by the kernel (transactions in
 * flight, handshakes with the owner). The owner learns what it must hold
 * through BR_INCREFS/BR_ACQUIRE/BR_RELEASE/BR_DECREFS, queued as the
 * node's work item and acknowledged with BC_INCREFS_DONE/BC_ACQUIRE_DONE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

static struct bl_node *bl_get_node_ilocked(struct bl_proc *proc, binder_uintptr_t ptr)
	__must_hold(&proc->inner_lock)
{
	struct rb_node *n = proc->nodes.rb_node;

	lockdep_assert_held(&proc->inner_lock);
	while (n) {
		struct bl_node *node = rb_entry(n, struct bl_node, rb_node);

		if (ptr < node->ptr) {
			n = n->rb_left;
		} else if (ptr > node->ptr) {
			n = n->rb_right;
		} else {
			/* the caller gets a temporary reference */
			bl_inc_node_tmpref_ilocked(node);
			return node;
		}
	}
	return NULL;
}

/* Look a node up by its userspace pointer; returns it with a tmpref. */
struct bl_node *bl_get_node(struct bl_proc *proc, binder_uintptr_t ptr)
{
	struct bl_node *node;

	bl_inner_lock(proc);
	node = bl_get_node_ilocked(proc, ptr);
	bl_inner_unlock(proc);
	return node;
}

static struct bl_node *bl_init_node_ilocked(struct bl_proc *proc, struct bl_node *new_node,
					    const struct flat_binder_object *fp)
	__must_hold(&proc->inner_lock)
{
	struct rb_node **p = &proc->nodes.rb_node;
	struct rb_node *parent = NULL;
	binder_uintptr_t ptr = fp ? fp->binder : 0;
	struct bl_node *node;

	lockdep_assert_held(&proc->inner_lock);
	while (*p) {
		parent = *p;
		node = rb_entry(parent, struct bl_node, rb_node);
		if (ptr < node->ptr) {
			p = &(*p)->rb_left;
		} else if (ptr > node->ptr) {
			p = &(*p)->rb_right;
		} else {
			/* raced with another thread creating it */
			bl_inc_node_tmpref_ilocked(node);
			return node;
		}
	}
	node = new_node;
	bl_stats_created(BL_STAT_NODE);
	node->tmp_refs++;
	rb_link_node(&node->rb_node, parent, p);
	rb_insert_color(&node->rb_node, &proc->nodes);
	node->debug_id = bl_new_debug_id();
	node->proc = proc;
	node->ptr = ptr;
	node->cookie = fp ? fp->cookie : 0;
	node->work.type = BL_WORK_NODE;
	if (fp) {
		node->min_priority = fp->flags & FLAT_BINDER_FLAG_PRIORITY_MASK;
		node->accept_fds = !!(fp->flags & FLAT_BINDER_FLAG_ACCEPTS_FDS);
		node->txn_security_ctx = !!(fp->flags & FLAT_BINDER_FLAG_TXN_SECURITY_CTX);
	}
	spin_lock_init(&node->lock);
	INIT_LIST_HEAD(&node->work.entry);
	INIT_LIST_HEAD(&node->async_todo);
	return node;
}

/* Create (or find) the node for @fp in @proc; returns it with a tmpref. */
struct bl_node *bl_new_node(struct bl_proc *proc, const struct flat_binder_object *fp)
{
	struct bl_node *node, *new_node;

	new_node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!new_node)
		return NULL;
	bl_inner_lock(proc);
	node = bl_init_node_ilocked(proc, new_node, fp);
	bl_inner_unlock(proc);
	if (node != new_node)
		kfree(new_node);
	return node;
}

void bl_free_node(struct bl_node *node)
{
	kfree_rcu(node, rcu);
	bl_stats_deleted(BL_STAT_NODE);
}

static void bl_assert_nilocked(struct bl_node *node)
{
	lockdep_assert_held(&node->lock);
	if (node->proc)
		lockdep_assert_held(&node->proc->inner_lock);
}

int bl_inc_node_nilocked(struct bl_node *node, int strong, int internal,
			 struct list_head *target_list)
{
	struct bl_proc *proc = node->proc;

	bl_assert_nilocked(node);
	if (strong) {
		if (internal) {
			if (!target_list && node->internal_strong_refs == 0 &&
			    !(proc && node == proc->context->mgr_node &&
			      node->has_strong_ref)) {
				pr_err_ratelimited("invalid inc strong node %d\n", node->debug_id);
				return -EINVAL;
			}
			node->internal_strong_refs++;
		} else {
			node->local_strong_refs++;
		}
		if (!node->has_strong_ref && target_list) {
			struct bl_thread *thread = container_of(target_list,
							struct bl_thread, todo);

			bl_dequeue_work_ilocked(&node->work);
			bl_enqueue_deferred_thread_work_ilocked(thread, &node->work);
		}
	} else {
		if (!internal)
			node->local_weak_refs++;
		if (!node->has_weak_ref && list_empty(&node->work.entry)) {
			if (target_list) {
				bl_enqueue_work_ilocked(&node->work, target_list);
			} else if (proc) {
				bl_enqueue_work_ilocked(&node->work, &proc->todo);
				bl_wakeup_proc_ilocked(proc);
			}
		}
	}
	return 0;
}

int bl_inc_node(struct bl_node *node, int strong, int internal,
		struct list_head *target_list)
{
	int ret;

	bl_node_inner_lock(node);
	ret = bl_inc_node_nilocked(node, strong, internal, target_list);
	bl_node_inner_unlock(node);
	return ret;
}

static bool bl_node_unused(struct bl_node *node)
{
	return hlist_empty(&node->refs) && !node->local_strong_refs &&
	       !node->local_weak_refs && !node->tmp_refs;
}

/*
 * Drop a count. Returns true when the node is now unreferenced and off
 * every tree: the caller frees it after unlocking.
 */
bool bl_dec_node_nilocked(struct bl_node *node, int strong, int internal)
{
	struct bl_proc *proc = node->proc;

	bl_assert_nilocked(node);
	/*
	 * A dead node's local counts were dropped with its owner
	 * (bl_node_release()); the holds they stood for, such as a call in
	 * flight to it when the owner died, must not take them below zero.
	 */
	if (strong) {
		if (internal)
			node->internal_strong_refs--;
		else if (proc)
			node->local_strong_refs--;
		if (node->local_strong_refs || node->internal_strong_refs)
			return false;
	} else {
		if (!internal && proc)
			node->local_weak_refs--;
		if (node->local_weak_refs || node->tmp_refs || !hlist_empty(&node->refs))
			return false;
	}

	if (proc && (node->has_strong_ref || node->has_weak_ref)) {
		/* the owner must be told to let go first */
		if (list_empty(&node->work.entry)) {
			bl_enqueue_work_ilocked(&node->work, &proc->todo);
			bl_wakeup_proc_ilocked(proc);
		}
		return false;
	}
	if (!bl_node_unused(node))
		return false;
	if (proc) {
		bl_dequeue_work_ilocked(&node->work);
		rb_erase(&node->rb_node, &proc->nodes);
	}
	return true;
}

void bl_dec_node(struct bl_node *node, int strong, int internal)
{
	bool free_node;

	bl_node_inner_lock(node);
	free_node = bl_dec_node_nilocked(node, strong, internal);
	bl_node_inner_unlock(node);
	if (free_node)
		bl_free_node(node);
}

/* Owner's inner_lock while the owner lives, node->lock once it died. */
void bl_inc_node_tmpref_ilocked(struct bl_node *node)
{
	if (node->proc)
		lockdep_assert_held(&node->proc->inner_lock);
	else
		lockdep_assert_held(&node->lock);
	node->tmp_refs++;
}

void bl_inc_node_tmpref(struct bl_node *node)
{
	bl_node_inner_lock(node);
	bl_inc_node_tmpref_ilocked(node);
	bl_node_inner_unlock(node);
}

void bl_dec_node_tmpref(struct bl_node *node)
{
	bool free_node;

	bl_node_inner_lock(node);
	node->tmp_refs--;
	WARN_ON_ONCE(node->tmp_refs < 0);
	free_node = bl_dec_node_nilocked(node, 0, 1);
	bl_node_inner_unlock(node);
	if (free_node)
		bl_free_node(node);
}

void bl_put_node(struct bl_node *node)
{
	bl_dec_node_tmpref(node);
}

static int bl_put_node_cmd(u32 cmd, binder_uintptr_t ptr, binder_uintptr_t cookie,
			   void __user **uptr)
{
	struct binder_ptr_cookie pc = { .ptr = ptr, .cookie = cookie };

	if (put_user(cmd, (u32 __user *)*uptr))
		return -EFAULT;
	*uptr += sizeof(u32);
	if (copy_to_user(*uptr, &pc, sizeof(pc)))
		return -EFAULT;
	*uptr += sizeof(pc);
	bl_stats_br(cmd);
	return 0;
}

/*
 * The node's work item reached the owner's read loop: bring the owner's
 * view of its references in line with the node's counts.
 */
int bl_put_node_work_ilocked(struct bl_proc *proc, struct bl_node *node,
			     void __user **ptr)
	__releases(&proc->inner_lock)
{
	binder_uintptr_t node_ptr = node->ptr;
	binder_uintptr_t node_cookie = node->cookie;
	bool strong, weak, has_strong_ref, has_weak_ref;
	int ret = 0;

	WARN_ON_ONCE(proc != node->proc);
	strong = node->internal_strong_refs || node->local_strong_refs;
	weak = !hlist_empty(&node->refs) || node->local_weak_refs ||
	       node->tmp_refs || strong;
	has_strong_ref = node->has_strong_ref;
	has_weak_ref = node->has_weak_ref;

	if (weak && !has_weak_ref) {
		node->has_weak_ref = 1;
		node->pending_weak_ref = 1;
		node->local_weak_refs++;
	}
	if (strong && !has_strong_ref) {
		node->has_strong_ref = 1;
		node->pending_strong_ref = 1;
		node->local_strong_refs++;
	}
	if (!strong && has_strong_ref)
		node->has_strong_ref = 0;
	if (!weak && has_weak_ref)
		node->has_weak_ref = 0;
	if (!weak && !strong) {
		rb_erase(&node->rb_node, &proc->nodes);
		bl_inner_unlock(proc);
		/* let a concurrent decrement finish with node->lock first */
		bl_node_lock(node);
		bl_node_unlock(node);
		bl_free_node(node);
	} else {
		bl_inner_unlock(proc);
	}

	if (weak && !has_weak_ref)
		ret = bl_put_node_cmd(BR_INCREFS, node_ptr, node_cookie, ptr);
	if (!ret && strong && !has_strong_ref)
		ret = bl_put_node_cmd(BR_ACQUIRE, node_ptr, node_cookie, ptr);
	if (!ret && !strong && has_strong_ref)
		ret = bl_put_node_cmd(BR_RELEASE, node_ptr, node_cookie, ptr);
	if (!ret && !weak && has_weak_ref)
		ret = bl_put_node_cmd(BR_DECREFS, node_ptr, node_cookie, ptr);
	return ret;
}

/*
 * The owner died: fail the node's queued one-way calls, detach it from the
 * owner and send death notifications to every ref holder that asked. The
 * caller holds a tmpref, which this drops. Returns @refs plus the node's
 * incoming refs.
 */
int bl_node_release(struct bl_node *node, int refs)
{
	struct bl_proc *proc = node->proc;
	struct bl_ref *ref;

	bl_release_work(proc, &node->async_todo);

	bl_node_lock(node);
	bl_inner_lock(proc);
	bl_dequeue_work_ilocked(&node->work);
	WARN_ON_ONCE(!node->tmp_refs);
	if (hlist_empty(&node->refs) && node->tmp_refs == 1) {
		/* an RCU reader of the manager node must see it dead */
		node->proc = NULL;
		bl_inner_unlock(proc);
		bl_node_unlock(node);
		bl_free_node(node);
		return refs;
	}
	node->proc = NULL;
	node->local_strong_refs = 0;
	node->local_weak_refs = 0;
	bl_inner_unlock(proc);

	hlist_for_each_entry(ref, &node->refs, node_entry) {
		refs++;
		bl_inner_lock(ref->proc);
		if (ref->death) {
			if (list_empty(&ref->death->work.entry)) {
				ref->death->work.type = BL_WORK_DEAD_BINDER;
				bl_enqueue_work_ilocked(&ref->death->work, &ref->proc->todo);
				bl_wakeup_proc_ilocked(ref->proc);
			}
		}
		bl_inner_unlock(ref->proc);
	}
	bl_node_unlock(node);
	bl_put_node(node);
	return refs;
}

/* BINDER_GET_NODE_INFO_FOR_REF: the counts of the node behind a handle. */
int bl_node_info_for_ref(struct bl_proc *proc, struct binder_node_info_for_ref *info)
{
	struct bl_node *node;

	node = bl_get_node_from_ref(proc, info->handle, true, NULL);
	if (!node)
		return -EINVAL;
	bl_node_inner_lock(node);
	info->strong_count = node->local_strong_refs + node->internal_strong_refs;
	info->weak_count = node->local_weak_refs;
	bl_node_inner_unlock(node);
	bl_put_node(node);
	return 0;
}

/* BINDER_GET_NODE_DEBUG_INFO: the first node of @proc above info->ptr. */
void bl_node_debug_info(struct bl_proc *proc, struct binder_node_debug_info *info)
{
	binder_uintptr_t ptr = info->ptr;
	struct rb_node *n;

	memset(info, 0, sizeof(*info));
	bl_inner_lock(proc);
	for (n = rb_first(&proc->nodes); n; n = rb_next(n)) {
		struct bl_node *node = rb_entry(n, struct bl_node, rb_node);

		if (node->ptr > ptr) {
			info->ptr = node->ptr;
			info->cookie = node->cookie;
			info->has_strong_ref = node->has_strong_ref;
			info->has_weak_ref = node->has_weak_ref;
			break;
		}
	}
	bl_inner_unlock(proc);
}

void bl_node_print(struct seq_file *m, struct bl_node *node)
{
	struct bl_ref *ref;
	int count = 0;

	/*
	 * node->refs needs node->lock, which ranks above the inner lock held here: try it,
	 * and leave the holders out on contention (debugfs only; the line stays parsable).
	 */
	if (!spin_trylock(&node->lock)) {
		seq_printf(m, "  node %d: u%016llx c%016llx hs %d hw %d ls %d lw %d is %d iw -1 tr %d\n",
			   node->debug_id, (u64)node->ptr, (u64)node->cookie,
			   node->has_strong_ref, node->has_weak_ref, node->local_strong_refs,
			   node->local_weak_refs, node->internal_strong_refs, node->tmp_refs);
		return;
	}
	hlist_for_each_entry(ref, &node->refs, node_entry)
		count++;
	/* the upstream driver's layout */
	seq_printf(m, "  node %d: u%016llx c%016llx hs %d hw %d ls %d lw %d is %d iw %d tr %d",
		   node->debug_id, (u64)node->ptr, (u64)node->cookie,
		   node->has_strong_ref, node->has_weak_ref, node->local_strong_refs,
		   node->local_weak_refs, node->internal_strong_refs, count, node->tmp_refs);
	if (count) {
		seq_puts(m, " proc");
		hlist_for_each_entry(ref, &node->refs, node_entry)
			seq_printf(m, " %d", ref->proc->pid);
	}
	seq_puts(m, "\n");
	spin_unlock(&node->lock);
}
