// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite transactions: BC_TRANSACTION and BC_REPLY as a pipeline of
 * small steps over one struct bl_txn_ctx:
 *
 *   resolve target -> check -> allocate -> copy (the one copy, straight into
 *   the receiver's pages) -> translate objects -> deliver
 *
 * Any step that fails records a struct bl_err (BR_ code, errno, line) and
 * bl_txn_unwind() undoes whatever the earlier steps set up.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/security.h>
#include <linux/uaccess.h>
#include <linux/overflow.h>
#include <linux/err.h>
#include <linux/rcupdate.h>

#include "internal.h"
#include "txn.h"

/* ---- transaction lifetime ---- */

struct bl_thread *bl_get_txn_from(struct bl_transaction *t)
{
	struct bl_thread *from;

	spin_lock(&t->lock);
	from = t->from;
	if (from)
		atomic_inc(&from->tmp_ref);
	spin_unlock(&t->lock);
	return from;
}

/*
 * The sender thread with its proc's inner_lock held, or NULL if it left.
 * For sparse the lock counts as taken either way: callers that get NULL
 * balance it with __release().
 */
static struct bl_thread *bl_get_txn_from_and_acq_inner(struct bl_transaction *t)
	__acquires(&t->from->proc->inner_lock)
{
	struct bl_thread *from = bl_get_txn_from(t);

	if (!from) {
		__acquire(&t->from->proc->inner_lock);
		return NULL;
	}
	bl_inner_lock(from->proc);
	if (t->from)
		return from;
	bl_inner_unlock(from->proc);
	__acquire(&t->from->proc->inner_lock);
	bl_thread_dec_tmpref(from);
	return NULL;
}

void bl_pop_transaction_ilocked(struct bl_thread *target_thread, struct bl_transaction *t)
	__must_hold(&target_thread->proc->inner_lock)
{
	lockdep_assert_held(&target_thread->proc->inner_lock);
	if (WARN_ON_ONCE(target_thread->transaction_stack != t))
		return;
	target_thread->transaction_stack = t->from_parent;
	spin_lock(&t->lock);
	t->from = NULL;
	spin_unlock(&t->lock);
}

void bl_free_transaction(struct bl_transaction *t)
{
	struct bl_proc *target_proc;

	spin_lock(&t->lock);
	target_proc = t->to_proc;
	spin_unlock(&t->lock);
	if (target_proc) {
		bl_inner_lock(target_proc);
		if (--target_proc->outstanding_txns < 0)
			pr_warn_ratelimited("%d: outstanding transactions %d\n", target_proc->pid,
					    target_proc->outstanding_txns);
		if (!target_proc->outstanding_txns && target_proc->is_frozen)
			wake_up_interruptible_all(&target_proc->freeze_wait);
		if (t->buffer)
			t->buffer->transaction = NULL;
		bl_inner_unlock(target_proc);
	}
	bl_free_txn_fixups(t);
	kfree(t);
	bl_stats_deleted(BL_STAT_TRANSACTION);
}

/*
 * Fail the caller waiting for @t with @error_code. If that thread left,
 * walk down to the call it was itself answering, and so on.
 */
void bl_send_failed_reply(struct bl_transaction *t, u32 error_code)
{
	struct bl_thread *target_thread;
	struct bl_transaction *next;

	WARN_ON_ONCE(t->flags & TF_ONE_WAY);
	for (;;) {
		target_thread = bl_get_txn_from_and_acq_inner(t);
		if (target_thread) {
			/*
			 * Off the caller's stack either way: @t is freed below. A
			 * caller that sent this call before it read the failure of
			 * its last one already has an error pending; it gets that
			 * one only, as upstream.
			 */
			bl_pop_transaction_ilocked(target_thread, t);
			if (target_thread->reply_error.cmd == BR_OK) {
				target_thread->reply_error.cmd = error_code;
				bl_enqueue_thread_work_ilocked(target_thread,
							       &target_thread->reply_error.work);
				wake_up_interruptible(&target_thread->wait);
			} else {
				pr_warn_ratelimited("unexpected reply error: %u\n",
						    target_thread->reply_error.cmd);
			}
			bl_inner_unlock(target_thread->proc);
			bl_thread_dec_tmpref(target_thread);
			bl_free_transaction(t);
			return;
		}
		__release(&t->from->proc->inner_lock);
		next = t->from_parent;
		bl_free_transaction(t);
		if (!next)
			return;
		t = next;
	}
}

void bl_cleanup_transaction(struct bl_transaction *t, const char *reason, u32 error_code)
{
	/* a call (not a reply, not one-way) has a caller waiting for its outcome */
	if (t->need_reply) {
		bl_send_failed_reply(t, error_code);
	} else {
		bl_debug(BL_DEBUG_DEAD_TXN, "undelivered transaction %d, %s\n",
			 t->debug_id, reason);
		bl_free_transaction(t);
	}
}

/* ---- pipeline steps ---- */

/* Take the target node, its process and a transaction's strong hold. */
static int bl_txn_take_node(struct bl_txn_ctx *ctx, struct bl_node *node)
{
	int ret = -ENOENT;

	bl_node_inner_lock(node);
	if (node->proc) {
		bl_inc_node_nilocked(node, 1, 0, NULL);
		bl_inc_node_tmpref_ilocked(node);
		node->proc->tmp_ref++;
		ctx->target_proc = node->proc;
		ctx->target_node = node;
		ret = 0;
	}
	bl_node_inner_unlock(node);
	return ret;
}

static int bl_txn_resolve_reply(struct bl_txn_ctx *ctx)
{
	struct bl_thread *thread = ctx->thread;
	struct bl_transaction *in_reply_to;
	struct bl_thread *target_thread;

	bl_inner_lock(ctx->proc);
	in_reply_to = thread->transaction_stack;
	if (!in_reply_to) {
		bl_inner_unlock(ctx->proc);
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EPROTO, "reply with no transaction stack\n");
		return -EPROTO;
	}
	if (in_reply_to->to_thread != thread) {
		bl_inner_unlock(ctx->proc);
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EPROTO, "reply with bad transaction stack\n");
		return -EPROTO;
	}
	thread->transaction_stack = in_reply_to->to_parent;
	bl_inner_unlock(ctx->proc);
	ctx->in_reply_to = in_reply_to;
	/* done with the call: back to the priority the thread had before it */
	bl_set_nice(in_reply_to->saved_priority);

	target_thread = bl_get_txn_from_and_acq_inner(in_reply_to);
	if (!target_thread) {
		__release(&in_reply_to->from->proc->inner_lock);
		bl_txn_fail(ctx, BR_DEAD_REPLY, 0, "reply target not found\n");
		return -ESRCH;
	}
	if (target_thread->transaction_stack != in_reply_to) {
		bl_inner_unlock(target_thread->proc);
		bl_thread_dec_tmpref(target_thread);
		ctx->in_reply_to = NULL;
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EPROTO, "reply with bad target stack\n");
		return -EPROTO;
	}
	ctx->target_thread = target_thread;
	ctx->target_proc = target_thread->proc;
	ctx->target_proc->tmp_ref++;
	bl_inner_unlock(target_thread->proc);
	return 0;
}

