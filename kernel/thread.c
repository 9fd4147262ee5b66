// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite threads: work queues, waiting for work and the read side of
 * BINDER_WRITE_READ (turning queued work into BR_ commands).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/signal.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched/prio.h>

#include "internal.h"

/* ---- work lists ---- */

void bl_enqueue_work_ilocked(struct bl_work *work, struct list_head *target)
{
	if (WARN_ON_ONCE(!target))
		return;
	WARN_ON_ONCE(!list_empty(&work->entry));
	list_add_tail(&work->entry, target);
}

void bl_enqueue_deferred_thread_work_ilocked(struct bl_thread *thread, struct bl_work *work)
	__must_hold(&thread->proc->inner_lock)
{
	lockdep_assert_held(&thread->proc->inner_lock);
	bl_enqueue_work_ilocked(work, &thread->todo);
}

void bl_enqueue_thread_work_ilocked(struct bl_thread *thread, struct bl_work *work)
	__must_hold(&thread->proc->inner_lock)
{
	lockdep_assert_held(&thread->proc->inner_lock);
	bl_enqueue_work_ilocked(work, &thread->todo);
	/* a dead thread never reads again: don't let work pile up as pending */
	if (!thread->is_dead)
		thread->process_todo = true;
}

void bl_enqueue_thread_work(struct bl_thread *thread, struct bl_work *work)
{
	bl_inner_lock(thread->proc);
	bl_enqueue_thread_work_ilocked(thread, work);
	bl_inner_unlock(thread->proc);
}

void bl_dequeue_work_ilocked(struct bl_work *work)
{
	list_del_init(&work->entry);
}

void bl_dequeue_work(struct bl_proc *proc, struct bl_work *work)
{
	bl_inner_lock(proc);
	bl_dequeue_work_ilocked(work);
	bl_inner_unlock(proc);
}

static struct bl_work *bl_dequeue_work_head_ilocked(struct list_head *list)
{
	struct bl_work *w = list_first_entry_or_null(list, struct bl_work, entry);

	if (w)
		list_del_init(&w->entry);
	return w;
}

bool bl_available_for_proc_work_ilocked(struct bl_thread *thread)
	__must_hold(&thread->proc->inner_lock)
{
	lockdep_assert_held(&thread->proc->inner_lock);
	/* as upstream (since a stable fix): entering the looper is not required */
	return !thread->transaction_stack && list_empty(&thread->todo);
}

static bool bl_has_work_ilocked(struct bl_thread *thread, bool do_proc_work)
	__must_hold(&thread->proc->inner_lock)
{
	lockdep_assert_held(&thread->proc->inner_lock);
	return thread->process_todo || thread->looper_need_return ||
	       (do_proc_work && !list_empty(&thread->proc->todo));
}

bool bl_has_work(struct bl_thread *thread, bool do_proc_work)
{
	bool has_work;

	bl_inner_lock(thread->proc);
	has_work = bl_has_work_ilocked(thread, do_proc_work);
	bl_inner_unlock(thread->proc);
	return has_work;
}

static void bl_wakeup_poll_threads_ilocked(struct bl_proc *proc, bool sync)
	__must_hold(&proc->inner_lock)
{
	struct rb_node *n;

	lockdep_assert_held(&proc->inner_lock);
	for (n = rb_first(&proc->threads); n; n = rb_next(n)) {
		struct bl_thread *thread = rb_entry(n, struct bl_thread, rb_node);

		if ((thread->looper & BL_LOOPER_POLL) &&
		    bl_available_for_proc_work_ilocked(thread)) {
			if (sync)
				wake_up_interruptible_sync(&thread->wait);
			else
				wake_up_interruptible(&thread->wait);
		}
	}
}

struct bl_thread *bl_select_thread_ilocked(struct bl_proc *proc)
	__must_hold(&proc->inner_lock)
{
	struct bl_thread *thread;

	lockdep_assert_held(&proc->inner_lock);
	thread = list_first_entry_or_null(&proc->waiting_threads, struct bl_thread,
					  waiting_thread_node);
	if (thread)
		list_del_init(&thread->waiting_thread_node);
	return thread;
}

void bl_wakeup_thread_ilocked(struct bl_proc *proc, struct bl_thread *thread, bool sync)
	__must_hold(&proc->inner_lock)
{
	lockdep_assert_held(&proc->inner_lock);
	if (thread) {
		if (sync)
			wake_up_interruptible_sync(&thread->wait);
		else
			wake_up_interruptible(&thread->wait);
		return;
	}
	/* no thread waits: a poll()ing thread may still take the work */
	bl_wakeup_poll_threads_ilocked(proc, sync);
}

