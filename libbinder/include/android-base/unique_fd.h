// android::base::unique_fd: a move-only owner of a file descriptor, closed when the owner goes
// away. The type AOSP code and aidl-generated C++ use for file descriptors (Parcel's
// writeUniqueFileDescriptor / readUniqueFileDescriptor).
//
// Like any single object, one unique_fd must not be used from two threads at once.
#pragma once

#include <unistd.h>

#include <utility>

namespace android::base {

class unique_fd {
public:
    unique_fd() noexcept = default;
    explicit unique_fd(int fd) noexcept : mFd(fd) {}
    unique_fd(unique_fd&& other) noexcept : mFd(other.release()) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    // Closes the current descriptor (if any) and takes ownership of |fd|.
    void reset(int fd = -1) noexcept {
        const int old = std::exchange(mFd, fd);
        if (old >= 0) ::close(old);
    }
    // Gives up ownership without closing.
    [[nodiscard]] int release() noexcept { return std::exchange(mFd, -1); }
    int get() const noexcept { return mFd; }
    bool ok() const noexcept { return mFd >= 0; }

private:
    int mFd = -1;
};

}  // namespace android::base
