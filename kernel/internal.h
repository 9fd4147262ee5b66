/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * binder_lite: internal types shared by the driver core files.
 *
 * Locking overview
 * ================
 *
 * proc->outer_lock (spinlock)
 *	The process's references: refs_by_desc, refs_by_node and every field
 *	of its struct bl_ref (the work item of a ref's death notification
 *	goes with the queue it sits on: the ref owner's inner_lock).
 * node->lock (spinlock)
 *	node->proc (NULL once the owner died), node->refs (the refs of every
 *	process pointing at the node), node->has_async_transaction and, once
 *	node->proc is NULL, the node's counters.
 * proc->inner_lock (spinlock)
 *	Everything the process queues and schedules: todo lists (its own, its
 *	threads', its nodes' async_todo), delivered_death, the threads and
 *	nodes rbtrees, waiting_threads, transaction stacks, thread looper
 *	state, the counters of its live nodes, buffer->transaction of its
 *	buffers, tmp_ref, is_dead and the freeze state (is_frozen, sync_recv,
 *	async_recv, outstanding_txns, delivered_freeze and the freeze
 *	notifications queued to it).
 * t->lock (spinlock)
 *	t->from, t->to_thread, t->to_proc: the links a dying thread cuts.
 * alloc->lock (spinlock, alloc.c)
 *	The buffer allocator of one process; taken only inside alloc.c and
 *	innermost. Page release takes page lock -> i_mmap_rwsem of the file's
 *	own address_space (the page cache's order); faults take mmap_lock ->
 *	page lock. Neither is held by any caller of alloc.c.
 * bl_procs_lock (mutex, proc.c), context->mgr_lock (mutex)
 *	The list of open processes (debugfs, open, release) and a device's
 *	context manager (claim, release, BC_INCREFS on handle 0). Neither is
 *	taken on the transaction path: a call to handle 0 reads mgr_node under
 *	RCU (nodes are freed with kfree_rcu()).
 * bl_alloc_all_lock (mutex, alloc.c)
 *	The list of allocators the shrinker walks; taken by open, release and
 *	the shrinker (with trylock: reclaim never waits for it), never on the
 *	transaction path.
 * The transaction logs (stats.c) are lock-free rings: a writer takes a
 *	slot with an atomic increment and marks the entry complete last.
 *
 * Order: the mutexes first, then outer_lock -> node->lock -> inner_lock ->
 * t->lock, then the innermost ones above. Two locks of one class are never
 * held at once: a path that needs two processes' inner locks (death
 * delivery, replies) drops one before taking the other. Nodes and procs
 * freed from a path holding a spinlock are handed back to the caller and
 * freed after the unlock.
 *
 * Functions named _olocked need outer_lock, _nlocked node->lock, _ilocked
 * the inner_lock of the process concerned, _nilocked node->lock and (when
 * node->proc is set) the owner's inner_lock. They assert it.
 */
#ifndef BL_INTERNAL_H
#define BL_INTERNAL_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/cred.h>
#include <linux/miscdevice.h>
#include <linux/workqueue.h>
#include <linux/atomic.h>
#include <linux/seq_file.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <uapi/linux/android/binder.h>

#include "alloc.h"
#include "compat.h"

/* debug_mask bits */
enum {
	BL_DEBUG_USER_ERROR	= BIT(0),
	BL_DEBUG_FAILED_TXN	= BIT(1),
	BL_DEBUG_DEAD_TXN	= BIT(2),
	BL_DEBUG_OPEN_CLOSE	= BIT(3),
	BL_DEBUG_REFS		= BIT(4),
	BL_DEBUG_TXN		= BIT(5),
	BL_DEBUG_PRIORITY	= BIT(6),
};

extern unsigned int bl_debug_mask;

/* every category can be triggered from userspace: all are rate-limited */
#define bl_debug(mask, fmt, ...)					\
	do {								\
		if (bl_debug_mask & (mask))				\
			pr_info_ratelimited(fmt, ##__VA_ARGS__);	\
	} while (0)

#define bl_user_error(fmt, ...) bl_debug(BL_DEBUG_USER_ERROR, fmt, ##__VA_ARGS__)

/* ---- statistics (stats.c) ---- */
enum bl_stat_type {
	BL_STAT_PROC,
	BL_STAT_THREAD,
	BL_STAT_NODE,
	BL_STAT_REF,
	BL_STAT_DEATH,
	BL_STAT_TRANSACTION,
	BL_STAT_TRANSACTION_COMPLETE,
#ifdef BL_HAVE_FREEZE_NOTIFICATION
	BL_STAT_FREEZE,
#endif
	BL_STAT_BUFFER,
	BL_STAT_COUNT
};

void bl_stats_created(enum bl_stat_type type);
void bl_stats_deleted(enum bl_stat_type type);
void bl_stats_bc(u32 cmd);
void bl_stats_br(u32 cmd);
int bl_stats_show(struct seq_file *m, void *unused);

/*
 * One transaction as the transaction logs keep it (upstream's fields). The
 * logs are rings written without a lock: debug_id_done equals debug_id
 * once an entry is complete, so a reader can tell a torn one.
 */
struct bl_log_entry {
	int debug_id;
	int debug_id_done;
	int call_type;			/* 0 call, 1 one-way, 2 reply */
	int from_proc, from_thread;
	int target_handle;
	int to_proc, to_thread, to_node;
	int data_size, offsets_size;
	u32 return_error;		/* BR_ code, 0 on success */
	int return_error_param;		/* errno */
	int return_error_line;
	const char *context_name;
};

void bl_txn_log_add(const struct bl_log_entry *entry, bool failed);
int bl_txn_log_show(struct seq_file *m, bool failed);
int bl_new_debug_id(void);

/* ---- work items ---- */
enum bl_work_type {
	BL_WORK_TRANSACTION = 1,
	BL_WORK_TRANSACTION_COMPLETE,
	BL_WORK_RETURN_ERROR,
	BL_WORK_NODE,
	BL_WORK_DEAD_BINDER,
	BL_WORK_DEAD_BINDER_AND_CLEAR,
	BL_WORK_CLEAR_DEATH_NOTIFICATION,
	BL_WORK_TRANSACTION_PENDING,		/* one-way call queued to a frozen target */
	BL_WORK_TRANSACTION_ONEWAY_SPAM_SUSPECT,
	BL_WORK_FROZEN_BINDER,
	BL_WORK_CLEAR_FREEZE_NOTIFICATION,
};

struct bl_work {
	struct list_head entry;		/* (protected by the inner_lock of the list's proc) */
	enum bl_work_type type;		/* (protected by the same inner_lock) */
};

/* A BR_ code queued on a thread (return_error, reply_error). */
struct bl_error_work {
	struct bl_work work;
	u32 cmd;			/* (protected by @proc->inner_lock) */
};

/*
 * Outcome of a failed operation: the BR_ code for userspace, the errno for
 * the extended error, and the source line that failed.
 */
struct bl_err {
	u32 br;
	int errno_val;
	const char *file;
	int line;
};

#define bl_err_set(e, br_code, err)				\
	do {							\
		(e)->br = (br_code);				\
		(e)->errno_val = (err);				\
		(e)->file = kbasename(__FILE__);		\
		(e)->line = __LINE__;				\
	} while (0)

/* ---- device context ---- */
struct bl_context {
	struct miscdevice misc;		/* (invariant after init) */
	char name[32];			/* (invariant after init) */
	struct list_head entry;		/* (module init and exit only) */
	struct mutex mgr_lock;		/* protects the fields below */
	struct bl_node *mgr_node;	/* (protected by @mgr_lock) */
	kuid_t mgr_uid;			/* (protected by @mgr_lock) */
	bool mgr_uid_set;		/* (protected by @mgr_lock) */
};

/* ---- process ---- */
struct bl_proc {
	struct list_head procs_entry;	/* (protected by bl_procs_lock) */
	int debug_id;			/* (invariant after init) */
	int pid;			/* (invariant after init) */
	struct task_struct *tsk;	/* group leader (invariant after init) */
	const struct cred *cred;	/* (invariant after init) */
	struct bl_context *context;	/* (invariant after init) */

	spinlock_t outer_lock;
	spinlock_t inner_lock;

	struct rb_root refs_by_desc;	/* (protected by @outer_lock) */
	struct rb_root refs_by_node;	/* (protected by @outer_lock) */

	struct rb_root threads;		/* (protected by @inner_lock) */
	struct rb_root nodes;		/* (protected by @inner_lock) */
	struct list_head waiting_threads; /* (protected by @inner_lock) */
	struct list_head todo;		/* (protected by @inner_lock) */
	struct list_head delivered_death; /* (protected by @inner_lock) */
	struct list_head delivered_freeze; /* (protected by @inner_lock) */
	int tmp_ref;			/* (protected by @inner_lock) */
	bool is_dead;			/* (protected by @inner_lock) */
	/* freezing (freeze.c) */
	bool is_frozen;			/* (protected by @inner_lock) */
	bool sync_recv;			/* a sync call arrived while frozen (@inner_lock) */
	bool async_recv;		/* a one-way call arrived while frozen (@inner_lock) */
	int outstanding_txns;		/* queued, not yet finished (@inner_lock) */
	wait_queue_head_t freeze_wait;	/* (own lock) woken when outstanding_txns hits 0 */
	bool oneway_spam_detection;	/* (READ_ONCE/WRITE_ONCE) */
	u32 max_threads;		/* (protected by @inner_lock) */
	int requested_threads;		/* (protected by @inner_lock) */
	int requested_threads_started;	/* (protected by @inner_lock) */
	long default_priority;		/* (invariant after init) */

	struct dentry *debugfs_entry;	/* proc/PID, or NULL (bl_procs_lock) */
	struct bl_alloc alloc;		/* (own lock) */
	struct work_struct release_work; /* (owner: release path) */
};

/* thread->looper bits, as upstream */
enum {
	BL_LOOPER_REGISTERED	= 0x01,
	BL_LOOPER_ENTERED	= 0x02,
	BL_LOOPER_EXITED	= 0x04,
	BL_LOOPER_INVALID	= 0x08,
	BL_LOOPER_WAITING	= 0x10,
	BL_LOOPER_POLL		= 0x20,
};

struct bl_thread {
	struct bl_proc *proc;		/* (invariant after init) */
	struct rb_node rb_node;		/* (protected by @proc->inner_lock) */
	struct list_head waiting_thread_node; /* (protected by @proc->inner_lock) */
	int pid;			/* (invariant after init) */
	int debug_id;			/* (invariant after init) */
	int looper;			/* (protected by @proc->inner_lock, WAITING owner thread only) */
	bool looper_need_return;	/* (owner thread, read under inner_lock) */
	struct bl_transaction *transaction_stack; /* (protected by @proc->inner_lock) */
	struct list_head todo;		/* (protected by @proc->inner_lock) */
	bool process_todo;		/* (protected by @proc->inner_lock) */
	struct bl_error_work return_error; /* (protected by @proc->inner_lock) */
	struct bl_error_work reply_error;  /* (protected by @proc->inner_lock) */
	struct binder_extended_error ee;   /* (protected by @proc->inner_lock) */
	wait_queue_head_t wait;		/* (own lock) */
	atomic_t tmp_ref;		/* (atomic) */
	bool is_dead;			/* (protected by @proc->inner_lock) */
	struct task_struct *task;	/* (invariant after init) */
};

/* ---- node ---- */
struct bl_node {
	int debug_id;			/* (invariant after init) */
	spinlock_t lock;
	struct bl_work work;		/* (protected by owner's inner_lock) */
	struct rb_node rb_node;		/* (protected by owner's inner_lock) */
	struct bl_proc *proc;		/* (protected by @lock; NULL once the owner died) */
	struct hlist_head refs;		/* (protected by @lock) */
	int internal_strong_refs;	/* (nilocked) */
	int local_weak_refs;		/* (nilocked) */
	int local_strong_refs;		/* (nilocked) */
	int tmp_refs;			/* (nilocked) */
	binder_uintptr_t ptr;		/* (invariant after init) */
	binder_uintptr_t cookie;	/* (invariant after init) */
	u8 has_strong_ref:1;		/* (nilocked) */
	u8 pending_strong_ref:1;	/* (nilocked) */
	u8 has_weak_ref:1;		/* (nilocked) */
	u8 pending_weak_ref:1;		/* (nilocked) */
	u8 has_async_transaction:1;	/* (protected by @lock) */
	u8 accept_fds:1;		/* (invariant after init) */
	u8 txn_security_ctx:1;		/* calls carry the caller's LSM context (invariant) */
	u8 min_priority;		/* (invariant after init) */
	struct list_head async_todo;	/* (protected by owner's inner_lock) */
	struct rcu_head rcu;		/* freed after a grace period (mgr lookup) */
};

/* ---- references ---- */
struct bl_ref_death {
	struct bl_work work;		/* (protected by ref owner's inner_lock) */
	binder_uintptr_t cookie;	/* (invariant after init) */
};

struct bl_ref_data {
	int debug_id;
	u32 desc;
	int strong;
	int weak;
};

struct bl_ref {
	struct bl_ref_data data;	/* (protected by @proc->outer_lock) */
	struct rb_node rb_node_desc;	/* (protected by @proc->outer_lock) */
	struct rb_node rb_node_node;	/* (protected by @proc->outer_lock) */
	struct hlist_node node_entry;	/* (protected by @node->lock) */
	struct bl_proc *proc;		/* (invariant after init) */
	struct bl_node *node;		/* (invariant until freed) */
	struct bl_ref_death *death;	/* (protected by @proc->outer_lock and @node->lock) */
	struct bl_ref_freeze *freeze;	/* (@proc->outer_lock, @node->lock and @proc->inner_lock) */
};

/* ---- transactions ---- */
struct bl_fd_fixup {
	struct list_head entry;
	struct file *file;
	size_t offset;			/* of the fd inside the buffer */
	int target_fd;			/* reserved in the receiver, or -1 */
};

struct bl_transaction {
	int debug_id;			/* (invariant after init) */
	struct bl_work work;		/* (protected by the inner_lock of its list) */
	struct bl_thread *from;		/* (protected by @lock) */
	struct bl_transaction *from_parent; /* (protected by from's inner_lock) */
	struct bl_proc *to_proc;	/* (protected by @lock) */
	struct bl_thread *to_thread;	/* (protected by @lock) */
	struct bl_transaction *to_parent; /* (protected by to_proc's inner_lock) */
	unsigned int need_reply:1;	/* (invariant after init) */
	struct bl_buffer *buffer;	/* (protected by to_proc's inner_lock) */
	unsigned int code;		/* (invariant after init) */
	unsigned int flags;		/* (invariant after init) */
	kuid_t sender_euid;		/* (invariant after init) */
	int sender_tgid;		/* sending process (invariant after init) */
	long priority;			/* the caller's nice value (invariant after init) */
	long saved_priority;		/* the handler's, restored by BC_REPLY (handler thread) */
	binder_uintptr_t security_ctx;	/* receiver address of the caller's LSM context, or 0 */
	struct list_head fd_fixups;	/* (receiver thread after delivery) */
	spinlock_t lock;
};

/* ---- locking helpers ---- */
static inline void bl_inner_lock(struct bl_proc *proc)
	__acquires(&proc->inner_lock)
{
	spin_lock(&proc->inner_lock);
}

static inline void bl_inner_unlock(struct bl_proc *proc)
	__releases(&proc->inner_lock)
{
	spin_unlock(&proc->inner_lock);
}

static inline void bl_outer_lock(struct bl_proc *proc)
	__acquires(&proc->outer_lock)
{
	spin_lock(&proc->outer_lock);
}

static inline void bl_outer_unlock(struct bl_proc *proc)
	__releases(&proc->outer_lock)
{
	spin_unlock(&proc->outer_lock);
}

static inline void bl_node_lock(struct bl_node *node)
	__acquires(&node->lock)
{
	spin_lock(&node->lock);
}

static inline void bl_node_unlock(struct bl_node *node)
	__releases(&node->lock)
{
	spin_unlock(&node->lock);
}

/* node->lock, then the owner's inner_lock while the owner lives */
static inline void bl_node_inner_lock(struct bl_node *node)
	__acquires(&node->lock) __acquires(&node->proc->inner_lock)
{
	spin_lock(&node->lock);
	if (node->proc)
		spin_lock(&node->proc->inner_lock);
	else
		__acquire(&node->proc->inner_lock);
}

static inline void bl_node_inner_unlock(struct bl_node *node)
	__releases(&node->lock) __releases(&node->proc->inner_lock)
{
	struct bl_proc *proc = node->proc;

	if (proc)
		spin_unlock(&proc->inner_lock);
	else
		__release(&node->proc->inner_lock);
	spin_unlock(&node->lock);
}

/* ---- work lists (thread.c) ---- */
void bl_enqueue_work_ilocked(struct bl_work *work, struct list_head *target);
void bl_enqueue_thread_work_ilocked(struct bl_thread *thread, struct bl_work *work);
void bl_enqueue_deferred_thread_work_ilocked(struct bl_thread *thread, struct bl_work *work);
void bl_enqueue_thread_work(struct bl_thread *thread, struct bl_work *work);
void bl_dequeue_work_ilocked(struct bl_work *work);
void bl_dequeue_work(struct bl_proc *proc, struct bl_work *work);
void bl_wakeup_proc_ilocked(struct bl_proc *proc);
void bl_wakeup_thread_ilocked(struct bl_proc *proc, struct bl_thread *thread, bool sync);
struct bl_thread *bl_select_thread_ilocked(struct bl_proc *proc);
void bl_release_work(struct bl_proc *proc, struct list_head *list);

/* ---- thread.c ---- */
struct bl_thread *bl_get_thread(struct bl_proc *proc);
int bl_thread_release(struct bl_proc *proc, struct bl_thread *thread);
void bl_thread_dec_tmpref(struct bl_thread *thread);
bool bl_has_work(struct bl_thread *thread, bool do_proc_work);
bool bl_available_for_proc_work_ilocked(struct bl_thread *thread);
void bl_set_extended_error(struct bl_thread *thread, u32 id, u32 command, s32 param);
int bl_thread_read(struct bl_proc *proc, struct bl_thread *thread,
		   binder_uintptr_t buffer, size_t size, binder_size_t *consumed,
		   bool non_block);

/* ---- command.c ---- */
int bl_thread_write(struct bl_proc *proc, struct bl_thread *thread,
		    binder_uintptr_t buffer, size_t size, binder_size_t *consumed);

/* ---- proc.c ---- */
extern struct workqueue_struct *bl_release_wq;
struct bl_proc *bl_proc_create(struct bl_context *context, struct inode *inode);
void bl_proc_schedule_release(struct bl_proc *proc);
void bl_proc_dec_tmpref(struct bl_proc *proc);
void bl_proc_flush(struct bl_proc *proc);
enum bl_procs_view { BL_VIEW_STATE, BL_VIEW_ACTIVE, BL_VIEW_STATS };
void bl_procs_print(struct seq_file *m, enum bl_procs_view view, int pid);

/* ---- node.c ---- */
struct bl_node *bl_get_node(struct bl_proc *proc, binder_uintptr_t ptr);
struct bl_node *bl_new_node(struct bl_proc *proc, const struct flat_binder_object *fp);
int bl_inc_node_nilocked(struct bl_node *node, int strong, int internal,
			 struct list_head *target_list);
int bl_inc_node(struct bl_node *node, int strong, int internal,
		struct list_head *target_list);
bool bl_dec_node_nilocked(struct bl_node *node, int strong, int internal);
void bl_dec_node(struct bl_node *node, int strong, int internal);
void bl_inc_node_tmpref_ilocked(struct bl_node *node);
void bl_inc_node_tmpref(struct bl_node *node);
void bl_dec_node_tmpref(struct bl_node *node);
void bl_put_node(struct bl_node *node);
void bl_free_node(struct bl_node *node);
int bl_node_release(struct bl_node *node, int refs);
int bl_put_node_work_ilocked(struct bl_proc *proc, struct bl_node *node,
			     void __user **ptr)
	__releases(&proc->inner_lock);
void bl_node_print(struct seq_file *m, struct bl_node *node);
int bl_node_info_for_ref(struct bl_proc *proc, struct binder_node_info_for_ref *info);
void bl_node_debug_info(struct bl_proc *proc, struct binder_node_debug_info *info);

/* ---- context.c ---- */
int bl_contexts_create(const char *devices, const struct file_operations *fops);
void bl_contexts_destroy(void);
int bl_context_set_mgr(struct bl_proc *proc, const struct flat_binder_object *fbo);
bool bl_context_is_mgr(struct bl_proc *proc);
int bl_context_ref_mgr(struct bl_proc *proc, bool strong, struct bl_ref_data *rdata);
void bl_context_drop_mgr(struct bl_proc *proc);

/* ---- ref.c ---- */
struct bl_ref *bl_get_ref_olocked(struct bl_proc *proc, u32 desc, bool need_strong);
int bl_inc_ref_for_node(struct bl_proc *proc, struct bl_node *node, bool strong,
			struct list_head *target_list, struct bl_ref_data *rdata);
int bl_update_ref_for_handle(struct bl_proc *proc, u32 desc, bool increment,
			     bool strong, struct bl_ref_data *rdata);
int bl_dec_ref_for_handle(struct bl_proc *proc, u32 desc, bool strong,
			  struct bl_ref_data *rdata);
struct bl_node *bl_get_node_from_ref(struct bl_proc *proc, u32 desc,
				     bool need_strong, struct bl_ref_data *rdata);
void bl_cleanup_ref_olocked(struct bl_ref *ref);
void bl_free_ref(struct bl_ref *ref);
void bl_request_death(struct bl_proc *proc, struct bl_thread *thread,
		      u32 cmd, u32 target, binder_uintptr_t cookie);
void bl_dead_binder_done(struct bl_proc *proc, struct bl_thread *thread,
			 binder_uintptr_t cookie);

/* ---- transaction.c ---- */
void bl_transaction(struct bl_proc *proc, struct bl_thread *thread,
		    const struct binder_transaction_data *tr, bool reply,
		    binder_size_t extra_buffers_size);
void bl_send_failed_reply(struct bl_transaction *t, u32 error_code);
void bl_free_transaction(struct bl_transaction *t);
void bl_cleanup_transaction(struct bl_transaction *t, const char *reason, u32 error_code);
void bl_pop_transaction_ilocked(struct bl_thread *target_thread, struct bl_transaction *t);
struct bl_thread *bl_get_txn_from(struct bl_transaction *t);
/* ---- freezing (freeze.c) ---- */
struct bl_ref_freeze;
bool bl_txns_pending_ilocked(struct bl_proc *proc);
int bl_ioctl_freeze(void __user *ubuf);
int bl_ioctl_get_frozen_info(void __user *ubuf);
void bl_freeze_notify(struct bl_proc *proc, bool is_frozen);
void bl_free_freeze(struct bl_ref_freeze *freeze);
void bl_cleanup_ref_freeze(struct bl_ref *ref);
#ifdef BL_HAVE_FREEZE_NOTIFICATION
int bl_request_freeze_notification(struct bl_proc *proc, struct bl_thread *thread,
				   u32 handle, binder_uintptr_t cookie);
int bl_clear_freeze_notification(struct bl_proc *proc, struct bl_thread *thread,
				 u32 handle, binder_uintptr_t cookie);
int bl_freeze_notification_done(struct bl_proc *proc, struct bl_thread *thread,
				binder_uintptr_t cookie);
int bl_put_freeze_work_ilocked(struct bl_proc *proc, struct bl_work *w, void __user **ptr);
void bl_free_freeze_work(struct bl_work *w);
#endif
struct bl_proc **bl_procs_find(int pid, int *count);

void bl_set_nice(long nice);
void bl_free_buf(struct bl_proc *proc, struct bl_thread *thread, struct bl_buffer *buffer,
		 bool is_failure);
int bl_apply_fd_fixups(struct bl_proc *proc, struct bl_transaction *t);

/* ---- debugfs.c ---- */
void bl_debugfs_init(void);
struct dentry *bl_debugfs_add_proc(int pid);
void bl_debugfs_remove_proc(struct dentry *d);
void bl_debugfs_exit(void);

#endif /* BL_INTERNAL_H */
