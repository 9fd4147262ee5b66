// servicemanager and the tools against it, on whichever driver tools/vm/run loaded. The
// daemon runs as a child process (the real binary from PATH); services and clients run in
// other children through libbinder, as root or as the guest's unprivileged users.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <binder/Binder.h>
#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <gtest/gtest.h>
#include <utils/String8.h>

#include "child_process.h"
#include "program_process.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

using android::IBinder;
using android::IServiceManager;
using android::Parcel;
using android::ProcessState;
using android::sp;
using android::status_t;
using android::String16;
using namespace std::chrono_literals;

constexpr uid_t kUser = 1000;
constexpr uid_t kOtherUser = 1001;

sp<IServiceManager> serviceManager() {
  sp<IBinder> context = ProcessState::self()->getContextObject(nullptr);
  EXPECT_NE(context, nullptr);
  return android::interface_cast<IServiceManager>(context);
}

// A service process: registers |name| as |uid| (expecting |expected|), then serves.
std::unique_ptr<ChildProcess> startService(const std::string& name, uid_t uid = 0,
                                           status_t expected = android::OK) {
  Pipe done;
  auto child = std::make_unique<ChildProcess>("service " + name, [&done, name, uid, expected] {
    if (uid != 0) becomeUser(uid);
    sp<IServiceManager> sm = serviceManager();
    ASSERT_NE(sm, nullptr);
    const status_t status = sm->addService(String16(name.c_str()), sp<android::BBinder>::make());
    EXPECT_EQ(status, expected) << "addService(" << name << ") as uid " << uid;
    done.send(1);
    ProcessState::self()->startThreadPool();
    android::IPCThreadState::self()->joinThreadPool(true);
  });
  EXPECT_TRUE(done.receive(30s).has_value());
  return child;
}

// Runs BODY in a client child and waits for it.
void inClient(std::function<void()> body, uid_t uid = 0) {
  ChildProcess client("client", [&] {
    if (uid != 0) becomeUser(uid);
    body();
  });
  EXPECT_TRUE(client.wait());
}

std::vector<std::string> listNames(const sp<IServiceManager>& sm) {
  std::vector<std::string> names;
  for (const String16& name : sm->listServices()) names.emplace_back(android::String8(name).c_str());
  return names;
}

TEST(ServiceManager, AddCheckGetAndList) {
  ServiceManagerProcess daemon;
  auto first = startService("test.first");
  auto second = startService("test.second");
  inClient([] {
    sp<IServiceManager> sm = serviceManager();
    ASSERT_NE(sm, nullptr);
    sp<IBinder> binder = sm->checkService(String16("test.first"));
    ASSERT_NE(binder, nullptr);
    EXPECT_EQ(binder->pingBinder(), android::OK);
    EXPECT_NE(sm->getService(String16("test.second")), nullptr);
    EXPECT_EQ(sm->checkService(String16("test.absent")), nullptr);
    EXPECT_EQ(listNames(sm), (std::vector<std::string>{"test.first", "test.second"}));
  });
  EXPECT_EQ(daemon.terminate(), 0);
}

TEST(ServiceManager, GetServiceWaitsForALateService) {
  ServiceManagerProcess daemon;
  Pipe looking;
  ChildProcess client("client", [&] {
    sp<IServiceManager> sm = serviceManager();
    ASSERT_NE(sm, nullptr);
    looking.send(1);
    EXPECT_NE(sm->getService(String16("test.late")), nullptr);
  });
  ASSERT_TRUE(looking.receive(30s).has_value());
  std::this_thread::sleep_for(500ms);
  auto late = startService("test.late");
  EXPECT_TRUE(client.wait());
}

TEST(ServiceManager, NamesAreValidated) {
  ServiceManagerProcess daemon;
  inClient([] {
    sp<IServiceManager> sm = serviceManager();
    ASSERT_NE(sm, nullptr);
    auto object = sp<android::BBinder>::make();
    EXPECT_EQ(sm->addService(String16(""), object), android::BAD_VALUE);
    EXPECT_EQ(sm->addService(String16(std::string(128, 'a').c_str()), object), android::BAD_VALUE);
    EXPECT_EQ(sm->addService(String16("has space"), object), android::BAD_VALUE);
    EXPECT_EQ(sm->addService(String16("new\nline"), object), android::BAD_VALUE);
    EXPECT_EQ(sm->addService(String16(std::string(127, 'a').c_str()), object), android::OK);
    EXPECT_EQ(sm->addService(String16("vendor.cam-era_1/x@2"), object), android::OK);
    EXPECT_EQ(listNames(sm).size(), 2U);
  });
}

