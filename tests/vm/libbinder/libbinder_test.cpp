// libbinder between real processes, on whichever driver tools/vm/run loaded: a service in one
// child process (the context manager, so clients find it at handle 0), clients in others.
// The test process itself never opens the driver, so every child starts with a fresh
// ProcessState.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <binder/Binder.h>
#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <gtest/gtest.h>

#include "child_process.h"
#include "driver_stats.h"
#include "test_service.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

using android::BBinder;
using android::IBinder;
using android::IPCThreadState;
using android::Parcel;
using android::ProcessState;
using android::sp;
using android::status_t;
using android::String16;
using android::String8;
using namespace std::chrono_literals;

pid_t currentTid() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

// The service: see ITestService for what each code does.
class TestService : public android::BnInterface<ITestService> {
 public:
  status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply,
                      uint32_t flags) override {
    switch (code) {
      case ECHO:
        return reply->write(data.data(), data.dataSize());
      case CHECKSUM: {
        std::vector<uint8_t> bytes;
        if (status_t s = data.readByteVector(&bytes); s != android::OK) return s;
        if (status_t s = reply->writeInt64(static_cast<int64_t>(bytes.size())); s != android::OK) return s;
        return reply->writeUint64(fnv1a(bytes.data(), bytes.size()));
      }
      case RECORD: {
        std::lock_guard lock(mutex_);
        recorded_.push_back(data.readInt32());
        return android::OK;
      }
      case GET_RECORDED: {
        std::lock_guard lock(mutex_);
        return reply->writeInt32Vector(recorded_);
      }
      case CALL_BACK: {
        sp<IBinder> callback;
        if (status_t s = data.readStrongBinder(&callback); s != android::OK) return s;
        Parcel request;
        Parcel answer;
        if (status_t s = request.writeInt32(data.readInt32()); s != android::OK) return s;
        if (status_t s = callback->transact(ECHO, request, &answer); s != android::OK) return s;
        return reply->writeInt32(answer.readInt32());
      }
      case READ_FD: {
        const int fd = data.readFileDescriptor();
        if (fd < 0) return android::BAD_VALUE;
        char buffer[4096];
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        if (n < 0) return -errno;
        return reply->writeUtf8AsUtf16(std::string(buffer, static_cast<size_t>(n)));
      }
      case MAKE_FD: {
        std::string text;
        if (status_t s = data.readUtf8FromUtf16(&text); s != android::OK) return s;
        int fds[2];
        if (::pipe(fds) != 0) return -errno;
        if (::write(fds[1], text.data(), text.size()) != static_cast<ssize_t>(text.size())) return -errno;
        ::close(fds[1]);
        // The reply owns the dup; the original goes now.
        const status_t s = reply->writeDupFileDescriptor(fds[0]);
        ::close(fds[0]);
        return s;
      }
      case RENDEZVOUS: {
        const int32_t wanted = data.readInt32();
        std::unique_lock lock(mutex_);
        ++inside_;
        maxInside_ = std::max(maxInside_, inside_);
        changed_.notify_all();
        changed_.wait_for(lock, 30s, [&] { return maxInside_ >= wanted; });
        const int32_t seen = maxInside_;
        --inside_;
        return reply->writeInt32(seen);
      }
      case WHO_CALLED: {
        IPCThreadState* ipc = IPCThreadState::self();
        if (status_t s = reply->writeInt32(ipc->getCallingPid()); s != android::OK) return s;
        return reply->writeInt32(static_cast<int32_t>(ipc->getCallingUid()));
      }
      default:
        return BBinder::onTransact(code, data, reply, flags);
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<int32_t> recorded_;
  int32_t inside_ = 0;
  int32_t maxInside_ = 0;
};

// Starts the service in a child and waits until it holds the context manager role.
std::unique_ptr<ChildProcess> startService(size_t maxThreads = 4) {
  return startContextManager([] { return sp<TestService>::make(); }, maxThreads);
}

sp<IBinder> serviceBinder() {
  sp<IBinder> binder = ProcessState::self()->getContextObject(nullptr);
  EXPECT_NE(binder, nullptr) << "no context manager at handle 0";
  return binder;
}

TEST(Libbinder, PingAndInterfaceDescriptor) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    EXPECT_EQ(binder->pingBinder(), android::OK);
    EXPECT_EQ(String8(binder->getInterfaceDescriptor()), String8(ITestService::descriptor));
    EXPECT_NE(binder->remoteBinder(), nullptr);
    EXPECT_EQ(binder->localBinder(), nullptr);
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(Libbinder, EveryParcelTypeCrossesProcesses) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    Parcel data;
    ASSERT_EQ(data.writeBool(true), android::OK);
    ASSERT_EQ(data.writeByte(-7), android::OK);
    ASSERT_EQ(data.writeChar(u'\u00e9'), android::OK);
    ASSERT_EQ(data.writeInt32(-123456), android::OK);
    ASSERT_EQ(data.writeUint32(4000000000U), android::OK);
    ASSERT_EQ(data.writeInt64(-(int64_t{1} << 40)), android::OK);
    ASSERT_EQ(data.writeUint64(UINT64_MAX - 1), android::OK);
    ASSERT_EQ(data.writeFloat(1.5F), android::OK);
    ASSERT_EQ(data.writeDouble(-2.25), android::OK);
    ASSERT_EQ(data.writeString8(String8("eight")), android::OK);
    ASSERT_EQ(data.writeString16(String16(u"sixteen \u2603")), android::OK);
    ASSERT_EQ(data.writeString16(std::optional<String16>()), android::OK);
    ASSERT_EQ(data.writeUtf8AsUtf16(std::string("utf8 \xf0\x9f\x98\x80")), android::OK);
    ASSERT_EQ(data.writeCString("c string"), android::OK);
    ASSERT_EQ(data.writeByteVector(std::vector<uint8_t>{1, 2, 3}), android::OK);
    ASSERT_EQ(data.writeInt32Vector(std::vector<int32_t>{7, -8}), android::OK);
    ASSERT_EQ(data.writeString16Vector(std::vector<String16>{String16(u"a"), String16(u"bc")}), android::OK);
    Parcel reply;
    ASSERT_EQ(binder->transact(ITestService::ECHO, data, &reply), android::OK);
    ASSERT_EQ(reply.dataSize(), data.dataSize());

    bool b = false;
    int8_t i8 = 0;
    char16_t c = 0;
    int32_t i32 = 0;
    uint32_t u32 = 0;
    int64_t i64 = 0;
    uint64_t u64 = 0;
    float f = 0;
    double d = 0;
    String8 s8;
    String16 s16;
    std::optional<String16> null16 = String16(u"x");
    std::string utf8;
    std::vector<uint8_t> bytes;
    std::vector<int32_t> ints;
    std::vector<String16> strings;
    ASSERT_EQ(reply.readBool(&b), android::OK);
    ASSERT_EQ(reply.readByte(&i8), android::OK);
    ASSERT_EQ(reply.readChar(&c), android::OK);
    ASSERT_EQ(reply.readInt32(&i32), android::OK);
    ASSERT_EQ(reply.readUint32(&u32), android::OK);
    ASSERT_EQ(reply.readInt64(&i64), android::OK);
    ASSERT_EQ(reply.readUint64(&u64), android::OK);
    ASSERT_EQ(reply.readFloat(&f), android::OK);
    ASSERT_EQ(reply.readDouble(&d), android::OK);
    ASSERT_EQ(reply.readString8(&s8), android::OK);
    ASSERT_EQ(reply.readString16(&s16), android::OK);
    ASSERT_EQ(reply.readString16(&null16), android::OK);
    ASSERT_EQ(reply.readUtf8FromUtf16(&utf8), android::OK);
    const char* cstr = reply.readCString();
    ASSERT_EQ(reply.readByteVector(&bytes), android::OK);
    ASSERT_EQ(reply.readInt32Vector(&ints), android::OK);
    ASSERT_EQ(reply.readString16Vector(&strings), android::OK);
    EXPECT_TRUE(b);
    EXPECT_EQ(i8, -7);
    EXPECT_EQ(c, u'\u00e9');
    EXPECT_EQ(i32, -123456);
    EXPECT_EQ(u32, 4000000000U);
    EXPECT_EQ(i64, -(int64_t{1} << 40));
    EXPECT_EQ(u64, UINT64_MAX - 1);
    EXPECT_EQ(f, 1.5F);
    EXPECT_EQ(d, -2.25);
    EXPECT_EQ(s8, String8("eight"));
    EXPECT_EQ(s16, String16(u"sixteen \u2603"));
    EXPECT_FALSE(null16.has_value());
    EXPECT_EQ(utf8, "utf8 \xf0\x9f\x98\x80");
    ASSERT_NE(cstr, nullptr);
    EXPECT_STREQ(cstr, "c string");
    EXPECT_EQ(bytes, (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_EQ(ints, (std::vector<int32_t>{7, -8}));
    ASSERT_EQ(strings.size(), 2U);
    EXPECT_EQ(strings[1], String16(u"bc"));
    EXPECT_EQ(reply.dataAvail(), 0U);
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(Libbinder, ServiceSeesTheCallersPidAndUid) {
  auto service = startService();
  ChildProcess client("client", [] {
    becomeUser(1000);
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    Parcel data;
    Parcel reply;
    ASSERT_EQ(binder->transact(ITestService::WHO_CALLED, data, &reply), android::OK);
    EXPECT_EQ(reply.readInt32(), getpid());
    EXPECT_EQ(reply.readInt32(), 1000);
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(Libbinder, Payload200KiBArrivesIntact) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    std::vector<uint8_t> payload(200 * 1024);
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 131 + 7);
    Parcel data;
    ASSERT_EQ(data.writeByteVector(payload), android::OK);
    Parcel reply;
    ASSERT_EQ(binder->transact(ITestService::CHECKSUM, data, &reply), android::OK);
    EXPECT_EQ(reply.readInt64(), static_cast<int64_t>(payload.size()));
    EXPECT_EQ(reply.readUint64(), fnv1a(payload.data(), payload.size()));
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(Libbinder, OneWayCallsArriveInOrder) {
  static constexpr int32_t kCalls = 200;
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    for (int32_t i = 0; i < kCalls; ++i) {
      Parcel data;
      ASSERT_EQ(data.writeInt32(i), android::OK);
      ASSERT_EQ(binder->transact(ITestService::RECORD, data, nullptr, IBinder::FLAG_ONEWAY), android::OK);
    }
    // One-way calls run on the service's pool; wait until all were handled.
    std::vector<int32_t> recorded;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (recorded.size() < kCalls && std::chrono::steady_clock::now() < deadline) {
      Parcel data;
      Parcel reply;
      ASSERT_EQ(binder->transact(ITestService::GET_RECORDED, data, &reply), android::OK);
      ASSERT_EQ(reply.readInt32Vector(&recorded), android::OK);
      if (recorded.size() < kCalls) std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(recorded.size(), static_cast<size_t>(kCalls));
    for (int32_t i = 0; i < kCalls; ++i) EXPECT_EQ(recorded[i], i);
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

// A local object the service calls back while the client waits in its own call.
class Callback : public BBinder {
 public:
  std::atomic<pid_t> calledOnTid{0};

 protected:
  status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) override {
    if (code != ITestService::ECHO) return BBinder::onTransact(code, data, reply, flags);
    calledOnTid = currentTid();
    return reply->writeInt32(data.readInt32() * 2);
  }
};

TEST(Libbinder, CallbackRunsNestedOnTheCallingThread) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    auto callback = sp<Callback>::make();
    Parcel data;
    ASSERT_EQ(data.writeStrongBinder(callback), android::OK);
    ASSERT_EQ(data.writeInt32(21), android::OK);
    Parcel reply;
    // No thread pool here: the nested call can only run on this thread, inside transact().
    ASSERT_EQ(binder->transact(ITestService::CALL_BACK, data, &reply), android::OK);
    EXPECT_EQ(reply.readInt32(), 42);
    EXPECT_EQ(callback->calledOnTid.load(), currentTid());
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(Libbinder, FileDescriptorsPassBothWays) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    {
      int fds[2];
      ASSERT_EQ(::pipe(fds), 0);
      ASSERT_EQ(::write(fds[1], "to the service", 14), 14);
      ::close(fds[1]);
      Parcel data;
      ASSERT_EQ(data.writeFileDescriptor(fds[0]), android::OK);
      Parcel reply;
      ASSERT_EQ(binder->transact(ITestService::READ_FD, data, &reply), android::OK);
      std::string text;
      ASSERT_EQ(reply.readUtf8FromUtf16(&text), android::OK);
      EXPECT_EQ(text, "to the service");
      ::close(fds[0]);
    }
    {
      Parcel data;
      ASSERT_EQ(data.writeUtf8AsUtf16(std::string("from the service")), android::OK);
      Parcel reply;
      ASSERT_EQ(binder->transact(ITestService::MAKE_FD, data, &reply), android::OK);
      const int fd = reply.readFileDescriptor();
      ASSERT_GE(fd, 0);
      char buffer[64] = {};
      ASSERT_EQ(::read(fd, buffer, sizeof(buffer)), 16);
      EXPECT_STREQ(buffer, "from the service");
      EXPECT_EQ(::fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    }
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

class DeathWatcher : public IBinder::DeathRecipient {
 public:
  void binderDied(const android::wp<IBinder>& /*who*/) override {
    std::lock_guard lock(mutex_);
    died_ = true;
    changed_.notify_all();
  }
  bool waitForDeath(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return died_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool died_ = false;
};

TEST(Libbinder, LinkToDeathFiresWhenTheServiceIsKilled) {
  auto service = startService();
  Pipe linked;
  Pipe killed;
  ChildProcess client("client", [&] {
    ProcessState::self()->startThreadPool();  // death notifications arrive on pool threads
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    auto watcher = sp<DeathWatcher>::make();
    ASSERT_EQ(binder->linkToDeath(watcher), android::OK);
    linked.send(1);
    ASSERT_TRUE(killed.receive(30s).has_value());
    EXPECT_TRUE(watcher->waitForDeath(20s)) << "binderDied() was not called";
    EXPECT_FALSE(binder->isBinderAlive());
    Parcel data;
    Parcel reply;
    EXPECT_EQ(binder->transact(ITestService::WHO_CALLED, data, &reply), android::DEAD_OBJECT);
    EXPECT_EQ(binder->unlinkToDeath(watcher), android::DEAD_OBJECT);
  });
  ASSERT_TRUE(linked.receive(30s).has_value());
  service->kill();
  killed.send(1);
  EXPECT_TRUE(client.wait());
}

TEST(Libbinder, ThreadPoolServes16ConcurrentClients) {
  static constexpr int32_t kClients = 16;
  auto service = startService(kClients);
  std::vector<std::unique_ptr<ChildProcess>> clients;
  for (int32_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<ChildProcess>("client", [] {
      sp<IBinder> binder = serviceBinder();
      ASSERT_NE(binder, nullptr);
      Parcel data;
      ASSERT_EQ(data.writeInt32(kClients), android::OK);
      Parcel reply;
      ASSERT_EQ(binder->transact(ITestService::RENDEZVOUS, data, &reply), android::OK);
      EXPECT_EQ(reply.readInt32(), kClients) << "the pool never ran all calls at once";
    }));
  }
  for (auto& client : clients) EXPECT_TRUE(client->wait());
  service->kill();
}

TEST(Libbinder, EveryKernelObjectGoesOnceEveryProcessHasLeft) {
  {
    auto service = startService();
    ChildProcess client("client", [] {
      ProcessState::self()->startThreadPool();
      sp<IBinder> binder = serviceBinder();
      ASSERT_NE(binder, nullptr);
      auto watcher = sp<DeathWatcher>::make();
      ASSERT_EQ(binder->linkToDeath(watcher), android::OK);
      // Objects both ways, a callback, an fd, a one-way call: every kind of kernel object.
      auto callback = sp<Callback>::make();
      Parcel data;
      ASSERT_EQ(data.writeStrongBinder(callback), android::OK);
      ASSERT_EQ(data.writeInt32(1), android::OK);
      Parcel reply;
      ASSERT_EQ(binder->transact(ITestService::CALL_BACK, data, &reply), android::OK);
      Parcel oneway;
      ASSERT_EQ(oneway.writeInt32(7), android::OK);
      ASSERT_EQ(binder->transact(ITestService::RECORD, oneway, nullptr, IBinder::FLAG_ONEWAY), android::OK);
      EXPECT_EQ(binder->unlinkToDeath(watcher), android::OK);
    });
    EXPECT_TRUE(client.wait());
    service->kill();
  }
  // The driver releases a closed process from a work item: give it a moment.
  const std::map<std::string, long> live = settledLiveDriverObjects(5s);
  ASSERT_FALSE(live.empty()) << "no live counts in the driver's stats";
  for (const auto& [kind, count] : live) EXPECT_EQ(count, 0) << "live " << kind << " objects left";
}

}  // namespace
}  // namespace binder_test
