// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite objects: the binders, handles and fds a transaction carries.
 * Sending translates them for the receiver (a node becomes a handle, a
 * handle the node or the receiver's own handle, an fd a file to install
 * when the receiver reads); freeing a buffer drops what they hold.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/security.h>

#include "internal.h"
#include "txn.h"

void bl_free_txn_fixups(struct bl_transaction *t)
{
	struct bl_fd_fixup *fixup, *tmp;

	list_for_each_entry_safe(fixup, tmp, &t->fd_fixups, entry) {
		fput(fixup->file);
		list_del(&fixup->entry);
		kfree(fixup);
	}
}

/* ---- objects inside a buffer ---- */

union bl_object {
	struct binder_object_header hdr;
	struct flat_binder_object fbo;
	struct binder_fd_object fdo;
};

/*
 * Read and validate the object at @offset of @buffer's data: inside the
 * data, u32 aligned, of a known type, wholly inside. Returns its size, or
 * 0 when invalid.
 */
static size_t bl_get_object(struct bl_proc *proc, struct bl_buffer *buffer,
			    u64 offset, union bl_object *object)
{
	size_t read_size, object_size;

	if (offset > buffer->data_size || !IS_ALIGNED(offset, sizeof(u32)))
		return 0;
	read_size = min_t(size_t, sizeof(*object), buffer->data_size - offset);
	if (read_size < sizeof(object->hdr))
		return 0;
	memset(object, 0, sizeof(*object));
	if (bl_alloc_read(&proc->alloc, buffer, offset, object, read_size))
		return 0;

	switch (object->hdr.type) {
	case BINDER_TYPE_BINDER:
	case BINDER_TYPE_WEAK_BINDER:
	case BINDER_TYPE_HANDLE:
	case BINDER_TYPE_WEAK_HANDLE:
		object_size = sizeof(struct flat_binder_object);
		break;
	case BINDER_TYPE_FD:
		object_size = sizeof(struct binder_fd_object);
		break;
	default:
		return 0;
	}
	if (object_size > read_size)
		return 0;
	return object_size;
}

static int bl_read_offset(struct bl_proc *proc, struct bl_buffer *buffer,
			  size_t at, binder_size_t *object_offset)
{
	return bl_alloc_read(&proc->alloc, buffer, at, object_offset, sizeof(*object_offset));
}

/*
 * Drop what the objects of @buffer (owned by @proc) hold, for offsets[]
 * entries before @off_end (in bytes from the buffer start), and the
 * transaction's hold on the target node.
 */
void bl_buffer_release_objects(struct bl_proc *proc, struct bl_buffer *buffer,
				      size_t off_end)
{
	size_t off_start = ALIGN(buffer->data_size, sizeof(void *));
	size_t at;

	if (buffer->target_node)
		bl_dec_node(buffer->target_node, 1, 0);

	for (at = off_start; at + sizeof(binder_size_t) <= off_end;
	     at += sizeof(binder_size_t)) {
		union bl_object object;
		binder_size_t object_offset;
		struct bl_node *node;
		struct bl_ref_data rdata;

		if (bl_read_offset(proc, buffer, at, &object_offset) ||
		    !bl_get_object(proc, buffer, object_offset, &object)) {
			pr_err_ratelimited("buffer %d release: bad object at %zu\n",
					   buffer->debug_id, at);
			continue;
		}
		switch (object.hdr.type) {
		case BINDER_TYPE_BINDER:
		case BINDER_TYPE_WEAK_BINDER:
			node = bl_get_node(proc, object.fbo.binder);
			if (!node) {
				pr_err_ratelimited("buffer %d release: bad node %016llx\n",
						   buffer->debug_id, (u64)object.fbo.binder);
				break;
			}
			bl_dec_node(node, object.hdr.type == BINDER_TYPE_BINDER, 0);
			bl_put_node(node);
			break;
		case BINDER_TYPE_HANDLE:
		case BINDER_TYPE_WEAK_HANDLE:
			if (bl_dec_ref_for_handle(proc, object.fbo.handle,
						  object.hdr.type == BINDER_TYPE_HANDLE, &rdata))
				pr_err_ratelimited("buffer %d release: bad handle %u\n",
						   buffer->debug_id, object.fbo.handle);
			break;
		case BINDER_TYPE_FD:
			/* delivered fds belong to userspace; pending ones to the fixups */
			break;
		}
	}
}

/*
 * Free a buffer @proc owns: detach its transaction, start the node's next
 * one-way call, drop its objects' references.
 */
