// SPDX-License-Identifier: GPL-2.0-only
/*
 * binder_lite objects: the binders, handles and fds a transaction carries.
 * Sending translates them for the receiver (a node becomes a handle, a
 * handle the node or the receiver's own handle, an fd a file to install
 * when the receiver reads); freeing a buffer drops what they hold.
 *
 * Scatter-gather (BC_TRANSACTION_SG): a PTR object names a sender buffer
 * that is copied into the extra space after the offsets array, its pointer
 * rewritten to the receiver's address; a child PTR also rewrites the
 * pointer at parent_offset inside its parent's copy. An FDA object names
 * an array of fds inside a parent PTR buffer: each is installed in the
 * receiver like an FD object, and closed when the buffer is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/security.h>
#include <linux/task_work.h>

#include "internal.h"
#include "txn.h"
#include "compat.h"

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
	struct binder_buffer_object bbo;
	struct binder_fd_array_object fdao;
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
	case BINDER_TYPE_PTR:
		object_size = sizeof(struct binder_buffer_object);
		break;
	case BINDER_TYPE_FDA:
		object_size = sizeof(struct binder_fd_array_object);
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
 * The PTR object that offsets[@index] names, for an object whose own
 * entry is number @num_valid: parents come first. Its offset in the data
 * goes to @object_offset when asked for. Returns false when invalid.
 */
static bool bl_validate_ptr(struct bl_proc *proc, struct bl_buffer *buffer,
			    binder_size_t index, binder_size_t num_valid,
			    struct binder_buffer_object *bbo, binder_size_t *object_offset)
{
	size_t off_start = bl_buffer_offsets_start(buffer);
	union bl_object object;
	binder_size_t offset;

	if (index >= num_valid)
		return false;
	if (bl_read_offset(proc, buffer, off_start + index * sizeof(binder_size_t), &offset) ||
	    bl_get_object(proc, buffer, offset, &object) != sizeof(object.bbo) ||
	    object.hdr.type != BINDER_TYPE_PTR)
		return false;
	*bbo = object.bbo;
	if (object_offset)
		*object_offset = offset;
	return true;
}

/* Offset in @buffer of the receiver address @uaddr (inside the buffer). */
static binder_size_t bl_buffer_offset_of(struct bl_proc *proc, struct bl_buffer *buffer,
					 binder_uintptr_t uaddr)
{
	return uaddr - bl_alloc_user_addr(&proc->alloc, buffer);
}

/* Where the fds of @fda are in @buffer, once its parent is translated. */
static int bl_fda_location(struct bl_proc *proc, struct bl_buffer *buffer,
			   const struct binder_fd_array_object *fda,
			   const struct binder_buffer_object *parent, binder_size_t *fda_offset)
{
	binder_size_t fd_buf_size;

	if (fda->num_fds >= SIZE_MAX / sizeof(u32))
		return -EINVAL;
	fd_buf_size = sizeof(u32) * fda->num_fds;
	if (fd_buf_size > parent->length || fda->parent_offset > parent->length - fd_buf_size)
		return -EINVAL;
	*fda_offset = bl_buffer_offset_of(proc, buffer, parent->buffer) + fda->parent_offset;
	if (!IS_ALIGNED(*fda_offset, sizeof(u32)))
		return -EINVAL;
	return 0;
}

/* Close an fd of the current process once it returns to userspace, as upstream. */
struct bl_fd_close {
	struct callback_head twork;
	struct file *file;
};

static void bl_do_fd_close(struct callback_head *twork)
{
	struct bl_fd_close *close = container_of(twork, struct bl_fd_close, twork);

	fput(close->file);
	kfree(close);
}

static void bl_deferred_fd_close(u32 fd)
{
	struct bl_fd_close *close;

	close = kzalloc(sizeof(*close), GFP_KERNEL);
	if (!close)
		return;
	init_task_work(&close->twork, bl_do_fd_close);
	close->file = bl_close_fd_get_file(fd);
	if (!close->file) {
		kfree(close);
		return;
	}
	/*
	 * The fd is gone now. filp_close() drops the table's reference; ours
	 * keeps the file until the thread is back out of the driver.
	 */
	get_file(close->file);
	filp_close(close->file, current->files);
	if (task_work_add(current, &close->twork, TWA_RESUME)) {
		fput(close->file);
		kfree(close);
	}
}

/* A delivered buffer's fd arrays belong to it: close them with it. */
static void bl_release_fda(struct bl_proc *proc, struct bl_thread *thread,
			   struct bl_buffer *buffer, const struct binder_fd_array_object *fda,
			   binder_size_t num_valid)
{
	struct binder_buffer_object parent;
	binder_size_t fda_offset, i;

	if (!bl_validate_ptr(proc, buffer, fda->parent, num_valid, &parent, NULL) ||
	    bl_fda_location(proc, buffer, fda, &parent, &fda_offset)) {
		pr_err_ratelimited("buffer %d release: bad fd array\n", buffer->debug_id);
		return;
	}
	for (i = 0; i < fda->num_fds; i++) {
		u32 fd;

		if (bl_alloc_read(&proc->alloc, buffer, fda_offset + i * sizeof(fd), &fd,
				  sizeof(fd)))
			break;
		bl_deferred_fd_close(fd);
	}
	/* the closes run when the thread returns to userspace */
	if (thread && fda->num_fds)
		thread->looper_need_return = true;
}

