// The parts of the binder UAPI (include/uapi/linux/android/binder.h) that libbinder uses but
// that older kernel headers lack. Debian 12's linux-libc-dev is Linux 6.1, which predates
// BR_TRANSACTION_PENDING_FROZEN and freeze notifications (6.12's header has both).
//
// The values are ABI: they are computed here with the kernel's own _IO* macros from the same
// arguments upstream uses, so a program built against old headers speaks the protocol of a new
// kernel. They live in this namespace rather than as global enumerators, so they never collide
// with a newer header that defines the same names; where the header has them, the two are
// checked to agree.
#pragma once

#include <linux/android/binder.h>
#include <linux/version.h>

#include <cstddef>
#include <cstdint>

namespace android::internal::uapi {

// struct binder_frozen_state_info: the payload of BR_FROZEN_BINDER.
struct FrozenStateInfo {
    binder_uintptr_t cookie;  // the cookie given with BC_REQUEST_FREEZE_NOTIFICATION
    __u32 is_frozen;          // the target process's state: 1 frozen, 0 not
    __u32 reserved;
};
static_assert(sizeof(FrozenStateInfo) == 16 && offsetof(FrozenStateInfo, is_frozen) == 8);

// A one-way transaction reached a frozen process and waits for it to thaw (replaces
// BR_TRANSACTION_COMPLETE).
inline constexpr uint32_t BR_TRANSACTION_PENDING_FROZEN = _IO('r', 20);
// A process holding a freeze notification on the object changed state.
inline constexpr uint32_t BR_FROZEN_BINDER = _IOR('r', 21, FrozenStateInfo);
// BC_CLEAR_FREEZE_NOTIFICATION is done; payload: the cookie.
inline constexpr uint32_t BR_CLEAR_FREEZE_NOTIFICATION_DONE = _IOR('r', 22, binder_uintptr_t);

inline constexpr uint32_t BC_REQUEST_FREEZE_NOTIFICATION = _IOW('c', 19, binder_handle_cookie);
inline constexpr uint32_t BC_CLEAR_FREEZE_NOTIFICATION = _IOW('c', 20, binder_handle_cookie);
inline constexpr uint32_t BC_FREEZE_NOTIFICATION_DONE = _IOW('c', 21, binder_uintptr_t);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static_assert(BR_TRANSACTION_PENDING_FROZEN == ::BR_TRANSACTION_PENDING_FROZEN);
static_assert(BR_FROZEN_BINDER == ::BR_FROZEN_BINDER);
static_assert(BR_CLEAR_FREEZE_NOTIFICATION_DONE == ::BR_CLEAR_FREEZE_NOTIFICATION_DONE);
static_assert(BC_REQUEST_FREEZE_NOTIFICATION == ::BC_REQUEST_FREEZE_NOTIFICATION);
static_assert(BC_CLEAR_FREEZE_NOTIFICATION == ::BC_CLEAR_FREEZE_NOTIFICATION);
static_assert(BC_FREEZE_NOTIFICATION_DONE == ::BC_FREEZE_NOTIFICATION_DONE);
static_assert(sizeof(FrozenStateInfo) == sizeof(::binder_frozen_state_info));
#endif

}  // namespace android::internal::uapi