static int bl_txn_resolve_handle(struct bl_txn_ctx *ctx)
{
	struct bl_proc *proc = ctx->proc;
	u32 handle = ctx->tr->target.handle;
	struct bl_node *node;
	struct bl_ref *ref;
	int ret;

	if (handle) {
		bl_outer_lock(proc);
		ref = bl_get_ref_olocked(proc, handle, true);
		ret = ref ? bl_txn_take_node(ctx, ref->node) : -EINVAL;
		bl_outer_unlock(proc);
		if (ret == -EINVAL) {
			bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL, "invalid handle %u\n", handle);
			return ret;
		}
	} else {
		/* the manager node is freed after an RCU grace period */
		rcu_read_lock();
		node = READ_ONCE(proc->context->mgr_node);
		ret = node ? bl_txn_take_node(ctx, node) : -ENOENT;
		rcu_read_unlock();
		if (!ret && ctx->target_proc == proc) {
			bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL,
				    "transaction to context manager from its owner\n");
			return -EINVAL;
		}
	}
	if (ret) {
		bl_txn_fail(ctx, BR_DEAD_REPLY, -EINVAL, "target node is dead\n");
		return ret;
	}
	if (ctx->target_proc == proc) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL, "transaction to own process\n");
		return -EINVAL;
	}
	return 0;
}