/*
 * Drop what the objects of @buffer (owned by @proc) hold, for offsets[]
 * entries before @off_end (in bytes from the buffer start), and the
 * transaction's hold on the target node. Unless @is_failure (the buffer
 * never reached userspace), the fds of its fd arrays are closed in the
 * calling process, which owns the buffer; @thread, when known, is sent
 * back to userspace to complete the closes.
 */
void bl_buffer_release_objects(struct bl_proc *proc, struct bl_thread *thread,
			       struct bl_buffer *buffer, size_t off_end, bool is_failure)
{
	size_t off_start = bl_buffer_offsets_start(buffer);
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
		case BINDER_TYPE_PTR:
			/* the copy lives in the buffer itself */
			break;
		case BINDER_TYPE_FDA:
			if (!is_failure)
				bl_release_fda(proc, thread, buffer, &object.fdao,
					       (at - off_start) / sizeof(binder_size_t));
			break;
		}
	}
}

/*
 * Free a buffer @proc owns: detach its transaction, start the node's next
 * one-way call, drop its objects' references.
 */
void bl_free_buf(struct bl_proc *proc, struct bl_thread *thread, struct bl_buffer *buffer,
		 bool is_failure)
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
	bl_buffer_release_objects(proc, thread, buffer, bl_buffer_offsets_end(buffer), is_failure);
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

/* An fd (of an FD object or array): take the file now, install it when the receiver reads. */
static int bl_translate_fd(struct bl_txn_ctx *ctx, u32 fd, size_t fd_offset)
{
	struct bl_fd_fixup *fixup;
	bool allowed;
	struct file *file;

	if (ctx->in_reply_to)
		allowed = ctx->in_reply_to->flags & TF_ACCEPT_FDS;
	else
		allowed = ctx->target_node && ctx->target_node->accept_fds;
	if (!allowed) {
		bl_user_error("%d:%d fd %u sent to a target that does not accept fds\n",
			      ctx->proc->pid, ctx->thread->pid, fd);
		return -EPERM;
	}
	file = fget(fd);
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
	return 0;
}

/*
 * Fixups inside PTR buffers go forward only: into the last PTR object
 * translated or one of its ancestors, and at increasing offsets within a
 * parent (upstream's rule; it keeps every check local).
 */
static bool bl_validate_fixup(struct bl_txn_ctx *ctx, binder_size_t parent_obj_off,
			      binder_size_t fixup_offset)
{
	struct bl_proc *proc = ctx->target_proc;
	struct bl_buffer *buffer = ctx->t->buffer;
	size_t off_start = bl_buffer_offsets_start(buffer);
	binder_size_t last_obj_off = ctx->last_fixup_obj_off;
	binder_size_t last_min_off = ctx->last_fixup_min_off;

	if (!last_obj_off)
		return false;	/* nothing to fix up in */
	while (last_obj_off != parent_obj_off) {
		union bl_object last;
		binder_size_t parent_entry;

		if (bl_get_object(proc, buffer, last_obj_off, &last) != sizeof(last.bbo) ||
		    last.hdr.type != BINDER_TYPE_PTR ||
		    !(last.bbo.flags & BINDER_BUFFER_FLAG_HAS_PARENT))
			return false;
		/* validated when it was translated: its parent comes before it */
		last_min_off = last.bbo.parent_offset + sizeof(binder_uintptr_t);
		parent_entry = off_start + last.bbo.parent * sizeof(binder_size_t);
		if (bl_read_offset(proc, buffer, parent_entry, &last_obj_off))
			return false;
	}
	return fixup_offset >= last_min_off;
}

/*
 * The parent PTR object (offsets[@index], before entry @num_valid) of a
 * fixup at @fixup_offset inside it, checked for type and order.
 */
static int bl_get_fixup_parent(struct bl_txn_ctx *ctx, binder_size_t index,
			       binder_size_t num_valid, binder_size_t fixup_offset,
			       struct binder_buffer_object *parent, binder_size_t *parent_obj_off)
{
	if (!bl_validate_ptr(ctx->target_proc, ctx->t->buffer, index, num_valid, parent,
			     parent_obj_off)) {
		bl_user_error("%d:%d transaction with invalid parent offset or type\n",
			      ctx->proc->pid, ctx->thread->pid);
		return -EINVAL;
	}
	if (!bl_validate_fixup(ctx, *parent_obj_off, fixup_offset)) {
		bl_user_error("%d:%d transaction with out-of-order buffer fixup\n",
			      ctx->proc->pid, ctx->thread->pid);
		return -EINVAL;
	}
	return 0;
}

