// libbinder's use of the newer parts of the binder UAPI, between real processes: file-descriptor
// arrays (BC_TRANSACTION_SG, BINDER_TYPE_PTR + BINDER_TYPE_FDA), freezing (BINDER_FREEZE,
// BINDER_GET_FROZEN_INFO, BR_FROZEN_REPLY, BR_TRANSACTION_PENDING_FROZEN), freeze
// notifications (Linux 6.12 and later), security contexts (BR_TRANSACTION_SEC_CTX) and one-way
// spam detection (BR_ONEWAY_SPAM_SUSPECT). As in libbinder_test.cpp, the service runs in a
// child as the context manager and the test process never opens the driver.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <android-base/unique_fd.h>
#include <binder/Binder.h>
#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <gtest/gtest.h>

#include "child_process.h"
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
using android::wp;
using android::base::unique_fd;
using State = IBinder::FrozenStateChangeCallback::State;

// Freeze notifications came with Linux 6.12's UAPI; both drivers follow the kernel's header.
bool kernelHasFreezeNotifications() {
  utsname name{};
  int major = 0;
  int minor = 0;
  return ::uname(&name) == 0 && std::sscanf(name.release, "%d.%d", &major, &minor) == 2 &&
         (major > 6 || (major == 6 && minor >= 12));
}

// A pipe's read end that holds |text|, and the pipe's inode (to recognise it later).
std::pair<unique_fd, ino_t> pipeHolding(const std::string& text) {
  int fds[2];
  EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  EXPECT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  struct stat st {};
  EXPECT_EQ(::fstat(fds[0], &st), 0);
  return {unique_fd(fds[0]), st.st_ino};
}

std::string readAll(int fd) {
  char buffer[256];
  const ssize_t n = ::read(fd, buffer, sizeof(buffer));
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
}

// Whether |fd| is open on the file with inode |inode| (a closed number may be reused).
bool openOn(int fd, ino_t inode) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && st.st_ino == inode;
}

// This process's standard error, captured into a memory file until read.
class CapturedStderr {
 public:
  CapturedStderr() : saved_(::dup(STDERR_FILENO)), file_(::memfd_create("stderr", MFD_CLOEXEC)) {
    ::fflush(stderr);
    ::dup2(file_.get(), STDERR_FILENO);
  }
  ~CapturedStderr() { restore(); }
  // Puts stderr back and returns what was written meanwhile.
  std::string restore() {
    if (saved_.ok()) {
      ::fflush(stderr);
      ::dup2(saved_.get(), STDERR_FILENO);
      saved_.reset();
    }
    std::string text;
    char buffer[4096];
    ssize_t n;
    off_t at = 0;
    while ((n = ::pread(file_.get(), buffer, sizeof(buffer), at)) > 0) {
      text.append(buffer, static_cast<size_t>(n));
      at += n;
    }
    return text;
  }

 private:
  unique_fd saved_;
  unique_fd file_;
};

// The service the tests call.
class UapiService : public BBinder {
 public:
  enum : uint32_t {
    // int32, fd array, int32 in; the arrays' contents joined by '|', then the two int32s
    READ_FD_ARRAY = IBinder::FIRST_CALL_TRANSACTION,
    FD_ARRAY_STILL_OPEN,  // how many descriptors of the last array still name their pipes
    MAKE_FD_ARRAY,        // int32 N in; an array of N pipes holding "0".."N-1" out
    RECORD,               // one-way: appends an int32 to the log
    GET_RECORDED,         // the log as an int32 vector
    BLOCK,                // one-way: holds its thread until UNBLOCK (or 30 s)
    UNBLOCK,
    CALL_BACK,            // a binder in: calls it (code FIRST_CALL_TRANSACTION, no data)
  };

