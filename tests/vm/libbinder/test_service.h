// ITestService: the hand-written interface the libbinder VM tests run between processes.
// The service side runs in a child that becomes the context manager, so clients reach it at
// handle 0 without a service manager.
#pragma once

#include <functional>
#include <memory>

#include <binder/Binder.h>
#include <binder/IInterface.h>
#include <binder/Parcel.h>

#include "child_process.h"

namespace binder_test {

class ITestService : public android::IInterface {
 public:
  DECLARE_META_INTERFACE(TestService)

  enum : uint32_t {
    ECHO = android::IBinder::FIRST_CALL_TRANSACTION,  // replies with the request's bytes
    CHECKSUM,         // byte vector in; its length (int64) and FNV-1a hash (uint64) out
    RECORD,           // one-way: appends an int32 to the log
    GET_RECORDED,     // the log as an int32 vector
    CALL_BACK,        // a binder and an int32 in; calls the binder with code ECHO and the
                      // int32, replies with what it answered
    READ_FD,          // an fd in; replies with the bytes read from it (up to 4 KiB)
    MAKE_FD,          // a string in; replies with an fd of a pipe holding that string
    RENDEZVOUS,       // an int32 N in: waits until N calls are inside at once (or 30 s),
                      // replies with the largest number seen inside at once
    WHO_CALLED,       // replies with the caller's pid and uid as the service saw them
  };
};

// The client side: a thin proxy, each method one transaction.
class BpTestService : public android::BpInterface<ITestService> {
 public:
  explicit BpTestService(const android::sp<android::IBinder>& remote)
      : android::BpInterface<ITestService>(remote) {}
  android::IBinder* binder() const { return remote(); }
};

// Starts a service in a child process: |makeService| builds the object there, which becomes
// the context manager (handle 0) and is served by a pool of up to |maxThreads| threads.
// Returns once it holds the role.
std::unique_ptr<ChildProcess> startContextManager(
    std::function<android::sp<android::BBinder>()> makeService, size_t maxThreads);

// FNV-1a, to check large payloads end to end.
inline uint64_t fnv1a(const uint8_t* data, size_t size) {
  uint64_t hash = 1469598103934665603ULL;
  for (size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 1099511628211ULL;
  return hash;
}

}  // namespace binder_test
