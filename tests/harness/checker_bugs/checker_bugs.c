// SPDX-License-Identifier: GPL-2.0
/*
 * A module that commits, on request, one bug of each kind the debug kernel's checkers
 * report. The debug-kernel self-test (tests/harness/debug_kernel_test.sh) loads it and
 * writes a bug's name to /sys/module/checker_bugs/parameters/trigger while the test
 * command runs, to prove that tools/vm/run --kernel debug fails the run for it:
 *
 *   leak          kmalloc() objects and lose the pointers       (kmemleak)
 *   out_of_bounds read one byte past a kmalloc()ed object         (KASAN)
 *   use_after_free read an object after kfree()                   (KASAN)
 *   atomic_sleep  might_sleep() under a spinlock                   (DEBUG_ATOMIC_SLEEP)
 *   lock_order    take two mutexes in both orders, one after the other (lockdep; no
 *                 deadlock happens, lockdep reports the possibility)
 *
 * Loading it does nothing by itself.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

/* Read with READ_ONCE(), so that the compiler cannot see the out-of-bounds index. */
static int checker_bugs_index = 8;

static noinline void leak(void)
{
	char *p = kmalloc(128, GFP_KERNEL);

	if (p)
		memset(p, 0x5a, 128);
	/* The only copy of the pointer dies with this frame (see clobber_stack()). */
	barrier_data(p);
}

/*
 * Overwrite the stack below the caller, where leak()'s frame was, so that no stale copy
 * of the leaked pointer stays there for kmemleak to take for a reference.
 */
static noinline void clobber_stack(void)
{
	char area[512];

	memzero_explicit(area, sizeof(area));
}

static noinline void out_of_bounds(void)
{
	char *p = kmalloc(8, GFP_KERNEL);

	if (!p)
		return;
	pr_info("checker_bugs: byte past the end: %d\n", READ_ONCE(p[READ_ONCE(checker_bugs_index)]));
	kfree(p);
}

static noinline void use_after_free(void)
{
	char *p = kmalloc(32, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("checker_bugs: byte after free: %d\n", READ_ONCE(p[0]));
}

static DEFINE_SPINLOCK(atomic_lock);

static noinline void atomic_sleep(void)
{
	spin_lock(&atomic_lock);
	might_sleep();
	spin_unlock(&atomic_lock);
}

static DEFINE_MUTEX(mutex_a);
static DEFINE_MUTEX(mutex_b);

static noinline void lock_order(void)
{
	mutex_lock(&mutex_a);
	mutex_lock(&mutex_b);
	mutex_unlock(&mutex_b);
	mutex_unlock(&mutex_a);

	mutex_lock(&mutex_b);
	mutex_lock(&mutex_a);
	mutex_unlock(&mutex_a);
	mutex_unlock(&mutex_b);
}

static int trigger_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "leak")) {
		int i;

		/*
		 * Several objects: a copy of the last pointers may survive in a stack or a
		 * register that kmemleak scans, but the earlier ones are overwritten by the
		 * later ones and reported.
		 */
		for (i = 0; i < 16; i++)
			leak();
		clobber_stack();
	} else if (sysfs_streq(val, "out_of_bounds")) {
		out_of_bounds();
	} else if (sysfs_streq(val, "use_after_free")) {
		use_after_free();
	} else if (sysfs_streq(val, "atomic_sleep")) {
		atomic_sleep();
	} else if (sysfs_streq(val, "lock_order")) {
		lock_order();
	} else {
		return -EINVAL;
	}
	return 0;
}

static const struct kernel_param_ops trigger_ops = {
	.set = trigger_set,
};
module_param_cb(trigger, &trigger_ops, NULL, 0200);
MODULE_PARM_DESC(trigger, "write a bug's name to commit it: leak, out_of_bounds, use_after_free, atomic_sleep, lock_order");

MODULE_DESCRIPTION("binder-lite test: bugs for the debug kernel's checkers to find");
MODULE_LICENSE("GPL");