void bl_wakeup_proc_ilocked(struct bl_proc *proc)
	__must_hold(&proc->inner_lock)
{
	bl_wakeup_thread_ilocked(proc, bl_select_thread_ilocked(proc), false);
}

/* Drop queued work of a dying process or thread. */
void bl_release_work(struct bl_proc *proc, struct list_head *list)
{
	struct bl_work *w;

	for (;;) {
		bl_inner_lock(proc);
		w = bl_dequeue_work_head_ilocked(list);
		bl_inner_unlock(proc);
		if (!w)
			return;

		switch (w->type) {
		case BL_WORK_TRANSACTION:
			bl_cleanup_transaction(container_of(w, struct bl_transaction, work),
					       "process died.", BR_DEAD_REPLY);
			break;
		case BL_WORK_RETURN_ERROR:
			break;
		case BL_WORK_TRANSACTION_COMPLETE:
		case BL_WORK_TRANSACTION_PENDING:
		case BL_WORK_TRANSACTION_ONEWAY_SPAM_SUSPECT:
			kfree(w);
			bl_stats_deleted(BL_STAT_TRANSACTION_COMPLETE);
			break;
		case BL_WORK_FROZEN_BINDER:
			/* belongs to its ref, freed with it */
			break;
#ifdef BL_HAVE_FREEZE_NOTIFICATION
		case BL_WORK_CLEAR_FREEZE_NOTIFICATION:
			bl_free_freeze_work(w);
			break;
#endif
		case BL_WORK_DEAD_BINDER_AND_CLEAR:
		case BL_WORK_CLEAR_DEATH_NOTIFICATION:
		case BL_WORK_DEAD_BINDER:
			kfree(container_of(w, struct bl_ref_death, work));
			bl_stats_deleted(BL_STAT_DEATH);
			break;
		case BL_WORK_NODE:
			break;
		default:
			pr_err_ratelimited("unexpected work type %d in release\n", w->type);
			break;
		}
	}
}

/* ---- thread lifetime ---- */

static struct bl_thread *bl_get_thread_ilocked(struct bl_proc *proc,
					       struct bl_thread *new_thread)
	__must_hold(&proc->inner_lock)
{
	struct rb_node **p = &proc->threads.rb_node;
	struct rb_node *parent = NULL;
	struct bl_thread *thread;

	lockdep_assert_held(&proc->inner_lock);
	while (*p) {
		parent = *p;
		thread = rb_entry(parent, struct bl_thread, rb_node);
		if (current->pid < thread->pid)
			p = &(*p)->rb_left;
		else if (current->pid > thread->pid)
			p = &(*p)->rb_right;
		else
			return thread;
	}
	if (!new_thread)
		return NULL;
	thread = new_thread;
	bl_stats_created(BL_STAT_THREAD);
	thread->proc = proc;
	thread->pid = current->pid;
	thread->debug_id = bl_new_debug_id();
	get_task_struct(current);
	thread->task = current;
	atomic_set(&thread->tmp_ref, 0);
	init_waitqueue_head(&thread->wait);
	INIT_LIST_HEAD(&thread->todo);
	rb_link_node(&thread->rb_node, parent, p);
	rb_insert_color(&thread->rb_node, &proc->threads);
	thread->looper_need_return = true;
	thread->return_error.work.type = BL_WORK_RETURN_ERROR;
	thread->return_error.cmd = BR_OK;
	INIT_LIST_HEAD(&thread->return_error.work.entry);
	thread->reply_error.work.type = BL_WORK_RETURN_ERROR;
	thread->reply_error.cmd = BR_OK;
	INIT_LIST_HEAD(&thread->reply_error.work.entry);
	INIT_LIST_HEAD(&thread->waiting_thread_node);
	thread->ee.command = BR_OK;
	return thread;
}

struct bl_thread *bl_get_thread(struct bl_proc *proc)
{
	struct bl_thread *thread, *new_thread;

	bl_inner_lock(proc);
	thread = bl_get_thread_ilocked(proc, NULL);
	bl_inner_unlock(proc);
	if (thread)
		return thread;

