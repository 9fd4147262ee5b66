// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite refs: a process's handles on nodes of other processes, and
 * the death notifications attached to them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "internal.h"

struct bl_ref *bl_get_ref_olocked(struct bl_proc *proc, u32 desc, bool need_strong)
	__must_hold(&proc->outer_lock)
{
	struct rb_node *n = proc->refs_by_desc.rb_node;

	lockdep_assert_held(&proc->outer_lock);
	while (n) {
		struct bl_ref *ref = rb_entry(n, struct bl_ref, rb_node_desc);

		if (desc < ref->data.desc) {
			n = n->rb_left;
		} else if (desc > ref->data.desc) {
			n = n->rb_right;
		} else {
			if (need_strong && !ref->data.strong) {
				bl_user_error("tried to use weak ref as strong ref\n");
				return NULL;
			}
			return ref;
		}
	}
	return NULL;
}

/*
 * Find @node's ref in @proc, or insert @new_ref for it with the lowest free
 * descriptor (0 only for the context manager). Returns NULL when absent
 * and @new_ref is NULL.
 */
static struct bl_ref *bl_get_ref_for_node_olocked(struct bl_proc *proc,
						  struct bl_node *node,
						  struct bl_ref *new_ref)
	__must_hold(&proc->outer_lock)
{
	struct rb_node **p = &proc->refs_by_node.rb_node;
	struct rb_node *parent = NULL;
	struct bl_ref *ref;
	struct rb_node *n;

	lockdep_assert_held(&proc->outer_lock);
	while (*p) {
		parent = *p;
		ref = rb_entry(parent, struct bl_ref, rb_node_node);
		if (node < ref->node)
			p = &(*p)->rb_left;
		else if (node > ref->node)
			p = &(*p)->rb_right;
		else
			return ref;
	}
	if (!new_ref)
		return NULL;

	bl_stats_created(BL_STAT_REF);
	new_ref->data.debug_id = bl_new_debug_id();
	new_ref->proc = proc;
	new_ref->node = node;
	rb_link_node(&new_ref->rb_node_node, parent, p);
	rb_insert_color(&new_ref->rb_node_node, &proc->refs_by_node);

	new_ref->data.desc = (node == proc->context->mgr_node) ? 0 : 1;
	for (n = rb_first(&proc->refs_by_desc); n; n = rb_next(n)) {
		ref = rb_entry(n, struct bl_ref, rb_node_desc);
		if (ref->data.desc > new_ref->data.desc)
			break;
		new_ref->data.desc = ref->data.desc + 1;
	}

	p = &proc->refs_by_desc.rb_node;
	parent = NULL;
	while (*p) {
		parent = *p;
		ref = rb_entry(parent, struct bl_ref, rb_node_desc);
		if (new_ref->data.desc < ref->data.desc)
			p = &(*p)->rb_left;
		else
			p = &(*p)->rb_right;
	}
	rb_link_node(&new_ref->rb_node_desc, parent, p);
	rb_insert_color(&new_ref->rb_node_desc, &proc->refs_by_desc);

	bl_node_lock(node);
	hlist_add_head(&new_ref->node_entry, &node->refs);
	bl_node_unlock(node);
	bl_debug(BL_DEBUG_REFS, "%d new ref %d desc %d for node %d\n", proc->pid,
		 new_ref->data.debug_id, new_ref->data.desc, node->debug_id);
	return new_ref;
}

/*
 * Unlink a ref that dropped its last count. Its node is left in ref->node
 * only when it must be freed too (bl_free_ref() does both).
 */
void bl_cleanup_ref_olocked(struct bl_ref *ref)
	__must_hold(&ref->proc->outer_lock)
{
	bool delete_node;

	lockdep_assert_held(&ref->proc->outer_lock);
	rb_erase(&ref->rb_node_desc, &ref->proc->refs_by_desc);
	rb_erase(&ref->rb_node_node, &ref->proc->refs_by_node);

	bl_node_inner_lock(ref->node);
	if (ref->data.strong)
		bl_dec_node_nilocked(ref->node, 1, 1);
	hlist_del(&ref->node_entry);
	delete_node = bl_dec_node_nilocked(ref->node, 0, 1);
	bl_node_inner_unlock(ref->node);
	if (!delete_node)
		ref->node = NULL;

	if (ref->death)
		bl_dequeue_work(ref->proc, &ref->death->work);
	bl_cleanup_ref_freeze(ref);
	bl_stats_deleted(BL_STAT_REF);
}

void bl_free_ref(struct bl_ref *ref)
{
	if (ref->node)
		bl_free_node(ref->node);
	if (ref->death) {
		kfree(ref->death);
		bl_stats_deleted(BL_STAT_DEATH);
	}
	if (ref->freeze)
		bl_free_freeze(ref->freeze);
	kfree(ref);
}