/* A nested call into a process waiting on us goes to the waiting thread. */
static int bl_txn_find_nested_thread(struct bl_txn_ctx *ctx)
{
	struct bl_thread *thread = ctx->thread;
	struct bl_transaction *tmp;
	int ret = 0;

	bl_inner_lock(ctx->proc);
	tmp = thread->transaction_stack;
	if (tmp && tmp->to_thread != thread) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EPROTO,
			    "new transaction with bad transaction stack\n");
		ret = -EPROTO;
		goto out_unlock;
	}
	for (; tmp; tmp = tmp->from_parent) {
		struct bl_thread *from;

		spin_lock(&tmp->lock);
		from = tmp->from;
		if (from && from->proc == ctx->target_proc) {
			atomic_inc(&from->tmp_ref);
			ctx->target_thread = from;
			spin_unlock(&tmp->lock);
			break;
		}
		spin_unlock(&tmp->lock);
	}
out_unlock:
	bl_inner_unlock(ctx->proc);
	return ret;
}

static int bl_txn_resolve_target(struct bl_txn_ctx *ctx)
{
	int ret;

	if (ctx->reply)
		return bl_txn_resolve_reply(ctx);
	ret = bl_txn_resolve_handle(ctx);
	if (ret)
		return ret;
	if (!ctx->oneway && ctx->thread->transaction_stack)
		return bl_txn_find_nested_thread(ctx);
	return 0;
}

static int bl_txn_check(struct bl_txn_ctx *ctx)
{
	if (security_binder_transaction(ctx->proc->cred, ctx->target_proc->cred) < 0) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EPERM, "denied by security module\n");
		return -EPERM;
	}
	return 0;
}

/*
 * A node created with FLAT_BINDER_FLAG_TXN_SECURITY_CTX gets the caller's
 * LSM context with each call, at the end of the extra buffer space.
 */
static int bl_txn_get_secctx(struct bl_txn_ctx *ctx)
{
	size_t added;
	u32 secid;
	int ret;

	if (ctx->reply || !ctx->target_node->txn_security_ctx)
		return 0;
	security_cred_getsecid(ctx->proc->cred, &secid);
	ret = security_secid_to_secctx(secid, &ctx->secctx, &ctx->secctx_sz);
	if (ret) {
		ctx->secctx = NULL;
		bl_txn_fail(ctx, BR_FAILED_REPLY, ret, "no security context\n");
		return ret;
	}
	added = ALIGN((size_t)ctx->secctx_sz, sizeof(u64));
	if (check_add_overflow(ctx->extra_buffers_size, added, &ctx->extra_buffers_size)) {
		security_release_secctx(ctx->secctx, ctx->secctx_sz);
		ctx->secctx = NULL;
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL, "extra buffers size overflow\n");
		return -EINVAL;
	}
	return 0;
}

/* Copy the context into place and let go of the LSM's string. */
static void bl_txn_put_secctx(struct bl_txn_ctx *ctx)
{
	struct bl_buffer *buffer = ctx->t ? ctx->t->buffer : NULL;

	if (!ctx->secctx)
		return;
	if (buffer && !bl_alloc_write(&ctx->target_proc->alloc, buffer, ctx->sg_end,
				      ctx->secctx, ctx->secctx_sz))
		ctx->t->security_ctx = bl_alloc_user_addr(&ctx->target_proc->alloc, buffer) +
				       ctx->sg_end;
	security_release_secctx(ctx->secctx, ctx->secctx_sz);
	ctx->secctx = NULL;
}

