// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite processes: one per open file. Teardown runs in a work item so
 * closing the file never blocks the closing task: threads leave their
 * transactions, nodes die (death notifications go out), refs and queued
 * work are dropped, and the buffers go with the last temporary reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/sched/task.h>

#include "internal.h"

static DEFINE_MUTEX(bl_procs_lock);
static LIST_HEAD(bl_procs);

struct workqueue_struct *bl_release_wq;

struct bl_proc *bl_proc_create(struct bl_context *context, struct inode *inode)
{
	struct bl_proc *proc, *other;

	proc = kzalloc(sizeof(*proc), GFP_KERNEL);
	if (!proc)
		return NULL;
	if (bl_alloc_init(&proc->alloc, current->group_leader->pid, inode)) {
		kfree(proc);
		return NULL;
	}
	get_task_struct(current->group_leader);
	proc->tsk = current->group_leader;
	proc->pid = current->group_leader->pid;
	proc->cred = get_current_cred();
	proc->context = context;
	proc->debug_id = bl_new_debug_id();
	proc->default_priority = task_nice(current);
	spin_lock_init(&proc->outer_lock);
	spin_lock_init(&proc->inner_lock);
	proc->refs_by_desc = RB_ROOT;
	proc->refs_by_node = RB_ROOT;
	proc->threads = RB_ROOT;
	proc->nodes = RB_ROOT;
	INIT_LIST_HEAD(&proc->waiting_threads);
	INIT_LIST_HEAD(&proc->todo);
	INIT_LIST_HEAD(&proc->delivered_death);
	INIT_LIST_HEAD(&proc->delivered_freeze);
	init_waitqueue_head(&proc->freeze_wait);
	bl_stats_created(BL_STAT_PROC);

	mutex_lock(&bl_procs_lock);
	/* as upstream: the file belongs to the first open by this pid */
	list_for_each_entry(other, &bl_procs, procs_entry)
		if (other->pid == proc->pid)
			break;
	if (list_entry_is_head(other, &bl_procs, procs_entry))
		proc->debugfs_entry = bl_debugfs_add_proc(proc->pid);
	list_add(&proc->procs_entry, &bl_procs);
	mutex_unlock(&bl_procs_lock);
	bl_debug(BL_DEBUG_OPEN_CLOSE, "open %d:%d\n", proc->pid, current->pid);
	return proc;
}

static void bl_free_proc(struct bl_proc *proc)
{
	WARN_ON_ONCE(!list_empty(&proc->todo));
	WARN_ON_ONCE(!list_empty(&proc->delivered_death));
	WARN_ON_ONCE(!list_empty(&proc->delivered_freeze));
	bl_alloc_release(&proc->alloc);
	put_task_struct(proc->tsk);
	put_cred(proc->cred);
	kfree(proc);
	bl_stats_deleted(BL_STAT_PROC);
}

void bl_proc_dec_tmpref(struct bl_proc *proc)
{
	bl_inner_lock(proc);
	proc->tmp_ref--;
	if (proc->is_dead && RB_EMPTY_ROOT(&proc->threads) && !proc->tmp_ref) {
		bl_inner_unlock(proc);
		bl_free_proc(proc);
		return;
	}
	bl_inner_unlock(proc);
}

static void bl_proc_release_threads_and_nodes(struct bl_proc *proc)
{
	struct rb_node *n;
	int incoming_refs = 0;

	bl_inner_lock(proc);
	while ((n = rb_first(&proc->threads))) {
		struct bl_thread *thread = rb_entry(n, struct bl_thread, rb_node);

		bl_inner_unlock(proc);
		bl_thread_release(proc, thread);
		bl_inner_lock(proc);
	}
	while ((n = rb_first(&proc->nodes))) {
		struct bl_node *node = rb_entry(n, struct bl_node, rb_node);

		/* bl_node_release() frees the node or drops this tmpref */
		bl_inc_node_tmpref_ilocked(node);
		rb_erase(&node->rb_node, &proc->nodes);
		bl_inner_unlock(proc);
		incoming_refs = bl_node_release(node, incoming_refs);
		bl_inner_lock(proc);
	}
	bl_inner_unlock(proc);
	bl_debug(BL_DEBUG_OPEN_CLOSE, "release %d: %d incoming refs\n", proc->pid,
		 incoming_refs);
}

static void bl_proc_release_refs(struct bl_proc *proc)
{
	struct rb_node *n;

	bl_outer_lock(proc);
	while ((n = rb_first(&proc->refs_by_desc))) {
		struct bl_ref *ref = rb_entry(n, struct bl_ref, rb_node_desc);

		bl_cleanup_ref_olocked(ref);
		bl_outer_unlock(proc);
		bl_free_ref(ref);
		bl_outer_lock(proc);
	}
	bl_outer_unlock(proc);
}