void bl_free_buf(struct bl_proc *proc, struct bl_buffer *buffer)
{
	bl_inner_lock(proc);
	if (buffer->transaction) {
		buffer->transaction->buffer = NULL;
		buffer->transaction = NULL;
	}
	bl_inner_unlock(proc);

	if (buffer->async_transaction && buffer->target_node) {
		struct bl_node *node = buffer->target_node;
		struct bl_work *w;

		bl_node_inner_lock(node);
		w = list_first_entry_or_null(&node->async_todo, struct bl_work, entry);
		if (!w) {
			node->has_async_transaction = false;
		} else if (node->proc) {
			list_del_init(&w->entry);
			bl_enqueue_work_ilocked(w, &node->proc->todo);
			bl_wakeup_proc_ilocked(node->proc);
		}
		bl_node_inner_unlock(node);
	}
	bl_buffer_release_objects(proc, buffer,
				  ALIGN(buffer->data_size, sizeof(void *)) + buffer->offsets_size);
	bl_alloc_free_buf(&proc->alloc, buffer);
}

/* ---- receiver side of fds ---- */

int bl_apply_fd_fixups(struct bl_proc *proc, struct bl_transaction *t)
{
	struct bl_fd_fixup *fixup, *tmp;
	LIST_HEAD(installed);
	int ret = 0;

	list_for_each_entry_safe(fixup, tmp, &t->fd_fixups, entry) {
		int fd = get_unused_fd_flags(O_CLOEXEC);
		u32 ufd = fd;

		if (fd < 0) {
			ret = fd;
			break;
		}
		if (!t->buffer || bl_alloc_write(&proc->alloc, t->buffer, fixup->offset,
						 &ufd, sizeof(ufd))) {
			put_unused_fd(fd);
			ret = -EINVAL;
			break;
		}
		fixup->target_fd = fd;
		list_move_tail(&fixup->entry, &installed);
	}
	list_for_each_entry_safe(fixup, tmp, &installed, entry) {
		if (ret) {
			put_unused_fd(fixup->target_fd);
			fput(fixup->file);
		} else {
			fd_install(fixup->target_fd, fixup->file);
		}
		list_del(&fixup->entry);
		kfree(fixup);
	}
	if (ret)
		bl_free_txn_fixups(t);
	return ret;
}

/* ---- sender side ---- */

/* The receiver gets (or reuses) a ref on @node: @fp becomes its handle. */
static int bl_txn_give_ref(struct bl_txn_ctx *ctx, struct flat_binder_object *fp,
			   struct bl_node *node, bool strong, struct list_head *target_list)
{
	struct bl_ref_data rdata;
	int ret;

	ret = bl_inc_ref_for_node(ctx->target_proc, node, strong, target_list, &rdata);
	if (ret)
		return ret;
	fp->hdr.type = strong ? BINDER_TYPE_HANDLE : BINDER_TYPE_WEAK_HANDLE;
	fp->binder = 0;
	fp->handle = rdata.desc;
	fp->cookie = 0;
	return 0;
}

/* BINDER/WEAK_BINDER: the sender's own object becomes a handle. */
static int bl_translate_binder(struct bl_txn_ctx *ctx, struct flat_binder_object *fp)
{
	bool strong = fp->hdr.type == BINDER_TYPE_BINDER;
	struct bl_node *node;
	int ret = 0;

	node = bl_get_node(ctx->proc, fp->binder);
	if (!node) {
		node = bl_new_node(ctx->proc, fp);
		if (!node)
			return -ENOMEM;
	}
	if (fp->cookie != node->cookie) {
		bl_user_error("%d:%d sending u%016llx node %d, cookie mismatch %016llx != %016llx\n",
			      ctx->proc->pid, ctx->thread->pid, (u64)fp->binder,
			      node->debug_id, (u64)fp->cookie, (u64)node->cookie);
		ret = -EINVAL;
		goto out_put;
	}
	if (security_binder_transfer_binder(ctx->proc->cred, ctx->target_proc->cred)) {
		ret = -EPERM;
		goto out_put;
	}
	/* the owner's BR_INCREFS/BR_ACQUIRE go to the sending thread */
	ret = bl_txn_give_ref(ctx, fp, node, strong, &ctx->thread->todo);
out_put:
	bl_put_node(node);
	return ret;
}

/* HANDLE/WEAK_HANDLE: a ref for the receiver, or the node if it owns it. */
static int bl_translate_handle(struct bl_txn_ctx *ctx, struct flat_binder_object *fp)
{
	bool strong = fp->hdr.type == BINDER_TYPE_HANDLE;
	struct bl_ref_data rdata;
	struct bl_node *node;
	int ret = 0;

	node = bl_get_node_from_ref(ctx->proc, fp->handle, strong, &rdata);
	if (!node) {
		bl_user_error("%d:%d transaction with invalid handle %u\n",
			      ctx->proc->pid, ctx->thread->pid, fp->handle);
		return -EINVAL;
	}
	if (security_binder_transfer_binder(ctx->proc->cred, ctx->target_proc->cred)) {
		ret = -EPERM;
		goto out_put;
	}
	bl_node_inner_lock(node);
	if (node->proc == ctx->target_proc) {
		fp->hdr.type = strong ? BINDER_TYPE_BINDER : BINDER_TYPE_WEAK_BINDER;
		fp->binder = node->ptr;
		fp->cookie = node->cookie;
		bl_inc_node_nilocked(node, strong, 0, NULL);
		bl_node_inner_unlock(node);
	} else {
		bl_node_inner_unlock(node);
		ret = bl_txn_give_ref(ctx, fp, node, strong, NULL);
	}
out_put:
	bl_put_node(node);
	return ret;
}

