// SPDX-License-Identifier: GPL-2.0
/*
 * A module that WARNs as it loads and does nothing else. The harness self-test loads it
 * to prove that tools/vm/run fails a run whose kernel log shows a splat.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_on_load_init(void)
{
	WARN(1, "warn_on_load: deliberate warning for the VM harness self-test\n");
	return 0;
}

static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_DESCRIPTION("binder-lite test: warn on load");
MODULE_LICENSE("GPL");