static void bl_proc_deferred_release(struct work_struct *work)
{
	struct bl_proc *proc = container_of(work, struct bl_proc, release_work);

	mutex_lock(&bl_procs_lock);
	list_del(&proc->procs_entry);
	mutex_unlock(&bl_procs_lock);
	bl_debugfs_remove_proc(proc->debugfs_entry);
	proc->debugfs_entry = NULL;

	bl_context_drop_mgr(proc);

	bl_inner_lock(proc);
	/* survive the release of the last thread */
	proc->tmp_ref++;
	proc->is_dead = true;
	bl_inner_unlock(proc);

	bl_proc_release_threads_and_nodes(proc);
	bl_proc_release_refs(proc);
	bl_release_work(proc, &proc->todo);
	bl_release_work(proc, &proc->delivered_death);
	bl_release_work(proc, &proc->delivered_freeze);
	bl_debug(BL_DEBUG_OPEN_CLOSE, "released %d\n", proc->pid);
	bl_proc_dec_tmpref(proc);
}

void bl_proc_schedule_release(struct bl_proc *proc)
{
	INIT_WORK(&proc->release_work, bl_proc_deferred_release);
	queue_work(bl_release_wq, &proc->release_work);
}

/* flush(): make every thread of the process return to userspace. */
void bl_proc_flush(struct bl_proc *proc)
{
	struct rb_node *n;

	bl_inner_lock(proc);
	for (n = rb_first(&proc->threads); n; n = rb_next(n)) {
		struct bl_thread *thread = rb_entry(n, struct bl_thread, rb_node);

		thread->looper_need_return = true;
		if (thread->looper & BL_LOOPER_WAITING)
			wake_up_interruptible(&thread->wait);
	}
	bl_inner_unlock(proc);
}

/* Transactions queued on |list|, as the upstream driver lists pending work. */
static void bl_work_list_print_ilocked(struct seq_file *m, const char *prefix,
				       struct list_head *list)
{
	struct bl_work *w;

	list_for_each_entry(w, list, entry) {
		struct bl_transaction *t;

		if (w->type != BL_WORK_TRANSACTION)
			continue;
		t = container_of(w, struct bl_transaction, work);
		seq_printf(m, "%spending transaction %d: code %x flags %x\n", prefix,
			   t->debug_id, t->code, t->flags);
	}
}

/*
 * A thread and its transaction stack, each call "outgoing" if it sent it,
 * "incoming" if it handles it. Unless @print_always, a thread with
 * nothing under it is left out (upstream's seq_file rewind).
 */
static void bl_thread_print_ilocked(struct seq_file *m, struct bl_thread *thread,
				    bool print_always)
{
	struct bl_transaction *t = thread->transaction_stack;
	size_t start_pos = m->count, header_pos;

	seq_printf(m, "  thread %d: l %02x need_return %d tr %d\n", thread->pid,
		   thread->looper, thread->looper_need_return, atomic_read(&thread->tmp_ref));
	header_pos = m->count;
	while (t) {
		const char *dir = t->from == thread ? "outgoing" :
				  t->to_thread == thread ? "incoming" : "bad";

		spin_lock(&t->lock);
		seq_printf(m, "    %s transaction %d: from %d:%d to %d:%d code %x flags %x\n",
			   dir, t->debug_id,
			   t->from ? t->from->proc->pid : 0, t->from ? t->from->pid : 0,
			   t->to_proc ? t->to_proc->pid : 0, t->to_thread ? t->to_thread->pid : 0,
			   t->code, t->flags);
		spin_unlock(&t->lock);
		if (t->from == thread)
			t = t->from_parent;
		else if (t->to_thread == thread)
			t = t->to_parent;
		else
			t = NULL;
	}
	bl_work_list_print_ilocked(m, "    ", &thread->todo);
	if (!print_always && m->count == header_pos)
		m->count = start_pos;
}

static void bl_proc_print_refs(struct seq_file *m, struct bl_proc *proc);

/*
 * One process in the upstream driver's state layout, so its readers work
 * with ours. Unless @print_all, only what is in flight: threads with
 * transactions or work, nodes with queued one-way calls, buffers, pending
 * work; a process with none of it is left out.
 */
static void bl_proc_print(struct seq_file *m, struct bl_proc *proc, bool print_all)
{
	size_t start_pos = m->count, header_pos;
	struct rb_node *n;

	seq_printf(m, "proc %d\ncontext %s\n", proc->pid, proc->context->name);
	header_pos = m->count;
	bl_inner_lock(proc);
	for (n = rb_first(&proc->threads); n; n = rb_next(n))
		bl_thread_print_ilocked(m, rb_entry(n, struct bl_thread, rb_node), print_all);
	for (n = rb_first(&proc->nodes); n; n = rb_next(n)) {
		struct bl_node *node = rb_entry(n, struct bl_node, rb_node);

		/* a racy read is fine for a debugging snapshot */
		if (print_all || node->has_async_transaction)
			bl_node_print(m, node);
	}
	bl_inner_unlock(proc);

	if (print_all)
		bl_proc_print_refs(m, proc);
	bl_alloc_print(m, &proc->alloc);
	bl_inner_lock(proc);
	bl_work_list_print_ilocked(m, "  ", &proc->todo);
	bl_inner_unlock(proc);
	if (!print_all && m->count == header_pos)
		m->count = start_pos;
}