	new_thread = kzalloc(sizeof(*new_thread), GFP_KERNEL);
	if (!new_thread)
		return NULL;
	bl_inner_lock(proc);
	thread = bl_get_thread_ilocked(proc, new_thread);
	bl_inner_unlock(proc);
	if (thread != new_thread)
		kfree(new_thread);
	return thread;
}

static void bl_free_thread(struct bl_thread *thread)
{
	WARN_ON_ONCE(!list_empty(&thread->todo));
	bl_stats_deleted(BL_STAT_THREAD);
	bl_proc_dec_tmpref(thread->proc);
	put_task_struct(thread->task);
	kfree(thread);
}

void bl_thread_dec_tmpref(struct bl_thread *thread)
{
	bl_inner_lock(thread->proc);
	atomic_dec(&thread->tmp_ref);
	if (thread->is_dead && !atomic_read(&thread->tmp_ref)) {
		bl_inner_unlock(thread->proc);
		bl_free_thread(thread);
		return;
	}
	bl_inner_unlock(thread->proc);
}

/*
 * Detach a thread from its process (BINDER_THREAD_EXIT or process death):
 * cut it out of every transaction it takes part in and fail the caller of
 * the one it was serving. Returns the number of transactions it was in.
 */
int bl_thread_release(struct bl_proc *proc, struct bl_thread *thread)
{
	struct bl_transaction *t, *send_reply = NULL;
	int active_transactions = 0;
	bool polled;

	bl_inner_lock(proc);
	/* keep proc and thread alive until the end of this function */
	proc->tmp_ref++;
	atomic_inc(&thread->tmp_ref);
	rb_erase(&thread->rb_node, &proc->threads);
	list_del_init(&thread->waiting_thread_node);
	thread->is_dead = true;
	t = thread->transaction_stack;
	if (t && t->to_thread == thread)
		send_reply = t;
	while (t) {
		struct bl_transaction *next;

		active_transactions++;
		spin_lock(&t->lock);
		if (t->to_thread == thread) {
			/* the call no longer counts against freezing this process */
			proc->outstanding_txns--;
			t->to_proc = NULL;
			t->to_thread = NULL;
			if (t->buffer) {
				t->buffer->transaction = NULL;
				t->buffer = NULL;
			}
			next = t->to_parent;
		} else if (t->from == thread) {
			t->from = NULL;
			next = t->from_parent;
		} else {
			WARN_ON_ONCE(1);
			next = NULL;
		}
		spin_unlock(&t->lock);
		t = next;
	}
	polled = thread->looper & BL_LOOPER_POLL;
	if (polled)
		wake_up_pollfree(&thread->wait);
	bl_inner_unlock(proc);

	/* poll waiters removing themselves hold rcu_read_lock: let them finish */
	if (polled)
		synchronize_rcu();
	if (send_reply)
		bl_send_failed_reply(send_reply, BR_DEAD_REPLY);
	bl_release_work(proc, &thread->todo);
	bl_thread_dec_tmpref(thread);
	return active_transactions;
}

void bl_set_extended_error(struct bl_thread *thread, u32 id, u32 command, s32 param)
{
	bl_inner_lock(thread->proc);
	thread->ee.id = id;
	thread->ee.command = command;
	thread->ee.param = param;
	bl_inner_unlock(thread->proc);
}

/* ---- read side ---- */

static int bl_wait_for_work(struct bl_thread *thread, bool do_proc_work)
{
	struct bl_proc *proc = thread->proc;
	DEFINE_WAIT(wait);
	int ret = 0;

	bl_inner_lock(proc);
	for (;;) {
		prepare_to_wait(&thread->wait, &wait, TASK_INTERRUPTIBLE);
		if (bl_has_work_ilocked(thread, do_proc_work))
			break;
		if (do_proc_work)
			list_add(&thread->waiting_thread_node, &proc->waiting_threads);
		bl_inner_unlock(proc);
		schedule();
		bl_inner_lock(proc);
		list_del_init(&thread->waiting_thread_node);
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
	}
	finish_wait(&thread->wait, &wait);
	bl_inner_unlock(proc);
	return ret;
}

static int bl_put_u32(u32 val, void __user **ptr)
{
	if (put_user(val, (u32 __user *)*ptr))
		return -EFAULT;
	*ptr += sizeof(u32);
	return 0;
}

