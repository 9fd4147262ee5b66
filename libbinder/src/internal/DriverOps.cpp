#include "internal/DriverOps.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace android::internal {
namespace {

class SystemDriverOps final : public DriverOps {
public:
    int open(const char* path, int flags) override { return ::open(path, flags); }
    int close(int fd) override { return ::close(fd); }
    int ioctl(int fd, unsigned long request, void* arg) override {
        return ::ioctl(fd, request, arg);
    }
    void* mmap(size_t length, int prot, int flags, int fd) override {
        return ::mmap(nullptr, length, prot, flags, fd, 0);
    }
    int munmap(void* address, size_t length) override { return ::munmap(address, length); }
};

}  // namespace

std::unique_ptr<DriverOps> makeSystemDriverOps() { return std::make_unique<SystemDriverOps>(); }

}  // namespace android::internal
