// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite debugfs: /sys/kernel/debug/binder_lite/: state (every process,
 * thread, node, ref and buffer), stats (command counts, live objects) and
 * failed_transaction_log (the last failures with their source line).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "internal.h"

static struct dentry *bl_debugfs_root;

static int bl_state_show(struct seq_file *m, void *unused)
{
	seq_puts(m, "binder state:\n");
	bl_procs_print(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bl_state);

static int bl_stats_file_show(struct seq_file *m, void *unused)
{
	return bl_stats_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(bl_stats_file);

static int bl_failed_file_show(struct seq_file *m, void *unused)
{
	return bl_failed_log_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(bl_failed_file);

void bl_debugfs_init(void)
{
	bl_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("state", 0444, bl_debugfs_root, NULL, &bl_state_fops);
	debugfs_create_file("stats", 0444, bl_debugfs_root, NULL, &bl_stats_file_fops);
	debugfs_create_file("failed_transaction_log", 0444, bl_debugfs_root, NULL,
			    &bl_failed_file_fops);
}

void bl_debugfs_exit(void)
{
	debugfs_remove_recursive(bl_debugfs_root);
}