static void bl_proc_print_refs(struct seq_file *m, struct bl_proc *proc)
{
	struct rb_node *n;

	bl_outer_lock(proc);
	for (n = rb_first(&proc->refs_by_desc); n; n = rb_next(n)) {
		struct bl_ref *ref = rb_entry(n, struct bl_ref, rb_node_desc);

		/* upstream prints the death pointer hashed; a marker says the same */
		seq_printf(m, "  ref %d: desc %u %snode %d s %d w %d d %016lx\n",
			   ref->data.debug_id, ref->data.desc,
			   READ_ONCE(ref->node->proc) ? "" : "dead ", ref->node->debug_id,
			   ref->data.strong, ref->data.weak, ref->death ? 1UL : 0UL);
	}
	bl_outer_unlock(proc);
}

/*
 * Every open process with pid @pid (one per device file it opened), each
 * with a tmp_ref the caller drops; a kmalloc'ed array, -EINVAL for none.
 */
struct bl_proc **bl_procs_find(int pid, int *count)
{
	struct bl_proc **procs;
	struct bl_proc *proc;
	int n = 0;

	mutex_lock(&bl_procs_lock);
	list_for_each_entry(proc, &bl_procs, procs_entry)
		n += proc->pid == pid;
	if (!n) {
		mutex_unlock(&bl_procs_lock);
		return ERR_PTR(-EINVAL);
	}
	procs = kcalloc(n, sizeof(*procs), GFP_KERNEL);
	if (!procs) {
		mutex_unlock(&bl_procs_lock);
		return ERR_PTR(-ENOMEM);
	}
	*count = 0;
	list_for_each_entry(proc, &bl_procs, procs_entry) {
		if (proc->pid != pid)
			continue;
		bl_inner_lock(proc);
		proc->tmp_ref++;
		bl_inner_unlock(proc);
		procs[(*count)++] = proc;
	}
	mutex_unlock(&bl_procs_lock);
	return procs;
}

/* One process's counts in the stats file, in upstream's per-process layout. */
static void bl_proc_print_stats(struct seq_file *m, struct bl_proc *proc)
{
	int threads = 0, ready = 0, nodes = 0, refs = 0, strong = 0, weak = 0, pending = 0;
	struct bl_thread *thread;
	struct bl_work *w;
	struct rb_node *n;

	seq_printf(m, "proc %d\ncontext %s\n", proc->pid, proc->context->name);
	bl_inner_lock(proc);
	for (n = rb_first(&proc->threads); n; n = rb_next(n))
		threads++;
	list_for_each_entry(thread, &proc->waiting_threads, waiting_thread_node)
		ready++;
	seq_printf(m, "  threads: %d\n", threads);
	seq_printf(m, "  requested threads: %d+%d/%d\n  ready threads %d\n  free async space %zd\n",
		   proc->requested_threads, proc->requested_threads_started, proc->max_threads,
		   ready, bl_alloc_free_async_space(&proc->alloc));
	for (n = rb_first(&proc->nodes); n; n = rb_next(n))
		nodes++;
	list_for_each_entry(w, &proc->todo, entry)
		pending += w->type == BL_WORK_TRANSACTION;
	bl_inner_unlock(proc);
	seq_printf(m, "  nodes: %d\n", nodes);

	bl_outer_lock(proc);
	for (n = rb_first(&proc->refs_by_desc); n; n = rb_next(n)) {
		struct bl_ref *ref = rb_entry(n, struct bl_ref, rb_node_desc);

		refs++;
		strong += ref->data.strong;
		weak += ref->data.weak;
	}
	bl_outer_unlock(proc);
	seq_printf(m, "  refs: %d s %d w %d\n", refs, strong, weak);
	seq_printf(m, "  buffers: %d\n", bl_alloc_buffer_count(&proc->alloc));
	bl_alloc_print_pages(m, &proc->alloc);
	seq_printf(m, "  pending transactions: %d\n", pending);
}

/*
 * Every open process (or those with pid @pid, when not 0) as a debugfs
 * file shows it: BL_VIEW_STATE everything (state, proc/PID), BL_VIEW_ACTIVE
 * only what is in flight (transactions), BL_VIEW_STATS the counts (stats).
 */
void bl_procs_print(struct seq_file *m, enum bl_procs_view view, int pid)
{
	struct bl_proc *proc;

	mutex_lock(&bl_procs_lock);
	list_for_each_entry(proc, &bl_procs, procs_entry) {
		if (pid && proc->pid != pid)
			continue;
		if (view == BL_VIEW_STATS)
			bl_proc_print_stats(m, proc);
		else
			bl_proc_print(m, proc, view == BL_VIEW_STATE);
	}
	mutex_unlock(&bl_procs_lock);
}