/* PTR with a parent: point the parent's copy at the child's copy. */
static int bl_fixup_parent(struct bl_txn_ctx *ctx, const struct binder_buffer_object *bp,
			   binder_size_t num_valid)
{
	struct bl_proc *proc = ctx->target_proc;
	struct bl_buffer *buffer = ctx->t->buffer;
	struct binder_buffer_object parent;
	binder_size_t parent_obj_off;
	int ret;

	if (!(bp->flags & BINDER_BUFFER_FLAG_HAS_PARENT))
		return 0;
	ret = bl_get_fixup_parent(ctx, bp->parent, num_valid, bp->parent_offset, &parent,
				  &parent_obj_off);
	if (ret)
		return ret;
	if (parent.length < sizeof(binder_uintptr_t) ||
	    bp->parent_offset > parent.length - sizeof(binder_uintptr_t)) {
		bl_user_error("%d:%d transaction with invalid parent offset\n",
			      ctx->proc->pid, ctx->thread->pid);
		return -EINVAL;
	}
	return bl_alloc_write(&proc->alloc, buffer,
			      bl_buffer_offset_of(proc, buffer, parent.buffer) + bp->parent_offset,
			      &bp->buffer, sizeof(bp->buffer));
}

/* PTR: copy the sender's buffer into the extra space, then fix up the parent. */
static int bl_translate_ptr(struct bl_txn_ctx *ctx, struct binder_buffer_object *bp,
			    binder_size_t object_offset, binder_size_t num_valid)
{
	struct bl_proc *proc = ctx->target_proc;
	struct bl_buffer *buffer = ctx->t->buffer;
	int ret;

	if (bp->length > ctx->sg_end - ctx->sg_offset) {
		bl_user_error("%d:%d transaction with too large buffer\n",
			      ctx->proc->pid, ctx->thread->pid);
		return -EINVAL;
	}
	/* as upstream (which copies these later): an unreadable buffer is EINVAL */
	if (bl_alloc_copy_user(&proc->alloc, buffer, ctx->sg_offset,
			       u64_to_user_ptr(bp->buffer), bp->length))
		return -EINVAL;
	bp->buffer = bl_alloc_user_addr(&proc->alloc, buffer) + ctx->sg_offset;
	/* cannot pass sg_end: it and sg_offset are 8-byte aligned */
	ctx->sg_offset += ALIGN(bp->length, sizeof(u64));
	ret = bl_fixup_parent(ctx, bp, num_valid);
	if (ret)
		return ret;
	ctx->last_fixup_obj_off = object_offset;
	ctx->last_fixup_min_off = 0;
	return 0;
}

/* FDA: every fd of the array inside the parent's copy travels like an FD object. */
static int bl_translate_fda(struct bl_txn_ctx *ctx, struct binder_fd_array_object *fda,
			    binder_size_t num_valid)
{
	struct bl_proc *proc = ctx->target_proc;
	struct bl_buffer *buffer = ctx->t->buffer;
	struct binder_buffer_object parent;
	binder_size_t parent_obj_off, fda_offset, i;
	int ret;

	ret = bl_get_fixup_parent(ctx, fda->parent, num_valid, fda->parent_offset, &parent,
				  &parent_obj_off);
	if (ret)
		return ret;
	if (bl_fda_location(proc, buffer, fda, &parent, &fda_offset)) {
		bl_user_error("%d:%d transaction with bad fd array (%llu fds at %llu)\n",
			      ctx->proc->pid, ctx->thread->pid, (u64)fda->num_fds,
			      (u64)fda->parent_offset);
		return -EINVAL;
	}
	for (i = 0; i < fda->num_fds; i++) {
		binder_size_t offset = fda_offset + i * sizeof(u32);
		u32 fd;

		ret = bl_alloc_read(&proc->alloc, buffer, offset, &fd, sizeof(fd));
		if (!ret)
			ret = bl_translate_fd(ctx, fd, offset);
		if (ret)
			return ret;
	}
	ctx->last_fixup_obj_off = parent_obj_off;
	ctx->last_fixup_min_off = fda->parent_offset + sizeof(u32) * fda->num_fds;
	return 0;
}

static int bl_txn_translate_one(struct bl_txn_ctx *ctx, union bl_object *object,
				binder_size_t object_offset, size_t object_size,
				binder_size_t num_valid)
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
		ret = bl_translate_fd(ctx, object->fdo.fd,
				      object_offset + offsetof(struct binder_fd_object, fd));
		object->fdo.pad_binder = 0;
		break;
	case BINDER_TYPE_PTR:
		ret = bl_translate_ptr(ctx, &object->bbo, object_offset, num_valid);
		break;
	case BINDER_TYPE_FDA:
		ret = bl_translate_fda(ctx, &object->fdao, num_valid);
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
	size_t off_start = bl_buffer_offsets_start(buffer);
	size_t off_end = bl_buffer_offsets_end(buffer);
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
		ret = bl_txn_translate_one(ctx, &object, object_offset, object_size,
					   (at - off_start) / sizeof(binder_size_t));
		if (ret) {
			bl_txn_fail(ctx, BR_FAILED_REPLY, ret,
				    "object type %#x translation failed\n", object.hdr.type);
			return ret;
		}
	}
	ctx->objects_end = off_end;
	return 0;
}