static int bl_txn_alloc(struct bl_txn_ctx *ctx)
{
	const struct binder_transaction_data *tr = ctx->tr;
	struct bl_transaction *t;
	struct bl_buffer *buffer;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -ENOMEM, "no memory for transaction\n");
		return -ENOMEM;
	}
	bl_stats_created(BL_STAT_TRANSACTION);
	ctx->t = t;
	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->fd_fixups);
	INIT_LIST_HEAD(&t->work.entry);
	t->work.type = BL_WORK_TRANSACTION;
	t->debug_id = ctx->debug_id;
	t->from = (!ctx->reply && !ctx->oneway) ? ctx->thread : NULL;
	/* as upstream: the main thread's euid now, not the opener's or caller's */
	t->sender_euid = task_euid(ctx->proc->tsk);
	t->sender_tgid = ctx->proc->pid;
	t->priority = task_nice(current);
	t->to_proc = ctx->target_proc;
	t->to_thread = ctx->target_thread;
	t->code = tr->code;
	t->flags = tr->flags;

	ctx->tcomplete = kzalloc(sizeof(*ctx->tcomplete), GFP_KERNEL);
	if (!ctx->tcomplete) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -ENOMEM, "no memory for completion\n");
		return -ENOMEM;
	}
	bl_stats_created(BL_STAT_TRANSACTION_COMPLETE);
	INIT_LIST_HEAD(&ctx->tcomplete->entry);
	ctx->tcomplete->type = BL_WORK_TRANSACTION_COMPLETE;

	ret = bl_txn_get_secctx(ctx);
	if (ret)
		return ret;

	buffer = bl_alloc_new_buf(&ctx->target_proc->alloc, tr->data_size,
				  tr->offsets_size, ctx->extra_buffers_size,
				  !ctx->reply && ctx->oneway, tr->flags & TF_CLEAR_BUF,
				  ctx->proc->pid);
	if (IS_ERR(buffer)) {
		ret = PTR_ERR(buffer);
		bl_txn_put_secctx(ctx);
		bl_txn_fail(ctx, ret == -ESRCH ? BR_DEAD_REPLY : BR_FAILED_REPLY, ret,
			    "buffer allocation failed (%llu, %llu, %zu)\n",
			    (u64)tr->data_size, (u64)tr->offsets_size,
			    ctx->extra_buffers_size);
		return ret;
	}
	t->buffer = buffer;
	buffer->transaction = t;
	buffer->target_node = ctx->target_node;
	ctx->objects_end = bl_buffer_offsets_start(buffer);
	ctx->sg_offset = ctx->objects_end + ALIGN(tr->offsets_size, sizeof(void *));
	ctx->sg_end = ctx->sg_offset + ctx->extra_buffers_size -
		      ALIGN((size_t)ctx->secctx_sz, sizeof(u64));
	bl_txn_put_secctx(ctx);
	return 0;
}

/* The one copy: sender memory straight into the receiver's pages. */
static int bl_txn_copy(struct bl_txn_ctx *ctx)
{
	const struct binder_transaction_data *tr = ctx->tr;
	struct bl_alloc *alloc = &ctx->target_proc->alloc;
	struct bl_buffer *buffer = ctx->t->buffer;

	if (bl_alloc_copy_user(alloc, buffer, 0, u64_to_user_ptr(tr->data.ptr.buffer),
			       tr->data_size)) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EFAULT, "invalid data pointer\n");
		return -EFAULT;
	}
	if (bl_alloc_copy_user(alloc, buffer, bl_buffer_offsets_start(buffer),
			       u64_to_user_ptr(tr->data.ptr.offsets), tr->offsets_size)) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EFAULT, "invalid offsets pointer\n");
		return -EFAULT;
	}
	if (!IS_ALIGNED(tr->offsets_size, sizeof(binder_size_t))) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL, "invalid offsets size %llu\n",
			    (u64)tr->offsets_size);
		return -EINVAL;
	}
	if (!IS_ALIGNED(ctx->extra_buffers_size, sizeof(u64))) {
		bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL, "unaligned buffers size %zu\n",
			    ctx->extra_buffers_size);
		return -EINVAL;
	}
	return 0;
}

/*
 * TF_UPDATE_TXN: a queued one-way call that @t, from the same sender with
 * the same code and flags to the same node, makes obsolete.
 */
