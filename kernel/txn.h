/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * binder_lite: what the transaction pipeline (transaction.c) shares with
 * the translation of the objects it carries (object.c).
 */
#ifndef BL_TXN_H
#define BL_TXN_H

#include "internal.h"

/* One BC_TRANSACTION or BC_REPLY on its way through the pipeline. */
struct bl_txn_ctx {
	struct bl_proc *proc;
	struct bl_thread *thread;
	const struct binder_transaction_data *tr;
	bool reply;
	bool oneway;
	int debug_id;

	struct bl_transaction *in_reply_to;	/* reply: the call answered */
	struct bl_proc *target_proc;		/* holds a tmp_ref */
	struct bl_thread *target_thread;	/* holds a tmp_ref, may be NULL */
	struct bl_node *target_node;		/* tmpref + local strong ref */
	struct bl_transaction *t;
	struct bl_work *tcomplete;
	bool tcomplete_queued;
	size_t objects_end;			/* offsets[] translated so far */
	size_t extra_buffers_size;		/* BC_*_SG: space for PTR buffers */
	size_t sg_offset;			/* next free byte of that space */
	size_t sg_end;				/* its end */
	char *secctx;				/* the caller's LSM context, when the node asks */
	u32 secctx_sz;
	/* fixup order (see bl_validate_fixup): last PTR fixed up in, min offset */
	binder_size_t last_fixup_obj_off;
	binder_size_t last_fixup_min_off;
	struct bl_err err;
};

#define bl_txn_fail(ctx, br_code, errno_val, fmt, ...)			\
	do {								\
		bl_err_set(&(ctx)->err, br_code, errno_val);		\
		bl_debug(BL_DEBUG_FAILED_TXN,				\
			 "%d:%d transaction %d failed at line %d: " fmt,	\
			 (ctx)->proc->pid, (ctx)->thread->pid,		\
			 (ctx)->debug_id, __LINE__, ##__VA_ARGS__);	\
	} while (0)

int bl_txn_translate(struct bl_txn_ctx *ctx);
void bl_buffer_release_objects(struct bl_proc *proc, struct bl_thread *thread,
			       struct bl_buffer *buffer, size_t off_end, bool is_failure);
void bl_free_txn_fixups(struct bl_transaction *t);

#endif /* BL_TXN_H */