static int bl_inc_ref_olocked(struct bl_ref *ref, bool strong,
			      struct list_head *target_list)
	__must_hold(&ref->proc->outer_lock)
{
	int ret;

	lockdep_assert_held(&ref->proc->outer_lock);
	if (strong) {
		if (ref->data.strong == 0) {
			ret = bl_inc_node(ref->node, 1, 1, target_list);
			if (ret)
				return ret;
		}
		ref->data.strong++;
	} else {
		if (ref->data.weak == 0) {
			ret = bl_inc_node(ref->node, 0, 1, target_list);
			if (ret)
				return ret;
		}
		ref->data.weak++;
	}
	return 0;
}

/* Returns true when the ref lost its last count and was unlinked. */
static bool bl_dec_ref_olocked(struct bl_ref *ref, bool strong)
	__must_hold(&ref->proc->outer_lock)
{
	int *count = strong ? &ref->data.strong : &ref->data.weak;

	lockdep_assert_held(&ref->proc->outer_lock);
	if (*count == 0) {
		bl_user_error("%d invalid dec %s, ref %d desc %d s %d w %d\n",
			      ref->proc->pid, strong ? "strong" : "weak", ref->data.debug_id,
			      ref->data.desc, ref->data.strong, ref->data.weak);
		return false;
	}
	(*count)--;
	if (strong && *count == 0)
		bl_dec_node(ref->node, 1, 1);
	if (ref->data.strong == 0 && ref->data.weak == 0) {
		bl_cleanup_ref_olocked(ref);
		return true;
	}
	return false;
}

/* BC_INCREFS/BC_ACQUIRE/BC_RELEASE/BC_DECREFS on a handle. */
int bl_update_ref_for_handle(struct bl_proc *proc, u32 desc, bool increment,
			     bool strong, struct bl_ref_data *rdata)
{
	bool delete_ref = false;
	struct bl_ref *ref;
	int ret = 0;

	bl_outer_lock(proc);
	ref = bl_get_ref_olocked(proc, desc, strong);
	if (!ref) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (increment)
		ret = bl_inc_ref_olocked(ref, strong, NULL);
	else
		delete_ref = bl_dec_ref_olocked(ref, strong);
	if (rdata)
		*rdata = ref->data;
out_unlock:
	bl_outer_unlock(proc);
	if (delete_ref)
		bl_free_ref(ref);
	return ret;
}

int bl_dec_ref_for_handle(struct bl_proc *proc, u32 desc, bool strong,
			  struct bl_ref_data *rdata)
{
	return bl_update_ref_for_handle(proc, desc, false, strong, rdata);
}

/* Take a count on @node for @proc, creating the ref when needed. */
int bl_inc_ref_for_node(struct bl_proc *proc, struct bl_node *node, bool strong,
			struct list_head *target_list, struct bl_ref_data *rdata)
{
	struct bl_ref *ref, *new_ref = NULL;
	int ret;

	bl_outer_lock(proc);
	ref = bl_get_ref_for_node_olocked(proc, node, NULL);
	if (!ref) {
		bl_outer_unlock(proc);
		new_ref = kzalloc(sizeof(*new_ref), GFP_KERNEL);
		if (!new_ref)
			return -ENOMEM;
		bl_outer_lock(proc);
		ref = bl_get_ref_for_node_olocked(proc, node, new_ref);
	}
	ret = bl_inc_ref_olocked(ref, strong, target_list);
	*rdata = ref->data;
	if (ret && ref == new_ref) {
		/* fresh ref that failed its first count: undo the insert */
		bl_cleanup_ref_olocked(new_ref);
		bl_outer_unlock(proc);
		bl_free_ref(new_ref);
		return ret;
	}
	bl_outer_unlock(proc);
	if (new_ref && ref != new_ref)
		kfree(new_ref);
	return ret;
}

/* The node behind a handle, with a tmpref; NULL for an unknown handle. */
struct bl_node *bl_get_node_from_ref(struct bl_proc *proc, u32 desc,
				     bool need_strong, struct bl_ref_data *rdata)
{
	struct bl_node *node;
	struct bl_ref *ref;

	bl_outer_lock(proc);
	ref = bl_get_ref_olocked(proc, desc, need_strong);
	if (!ref) {
		bl_outer_unlock(proc);
		return NULL;
	}
	node = ref->node;
	bl_inc_node_tmpref(node);
	if (rdata)
		*rdata = ref->data;
	bl_outer_unlock(proc);
	return node;
}