TEST(ServiceManager, NoUserCanTakeAnotherUsersName) {
  ServiceManagerProcess daemon;
  auto owner = startService("test.owned", kUser);
  // Another user is refused; the owner itself and root may replace it.
  auto thief = startService("test.owned", kOtherUser, android::PERMISSION_DENIED);
  auto again = startService("test.owned", kUser);
  auto root = startService("test.owned", 0);
  inClient([] { EXPECT_EQ(listNames(serviceManager()), std::vector<std::string>{"test.owned"}); });
}

TEST(ServiceManager, DeathOfAServiceDropsItsName) {
  ServiceManagerProcess daemon;
  auto service = startService("test.mortal");
  auto survivor = startService("test.survivor");
  service->kill();
  inClient([] {
    sp<IServiceManager> sm = serviceManager();
    ASSERT_NE(sm, nullptr);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (sm->checkService(String16("test.mortal")) != nullptr &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(sm->checkService(String16("test.mortal")), nullptr);
    EXPECT_NE(sm->checkService(String16("test.survivor")), nullptr);
  });
}

TEST(ServiceManager, PolicyFileRestrictsNamesToUsers) {
  const std::string policy = "/tmp/servicemanager-test.policy";
  std::ofstream(policy) << "# test policy\n"
                           "restricted.*   uid:1000\n"
                           "grouped.name   group:binder\n";
  ServiceManagerProcess daemon({"--policy", policy});
  auto allowed = startService("restricted.one", kUser);
  auto refused = startService("restricted.two", kOtherUser, android::PERMISSION_DENIED);
  auto unlisted = startService("free.name", kOtherUser);
  // user (1000) is in group binder, other (1001) is not.
  auto member = startService("grouped.name", kUser);
  auto outsider = startService("grouped.other", kOtherUser);
  inClient([] {
    EXPECT_EQ(listNames(serviceManager()),
              (std::vector<std::string>{"free.name", "grouped.name", "grouped.other", "restricted.one"}));
  });
}

TEST(ServiceManager, BadPolicyFileIsRefusedAtStart) {
  const std::string policy = "/tmp/servicemanager-bad.policy";
  std::ofstream(policy) << "some.name   uid:notanumber\n";
  const int status = std::system(("servicemanager --policy " + policy + " 2>/dev/null").c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

TEST(ServiceManager, HostileRequestsGetErrorsAndTheDaemonKeepsServing) {
  ServiceManagerProcess daemon;
  auto service = startService("test.stable");
  inClient([] {
    sp<IBinder> sm = ProcessState::self()->getContextObject(nullptr);
    ASSERT_NE(sm, nullptr);
    auto send = [&](uint32_t code, const std::vector<uint8_t>& bytes) {
      Parcel data;
      Parcel reply;
      EXPECT_EQ(data.setData(bytes.data(), bytes.size()), android::OK);
      return sm->transact(code, data, &reply);
    };
    // A wrong descriptor.
    {
      Parcel data;
      Parcel reply;
      ASSERT_EQ(data.writeInterfaceToken(String16("not.the.ServiceManager")), android::OK);
      ASSERT_EQ(data.writeString16(String16("test.stable")), android::OK);
      EXPECT_NE(sm->transact(IServiceManager::CHECK_SERVICE_TRANSACTION, data, &reply), android::OK);
    }
    // Truncated requests: every prefix of a valid ADD.
    {
      Parcel valid;
      ASSERT_EQ(valid.writeInterfaceToken(IServiceManager::descriptor), android::OK);
      ASSERT_EQ(valid.writeString16(String16("test.truncated")), android::OK);
      const std::vector<uint8_t> bytes(valid.data(), valid.data() + valid.dataSize());
      for (size_t size = 0; size < bytes.size(); size += 2) {
        EXPECT_NE(send(IServiceManager::ADD_SERVICE_TRANSACTION, {bytes.begin(), bytes.begin() + size}),
                  android::OK) << "prefix of " << size << " bytes";
      }
    }
    // Random bytes under every code, from a fixed seed.
    std::mt19937 random(20261203);
    for (int i = 0; i < 300; ++i) {
      std::vector<uint8_t> bytes(random() % 200);
      for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(random());
      (void)send(static_cast<uint32_t>(1 + random() % 5), bytes);
    }
    // AOSP bctest's header: the strict-mode word alone before the descriptor.
    {
      Parcel data;
      Parcel reply;
      ASSERT_EQ(data.writeInt32(0), android::OK);
      ASSERT_EQ(data.writeString16(IServiceManager::descriptor), android::OK);
      ASSERT_EQ(data.writeString16(String16("test.stable")), android::OK);
      ASSERT_EQ(sm->transact(IServiceManager::CHECK_SERVICE_TRANSACTION, data, &reply), android::OK);
      EXPECT_NE(reply.readStrongBinder(), nullptr);
    }
    EXPECT_NE(android::interface_cast<IServiceManager>(sm)->checkService(String16("test.stable")), nullptr);
  });
  EXPECT_EQ(daemon.terminate(), 0);
}

TEST(ServiceManager, SecondDaemonIsRefused) {
  ServiceManagerProcess daemon;
  const int status = std::system("servicemanager 2>/dev/null");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

// The tools' commands and exit statuses, run as a user would.
int run(const std::string& command, std::string* output = nullptr) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) text += buffer;
  const int status = ::pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Tools, WithoutAServiceManagerTheyFailClearly) {
  std::string out;
  EXPECT_EQ(run("bctest lookup anything", &out), 1);
  EXPECT_NE(out.find("no service manager"), std::string::npos) << out;
  EXPECT_EQ(run("binder-service list", &out), 1);
  EXPECT_EQ(run("binder-service --device /dev/does-not-exist list", &out), 1);
  EXPECT_NE(out.find("/dev/does-not-exist"), std::string::npos) << out;
}

TEST(Tools, HelpAndUsageErrors) {
  for (const char* tool : {"bctest", "binder-service", "servicemanager"}) {
    std::string out;
    EXPECT_EQ(run(std::string(tool) + " --help", &out), 0) << tool;
    EXPECT_NE(out.find("Usage:"), std::string::npos) << tool;
    EXPECT_EQ(run(std::string(tool) + " --no-such-option", &out), 2) << tool;
  }
  EXPECT_EQ(run("binder-stat --help", nullptr), 0);
  EXPECT_EQ(run("binder-stat --bogus"), 2);
  EXPECT_EQ(run("binder-stat --debugfs /does/not/exist"), 1);
  EXPECT_EQ(run("bctest"), 2);
  EXPECT_EQ(run("binder-service"), 2);
  EXPECT_EQ(run("binder-service call"), 2);
}

TEST(Tools, BctestAndBinderServiceAgainstTheDaemon) {
  ServiceManagerProcess daemon;
  auto service = startService("tool.target");
  std::string out;
  EXPECT_EQ(run("bctest lookup tool.target", &out), 0);
  EXPECT_NE(out.find("lookup(tool.target) = "), std::string::npos) << out;
  EXPECT_EQ(out.find("lookup(tool.target) = 0\n"), std::string::npos) << out;
  EXPECT_EQ(run("bctest lookup tool.absent", &out), 1);
  EXPECT_NE(out.find("lookup(tool.absent) = 0"), std::string::npos) << out;

  EXPECT_EQ(run("binder-service list", &out), 0);
  EXPECT_NE(out.find("Found 1 services:"), std::string::npos) << out;
  EXPECT_NE(out.find("tool.target"), std::string::npos) << out;
  EXPECT_EQ(run("binder-service check tool.target"), 0);
  EXPECT_EQ(run("binder-service check tool.absent"), 1);
  EXPECT_EQ(run("binder-service ping tool.target", &out), 0);
  EXPECT_NE(out.find("alive"), std::string::npos) << out;
  // The plain BBinder knows no code 1: the call fails and says so.
  EXPECT_EQ(run("binder-service call tool.target 1 i32 5", &out), 1);
  EXPECT_NE(out.find("UNKNOWN_TRANSACTION"), std::string::npos) << out;
  // The interface query answers with an empty descriptor: a 4-byte Parcel.
  EXPECT_EQ(run("binder-service call tool.target 0x5f4e5446", &out), 0);
  EXPECT_NE(out.find("Result: Parcel("), std::string::npos) << out;
  EXPECT_EQ(run("binder-service call tool.target 1 i32 notanumber"), 2);

  // binder-stat shows both processes, their node and ref, and the live counts.
  EXPECT_EQ(run("binder-stat", &out), 0);
  EXPECT_NE(out.find(" servicemanager (context binder)"), std::string::npos) << out;
  EXPECT_NE(out.find("PROCESS " + std::to_string(daemon.pid())), std::string::npos) << out;
  EXPECT_NE(out.find("live objects"), std::string::npos) << out;

  // bctest publish keeps its object registered while it runs.
  ChildProcess publisher("publisher", [] {
    execlp("bctest", "bctest", "publish", "tool.published", nullptr);
    _exit(127);
  });
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    seen = run("bctest lookup tool.published") == 0;
    if (!seen) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(seen);
  ::kill(publisher.pid(), SIGTERM);
  EXPECT_TRUE(publisher.wait());
}

}  // namespace
}  // namespace binder_test
