// The parts of the binder UAPI newer than the userspace header this project builds against
// (Debian 12's linux-libc-dev, Linux 6.1), with upstream's values: they are ABI. Each is
// defined only when the header did not define it, so a newer header wins silently.
//
// Upstream declares the BC_/BR_ codes as enumerators, which #ifndef cannot see; the macros
// below take their names, so this header must come after <linux/android/binder.h> (it
// includes it first) and no later header may declare those enumerators again.
//
// It also says which of them the running kernel's driver knows: a test of a feature the
// kernel's UAPI lacks checks that the command is refused rather than skipping silently.
#pragma once

#include <linux/android/binder.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>

#include <cstdio>

// Linux 6.5: a one-way call to a frozen process completes with this instead of
// BR_TRANSACTION_COMPLETE (it is queued until the process thaws).
#ifndef BR_TRANSACTION_PENDING_FROZEN
#define BR_TRANSACTION_PENDING_FROZEN _IO('r', 20)
#endif

// Linux 6.12: freeze notifications, the freeze counterpart of death notifications.
#ifndef BC_REQUEST_FREEZE_NOTIFICATION
#define BC_REQUEST_FREEZE_NOTIFICATION _IOW('c', 19, struct binder_handle_cookie)
#endif
#ifndef BC_CLEAR_FREEZE_NOTIFICATION
#define BC_CLEAR_FREEZE_NOTIFICATION _IOW('c', 20, struct binder_handle_cookie)
#endif
#ifndef BC_FREEZE_NOTIFICATION_DONE
#define BC_FREEZE_NOTIFICATION_DONE _IOW('c', 21, binder_uintptr_t)
#endif
#ifndef BR_FROZEN_BINDER
#define BR_FROZEN_BINDER _IOR('r', 21, struct binder_test_frozen_state_info)
#endif
#ifndef BR_CLEAR_FREEZE_NOTIFICATION_DONE
#define BR_CLEAR_FREEZE_NOTIFICATION_DONE _IOR('r', 22, binder_uintptr_t)
#endif

// BR_FROZEN_BINDER's payload (upstream: struct binder_frozen_state_info).
struct binder_test_frozen_state_info {
  binder_uintptr_t cookie;
  __u32 is_frozen;
  __u32 reserved;
};

namespace binder_test {

// BINDER_GET_FROZEN_INFO's sync_recv bits (upstream describes them only in a comment).
// A synchronous call arrived while frozen.
inline constexpr __u32 kFrozenSyncReceived = 0x1;
// Calls to the process are unfinished now: queued and not yet read, or read and not yet
// answered (upstream: "new pending sync transaction during freezing").
inline constexpr __u32 kFrozenSyncPending = 0x2;

// True when the running kernel is MAJOR.MINOR or newer (from uname; the VM boots Debian's
// 6.1 and 6.12 kernels, whose reference drivers define the UAPI each test expects).
inline bool runningKernelAtLeast(int major, int minor) {
  utsname name{};
  int runningMajor = 0;
  int runningMinor = 0;
  if (::uname(&name) != 0 || std::sscanf(name.release, "%d.%d", &runningMajor, &runningMinor) != 2)
    return false;
  return runningMajor > major || (runningMajor == major && runningMinor >= minor);
}

// Linux 6.5 added BR_TRANSACTION_PENDING_FROZEN.
inline bool kernelHasPendingFrozen() { return runningKernelAtLeast(6, 5); }
// Linux 6.12 added the freeze notifications.
inline bool kernelHasFreezeNotifications() { return runningKernelAtLeast(6, 12); }

}  // namespace binder_test
