#include "FakeDriver.h"

#include <sys/mman.h>

#include <cerrno>

namespace binder_test {
namespace {

// Splits a write buffer into commands, using the payload size the ioctl number encodes.
void recordCommands(const uint8_t* data, size_t size, std::vector<RecordedCommand>* out) {
    size_t pos = 0;
    while (pos + sizeof(uint32_t) <= size) {
        uint32_t cmd;
        std::memcpy(&cmd, data + pos, sizeof(cmd));
        pos += sizeof(cmd);
        const size_t payload = _IOC_SIZE(cmd);
        RecordedCommand command{cmd, {}};
        if (pos + payload <= size) command.payload.assign(data + pos, data + pos + payload);
        pos += payload;
        out->push_back(std::move(command));
    }
}

class FakeDriverOps final : public android::internal::DriverOps {
public:
    int open(const char* /*path*/, int /*flags*/) override { return FakeDriverState::kFd; }
    int close(int /*fd*/) override { return 0; }
    void* mmap(size_t length, int /*prot*/, int /*flags*/, int /*fd*/) override {
        fakeDriver().mapping.assign(length, 0);
        return fakeDriver().mapping.data();
    }
    int munmap(void* /*address*/, size_t /*length*/) override { return 0; }

    int ioctl(int fd, unsigned long request, void* arg) override {
        FakeDriverState& state = fakeDriver();
        if (fd != FakeDriverState::kFd) return fail(EBADF);
        switch (request) {
            case BINDER_VERSION:
                static_cast<binder_version*>(arg)->protocol_version = BINDER_CURRENT_PROTOCOL_VERSION;
                return 0;
            case BINDER_SET_MAX_THREADS:
                state.maxThreads = *static_cast<uint32_t*>(arg);
                return 0;
            case BINDER_SET_CONTEXT_MGR_EXT:
                return 0;
            case BINDER_THREAD_EXIT:
                ++state.threadExits;
                return 0;
            case BINDER_WRITE_READ:
                return writeRead(state, *static_cast<binder_write_read*>(arg));
            default:
                return fail(EINVAL);
        }
    }

private:
    static int fail(int error) {
        errno = error;
        return -1;
    }

    static int writeRead(FakeDriverState& state, binder_write_read& bwr) {
        std::lock_guard lock(state.mutex);
        if (bwr.write_size > 0) {
            recordCommands(reinterpret_cast<const uint8_t*>(bwr.write_buffer), bwr.write_size,
                           &state.commands);
            bwr.write_consumed = bwr.write_size;
        }
        if (bwr.read_size > 0) {
            // Nothing scripted: the conversation is over (a real driver would block).
            if (state.batches.empty()) return fail(ECONNREFUSED);
            std::vector<uint8_t> batch = std::move(state.batches.front());
            state.batches.pop_front();
            if (batch.size() > bwr.read_size) return fail(EINVAL);
            std::memcpy(reinterpret_cast<void*>(bwr.read_buffer), batch.data(), batch.size());
            bwr.read_consumed = batch.size();
        }
        return 0;
    }
};

}  // namespace

FakeDriverState& fakeDriver() {
    static FakeDriverState state;
    return state;
}

std::unique_ptr<android::internal::DriverOps> makeFakeDriverOps() {
    return std::make_unique<FakeDriverOps>();
}

}  // namespace binder_test