static int bl_put_cmd(u32 cmd, void __user **ptr)
{
	int ret = bl_put_u32(cmd, ptr);

	if (!ret)
		bl_stats_br(cmd);
	bl_debug(BL_DEBUG_TXN, "%d: BR %#x\n", current->pid, cmd);
	return ret;
}

static int bl_put_cookie_cmd(u32 cmd, binder_uintptr_t cookie, void __user **ptr)
{
	if (bl_put_cmd(cmd, ptr))
		return -EFAULT;
	if (put_user(cookie, (binder_uintptr_t __user *)*ptr))
		return -EFAULT;
	*ptr += sizeof(binder_uintptr_t);
	return 0;
}

enum {
	BL_DELIVERED,
	BL_DROPPED,		/* nothing written, look for more work */
	BL_DROPPED_REPLY,	/* tell the waiting caller BR_FAILED_REPLY */
};

static void bl_fill_transaction_data(struct bl_proc *proc, struct bl_transaction *t,
				     struct bl_buffer *buffer,
				     struct binder_transaction_data *tr)
{
	tr->code = t->code;
	tr->flags = t->flags;
	tr->sender_euid = from_kuid(current_user_ns(), t->sender_euid);
	tr->data_size = buffer->data_size;
	tr->offsets_size = buffer->offsets_size;
	tr->data.ptr.buffer = bl_alloc_user_addr(&proc->alloc, buffer);
	tr->data.ptr.offsets = tr->data.ptr.buffer +
			       bl_buffer_offsets_start(buffer);
}

/*
 * Set the current thread's nice value, as far as RLIMIT_NICE lets it go
 * when it may not raise its priority at will.
 */
void bl_set_nice(long nice)
{
	long min_nice;

	if (can_nice(current, nice)) {
		set_user_nice(current, nice);
		return;
	}
	min_nice = rlimit_to_nice(rlimit(RLIMIT_NICE));
	bl_debug(BL_DEBUG_PRIORITY, "%d: nice value %ld not allowed, using %ld instead\n",
		 current->pid, nice, min_nice);
	set_user_nice(current, max(nice, min_nice));
	if (min_nice <= MAX_NICE)
		return;
	bl_user_error("%d RLIMIT_NICE not set\n", current->pid);
}

/*
 * The thread that reads a call runs at the caller's nice value when that
 * is higher priority than the node's minimum, else at the minimum; for a
 * one-way call it is only raised to the minimum. BC_REPLY restores the
 * value saved here.
 */
static void bl_inherit_priority(struct bl_transaction *t, struct bl_node *node)
{
	bool oneway = t->flags & TF_ONE_WAY;
	long min_nice = node->min_priority;

	t->saved_priority = task_nice(current);
	if (t->priority < min_nice && !oneway)
		bl_set_nice(t->priority);
	else if (!oneway || t->saved_priority > min_nice)
		bl_set_nice(min_nice);
}

/*
 * Deliver one transaction or reply (inner_lock held on entry, dropped on
 * return). Returns BL_DELIVERED, BL_DROPPED, BL_DROPPED_REPLY or -EFAULT.
 */