static void bl_queue_death_work_ilocked(struct bl_proc *proc, struct bl_thread *thread,
					struct bl_ref_death *death)
	__must_hold(&proc->inner_lock)
{
	lockdep_assert_held(&proc->inner_lock);
	death->work.type = BL_WORK_CLEAR_DEATH_NOTIFICATION;
	if (thread->looper & (BL_LOOPER_REGISTERED | BL_LOOPER_ENTERED)) {
		bl_enqueue_thread_work_ilocked(thread, &death->work);
	} else {
		bl_enqueue_work_ilocked(&death->work, &proc->todo);
		bl_wakeup_proc_ilocked(proc);
	}
}

static void bl_clear_death_nlocked(struct bl_proc *proc, struct bl_thread *thread,
				   struct bl_ref *ref, binder_uintptr_t cookie)
	__must_hold(&ref->node->lock)
{
	struct bl_ref_death *death = ref->death;

	if (!death) {
		bl_user_error("%d:%d BC_CLEAR_DEATH_NOTIFICATION death notification not active\n",
			      proc->pid, thread->pid);
		return;
	}
	if (death->cookie != cookie) {
		bl_user_error("%d:%d BC_CLEAR_DEATH_NOTIFICATION death notification cookie mismatch %016llx != %016llx\n",
			      proc->pid, thread->pid, (u64)death->cookie, (u64)cookie);
		return;
	}
	ref->death = NULL;
	bl_inner_lock(proc);
	if (list_empty(&death->work.entry))
		bl_queue_death_work_ilocked(proc, thread, death);
	else if (death->work.type == BL_WORK_DEAD_BINDER)
		death->work.type = BL_WORK_DEAD_BINDER_AND_CLEAR;
	bl_inner_unlock(proc);
}

/* BC_REQUEST_DEATH_NOTIFICATION and BC_CLEAR_DEATH_NOTIFICATION */
void bl_request_death(struct bl_proc *proc, struct bl_thread *thread,
		      u32 cmd, u32 target, binder_uintptr_t cookie)
{
	struct bl_ref_death *death = NULL;
	struct bl_ref *ref;

	if (cmd == BC_REQUEST_DEATH_NOTIFICATION) {
		death = kzalloc(sizeof(*death), GFP_KERNEL);
		if (!death) {
			bl_inner_lock(proc);
			thread->return_error.cmd = BR_ERROR;
			bl_enqueue_thread_work_ilocked(thread, &thread->return_error.work);
			bl_inner_unlock(proc);
			return;
		}
		INIT_LIST_HEAD(&death->work.entry);
		death->cookie = cookie;
	}

	bl_outer_lock(proc);
	ref = bl_get_ref_olocked(proc, target, false);
	if (!ref) {
		bl_user_error("%d:%d death notification invalid ref %u\n",
			      proc->pid, thread->pid, target);
		bl_outer_unlock(proc);
		kfree(death);
		return;
	}

	bl_node_lock(ref->node);
	if (cmd == BC_CLEAR_DEATH_NOTIFICATION) {
		bl_clear_death_nlocked(proc, thread, ref, cookie);
	} else if (ref->death) {
		bl_user_error("%d:%d BC_REQUEST_DEATH_NOTIFICATION death notification already set\n",
			      proc->pid, thread->pid);
		kfree(death);
	} else {
		bl_stats_created(BL_STAT_DEATH);
		ref->death = death;
		if (!ref->node->proc) {
			/* already dead: tell at once */
			death->work.type = BL_WORK_DEAD_BINDER;
			bl_inner_lock(proc);
			bl_enqueue_work_ilocked(&death->work, &proc->todo);
			bl_wakeup_proc_ilocked(proc);
			bl_inner_unlock(proc);
		}
	}
	bl_node_unlock(ref->node);
	bl_outer_unlock(proc);
}

/* BC_DEAD_BINDER_DONE: userspace handled a BR_DEAD_BINDER. */
void bl_dead_binder_done(struct bl_proc *proc, struct bl_thread *thread,
			 binder_uintptr_t cookie)
{
	struct bl_ref_death *death = NULL, *tmp;

	bl_inner_lock(proc);
	list_for_each_entry(tmp, &proc->delivered_death, work.entry) {
		if (tmp->cookie == cookie) {
			death = tmp;
			break;
		}
	}
	if (!death) {
		bl_inner_unlock(proc);
		bl_user_error("%d:%d BC_DEAD_BINDER_DONE %016llx not found\n",
			      proc->pid, thread->pid, (u64)cookie);
		return;
	}
	bl_dequeue_work_ilocked(&death->work);
	if (death->work.type == BL_WORK_DEAD_BINDER_AND_CLEAR)
		bl_queue_death_work_ilocked(proc, thread, death);
	bl_inner_unlock(proc);
}