 protected:
  status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) override {
    switch (code) {
      case READ_FD_ARRAY: {
        int32_t before = 0;
        int32_t after = 0;
        std::vector<int> fds;
        if (status_t s = data.readInt32(&before); s != android::OK) return s;
        if (status_t s = data.readFileDescriptorArray(&fds); s != android::OK) return s;
        if (status_t s = data.readInt32(&after); s != android::OK) return s;
        std::string joined;
        std::lock_guard lock(mutex_);
        received_.clear();
        for (int fd : fds) {
          struct stat st {};
          if (::fstat(fd, &st) != 0) return -errno;
          received_.emplace_back(fd, st.st_ino);
          if (!joined.empty()) joined += '|';
          joined += readAll(fd);
        }
        if (status_t s = reply->writeUtf8AsUtf16(joined); s != android::OK) return s;
        if (status_t s = reply->writeInt32(before); s != android::OK) return s;
        return reply->writeInt32(after);
      }
      case FD_ARRAY_STILL_OPEN: {
        // The driver closes them from the thread that freed the buffer, as it returns to
        // user space: maybe not yet, if that was another thread.
        std::lock_guard lock(mutex_);
        int32_t open = 0;
        for (int attempt = 0; attempt < 500; ++attempt) {
          open = 0;
          for (const auto& [fd, inode] : received_) open += openOn(fd, inode) ? 1 : 0;
          if (open == 0) break;
          std::this_thread::sleep_for(10ms);
        }
        return reply->writeInt32(open);
      }
      case MAKE_FD_ARRAY: {
        const int32_t count = data.readInt32();
        std::vector<int> fds;
        for (int32_t i = 0; i < count; ++i) fds.push_back(pipeHolding(std::to_string(i)).first.release());
        return reply->writeFileDescriptorArray(fds, /*takeOwnership=*/true);
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
      case BLOCK: {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 30s, [this] { return unblocked_; });
        return android::OK;
      }
      case UNBLOCK: {
        std::lock_guard lock(mutex_);
        unblocked_ = true;
        changed_.notify_all();
        return android::OK;
      }
      case CALL_BACK: {
        sp<IBinder> callback;
        if (status_t s = data.readStrongBinder(&callback); s != android::OK) return s;
        Parcel request;
        Parcel answer;
        return callback->transact(IBinder::FIRST_CALL_TRANSACTION, request, &answer);
      }
      default:
        return BBinder::onTransact(code, data, reply, flags);
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<int, ino_t>> received_;
  std::vector<int32_t> recorded_;
  bool unblocked_ = false;
};

std::unique_ptr<ChildProcess> startService() {
  return startContextManager([] { return sp<UapiService>::make(); }, 4);
}

sp<IBinder> serviceBinder() {
  sp<IBinder> binder = ProcessState::self()->getContextObject(nullptr);
  EXPECT_NE(binder, nullptr) << "no context manager at handle 0";
  return binder;
}

status_t call(const sp<IBinder>& binder, uint32_t code, Parcel* reply = nullptr) {
  Parcel data;
  Parcel ignored;
  return binder->transact(code, data, reply != nullptr ? reply : &ignored);
}

std::vector<int32_t> recorded(const sp<IBinder>& binder) {
  Parcel reply;
  std::vector<int32_t> values;
  EXPECT_EQ(call(binder, UapiService::GET_RECORDED, &reply), android::OK);
  EXPECT_EQ(reply.readInt32Vector(&values), android::OK);
  return values;
}

// Sends |pipes| as an array between two int32s (READ_FD_ARRAY); returns what the service read.
std::string sendArray(const sp<IBinder>& binder, const std::vector<unique_fd>& pipes) {
  Parcel data;
  EXPECT_EQ(data.writeInt32(7), android::OK);
  EXPECT_EQ(data.writeUniqueFileDescriptorArray(pipes), android::OK);
  EXPECT_EQ(data.writeInt32(8), android::OK);
  EXPECT_EQ(data.ipcBuffersCount(), 1U);
  Parcel reply;
  EXPECT_EQ(binder->transact(UapiService::READ_FD_ARRAY, data, &reply), android::OK);
  std::string joined;
  EXPECT_EQ(reply.readUtf8FromUtf16(&joined), android::OK);
  EXPECT_EQ(reply.readInt32(), 7);  // the data around the array arrived in place
  EXPECT_EQ(reply.readInt32(), 8);
  return joined;
}

TEST(LibbinderUapi, FileDescriptorArrayReachesTheService) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    std::vector<unique_fd> pipes;
    for (const char* text : {"alpha", "beta", "gamma"}) pipes.push_back(pipeHolding(text).first);
    EXPECT_EQ(sendArray(binder, pipes), "alpha|beta|gamma");
    // The sender keeps its own descriptors.
    for (const unique_fd& fd : pipes) EXPECT_NE(::fcntl(fd.get(), F_GETFD), -1);
    // An empty array is an array too.
    EXPECT_EQ(sendArray(binder, {}), "");
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(LibbinderUapi, ReceivedArrayIsClosedWithItsBuffer) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    std::vector<unique_fd> pipes;
    for (const char* text : {"x", "y"}) pipes.push_back(pipeHolding(text).first);
    ASSERT_EQ(sendArray(binder, pipes), "x|y");
    // The service freed the request's buffer before replying: the driver closed the array.
    Parcel open;
    ASSERT_EQ(call(binder, UapiService::FD_ARRAY_STILL_OPEN, &open), android::OK);
    EXPECT_EQ(open.readInt32(), 0) << "the received descriptors outlived their buffer";
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(LibbinderUapi, FileDescriptorArrayComesBackInAReply) {
  auto service = startService();
  ChildProcess client("client", [] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    std::vector<unique_fd> kept;
    std::vector<int> borrowed;
    {
      Parcel data;
      ASSERT_EQ(data.writeInt32(4), android::OK);
      Parcel reply;
      ASSERT_EQ(binder->transact(UapiService::MAKE_FD_ARRAY, data, &reply), android::OK);
      ASSERT_EQ(reply.readFileDescriptorArray(&borrowed), android::OK);
      reply.setDataPosition(0);
      ASSERT_EQ(reply.readUniqueFileDescriptorArray(&kept), android::OK);
      ASSERT_EQ(kept.size(), 4U);
      ASSERT_EQ(borrowed.size(), 4U);
      EXPECT_EQ(readAll(borrowed[0]), "0");  // a borrowed one works while the reply lives
    }
    // The reply is gone, its descriptors closed; the duplicates remain, close-on-exec.
    EXPECT_EQ(readAll(kept[1].get()), "1");
    EXPECT_EQ(readAll(kept[3].get()), "3");
    for (const unique_fd& fd : kept) EXPECT_EQ(::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    // The reply's own numbers were closed by the driver (one may since have been reused by a
    // duplicate, so look for any that still reads as a live pipe of the reply's).
    int stillOpen = 0;
    for (size_t i = 0; i < borrowed.size(); ++i) {
      const bool isDuplicate = std::any_of(kept.begin(), kept.end(),
                                           [&](const unique_fd& fd) { return fd.get() == borrowed[i]; });
      if (!isDuplicate && ::fcntl(borrowed[i], F_GETFD) != -1) ++stillOpen;
    }
    EXPECT_EQ(stillOpen, 0);
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

TEST(LibbinderUapi, FrozenProcessRefusesCallsAndQueuesOneWayOnes) {
  auto service = startService();
  const pid_t servicePid = service->pid();
  ChildProcess client("client", [servicePid] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    EXPECT_EQ(IPCThreadState::freeze(1, true, 0), -EINVAL) << "init has no binder connection";

    ASSERT_EQ(IPCThreadState::freeze(servicePid, true, 1000), android::OK);
    EXPECT_EQ(call(binder, UapiService::GET_RECORDED), android::FAILED_TRANSACTION);
    CapturedStderr log;
    Parcel oneway;
    ASSERT_EQ(oneway.writeInt32(42), android::OK);
    EXPECT_EQ(binder->transact(UapiService::RECORD, oneway, nullptr, IBinder::FLAG_ONEWAY), android::OK);
    const std::string logged = log.restore();
    if (kernelHasFreezeNotifications()) {  // BR_TRANSACTION_PENDING_FROZEN is as new
      EXPECT_NE(logged.find("sending oneway calls to frozen process"), std::string::npos) << logged;
    }
    uint32_t syncReceived = 0;
    uint32_t asyncReceived = 0;
    ASSERT_EQ(IPCThreadState::getProcessFreezeInfo(servicePid, &syncReceived, &asyncReceived), android::OK);
    EXPECT_EQ(syncReceived & 1U, 1U);
    EXPECT_NE(asyncReceived, 0U);

    ASSERT_EQ(IPCThreadState::freeze(servicePid, false, 0), android::OK);
    // The queued one-way call runs once thawed; synchronous calls work again.
    std::vector<int32_t> values;
    for (int attempt = 0; attempt < 200 && values.empty(); ++attempt) {
      values = recorded(binder);
      if (values.empty()) std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(values, std::vector<int32_t>{42});
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

// Collects the states a proxy reports.
class FrozenStates : public IBinder::FrozenStateChangeCallback {
 public:
  void onStateChanged(const wp<IBinder>& who, State state) override {
    std::lock_guard lock(mutex_);
    EXPECT_NE(who.promote(), nullptr);
    states_.push_back(state);
    changed_.notify_all();
  }
  // The next state reported, or nullopt after |timeout|.
  std::optional<State> next(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [this] { return !states_.empty(); })) return std::nullopt;
    const State state = states_.front();
    states_.pop_front();
    return state;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<State> states_;
};

TEST(LibbinderUapi, FrozenStateCallbacksFollowTheRemoteProcess) {
  auto service = startService();
  const pid_t servicePid = service->pid();
  ChildProcess client("client", [servicePid] {
    ProcessState::self()->startThreadPool();  // notifications arrive on pool threads
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    auto states = sp<FrozenStates>::make();
    EXPECT_EQ(sp<BBinder>::make()->addFrozenStateChangeCallback(states), android::INVALID_OPERATION);
    if (!kernelHasFreezeNotifications()) {
      EXPECT_EQ(binder->addFrozenStateChangeCallback(states), android::INVALID_OPERATION);
      EXPECT_EQ(binder->removeFrozenStateChangeCallback(states), android::NAME_NOT_FOUND);
      // The refused request left this thread's conversation with the driver intact.
      EXPECT_EQ(binder->pingBinder(), android::OK);
      return;
    }
    ASSERT_EQ(binder->addFrozenStateChangeCallback(states), android::OK);
    EXPECT_EQ(states->next(), State::UNFROZEN);  // the state at registration
    ASSERT_EQ(IPCThreadState::freeze(servicePid, true, 1000), android::OK);
    EXPECT_EQ(states->next(), State::FROZEN);
    // A callback added now hears the current state at once.
    auto late = sp<FrozenStates>::make();
    ASSERT_EQ(binder->addFrozenStateChangeCallback(late), android::OK);
    EXPECT_EQ(late->next(), State::FROZEN);
    ASSERT_EQ(IPCThreadState::freeze(servicePid, false, 0), android::OK);
    EXPECT_EQ(states->next(), State::UNFROZEN);
    EXPECT_EQ(late->next(), State::UNFROZEN);

    EXPECT_EQ(binder->removeFrozenStateChangeCallback(states), android::OK);
    EXPECT_EQ(binder->removeFrozenStateChangeCallback(states), android::NAME_NOT_FOUND);
    EXPECT_EQ(binder->removeFrozenStateChangeCallback(late), android::OK);
    // Cleared: another freeze is reported to nobody; a new callback gets a new request.
    ASSERT_EQ(IPCThreadState::freeze(servicePid, true, 1000), android::OK);
    EXPECT_EQ(states->next(500ms), std::nullopt);
    ASSERT_EQ(binder->addFrozenStateChangeCallback(states), android::OK);
    EXPECT_EQ(states->next(), State::FROZEN);
    ASSERT_EQ(IPCThreadState::freeze(servicePid, false, 0), android::OK);
    EXPECT_EQ(states->next(), State::UNFROZEN);
    EXPECT_EQ(binder->removeFrozenStateChangeCallback(states), android::OK);
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

// A local object that records the security context of whoever calls it.
class SidRecorder : public BBinder {
 public:
  std::mutex mutex;
  bool called = false;
  std::optional<std::string> sid;  // nullopt: getCallingSid() was nullptr

 protected:
  status_t onTransact(uint32_t /*code*/, const Parcel& /*data*/, Parcel* /*reply*/,
                      uint32_t /*flags*/) override {
    std::lock_guard lock(mutex);
    called = true;
    const char* context = IPCThreadState::self()->getCallingSid();
    sid = context != nullptr ? std::optional<std::string>(context) : std::nullopt;
    return android::OK;
  }
};

// Whether the kernel can give binder a caller's security context: only SELinux and Smack
// provide one from credentials (security_cred_getsecid()). Without them (Debian's default is
// AppArmor alone) the driver fails every call to an object that asks for it.
bool kernelGivesSecurityContexts() {
  std::ifstream file("/proc/filesystems");
  std::string line;
  while (std::getline(file, line)) {
    if (line.ends_with("selinuxfs") || line.ends_with("smackfs")) return true;
  }
  return false;
}

// The security context the kernel reports for |pid|, as /proc shows it.
std::string procSecurityContext(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/attr/current");
  std::string context;
  std::getline(file, context, '\0');
  while (!context.empty() && (context.back() == '\n' || context.back() == '\0')) context.pop_back();
  return context;
}

TEST(LibbinderUapi, ObjectThatRequestsTheSidGetsTheCallersContextIfTheKernelHasOne) {
  auto service = startService();
  const pid_t servicePid = service->pid();
  ChildProcess client("client", [servicePid] {
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    auto requesting = sp<SidRecorder>::make();
    requesting->setRequestingSid(true);
    auto plain = sp<SidRecorder>::make();
    auto callBack = [&binder](const sp<SidRecorder>& recorder) {
      Parcel data;
      EXPECT_EQ(data.writeStrongBinder(recorder), android::OK);
      Parcel reply;
      // No thread pool: the service's call back runs nested, on this thread.
      return binder->transact(UapiService::CALL_BACK, data, &reply);
    };
    ASSERT_EQ(callBack(plain), android::OK);
    {
      std::lock_guard lock(plain->mutex);
      ASSERT_TRUE(plain->called);
      EXPECT_EQ(plain->sid, std::nullopt);
    }
    if (!kernelGivesSecurityContexts()) {
      // The driver cannot build the context, so the service's call fails before it arrives.
      EXPECT_EQ(callBack(requesting), android::FAILED_TRANSACTION);
      std::lock_guard lock(requesting->mutex);
      EXPECT_FALSE(requesting->called);
      return;
    }
    ASSERT_EQ(callBack(requesting), android::OK);
    std::lock_guard lock(requesting->mutex);
    ASSERT_TRUE(requesting->called);
    ASSERT_TRUE(requesting->sid.has_value()) << "BR_TRANSACTION_SEC_CTX carried no context";
    EXPECT_FALSE(requesting->sid->empty());
    const std::string expected = procSecurityContext(servicePid);
    if (!expected.empty()) {
      EXPECT_EQ(*requesting->sid, expected);
    }
    // Outside a transaction there is no caller.
    EXPECT_EQ(IPCThreadState::self()->getCallingSid(), nullptr);
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

// Fills the service's asynchronous buffer space with one-way calls while its one-way queue is
// held up; returns what libbinder logged meanwhile.
std::string floodWithOneWayCalls(const sp<IBinder>& binder) {
  Parcel block;
  EXPECT_EQ(binder->transact(UapiService::BLOCK, block, nullptr, IBinder::FLAG_ONEWAY), android::OK);
  CapturedStderr log;
  // 60 x 7 KiB: past the driver's threshold (more than a quarter of the buffer held by one
  // sender, under a tenth left free) yet within the asynchronous half of the buffer.
  const std::vector<uint8_t> payload(7 * 1024, 0x5a);
  for (int i = 0; i < 60; ++i) {
    Parcel data;
    EXPECT_EQ(data.writeInt32(i), android::OK);
    EXPECT_EQ(data.writeByteVector(payload), android::OK);
    EXPECT_EQ(binder->transact(UapiService::RECORD, data, nullptr, IBinder::FLAG_ONEWAY), android::OK)
        << "one-way call " << i;
  }
  std::string logged = log.restore();
  EXPECT_EQ(call(binder, UapiService::UNBLOCK), android::OK);
  return logged;
}

TEST(LibbinderUapi, OneWaySpamIsReportedOnlyWhenDetectionIsOn) {
  static constexpr const char* kSpamLine = "too many oneway calls";
  {
    auto service = startService();
    ChildProcess client("client", [] {
      sp<IBinder> binder = serviceBinder();
      ASSERT_NE(binder, nullptr);
      const std::string logged = floodWithOneWayCalls(binder);
      EXPECT_EQ(logged.find(kSpamLine), std::string::npos) << logged;
    });
    EXPECT_TRUE(client.wait());
    service->kill();
  }
  auto service = startService();
  ChildProcess client("client", [] {
    ASSERT_EQ(ProcessState::self()->enableOnewaySpamDetection(true), android::OK);
    sp<IBinder> binder = serviceBinder();
    ASSERT_NE(binder, nullptr);
    const std::string logged = floodWithOneWayCalls(binder);
    EXPECT_NE(logged.find(kSpamLine), std::string::npos) << "no BR_ONEWAY_SPAM_SUSPECT logged";
  });
  EXPECT_TRUE(client.wait());
  service->kill();
}

}  // namespace
}  // namespace binder_test