static int bl_deliver_transaction_ilocked(struct bl_proc *proc, struct bl_thread *thread,
					  struct bl_transaction *t, void __user **ptr)
	__releases(&proc->inner_lock)
{
	struct binder_transaction_data_secctx tr = {};
	struct bl_buffer *buffer = t->buffer;
	size_t trsize = sizeof(tr.transaction_data);
	struct bl_thread *t_from;
	u32 cmd = BR_REPLY;

	if (WARN_ON_ONCE(!buffer)) {
		bl_inner_unlock(proc);
		return BL_DROPPED;
	}
	if (buffer->target_node) {
		tr.transaction_data.target.ptr = buffer->target_node->ptr;
		tr.transaction_data.cookie = buffer->target_node->cookie;
		cmd = BR_TRANSACTION;
		if (t->security_ctx) {
			cmd = BR_TRANSACTION_SEC_CTX;
			tr.secctx = t->security_ctx;
			trsize = sizeof(tr);
		}
	}
	bl_inner_unlock(proc);
	if (cmd != BR_REPLY)
		bl_inherit_priority(t, buffer->target_node);

	bl_fill_transaction_data(proc, t, buffer, &tr.transaction_data);
	t_from = bl_get_txn_from(t);
	if (t_from)
		tr.transaction_data.sender_pid = task_tgid_nr_ns(t_from->proc->tsk,
								 task_active_pid_ns(current));

	if (bl_apply_fd_fixups(proc, t)) {
		bl_debug(BL_DEBUG_FAILED_TXN, "%d:%d transaction %d: fd fixups failed\n",
			 proc->pid, thread->pid, t->debug_id);
		if (t_from)
			bl_thread_dec_tmpref(t_from);
		bl_inner_lock(proc);
		buffer->transaction = NULL;
		bl_inner_unlock(proc);
		bl_cleanup_transaction(t, "fd fixups failed", BR_FAILED_REPLY);
		bl_free_buf(proc, thread, buffer, true);
		return cmd == BR_REPLY ? BL_DROPPED_REPLY : BL_DROPPED;
	}

	if (t_from)
		bl_thread_dec_tmpref(t_from);
	if (bl_put_cmd(cmd, ptr) || copy_to_user(*ptr, &tr, trsize)) {
		/* as upstream: the transaction is lost, its sender fails */
		bl_cleanup_transaction(t, "put_user failed", BR_FAILED_REPLY);
		return -EFAULT;
	}
	*ptr += trsize;

	bl_alloc_mark_delivered(&proc->alloc, buffer);
	if (cmd != BR_REPLY && !(t->flags & TF_ONE_WAY)) {
		bl_inner_lock(proc);
		spin_lock(&t->lock);
		t->to_parent = thread->transaction_stack;
		t->to_thread = thread;
		thread->transaction_stack = t;
		spin_unlock(&t->lock);
		bl_inner_unlock(proc);
	} else {
		bl_free_transaction(t);
	}
	return BL_DELIVERED;
}

/* Handle one work item taken from @list (inner_lock held, dropped on return). */
static int bl_deliver_work_ilocked(struct bl_proc *proc, struct bl_thread *thread,
				   struct bl_work *w, void __user **ptr, bool *done)
	__releases(&proc->inner_lock)
{
	switch (w->type) {
	case BL_WORK_TRANSACTION:
		return bl_deliver_transaction_ilocked(proc, thread,
				container_of(w, struct bl_transaction, work), ptr);
	case BL_WORK_RETURN_ERROR: {
		struct bl_error_work *e = container_of(w, struct bl_error_work, work);
		u32 cmd = e->cmd;

		e->cmd = BR_OK;
		bl_inner_unlock(proc);
		if (bl_put_cmd(cmd, ptr))
			return -EFAULT;
		return BL_DELIVERED;
	}
	case BL_WORK_TRANSACTION_COMPLETE:
	case BL_WORK_TRANSACTION_PENDING:
	case BL_WORK_TRANSACTION_ONEWAY_SPAM_SUSPECT: {
		u32 cmd = BR_TRANSACTION_COMPLETE;

#ifdef BL_HAVE_PENDING_FROZEN
		if (w->type == BL_WORK_TRANSACTION_PENDING)
			cmd = BR_TRANSACTION_PENDING_FROZEN;
#endif
		if (w->type == BL_WORK_TRANSACTION_ONEWAY_SPAM_SUSPECT &&
		    READ_ONCE(proc->oneway_spam_detection))
			cmd = BR_ONEWAY_SPAM_SUSPECT;
		bl_inner_unlock(proc);
		kfree(w);
		bl_stats_deleted(BL_STAT_TRANSACTION_COMPLETE);
		if (bl_put_cmd(cmd, ptr))
			return -EFAULT;
		return BL_DELIVERED;
	}
#ifdef BL_HAVE_FREEZE_NOTIFICATION
	case BL_WORK_FROZEN_BINDER:
	case BL_WORK_CLEAR_FREEZE_NOTIFICATION:
		if (bl_put_freeze_work_ilocked(proc, w, ptr))
			return -EFAULT;
		return BL_DELIVERED;
#endif
	case BL_WORK_NODE:
		return bl_put_node_work_ilocked(proc, container_of(w, struct bl_node, work),
						ptr);
	case BL_WORK_DEAD_BINDER:
	case BL_WORK_DEAD_BINDER_AND_CLEAR:
	case BL_WORK_CLEAR_DEATH_NOTIFICATION: {
		struct bl_ref_death *death = container_of(w, struct bl_ref_death, work);
		binder_uintptr_t cookie = death->cookie;
		u32 cmd;

		if (w->type == BL_WORK_CLEAR_DEATH_NOTIFICATION) {
			cmd = BR_CLEAR_DEATH_NOTIFICATION_DONE;
			bl_inner_unlock(proc);
			kfree(death);
			bl_stats_deleted(BL_STAT_DEATH);
		} else {
			cmd = BR_DEAD_BINDER;
			bl_enqueue_work_ilocked(w, &proc->delivered_death);
			bl_inner_unlock(proc);
		}
		if (bl_put_cookie_cmd(cmd, cookie, ptr))
			return -EFAULT;
		/* BR_DEAD_BINDER may make userspace start transactions: return */
		if (cmd == BR_DEAD_BINDER)
			*done = true;
		return BL_DELIVERED;
	}
	default:
		bl_inner_unlock(proc);
		pr_err_ratelimited("%d:%d bad work type %d\n", proc->pid, thread->pid, w->type);
		return BL_DROPPED;
	}
}

