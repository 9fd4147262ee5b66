// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite statistics: per-command counts and live objects per type,
 * all atomics so that no path takes a lock for them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/ioctl.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "internal.h"

#ifdef BL_HAVE_FREEZE_NOTIFICATION
#define BL_BC_COUNT (_IOC_NR(BC_FREEZE_NOTIFICATION_DONE) + 1)
#define BL_BR_COUNT (_IOC_NR(BR_CLEAR_FREEZE_NOTIFICATION_DONE) + 1)
#else
#define BL_BC_COUNT (_IOC_NR(BC_REPLY_SG) + 1)
#define BL_BR_COUNT (_IOC_NR(BR_ONEWAY_SPAM_SUSPECT) + 1)
#endif

static atomic_t bl_bc_stats[BL_BC_COUNT];
static atomic_t bl_br_stats[BL_BR_COUNT];
static atomic_t bl_obj_created[BL_STAT_COUNT];
static atomic_t bl_obj_deleted[BL_STAT_COUNT];
static atomic_t bl_next_debug_id = ATOMIC_INIT(0);

static const char * const bl_bc_names[BL_BC_COUNT] = {
	"BC_TRANSACTION", "BC_REPLY", "BC_ACQUIRE_RESULT", "BC_FREE_BUFFER",
	"BC_INCREFS", "BC_ACQUIRE", "BC_RELEASE", "BC_DECREFS",
	"BC_INCREFS_DONE", "BC_ACQUIRE_DONE", "BC_ATTEMPT_ACQUIRE",
	"BC_REGISTER_LOOPER", "BC_ENTER_LOOPER", "BC_EXIT_LOOPER",
	"BC_REQUEST_DEATH_NOTIFICATION", "BC_CLEAR_DEATH_NOTIFICATION",
	"BC_DEAD_BINDER_DONE", "BC_TRANSACTION_SG", "BC_REPLY_SG",
#ifdef BL_HAVE_FREEZE_NOTIFICATION
	"BC_REQUEST_FREEZE_NOTIFICATION", "BC_CLEAR_FREEZE_NOTIFICATION",
	"BC_FREEZE_NOTIFICATION_DONE",
#endif
};

static const char * const bl_br_names[BL_BR_COUNT] = {
	"BR_ERROR", "BR_OK", "BR_TRANSACTION", "BR_REPLY", "BR_ACQUIRE_RESULT",
	"BR_DEAD_REPLY", "BR_TRANSACTION_COMPLETE", "BR_INCREFS", "BR_ACQUIRE",
	"BR_RELEASE", "BR_DECREFS", "BR_ATTEMPT_ACQUIRE", "BR_NOOP",
	"BR_SPAWN_LOOPER", "BR_FINISHED", "BR_DEAD_BINDER",
	"BR_CLEAR_DEATH_NOTIFICATION_DONE", "BR_FAILED_REPLY", "BR_FROZEN_REPLY",
	"BR_ONEWAY_SPAM_SUSPECT",
#ifdef BL_HAVE_FREEZE_NOTIFICATION
	"BR_TRANSACTION_PENDING_FROZEN", "BR_FROZEN_BINDER",
	"BR_CLEAR_FREEZE_NOTIFICATION_DONE",
#endif
};

static const char * const bl_obj_names[BL_STAT_COUNT] = {
	[BL_STAT_PROC] = "proc",
	[BL_STAT_THREAD] = "thread",
	[BL_STAT_NODE] = "node",
	[BL_STAT_REF] = "ref",
	[BL_STAT_DEATH] = "death",
	[BL_STAT_TRANSACTION] = "transaction",
	[BL_STAT_TRANSACTION_COMPLETE] = "transaction_complete",
#ifdef BL_HAVE_FREEZE_NOTIFICATION
	[BL_STAT_FREEZE] = "freeze",
#endif
	[BL_STAT_BUFFER] = "buffer",
};

#define BL_TXN_LOG_SIZE 32

/* A ring of the last BL_TXN_LOG_SIZE entries; writers take a slot atomically. */
struct bl_txn_log {
	atomic_t cur;
	bool full;
	struct bl_log_entry entry[BL_TXN_LOG_SIZE];
};

static struct bl_txn_log bl_txn_log = { .cur = ATOMIC_INIT(-1) };
static struct bl_txn_log bl_txn_log_failed = { .cur = ATOMIC_INIT(-1) };

static void bl_txn_log_put(struct bl_txn_log *log, const struct bl_log_entry *entry)
{
	unsigned int cur = atomic_inc_return(&log->cur);
	struct bl_log_entry *e;

	if (cur >= BL_TXN_LOG_SIZE)
		WRITE_ONCE(log->full, true);
	e = &log->entry[cur % BL_TXN_LOG_SIZE];
	WRITE_ONCE(e->debug_id_done, 0);
	/* the entry is incomplete before any field changes */
	smp_wmb();
	*e = *entry;
	e->debug_id_done = 0;
	/* every field is written before the entry is complete */
	smp_wmb();
	WRITE_ONCE(e->debug_id_done, entry->debug_id);
}