static struct bl_transaction *bl_find_outdated_ilocked(struct bl_transaction *t,
						       struct list_head *queue)
{
	struct bl_work *w;

	list_for_each_entry(w, queue, entry) {
		struct bl_transaction *queued;

		if (w->type != BL_WORK_TRANSACTION)
			continue;
		queued = container_of(w, struct bl_transaction, work);
		if (queued->code == t->code && queued->flags == t->flags &&
		    queued->sender_tgid == t->sender_tgid && queued->buffer &&
		    queued->buffer->target_node == t->buffer->target_node)
			return queued;
	}
	return NULL;
}

/* Drop a one-way call that never reached its (frozen) receiver. */
static void bl_free_outdated(struct bl_proc *proc, struct bl_transaction *t)
{
	struct bl_buffer *buffer = t->buffer;

	bl_inner_lock(proc);
	t->buffer = NULL;
	buffer->transaction = NULL;
	bl_inner_unlock(proc);
	bl_free_txn_fixups(t);
	bl_buffer_release_objects(proc, NULL, buffer, bl_buffer_offsets_end(buffer), true);
	bl_alloc_free_buf(&proc->alloc, buffer);
	kfree(t);
	bl_stats_deleted(BL_STAT_TRANSACTION);
}

/*
 * Queue @t for @proc: to @thread when given, else to a waiting thread or the
 * process todo; a one-way call waits in the node's async_todo while another
 * one-way call to the node is outstanding. Returns 0, BR_DEAD_REPLY or
 * BR_FROZEN_REPLY (a call to a frozen process); @queued_frozen says that a
 * one-way call was queued to a frozen process.
 */
static u32 bl_proc_transaction(struct bl_transaction *t, struct bl_proc *proc,
			       struct bl_thread *thread, bool *queued_frozen)
{
	struct bl_node *node = t->buffer->target_node;
	struct bl_transaction *outdated = NULL;
	bool oneway = t->flags & TF_ONE_WAY;
	bool pending_async = false;
	bool frozen;

	bl_node_lock(node);
	if (oneway) {
		if (node->has_async_transaction)
			pending_async = true;
		else
			node->has_async_transaction = true;
	}
	bl_inner_lock(proc);
	frozen = proc->is_frozen;
	if (frozen) {
		proc->sync_recv |= !oneway;
		proc->async_recv |= oneway;
	}
	if ((frozen && !oneway) || proc->is_dead || (thread && thread->is_dead)) {
		/* undo the async claim: nothing was queued */
		if (oneway && !pending_async)
			node->has_async_transaction = false;
		bl_inner_unlock(proc);
		bl_node_unlock(node);
		return frozen ? BR_FROZEN_REPLY : BR_DEAD_REPLY;
	}
	if (!thread && !pending_async)
		thread = bl_select_thread_ilocked(proc);
	if (thread)
		bl_enqueue_thread_work_ilocked(thread, &t->work);
	else if (!pending_async)
		bl_enqueue_work_ilocked(&t->work, &proc->todo);
	else {
		if ((t->flags & TF_UPDATE_TXN) && frozen) {
			outdated = bl_find_outdated_ilocked(t, &node->async_todo);
			if (outdated) {
				list_del_init(&outdated->work.entry);
				proc->outstanding_txns--;
			}
		}
		bl_enqueue_work_ilocked(&t->work, &node->async_todo);
	}
	if (!pending_async)
		bl_wakeup_thread_ilocked(proc, thread, !oneway);
	proc->outstanding_txns++;
	bl_inner_unlock(proc);
	bl_node_unlock(node);

	if (outdated)
		bl_free_outdated(proc, outdated);
	if (queued_frozen)
		*queued_frozen = oneway && frozen;
	return 0;
}

