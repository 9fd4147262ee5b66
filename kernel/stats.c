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

#define BL_BC_COUNT (_IOC_NR(BC_DEAD_BINDER_DONE) + 1)
#define BL_BR_COUNT (_IOC_NR(BR_FAILED_REPLY) + 1)

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
	"BC_DEAD_BINDER_DONE",
};

static const char * const bl_br_names[BL_BR_COUNT] = {
	"BR_ERROR", "BR_OK", "BR_TRANSACTION", "BR_REPLY", "BR_ACQUIRE_RESULT",
	"BR_DEAD_REPLY", "BR_TRANSACTION_COMPLETE", "BR_INCREFS", "BR_ACQUIRE",
	"BR_RELEASE", "BR_DECREFS", "BR_ATTEMPT_ACQUIRE", "BR_NOOP",
	"BR_SPAWN_LOOPER", "BR_FINISHED", "BR_DEAD_BINDER",
	"BR_CLEAR_DEATH_NOTIFICATION_DONE", "BR_FAILED_REPLY",
};

static const char * const bl_obj_names[BL_STAT_COUNT] = {
	[BL_STAT_PROC] = "proc",
	[BL_STAT_THREAD] = "thread",
	[BL_STAT_NODE] = "node",
	[BL_STAT_REF] = "ref",
	[BL_STAT_DEATH] = "death",
	[BL_STAT_TRANSACTION] = "transaction",
	[BL_STAT_TRANSACTION_COMPLETE] = "transaction_complete",
	[BL_STAT_BUFFER] = "buffer",
};

#define BL_FAILED_LOG_SIZE 32

static DEFINE_SPINLOCK(bl_failed_lock);
static struct bl_failed_entry bl_failed_log[BL_FAILED_LOG_SIZE]; /* (bl_failed_lock) */
static unsigned int bl_failed_count;			/* (bl_failed_lock) */

void bl_failed_log_add(const struct bl_failed_entry *entry)
{
	spin_lock(&bl_failed_lock);
	bl_failed_log[bl_failed_count % BL_FAILED_LOG_SIZE] = *entry;
	bl_failed_count++;
	spin_unlock(&bl_failed_lock);
}

int bl_failed_log_show(struct seq_file *m, void *unused)
{
	struct bl_failed_entry *log;
	unsigned int count, i, first;

	log = kmalloc_array(BL_FAILED_LOG_SIZE, sizeof(*log), GFP_KERNEL);
	if (!log)
		return -ENOMEM;
	spin_lock(&bl_failed_lock);
	memcpy(log, bl_failed_log, sizeof(bl_failed_log));
	count = bl_failed_count;
	spin_unlock(&bl_failed_lock);

	first = count > BL_FAILED_LOG_SIZE ? count - BL_FAILED_LOG_SIZE : 0;
	for (i = first; i < count; i++) {
		struct bl_failed_entry *e = &log[i % BL_FAILED_LOG_SIZE];

		seq_printf(m, "%d: %s from %d:%d to %d failed: %s errno %d at %s:%d\n",
			   e->debug_id, e->reply ? "reply" : "call", e->from_pid,
			   e->from_tid, e->to_pid,
			   _IOC_NR(e->br) < BL_BR_COUNT ? bl_br_names[_IOC_NR(e->br)] : "?",
			   e->errno_val, e->file ? e->file : "?", e->line);
	}
	kfree(log);
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
 * the commands and returns used so far, then "KIND: active N total M" per object kind.
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
	for (i = 0; i < BL_STAT_COUNT; i++)
		seq_printf(m, "%s: active %d total %d\n", bl_obj_names[i], bl_stats_live(i),
			   bl_stats_total(i));
	seq_printf(m, "page: active %d total %d\n", bl_alloc_live_pages_count(),
		   bl_alloc_total(true));
	return 0;
}
