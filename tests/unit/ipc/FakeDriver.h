// A fake binder driver behind the DriverOps seam: it records every command libbinder writes
// and answers reads from a script of return batches, so IPCThreadState's encoding and
// decoding can be checked byte by byte without a kernel.
#pragma once

#include <linux/android/binder.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "internal/DriverOps.h"

namespace binder_test {

struct RecordedCommand {
    uint32_t cmd;
    std::vector<uint8_t> payload;

    template <typename T>
    T as() const {
        T value{};
        std::memcpy(&value, payload.data(), std::min(sizeof(T), payload.size()));
        return value;
    }
};

class FakeDriverState {
public:
    static constexpr int kFd = 1000;

    // Queues one batch of returns, handed out by the next BINDER_WRITE_READ that reads.
    class Batch {
    public:
        Batch& add(uint32_t cmd) { return append(&cmd, sizeof(cmd)); }
        template <typename T>
        Batch& add(uint32_t cmd, const T& payload) {
            add(cmd);
            return append(&payload, sizeof(payload));
        }
        Batch& append(const void* data, size_t size) {
            const auto* bytes = static_cast<const uint8_t*>(data);
            bytes_.insert(bytes_.end(), bytes, bytes + size);
            return *this;
        }
        std::vector<uint8_t> bytes_;
    };

    void script(Batch batch) {
        std::lock_guard lock(mutex);
        batches.push_back(std::move(batch.bytes_));
    }
    std::vector<RecordedCommand> takeCommands() {
        std::lock_guard lock(mutex);
        return std::exchange(commands, {});
    }
    void reset() {
        std::lock_guard lock(mutex);
        commands.clear();
        batches.clear();
    }
    // Copies |data| into the fake receive mapping at |offset| and returns its address.
    binder_uintptr_t placeInMapping(size_t offset, const void* data, size_t size) {
        std::memcpy(mapping.data() + offset, data, size);
        return reinterpret_cast<uintptr_t>(mapping.data() + offset);
    }

    std::mutex mutex;
    std::vector<RecordedCommand> commands;
    std::deque<std::vector<uint8_t>> batches;
    std::vector<uint8_t> mapping;
    uint32_t maxThreads = 0;
    int threadExits = 0;
};

FakeDriverState& fakeDriver();
std::unique_ptr<android::internal::DriverOps> makeFakeDriverOps();

}  // namespace binder_test