static int bl_txn_deliver_reply(struct bl_txn_ctx *ctx)
{
	struct bl_thread *target_thread = ctx->target_thread;
	struct bl_proc *target_proc = ctx->target_proc;

	bl_enqueue_thread_work(ctx->thread, ctx->tcomplete);
	ctx->tcomplete_queued = true;
	bl_inner_lock(target_proc);
	if (target_thread->is_dead) {
		bl_inner_unlock(target_proc);
		bl_txn_fail(ctx, BR_DEAD_REPLY, 0, "reply target thread died\n");
		return -ESRCH;
	}
	bl_pop_transaction_ilocked(target_thread, ctx->in_reply_to);
	bl_enqueue_thread_work_ilocked(target_thread, &ctx->t->work);
	target_proc->outstanding_txns++;
	bl_inner_unlock(target_proc);
	wake_up_interruptible_sync(&target_thread->wait);
	bl_free_transaction(ctx->in_reply_to);
	ctx->in_reply_to = NULL;
	return 0;
}

static int bl_txn_deliver(struct bl_txn_ctx *ctx)
{
	struct bl_thread *thread = ctx->thread;
	struct bl_transaction *t = ctx->t;
	u32 br;

	if (ctx->reply)
		return bl_txn_deliver_reply(ctx);

	if (!ctx->oneway) {
		/* BR_TRANSACTION_COMPLETE waits for the reply (deferred work) */
		bl_inner_lock(ctx->proc);
		bl_enqueue_deferred_thread_work_ilocked(thread, ctx->tcomplete);
		t->need_reply = 1;
		t->from_parent = thread->transaction_stack;
		thread->transaction_stack = t;
		bl_inner_unlock(ctx->proc);
		ctx->tcomplete_queued = true;
		br = bl_proc_transaction(t, ctx->target_proc, ctx->target_thread, NULL);
		if (br) {
			bl_inner_lock(ctx->proc);
			bl_pop_transaction_ilocked(thread, t);
			bl_inner_unlock(ctx->proc);
		}
	} else {
		/* once queued, @t may be delivered and freed at any time */
		bool spam_suspect = t->buffer->oneway_spam_suspect;
		bool queued_frozen;

		br = bl_proc_transaction(t, ctx->target_proc, NULL, &queued_frozen);
		if (spam_suspect)
			ctx->tcomplete->type = BL_WORK_TRANSACTION_ONEWAY_SPAM_SUSPECT;
#ifdef BL_HAVE_PENDING_FROZEN
		/* this kernel's UAPI tells the sender its call waits for a thaw */
		if (!br && queued_frozen)
			ctx->tcomplete->type = BL_WORK_TRANSACTION_PENDING;
#endif
		bl_enqueue_thread_work(thread, ctx->tcomplete);
		ctx->tcomplete_queued = true;
	}
	if (br) {
		bl_txn_fail(ctx, br, 0, "dead process or thread\n");
		return -ESRCH;
	}
	return 0;
}

static void bl_txn_put_targets(struct bl_txn_ctx *ctx)
{
	if (ctx->target_thread)
		bl_thread_dec_tmpref(ctx->target_thread);
	if (ctx->target_proc)
		bl_proc_dec_tmpref(ctx->target_proc);
	if (ctx->target_node)
		bl_dec_node_tmpref(ctx->target_node);
}

/* Log the transaction; @failed ones go to the failed-transaction log too. */
static void bl_txn_log(struct bl_txn_ctx *ctx, bool failed)
{
	struct bl_log_entry entry = {
		.debug_id = ctx->debug_id,
		.call_type = ctx->reply ? 2 : ctx->oneway ? 1 : 0,
		.from_proc = ctx->proc->pid,
		.from_thread = ctx->thread->pid,
		.target_handle = ctx->tr->target.handle,
		.to_proc = ctx->target_proc ? ctx->target_proc->pid : 0,
		.to_thread = ctx->target_thread ? ctx->target_thread->pid : 0,
		.to_node = ctx->target_node ? ctx->target_node->debug_id : 0,
		.data_size = (int)ctx->tr->data_size,
		.offsets_size = (int)ctx->tr->offsets_size,
		.context_name = ctx->proc->context->name,
	};

	if (failed) {
		entry.return_error = ctx->err.br;
		entry.return_error_param = ctx->err.errno_val;
		entry.return_error_line = ctx->err.line;
	}
	bl_txn_log_add(&entry, failed);
}

