// The system-call seam: every open/ioctl/mmap libbinder makes on the binder device goes
// through a DriverOps, so the protocol code (ProcessState, IPCThreadState) can be tested
// against a fake driver on a host without one.
#pragma once

#include <cstddef>
#include <memory>

namespace android::internal {

class DriverOps {
public:
    virtual ~DriverOps() = default;

    // Each returns what the system call does: a descriptor or 0 on success, -1 with errno
    // set on failure (mmap: MAP_FAILED).
    virtual int open(const char* path, int flags) = 0;
    virtual int close(int fd) = 0;
    virtual int ioctl(int fd, unsigned long request, void* arg) = 0;
    virtual void* mmap(size_t length, int prot, int flags, int fd) = 0;
    virtual int munmap(void* address, size_t length) = 0;
};

// The real system calls.
std::unique_ptr<DriverOps> makeSystemDriverOps();

}  // namespace android::internal