/* FD: take the file now, install it in the receiver when it reads. */
static int bl_translate_fd(struct bl_txn_ctx *ctx, struct binder_fd_object *fdo,
			   size_t fd_offset)
{
	struct bl_fd_fixup *fixup;
	bool allowed;
	struct file *file;

	if (ctx->in_reply_to)
		allowed = ctx->in_reply_to->flags & TF_ACCEPT_FDS;
	else
		allowed = ctx->target_node && ctx->target_node->accept_fds;
	if (!allowed) {
		bl_user_error("%d:%d fd %d sent to a target that does not accept fds\n",
			      ctx->proc->pid, ctx->thread->pid, fdo->fd);
		return -EPERM;
	}
	file = fget(fdo->fd);
	if (!file)
		return -EBADF;
	if (security_binder_transfer_file(ctx->proc->cred, ctx->target_proc->cred, file) < 0) {
		fput(file);
		return -EPERM;
	}
	fixup = kzalloc(sizeof(*fixup), GFP_KERNEL);
	if (!fixup) {
		fput(file);
		return -ENOMEM;
	}
	fixup->file = file;
	fixup->offset = fd_offset;
	fixup->target_fd = -1;
	list_add_tail(&fixup->entry, &ctx->t->fd_fixups);
	fdo->pad_binder = 0;
	return 0;
}

static int bl_txn_translate_one(struct bl_txn_ctx *ctx, union bl_object *object,
				binder_size_t object_offset, size_t object_size)
{
	struct bl_proc *target_proc = ctx->target_proc;
	struct bl_buffer *buffer = ctx->t->buffer;
	int ret;

	switch (object->hdr.type) {
	case BINDER_TYPE_BINDER:
	case BINDER_TYPE_WEAK_BINDER:
		ret = bl_translate_binder(ctx, &object->fbo);
		break;
	case BINDER_TYPE_HANDLE:
	case BINDER_TYPE_WEAK_HANDLE:
		ret = bl_translate_handle(ctx, &object->fbo);
		break;
	case BINDER_TYPE_FD:
		ret = bl_translate_fd(ctx, &object->fdo,
				      object_offset + offsetof(struct binder_fd_object, fd));
		break;
	default:
		ret = -EINVAL;
		break;
	}
	if (!ret)
		ret = bl_alloc_write(&target_proc->alloc, buffer, object_offset,
				     object, object_size);
	return ret;
}

int bl_txn_translate(struct bl_txn_ctx *ctx)
{
	struct bl_buffer *buffer = ctx->t->buffer;
	size_t off_start = ALIGN(buffer->data_size, sizeof(void *));
	size_t off_end = off_start + buffer->offsets_size;
	binder_size_t off_min = 0;
	size_t at;

	for (at = off_start; at < off_end; at += sizeof(binder_size_t)) {
		union bl_object object;
		binder_size_t object_offset;
		size_t object_size;
		int ret;

		ctx->objects_end = at;
		if (bl_read_offset(ctx->target_proc, buffer, at, &object_offset)) {
			bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL, "bad offset entry\n");
			return -EINVAL;
		}
		/*
		 * Upstream copies the data between objects as it walks them: an
		 * object before the end of the previous one, or past the data,
		 * fails that copy. Keep its errno.
		 */
		if (object_offset != off_min &&
		    (object_offset < off_min || object_offset > buffer->data_size)) {
			bl_txn_fail(ctx, BR_FAILED_REPLY, -EFAULT,
				    "object offset %llu before %llu or past the data\n",
				    (u64)object_offset, (u64)off_min);
			return -EFAULT;
		}
		object_size = bl_get_object(ctx->target_proc, buffer, object_offset, &object);
		if (!object_size || object_offset < off_min) {
			bl_txn_fail(ctx, BR_FAILED_REPLY, -EINVAL,
				    "invalid offset (%llu, min %llu max %zu) or object\n",
				    (u64)object_offset, (u64)off_min, buffer->data_size);
			return -EINVAL;
		}
		off_min = object_offset + object_size;
		ret = bl_txn_translate_one(ctx, &object, object_offset, object_size);
		if (ret) {
			bl_txn_fail(ctx, BR_FAILED_REPLY, ret,
				    "object type %#x translation failed\n", object.hdr.type);
			return ret;
		}
	}
	ctx->objects_end = off_end;
	return 0;
}