/* A failed reply: the extended error belongs to the caller, as upstream. */
static void bl_set_txn_from_error(struct bl_transaction *t, int id, u32 command,
				  s32 param)
{
	struct bl_thread *from = bl_get_txn_from_and_acq_inner(t);

	if (!from) {
		__release(&t->from->proc->inner_lock);
		return;
	}
	/* don't override an earlier error */
	if (from->ee.command == BR_OK) {
		from->ee.id = id;
		from->ee.command = command;
		from->ee.param = param;
	}
	bl_inner_unlock(from->proc);
	bl_thread_dec_tmpref(from);
}

static void bl_txn_unwind(struct bl_txn_ctx *ctx)
{
	struct bl_thread *thread = ctx->thread;
	struct bl_transaction *t = ctx->t;

	if (ctx->tcomplete_queued)
		bl_dequeue_work(ctx->proc, ctx->tcomplete);
	if (t && t->buffer) {
		struct bl_buffer *buffer = t->buffer;

		bl_free_txn_fixups(t);
		/* the buffer's release drops the target node's strong hold */
		bl_buffer_release_objects(ctx->target_proc, NULL, buffer, ctx->objects_end,
					  true);
		bl_inner_lock(ctx->target_proc);
		buffer->transaction = NULL;
		bl_inner_unlock(ctx->target_proc);
		bl_alloc_free_buf(&ctx->target_proc->alloc, buffer);
	} else if (ctx->target_node) {
		bl_dec_node(ctx->target_node, 1, 0);
	}
	if (ctx->tcomplete) {
		kfree(ctx->tcomplete);
		bl_stats_deleted(BL_STAT_TRANSACTION_COMPLETE);
	}
	if (t) {
		kfree(t);
		bl_stats_deleted(BL_STAT_TRANSACTION);
	}
	bl_txn_log(ctx, true);
	bl_txn_put_targets(ctx);

	if (ctx->in_reply_to)
		bl_set_txn_from_error(ctx->in_reply_to, ctx->debug_id, ctx->err.br,
				      ctx->err.errno_val);
	else
		bl_set_extended_error(thread, ctx->debug_id, ctx->err.br, ctx->err.errno_val);
	bl_inner_lock(ctx->proc);
	if (ctx->in_reply_to) {
		thread->return_error.cmd = BR_TRANSACTION_COMPLETE;
		bl_enqueue_thread_work_ilocked(thread, &thread->return_error.work);
	} else {
		thread->return_error.cmd = ctx->err.br;
		bl_enqueue_thread_work_ilocked(thread, &thread->return_error.work);
	}
	bl_inner_unlock(ctx->proc);
	if (ctx->in_reply_to)
		bl_send_failed_reply(ctx->in_reply_to, ctx->err.br);
}

void bl_transaction(struct bl_proc *proc, struct bl_thread *thread,
		    const struct binder_transaction_data *tr, bool reply,
		    binder_size_t extra_buffers_size)
{
	struct bl_txn_ctx ctx = {
		.proc = proc,
		.thread = thread,
		.tr = tr,
		.reply = reply,
		.oneway = tr->flags & TF_ONE_WAY,
		.debug_id = bl_new_debug_id(),
		.extra_buffers_size = extra_buffers_size,
	};

	bl_set_extended_error(thread, ctx.debug_id, BR_OK, 0);
	if (bl_txn_resolve_target(&ctx) || bl_txn_check(&ctx) || bl_txn_alloc(&ctx) ||
	    bl_txn_copy(&ctx) || bl_txn_translate(&ctx) || bl_txn_deliver(&ctx)) {
		bl_txn_unwind(&ctx);
		return;
	}
	bl_debug(BL_DEBUG_TXN, "%d:%d %s %d to %d:%d code %u size %llu-%llu\n",
		 proc->pid, thread->pid, reply ? "reply" : "transaction", ctx.debug_id,
		 ctx.target_proc->pid, ctx.target_thread ? ctx.target_thread->pid : 0,
		 tr->code, (u64)tr->data_size, (u64)tr->offsets_size);
	bl_txn_log(&ctx, false);
	bl_txn_put_targets(&ctx);
}