/* Every transaction goes to transaction_log; failed ones to failed_transaction_log too. */
void bl_txn_log_add(const struct bl_log_entry *entry, bool failed)
{
	bl_txn_log_put(&bl_txn_log, entry);
	if (failed)
		bl_txn_log_put(&bl_txn_log_failed, entry);
}

static void bl_txn_log_print_entry(struct seq_file *m, struct bl_log_entry *e)
{
	int debug_id = READ_ONCE(e->debug_id_done);

	/* debug_id_done is read before the fields */
	smp_rmb();
	seq_printf(m, "%d: %s from %d:%d to %d:%d context %s node %d handle %d size %d:%d ret %d/%d l=%d",
		   e->debug_id, e->call_type == 2 ? "reply" : e->call_type == 1 ? "async" : "call ",
		   e->from_proc, e->from_thread, e->to_proc, e->to_thread,
		   e->context_name ? e->context_name : "", e->to_node, e->target_handle,
		   e->data_size, e->offsets_size, e->return_error, e->return_error_param,
		   e->return_error_line);
	/* and the fields before debug_id_done again */
	smp_rmb();
	seq_puts(m, debug_id && debug_id == READ_ONCE(e->debug_id_done) ? "\n" : " (incomplete)\n");
}

/* Upstream's layout: oldest first, one line per entry. */
int bl_txn_log_show(struct seq_file *m, bool failed)
{
	struct bl_txn_log *log = failed ? &bl_txn_log_failed : &bl_txn_log;
	unsigned int cur = atomic_read(&log->cur);
	unsigned int count, i, first;

	if (!READ_ONCE(log->full)) {
		first = 0;
		count = cur + 1;	/* -1 + 1 = 0 while empty */
	} else {
		first = cur + 1;
		count = BL_TXN_LOG_SIZE;
	}
	for (i = 0; i < count; i++)
		bl_txn_log_print_entry(m, &log->entry[(first + i) % BL_TXN_LOG_SIZE]);
	return 0;
}

int bl_new_debug_id(void)
{
	return atomic_inc_return(&bl_next_debug_id);
}

void bl_stats_created(enum bl_stat_type type)
{
	atomic_inc(&bl_obj_created[type]);
}

void bl_stats_deleted(enum bl_stat_type type)
{
	atomic_inc(&bl_obj_deleted[type]);
}

void bl_stats_bc(u32 cmd)
{
	if (_IOC_TYPE(cmd) == 'c' && _IOC_NR(cmd) < BL_BC_COUNT)
		atomic_inc(&bl_bc_stats[_IOC_NR(cmd)]);
}

void bl_stats_br(u32 cmd)
{
	if (_IOC_TYPE(cmd) == 'r' && _IOC_NR(cmd) < BL_BR_COUNT)
		atomic_inc(&bl_br_stats[_IOC_NR(cmd)]);
}

static int bl_stats_live(int type)
{
	if (type == BL_STAT_BUFFER)
		return bl_alloc_live();
	return atomic_read(&bl_obj_created[type]) - atomic_read(&bl_obj_deleted[type]);
}

static int bl_stats_total(int type)
{
	if (type == BL_STAT_BUFFER)
		return bl_alloc_total(false);
	return atomic_read(&bl_obj_created[type]);
}

/*
 * The upstream driver's layout, so its readers (binder-stat, scripts) work with ours:
 * the commands and returns used so far, then "KIND: active N total M" for each object
 * kind created so far; ours adds the kinds "buffer" and "page" (mapped pages).
 */
int bl_stats_show(struct seq_file *m, void *unused)
{
	int i;

	seq_puts(m, "binder stats:\n");
	for (i = 0; i < BL_BC_COUNT; i++)
		if (atomic_read(&bl_bc_stats[i]))
			seq_printf(m, "%s: %d\n", bl_bc_names[i], atomic_read(&bl_bc_stats[i]));
	for (i = 0; i < BL_BR_COUNT; i++)
		if (atomic_read(&bl_br_stats[i]))
			seq_printf(m, "%s: %d\n", bl_br_names[i], atomic_read(&bl_br_stats[i]));
	/* as upstream, a kind is listed once one was created */
	for (i = 0; i < BL_STAT_COUNT; i++)
		if (bl_stats_total(i))
			seq_printf(m, "%s: active %d total %d\n", bl_obj_names[i],
				   bl_stats_live(i), bl_stats_total(i));
	if (bl_alloc_total(true))
		seq_printf(m, "page: active %d total %d\n", bl_alloc_live_pages_count(),
			   bl_alloc_total(true));
	bl_procs_print(m, BL_VIEW_STATS, 0);
	return 0;
}
