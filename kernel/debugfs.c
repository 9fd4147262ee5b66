// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite debugfs, /sys/kernel/debug/binder_lite/, in the upstream
 * driver's formats:
 *   state                   every process, thread, node, ref and buffer
 *   stats                   command counts, live objects, per-process counts
 *   transactions            the transactions in flight and queued
 *   transaction_log         the last 32 transactions
 *   failed_transaction_log  the last 32 failed ones, with the source line
 *   proc/PID                one process's state while it has the device open
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "internal.h"

static struct dentry *bl_debugfs_root;

static int bl_state_show(struct seq_file *m, void *unused)
{
	seq_puts(m, "binder state:\n");
	bl_procs_print(m, BL_VIEW_STATE, 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bl_state);

static int bl_stats_file_show(struct seq_file *m, void *unused)
{
	return bl_stats_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(bl_stats_file);

static int bl_transactions_show(struct seq_file *m, void *unused)
{
	seq_puts(m, "binder transactions:\n");
	bl_procs_print(m, BL_VIEW_ACTIVE, 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bl_transactions);

static int bl_txn_log_file_show(struct seq_file *m, void *unused)
{
	return bl_txn_log_show(m, false);
}
DEFINE_SHOW_ATTRIBUTE(bl_txn_log_file);

static int bl_failed_file_show(struct seq_file *m, void *unused)
{
	return bl_txn_log_show(m, true);
}
DEFINE_SHOW_ATTRIBUTE(bl_failed_file);

static int bl_proc_file_show(struct seq_file *m, void *unused)
{
	seq_puts(m, "binder proc state:\n");
	bl_procs_print(m, BL_VIEW_STATE, (int)(unsigned long)m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bl_proc_file);

static struct dentry *bl_debugfs_procs;

/* proc/PID for the first open by @pid; NULL when there is no debugfs. */
struct dentry *bl_debugfs_add_proc(int pid)
{
	char name[16];
	struct dentry *d;

	if (IS_ERR_OR_NULL(bl_debugfs_procs))
		return NULL;
	snprintf(name, sizeof(name), "%d", pid);
	d = debugfs_create_file(name, 0444, bl_debugfs_procs, (void *)(unsigned long)pid,
				&bl_proc_file_fops);
	return IS_ERR(d) ? NULL : d;
}

void bl_debugfs_remove_proc(struct dentry *d)
{
	debugfs_remove(d);
}

void bl_debugfs_init(void)
{
	bl_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("state", 0444, bl_debugfs_root, NULL, &bl_state_fops);
	debugfs_create_file("stats", 0444, bl_debugfs_root, NULL, &bl_stats_file_fops);
	debugfs_create_file("transactions", 0444, bl_debugfs_root, NULL,
			    &bl_transactions_fops);
	debugfs_create_file("transaction_log", 0444, bl_debugfs_root, NULL,
			    &bl_txn_log_file_fops);
	debugfs_create_file("failed_transaction_log", 0444, bl_debugfs_root, NULL,
			    &bl_failed_file_fops);
	bl_debugfs_procs = debugfs_create_dir("proc", bl_debugfs_root);
}

void bl_debugfs_exit(void)
{
	debugfs_remove_recursive(bl_debugfs_root);
}
