// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite contexts: one per device name, each with its own context
 * manager (the node behind handle 0). The first claim wins; the euid of the
 * first manager is pinned for the life of the device, as upstream.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/security.h>
#include <linux/cred.h>

#include "internal.h"

static LIST_HEAD(bl_contexts);		/* (module init and exit only) */

void bl_contexts_destroy(void)
{
	struct bl_context *context, *tmp;

	list_for_each_entry_safe(context, tmp, &bl_contexts, entry) {
		misc_deregister(&context->misc);
		list_del(&context->entry);
		kfree(context);
	}
}

static int bl_context_create(const char *name, const struct file_operations *fops)
{
	struct bl_context *context;
	int ret;

	if (!*name || strlen(name) >= sizeof(context->name) || strchr(name, '/'))
		return -EINVAL;
	context = kzalloc(sizeof(*context), GFP_KERNEL);
	if (!context)
		return -ENOMEM;
	strscpy(context->name, name, sizeof(context->name));
	mutex_init(&context->mgr_lock);
	context->misc.minor = MISC_DYNAMIC_MINOR;
	context->misc.name = context->name;
	context->misc.fops = fops;
	ret = misc_register(&context->misc);
	if (ret) {
		kfree(context);
		return ret;
	}
	list_add_tail(&context->entry, &bl_contexts);
	return 0;
}

int bl_contexts_create(const char *devices, const struct file_operations *fops)
{
	char *names, *cursor, *name;
	int ret = 0;

	names = kstrdup(devices, GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	cursor = names;
	while ((name = strsep(&cursor, ","))) {
		ret = bl_context_create(name, fops);
		if (ret) {
			pr_err("cannot create device '%s': %d\n", name, ret);
			break;
		}
	}
	kfree(names);
	return ret;
}

int bl_context_set_mgr(struct bl_proc *proc, const struct flat_binder_object *fbo)
{
	struct bl_context *context = proc->context;
	kuid_t euid = current_euid();
	struct bl_node *node;
	int ret;

	mutex_lock(&context->mgr_lock);
	if (context->mgr_node) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = security_binder_set_context_mgr(proc->cred);
	if (ret < 0)
		goto out_unlock;
	if (context->mgr_uid_set && !uid_eq(context->mgr_uid, euid)) {
		bl_user_error("BINDER_SET_CONTEXT_MGR bad uid %d != %d\n",
			      from_kuid(&init_user_ns, euid),
			      from_kuid(&init_user_ns, context->mgr_uid));
		ret = -EPERM;
		goto out_unlock;
	}
	node = bl_new_node(proc, fbo);
	if (!node) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	context->mgr_uid = euid;
	context->mgr_uid_set = true;
	bl_node_inner_lock(node);
	/* the manager node lives as long as its process */
	node->local_weak_refs++;
	node->local_strong_refs++;
	node->has_strong_ref = 1;
	node->has_weak_ref = 1;
	bl_node_inner_unlock(node);
	WRITE_ONCE(context->mgr_node, node);
	bl_put_node(node);
out_unlock:
	mutex_unlock(&context->mgr_lock);
	return ret;
}

bool bl_context_is_mgr(struct bl_proc *proc)
{
	struct bl_context *context = proc->context;
	bool is_mgr;

	mutex_lock(&context->mgr_lock);
	is_mgr = context->mgr_node && context->mgr_node->proc == proc;
	mutex_unlock(&context->mgr_lock);
	return is_mgr;
}

/*
 * BC_INCREFS/BC_ACQUIRE on handle 0: take a ref on the manager node.
 * Returns -ENOENT without a manager, -EINVAL from the manager itself.
 */
int bl_context_ref_mgr(struct bl_proc *proc, bool strong, struct bl_ref_data *rdata)
{
	struct bl_context *context = proc->context;
	struct bl_node *mgr;
	int ret = -ENOENT;

	mutex_lock(&context->mgr_lock);
	mgr = context->mgr_node;
	if (mgr)
		ret = mgr->proc == proc ? -EINVAL :
		      bl_inc_ref_for_node(proc, mgr, strong, NULL, rdata);
	mutex_unlock(&context->mgr_lock);
	return ret;
}

/* The manager's process is going: handle 0 is free again (same euid only). */
void bl_context_drop_mgr(struct bl_proc *proc)
{
	struct bl_context *context = proc->context;

	mutex_lock(&context->mgr_lock);
	if (context->mgr_node && context->mgr_node->proc == proc)
		WRITE_ONCE(context->mgr_node, NULL);
	mutex_unlock(&context->mgr_lock);
}