/* Room for the largest return command: a transaction and its code. */
#define BL_READ_MIN_ROOM (sizeof(struct binder_transaction_data_secctx) + sizeof(u32))

int bl_thread_read(struct bl_proc *proc, struct bl_thread *thread,
		   binder_uintptr_t buffer, size_t size, binder_size_t *consumed,
		   bool non_block)
{
	void __user *start = u64_to_user_ptr(buffer);
	void __user *ptr = start + *consumed;
	void __user *end = start + size;
	bool wait_for_proc_work;
	int ret = 0;

	if (*consumed == 0) {
		/* the leading BR_NOOP is not counted in stats, as upstream */
		if (bl_put_u32(BR_NOOP, &ptr))
			return -EFAULT;
	}

retry:
	bl_inner_lock(proc);
	wait_for_proc_work = bl_available_for_proc_work_ilocked(thread);
	bl_inner_unlock(proc);

	if (wait_for_proc_work &&
	    !(thread->looper & (BL_LOOPER_REGISTERED | BL_LOOPER_ENTERED)))
		bl_user_error("%d:%d waiting for process work before BC_REGISTER_LOOPER or BC_ENTER_LOOPER (state %x)\n",
			      proc->pid, thread->pid, thread->looper);
	/* a pool thread starts each call from the process's own priority */
	if (wait_for_proc_work)
		bl_set_nice(proc->default_priority);
	thread->looper |= BL_LOOPER_WAITING;
	if (non_block) {
		if (!bl_has_work(thread, wait_for_proc_work))
			ret = -EAGAIN;
	} else {
		ret = bl_wait_for_work(thread, wait_for_proc_work);
	}
	thread->looper &= ~BL_LOOPER_WAITING;
	if (ret)
		return ret;

	for (;;) {
		struct list_head *list = NULL;
		enum bl_work_type type;
		struct bl_work *w;
		bool done = false;

		bl_inner_lock(proc);
		if (!list_empty(&thread->todo))
			list = &thread->todo;
		else if (!list_empty(&proc->todo) && wait_for_proc_work)
			list = &proc->todo;
		if (!list) {
			bl_inner_unlock(proc);
			/* nothing written yet: wait again */
			if (ptr - start == 4 && !thread->looper_need_return)
				goto retry;
			break;
		}
		if (end - ptr < (long)BL_READ_MIN_ROOM) {
			bl_inner_unlock(proc);
			break;
		}
		w = bl_dequeue_work_head_ilocked(list);
		if (list_empty(&thread->todo))
			thread->process_todo = false;

		type = w->type;
		ret = bl_deliver_work_ilocked(proc, thread, w, &ptr, &done);
		if (ret < 0)
			return ret;
		if (ret == BL_DROPPED_REPLY) {
			if (bl_put_cmd(BR_FAILED_REPLY, &ptr))
				return -EFAULT;
			break;
		}
		if (done || (type == BL_WORK_TRANSACTION && ret == BL_DELIVERED)) {
			ret = 0;
			break;
		}
		ret = 0;
	}

	*consumed = ptr - start;
	bl_inner_lock(proc);
	if (proc->requested_threads == 0 && list_empty(&proc->waiting_threads) &&
	    proc->requested_threads_started < proc->max_threads &&
	    (thread->looper & (BL_LOOPER_REGISTERED | BL_LOOPER_ENTERED))) {
		proc->requested_threads++;
		bl_inner_unlock(proc);
		if (put_user(BR_SPAWN_LOOPER, (u32 __user *)start))
			return -EFAULT;
		bl_stats_br(BR_SPAWN_LOOPER);
	} else {
		bl_inner_unlock(proc);
	}
	return 0;
}
