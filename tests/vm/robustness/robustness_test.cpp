// Robustness of the driver against what processes do to it: SIGKILL at bad moments (fault
// injection), resource exhaustion, and what one process must not be able to do to another
// (security). Every test ends with every live object count in the driver back at zero: a
// killed process leaks nothing.
#include <binder/Binder.h>
#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "binder_driver.h"
#include "child_process.h"
#include "driver_stats.h"
#include "program_process.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

using Names = std::vector<std::string>;

constexpr binder_uintptr_t kPtr = 0x5000, kCookie = 0x5001;
constexpr binder_uintptr_t kDeathCookie = 0xdead5000;

// Every test leaves the driver as it found it: nothing alive once every process is gone.
class Robustness : public ::testing::Test {
 protected:
  void TearDown() override {
    std::map<std::string, long> live = settledLiveDriverObjects(kTimeout);
    EXPECT_TRUE(allZero(live)) << "objects left in the driver: " << ::testing::PrintToString(live);
  }
};

using FaultInjection = Robustness;
using Exhaustion = Robustness;
using Security = Robustness;

size_t openFdCount() {
  size_t count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (dirent* entry = dir != nullptr ? ::readdir(dir) : nullptr) {
    if (entry->d_name[0] != '.') ++count;
  }
  if (dir != nullptr) ::closedir(dir);
  return count;
}

// The handle of the first object in a received transaction.
uint32_t firstHandle(const Event& event) { return event.txn.object().handle; }

// ---------------------------------------------------------------------------------------------
// Fault injection: SIGKILL.

// The caller dies while the server works on its call: once the driver has released the dead
// caller (its node's death notification proves it), the server's reply goes nowhere. The
// server sees only its BR_TRANSACTION_COMPLETE (upstream reports a failed reply to the
// caller's side, and there is no caller left), and nothing else arrives.
TEST_F(FaultInjection, ClientKilledWhileWaitingForReply) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    connection.call(0, 1, Payload().putBinder(kPtr, kCookie), 0, kChildTimeout);
    ADD_FAILURE() << "the call returned; it should have been killed waiting";
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.cmd, BR_TRANSACTION);
  const uint32_t clientHandle = firstHandle(event);

  ASSERT_EQ(manager.write(CommandWriter().requestDeathNotification(clientHandle, kDeathCookie)),
            0);
  client.kill();
  // This thread has a call in progress, so only another thread can read the notification.
  std::optional<Event> death;
  std::thread watcher([&] {
    manager.enterLooper();
    death = manager.waitFor(BR_DEAD_BINDER);
  });
  watcher.join();
  ASSERT_TRUE(death.has_value());
  EXPECT_EQ(death->cookie, kDeathCookie);

  ASSERT_EQ(
      manager.write(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload().putU32(7))), 0);
  EXPECT_EQ(commandNames(manager.read()), Names{"BR_TRANSACTION_COMPLETE"});
  EXPECT_EQ(manager.write(CommandWriter().deadBinderDone(kDeathCookie)), 0);
  EXPECT_EQ(commandNames(manager.readQuietly()), Names{});
}

// The server dies with the call in hand: the caller gets BR_DEAD_REPLY, not a hang.
TEST_F(FaultInjection, ServerKilledWhileHandlingACall) {
  Pipe ready;
  Pipe received;
  ChildProcess server("server", [&] {
    BinderConnection manager = contextManager();
    ready.send(1);
    manager.waitFor(BR_TRANSACTION);
    received.send(1);
    ::pause();  // never replies
  });
  // a call before the server owns handle 0 would fail at once
  ASSERT_TRUE(ready.receive(kTimeout).has_value());
  BinderConnection client;
  std::vector<Event> events;
  std::thread caller([&] { events = client.call(0, 1, Payload().putU32(1), 0, kChildTimeout); });
  const bool gotCall = received.receive(kTimeout).has_value();
  server.kill();
  caller.join();  // before any assertion can return: a joinable thread would abort the binary
  ASSERT_TRUE(gotCall) << "the server never got the call";
  EXPECT_EQ(lastCommandName(events), "BR_DEAD_REPLY");
}

// The server dies before reading calls queued for it: every caller gets BR_DEAD_REPLY.
TEST_F(FaultInjection, ServerKilledWithCallsQueued) {
  Pipe ready;
  ChildProcess server("server", [&] {
    BinderConnection manager = contextManager();
    ready.send(1);
    ::pause();  // never reads
  });
  ASSERT_TRUE(ready.receive(kTimeout).has_value());
  constexpr int kCallers = 4;
  BinderConnection client;
  std::vector<std::vector<Event>> outcomes(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back(
        [&, i] { outcomes[i] = client.call(0, 1, Payload().putU32(i), 0, kChildTimeout); });
  }
  std::this_thread::sleep_for(kQuiet);  // the calls are queued
  server.kill();
  for (std::thread& caller : callers) caller.join();
  for (int i = 0; i < kCallers; ++i)
    EXPECT_EQ(lastCommandName(outcomes[i]), "BR_DEAD_REPLY") << "caller " << i;
}

// A thread pool is killed while the driver asks it to grow (BR_SPAWN_LOOPER) and new threads
// register, with calls in hand and more queued: every caller gets BR_DEAD_REPLY.
TEST_F(FaultInjection, ThreadPoolKilledMidSpawn) {
  Pipe events;
  ChildProcess server("pool", [&] {
    BinderConnection manager = contextManager();
    uint32_t maxThreads = 4;
    ASSERT_EQ(manager.ioctlErrno(BINDER_SET_MAX_THREADS, &maxThreads), 0);
    events.send(0);  // owns handle 0 now
    // Each thread holds the call it gets (no reply) and grows the pool when asked.
    std::function<void(bool)> loop = [&](bool main) {
      if (!main) {
        EXPECT_EQ(manager.write(CommandWriter().registerLooper()), 0);
      }
      for (;;) {
        for (const Event& event : manager.read(kChildTimeout)) {
          if (event.cmd == BR_TRANSACTION) events.send(1);
          if (event.cmd == BR_SPAWN_LOOPER) {
            events.send(2);
            std::thread(loop, false).detach();
          }
        }
      }
    };
    loop(true);
  });
  // a call before the pool owns handle 0 would fail at once
  ASSERT_EQ(events.receive(kTimeout), std::optional<uint64_t>(0));
  constexpr int kCallers = 6;
  BinderConnection client;
  std::vector<std::vector<Event>> outcomes(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back(
        [&, i] { outcomes[i] = client.call(0, 1, Payload().putU32(i), 0, kChildTimeout); });
  }
  // Kill once the pool has been asked to grow and holds at least two calls.
  int calls = 0, spawns = 0;
  bool seen = true;
  while (calls < 2 || spawns < 1) {
    std::optional<uint64_t> event = events.receive(kTimeout);
    if (!event) {
      seen = false;
      break;
    }
    (*event == 1 ? calls : spawns) += 1;
  }
  server.kill();
  for (std::thread& caller : callers) caller.join();  // joinable threads would abort the binary
  ASSERT_TRUE(seen) << calls << " calls, " << spawns << " spawn requests seen";
  for (int i = 0; i < kCallers; ++i)
    EXPECT_EQ(lastCommandName(outcomes[i]), "BR_DEAD_REPLY") << "caller " << i;
}

// A process killed while it holds an unfreed buffer, strong and weak references on another
// process's node and a death notification: its references go (the node's owner gets
// BR_RELEASE and BR_DECREFS only then), and its own node's watchers get BR_DEAD_BINDER.
TEST_F(FaultInjection, ProcessHoldingBuffersRefsAndDeathNotificationsKilled) {
  constexpr binder_uintptr_t kOwnerPtr = 0x6000, kOwnerCookie = 0x6001;
  constexpr binder_uintptr_t kHolderPtr = 0x7000, kHolderCookie = 0x7001;
  BinderConnection manager = contextManager();

  // The owner publishes a node, acknowledges its references, and reports its release.
  Pipe ownerReleased;
  ChildProcess owner("owner", [&] {
    BinderConnection connection;
    bool released = false, decrefed = false;
    // Acknowledges the node's references (without that the driver keeps it pinned).
    auto handle = [&](const std::vector<Event>& events) {
      for (const Event& event : events) {
        const binder_ptr_cookie& node = event.node;
        if (event.cmd == BR_INCREFS) {
          EXPECT_EQ(connection.write(CommandWriter().increfsDone(node.ptr, node.cookie)), 0);
        } else if (event.cmd == BR_ACQUIRE) {
          EXPECT_EQ(connection.write(CommandWriter().acquireDone(node.ptr, node.cookie)), 0);
        } else if (event.cmd == BR_RELEASE || event.cmd == BR_DECREFS) {
          EXPECT_EQ(node.ptr, kOwnerPtr);
          (event.cmd == BR_RELEASE ? released : decrefed) = true;
        }
      }
    };
    std::vector<Event> events = connection.call(0, 1, Payload().putBinder(kOwnerPtr, kOwnerCookie));
    EXPECT_EQ(lastCommandName(events), "BR_REPLY");
    handle(events);
    const auto deadline = std::chrono::steady_clock::now() + kChildTimeout;
    while (!(released && decrefed) && std::chrono::steady_clock::now() < deadline) {
      handle(connection.read(kTimeout));
    }
    EXPECT_TRUE(released && decrefed) << "the node's references were never dropped";
    ownerReleased.send(1);
  });
  Event fromOwner = manager.waitFor(BR_TRANSACTION);
  const uint32_t ownerHandle = firstHandle(fromOwner);
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the buffer: the reference lives

  // The holder gets a handle on the owner's node, takes references and a death notification
  // on it, publishes a node of its own, keeps its buffer, and waits to be killed.
  Pipe holderReady;
  ChildProcess holder("holder", [&] {
    BinderConnection connection;
    std::vector<Event> events =
        connection.call(0, 2, Payload().putBinder(kHolderPtr, kHolderCookie));
    ASSERT_EQ(lastCommandName(events), "BR_REPLY");
    const uint32_t handle = events.back().txn.object().handle;
    EXPECT_EQ(
        connection.write(CommandWriter().increfs(handle).acquire(handle).requestDeathNotification(
            handle, kDeathCookie)),
        0);
    holderReady.send(1);
    ::pause();
  });
  Event fromHolder = manager.waitFor(BR_TRANSACTION);
  const uint32_t holderHandle = firstHandle(fromHolder);
  // The reference that came with the holder's buffer goes with it: take one of our own first.
  ASSERT_EQ(
      manager.write(
          CommandWriter().acquire(holderHandle).requestDeathNotification(holderHandle, kCookie)),
      0);
  manager.writeReply(
      CommandWriter().freeBuffer(fromHolder.txn.buffer()).reply(Payload().putHandle(ownerHandle)));
  ASSERT_TRUE(holderReady.receive(kTimeout).has_value());
  // The manager lets go of the owner's node: only the holder's references keep it now.
  ASSERT_EQ(manager.write(CommandWriter().freeBuffer(fromOwner.txn.buffer())), 0);
  EXPECT_FALSE(ownerReleased.receive(kQuiet).has_value()) << "released while the holder holds it";

  holder.kill();
  EXPECT_EQ(manager.waitFor(BR_DEAD_BINDER).cookie, kCookie);
  EXPECT_TRUE(ownerReleased.receive(kTimeout).has_value()) << "the owner's node was never released";
  EXPECT_EQ(manager.write(CommandWriter().deadBinderDone(kCookie).release(holderHandle)), 0);
  owner.wait();
}

// A receiver that unmapped its buffer area gets no more buffers: the driver has nowhere to put
// them, so a call to it fails with BR_DEAD_REPLY (ESRCH) and nothing is delivered.
TEST_F(FaultInjection, ReceiverThatUnmappedItsMappingGetsNoBuffers) {
  Pipe ready, done;
  ChildProcess receiver("receiver", [&] {
    BinderConnection connection(0);  // mapped by hand, so that nothing maps it again
    void* map = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, connection.fd(), 0);
    ASSERT_NE(map, MAP_FAILED) << std::strerror(errno);
    connection.becomeContextManager();
    connection.enterLooper();
    ASSERT_EQ(::munmap(map, kDefaultMapSize), 0);
    ready.send(1);
    ASSERT_TRUE(done.receive(kChildTimeout).has_value());
    for (const Event& event : connection.readQuietly()) {
      EXPECT_NE(event.cmd, BR_TRANSACTION)
          << "a buffer was delivered at 0x" << std::hex << event.txn.buffer() << " after munmap";
    }
  });
  ASSERT_TRUE(ready.receive(kTimeout).has_value());
  BinderConnection client;
  EXPECT_EQ(commandNames(client.call(0, 1, Payload().putU32(1))), Names{"BR_DEAD_REPLY"});
  expectExtendedError(client, BR_DEAD_REPLY, -ESRCH);
  done.send(1);
  receiver.wait();
}

// --- libbinder: DEAD_OBJECT ------------------------------------------------------------------

using android::BBinder;
using android::IBinder;
using android::Parcel;
using android::ProcessState;
using android::sp;
using android::status_t;
using android::String16;
using android::wp;

class DeathFlag : public IBinder::DeathRecipient {
 public:
  void binderDied(const wp<IBinder>&) override { died = true; }
  std::atomic<bool> died = false;
};

bool waitFor(const std::atomic<bool>& flag, std::chrono::milliseconds timeout = kTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!flag.load()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// A service whose code 1 never returns: the process is killed inside it.
class StuckService : public BBinder {
 public:
  explicit StuckService(const Pipe& inside) : inside_(inside) {}
  status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) override {
    if (code != 1) return BBinder::onTransact(code, data, reply, flags);
    inside_.send(1);
    ::pause();
    return android::OK;
  }

 private:
  const Pipe& inside_;
};

// libbinder's view of the same: a call in progress and the next one return DEAD_OBJECT, and
// the death recipient runs.
TEST_F(FaultInjection, LibbinderCallToKilledServiceReturnsDeadObject) {
  Pipe inside, clientDone;
  ChildProcess service("service", [&] {
    sp<ProcessState> process = ProcessState::self();
    ASSERT_TRUE(process->becomeContextManager(sp<StuckService>::make(inside)));
    process->startThreadPool();
    android::IPCThreadState::self()->joinThreadPool();
  });
  ChildProcess client("client", [&] {
    ASSERT_TRUE(
        waitUntil([] { return ProcessState::self()->getContextObject(nullptr) != nullptr; }));
    sp<ProcessState> process = ProcessState::self();
    process->startThreadPool();  // a pool thread delivers the death notification
    sp<IBinder> remote = process->getContextObject(nullptr);
    ASSERT_TRUE(remote != nullptr);
    sp<DeathFlag> death = sp<DeathFlag>::make();
    ASSERT_EQ(remote->linkToDeath(death), android::OK);
    Parcel request, reply;
    EXPECT_EQ(remote->transact(1, request, &reply), android::DEAD_OBJECT);
    EXPECT_TRUE(waitFor(death->died)) << "binderDied never ran";
    EXPECT_EQ(remote->transact(1, request, &reply), android::DEAD_OBJECT);
    EXPECT_EQ(remote->pingBinder(), android::DEAD_OBJECT);
    clientDone.send(1);
  });
  ASSERT_TRUE(inside.receive(kTimeout).has_value()) << "the call never reached the service";
  service.kill();
  EXPECT_TRUE(clientDone.receive(kTimeout).has_value());
  client.wait();
}

// servicemanager is SIGKILLed: its clients see DEAD_OBJECT and their death recipients run;
// once the driver has released it, a new servicemanager claims the context manager and
// serves new registrations.
TEST_F(FaultInjection, ServiceManagerKilledAndReplaced) {
  auto first = std::make_unique<ServiceManagerProcess>();
  Pipe ready, sawDeath, finish;
  ChildProcess client("client", [&] {
    sp<IBinder> sm = ProcessState::self()->getContextObject(nullptr);
    ASSERT_TRUE(sm != nullptr);
    ProcessState::self()->startThreadPool();
    sp<DeathFlag> death = sp<DeathFlag>::make();
    ASSERT_EQ(sm->linkToDeath(death), android::OK);
    ASSERT_EQ(sm->pingBinder(), android::OK);
    ready.send(1);
    EXPECT_TRUE(waitFor(death->died)) << "binderDied never ran for the service manager";
    EXPECT_EQ(sm->pingBinder(), android::DEAD_OBJECT);
    sawDeath.send(1);
    ASSERT_TRUE(finish.receive(kChildTimeout).has_value());
  });
  ASSERT_TRUE(ready.receive(kTimeout).has_value());
  ::kill(first->pid(), SIGKILL);
  first.reset();  // reaps it
  ASSERT_TRUE(sawDeath.receive(kTimeout).has_value());

  ServiceManagerProcess second;  // waits until handle 0 answers again
  ChildProcess publisher("publisher", [] {
    sp<android::IServiceManager> sm = android::defaultServiceManager();
    ASSERT_TRUE(sm != nullptr);
    sp<BBinder> token = sp<BBinder>::make();
    EXPECT_EQ(sm->addService(String16("robustness.token"), token), android::OK);
    sp<IBinder> found = sm->checkService(String16("robustness.token"));
    EXPECT_EQ(found.get(), static_cast<IBinder*>(token.get())) << "the new service manager lost it";
  });
  publisher.wait();
  finish.send(1);
  client.wait();
}

// ---------------------------------------------------------------------------------------------
// Exhaustion.

// A client floods one-way calls at a process that never reads them: the driver accepts them
// until they fill half the receiver's mapping (the async space), then fails the next with
// BR_FAILED_REPLY (ENOSPC); synchronous calls from others still get through, and the flood
// can go on once the receiver has drained.
TEST_F(Exhaustion, OnewayFloodHitsTheAsyncSpaceLimit) {
  constexpr size_t kPayload = 4096;
  BinderConnection manager = contextManager(kDefaultMapSize);
  Pipe result, resume;
  ChildProcess flooder("flooder", [&] {
    BinderConnection connection;
    uint64_t accepted = 0;
    for (; accepted < 10000; ++accepted) {
      ASSERT_EQ(connection.write(
                    CommandWriter().transaction(0, 1, Payload().putZeros(kPayload), TF_ONE_WAY)),
                0);
      std::vector<Event> events = connection.read();
      if (findEvent(events, BR_FAILED_REPLY) != nullptr) {
        expectExtendedError(connection, BR_FAILED_REPLY, -ENOSPC);
        break;
      }
      ASSERT_EQ(commandNames(events), Names{"BR_TRANSACTION_COMPLETE"});
    }
    result.send(accepted);
    ASSERT_TRUE(resume.receive(kChildTimeout).has_value());
    ASSERT_EQ(connection.write(
                  CommandWriter().transaction(0, 2, Payload().putZeros(kPayload), TF_ONE_WAY)),
              0);
    EXPECT_EQ(commandNames(connection.read()), Names{"BR_TRANSACTION_COMPLETE"})
        << "one-way calls still refused after the receiver drained";
  });
  std::optional<uint64_t> accepted = result.receive(kChildTimeout);
  ASSERT_TRUE(accepted.has_value());
  EXPECT_LE(*accepted * kPayload, kDefaultMapSize / 2) << *accepted << " calls accepted";
  EXPECT_GE(*accepted * kPayload, kDefaultMapSize / 2 - 8 * kPayload)
      << *accepted << " calls accepted";

  // Others keep working: a synchronous call to the flooded receiver is accepted and answered.
  ChildProcess other("other", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 3, Payload().putU32(3))), "BR_REPLY");
  });
  // The receiver drains: one-way calls come one at a time, each after the previous is freed.
  bool answered = false;
  uint64_t drained = 0;
  while (!answered || drained < *accepted) {
    std::vector<Event> events = manager.read();
    ASSERT_FALSE(events.empty()) << "drained " << drained << " of " << *accepted;
    for (const Event& event : events) {
      if (event.cmd != BR_TRANSACTION) continue;
      if (event.txn.tr.flags & TF_ONE_WAY) {
        ++drained;
        ASSERT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
      } else {
        manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
        answered = true;
      }
    }
  }
  other.wait();
  resume.send(1);
  Event last = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(last.txn.tr.code, 2u);
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(last.txn.buffer())), 0);
  flooder.wait();
}

// A server that never frees its buffers fills its mapping: further calls fail with
// BR_FAILED_REPLY (ENOSPC) instead of blocking, and succeed again once it frees them.
TEST_F(Exhaustion, NeverFreedBuffersFillTheMappingThenRecover) {
  constexpr size_t kMapSize = 256 * 1024;
  constexpr size_t kPayload = 16 * 1024;
  BinderConnection manager = contextManager(kMapSize);
  Pipe result, resume;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    uint64_t answered = 0;
    for (; answered < 1000; ++answered) {
      std::vector<Event> events = connection.call(0, 1, Payload().putZeros(kPayload));
      if (lastCommandName(events) != "BR_REPLY") {
        EXPECT_EQ(lastCommandName(events), "BR_FAILED_REPLY");
        expectExtendedError(connection, BR_FAILED_REPLY, -ENOSPC);
        break;
      }
      EXPECT_EQ(connection.write(CommandWriter().freeBuffer(events.back().txn.buffer())), 0);
    }
    result.send(answered);
    ASSERT_TRUE(resume.receive(kChildTimeout).has_value());
    EXPECT_EQ(lastCommandName(connection.call(0, 2, Payload().putZeros(kPayload))), "BR_REPLY")
        << "calls still fail after the server freed its buffers";
  });
  std::vector<binder_uintptr_t> held;
  std::optional<uint64_t> answered;
  while (!(answered = result.receive(0ms))) {
    for (const Event& event : manager.read(100ms)) {
      if (event.cmd != BR_TRANSACTION) continue;
      held.push_back(event.txn.buffer());
      ASSERT_EQ(manager.write(CommandWriter().reply(Payload())), 0);
    }
  }
  EXPECT_EQ(*answered, held.size());
  EXPECT_EQ(*answered, kMapSize / kPayload) << "every buffer fits exactly; the next does not";
  CommandWriter frees;
  for (binder_uintptr_t buffer : held) frees.freeBuffer(buffer);
  ASSERT_EQ(manager.write(frees), 0);
  resume.send(1);
  manager.serveOne();
  client.wait();
}

// One process opens the device thousands of times (each a binder process of its own, mapped):
// all succeed until its descriptor limit, which fails with EMFILE; meanwhile another process
// calls the context manager as usual.
TEST_F(Exhaustion, ThousandsOfOpensHitTheDescriptorLimit) {
  constexpr rlim_t kLimit = 3000;
  BinderConnection manager = contextManager();
  Pipe opened, done;
  ChildProcess opener("opener", [&] {
    rlimit limit{kLimit, kLimit};
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0) << std::strerror(errno);
    std::vector<BinderConnection> connections;
    int error = 0;
    while (connections.size() < kLimit) {
      int fd = ::open(devicePath().c_str(), O_RDWR | O_CLOEXEC);
      if (fd < 0) {
        error = errno;
        break;
      }
      ::close(fd);
      BinderConnection& connection = connections.emplace_back(4096);
      ASSERT_TRUE(connection.ok()) << "open " << connections.size();
      binder_version version{};
      ASSERT_EQ(connection.ioctlErrno(BINDER_VERSION, &version), 0);
      ASSERT_EQ(version.protocol_version, BINDER_CURRENT_PROTOCOL_VERSION);
    }
    EXPECT_EQ(error, EMFILE) << std::strerror(error);
    EXPECT_GE(connections.size() + 16, kLimit) << "fewer opens than the descriptor limit allows";
    opened.send(connections.size());
    ASSERT_TRUE(done.receive(kChildTimeout).has_value());
  });
  std::optional<uint64_t> count = opened.receive(kChildTimeout);
  ASSERT_TRUE(count.has_value());
  ChildProcess caller("caller", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putU32(1))), "BR_REPLY");
  });
  manager.serveOne();
  caller.wait();
  done.send(1);
  opener.wait();
}

// ---------------------------------------------------------------------------------------------
// Security.

// Handles are per process: a process cannot call, or take references through, a handle it
// was never given, even one that names a node in another process.
TEST_F(Security, HandleNeverGivenIsRefused) {
  BinderConnection manager = contextManager();
  Pipe exit;
  ChildProcess owner("owner", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBinder(kPtr, kCookie))),
              "BR_REPLY");
    ASSERT_TRUE(exit.receive(kChildTimeout).has_value());
    EXPECT_EQ(findEvent(connection.readQuietly(), BR_TRANSACTION), nullptr)
        << "a stranger reached the node";
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  const uint32_t handle = firstHandle(event);
  ASSERT_NE(handle, 0u);
  manager.writeReply(CommandWriter().reply(Payload()));

  ChildProcess stranger("stranger", [handle] {
    BinderConnection connection;
    EXPECT_EQ(connection.write(CommandWriter().increfs(handle).acquire(handle)), 0);
    for (uint32_t guess : {handle, handle + 1, 2u, 16u, 0xffffffffu}) {
      EXPECT_EQ(commandNames(connection.call(guess, 1, Payload())), Names{"BR_FAILED_REPLY"})
          << "handle " << guess;
      expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
    }
    // Nor can it pass the handle on as an object.
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putHandle(handle))),
              Names{"BR_FAILED_REPLY"});
  });
  stranger.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), Names{})
      << "the stranger's calls reached the manager";
  exit.send(1);
  owner.wait();
}

// BC_FREE_BUFFER names an address in the caller's own mapping: another process cannot free
// (and so cannot have reused) a buffer it does not own.
TEST_F(Security, AnotherProcessCannotFreeMyBuffer) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putU64(0x1111111111111111))),
              "BR_REPLY");
    EXPECT_EQ(lastCommandName(connection.call(0, 2, Payload().putU64(0x2222222222222222))),
              "BR_REPLY");
  });
  Event first = manager.waitFor(BR_TRANSACTION);
  const binder_uintptr_t buffer = first.txn.buffer();
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the buffer

  ChildProcess thief("thief", [buffer] {
    BinderConnection connection;
    // The reference driver ignores (and logs) a free that matches none of its buffers.
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(buffer)), 0);
  });
  thief.wait();
  Event second = manager.waitFor(BR_TRANSACTION);
  EXPECT_NE(second.txn.buffer(), buffer) << "the first buffer was freed by another process";
  uint64_t data;
  std::memcpy(&data, reinterpret_cast<const void*>(buffer), sizeof(data));
  EXPECT_EQ(data, 0x1111111111111111u) << "the held buffer changed";
  manager.writeReply(
      CommandWriter().freeBuffer(second.txn.buffer()).freeBuffer(buffer).reply(Payload()));
  client.wait();
}

// A forked child shares the binder file but not its mapping (the driver's mapping is not
// copied on fork), and cannot map the file itself: it cannot read the parent's buffers.
TEST_F(Security, ForkedChildCannotReadTheParentsBuffers) {
  BinderConnection connection;
  ASSERT_TRUE(connection.ok());
  const auto address = reinterpret_cast<uintptr_t>(connection.map());
  const int fd = connection.fd();
  ChildProcess child("child", [address, fd] {
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
      const uintptr_t start = std::stoull(line.substr(0, line.find('-')), nullptr, 16);
      EXPECT_NE(start, address) << "the child inherited the binder mapping: " << line;
    }
    void* map = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, fd, 0);
    EXPECT_EQ(map, MAP_FAILED) << "the child mapped its parent's binder file";
    if (map != MAP_FAILED) ::munmap(map, kDefaultMapSize);
    EXPECT_EQ(errno, EINVAL);
  });
  child.wait();
}

// The mapping is the driver's: a process can neither map it writable nor make it writable,
// nor write it through /proc/self/mem.
TEST_F(Security, ProcessCannotWriteItsMapping) {
  BinderConnection connection(0);
  ASSERT_TRUE(connection.ok());
  for (int flags : {MAP_PRIVATE, MAP_SHARED}) {
    void* map = ::mmap(nullptr, kDefaultMapSize, PROT_READ | PROT_WRITE, flags, connection.fd(), 0);
    EXPECT_EQ(map, MAP_FAILED) << "writable mapping granted (flags " << flags << ")";
    EXPECT_EQ(errno, EPERM);
    if (map != MAP_FAILED) ::munmap(map, kDefaultMapSize);
  }
  void* map = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, connection.fd(), 0);
  ASSERT_NE(map, MAP_FAILED) << std::strerror(errno);
  EXPECT_EQ(::mprotect(map, kDefaultMapSize, PROT_READ | PROT_WRITE), -1) << "made writable";
  EXPECT_EQ(errno, EACCES);
  int mem = ::open("/proc/self/mem", O_RDWR | O_CLOEXEC);
  ASSERT_GE(mem, 0) << std::strerror(errno);
  const uint64_t value = 0x4141414141414141;
  EXPECT_EQ(
      ::pwrite(mem, &value, sizeof(value), static_cast<off_t>(reinterpret_cast<uintptr_t>(map))),
      -1)
      << "wrote the mapping through /proc/self/mem";
  ::close(mem);
  ::munmap(map, kDefaultMapSize);
}

// While one process is the context manager, no other can take the role, root or not; once it
// is gone, another can.
TEST_F(Security, ContextManagerCannotBeTakenWhileHeld) {
  auto holder = std::make_unique<BinderConnection>();
  holder->becomeContextManager();
  for (uid_t uid : {0u, 1000u}) {
    ChildProcess usurper("usurper uid " + std::to_string(uid), [uid] {
      if (uid != 0) becomeUser(uid);
      BinderConnection connection;
      EXPECT_EQ(connection.ioctlErrno(BINDER_SET_CONTEXT_MGR, nullptr), EBUSY);
      flat_binder_object node{};
      EXPECT_EQ(connection.ioctlErrno(BINDER_SET_CONTEXT_MGR_EXT, &node), EBUSY);
    });
    usurper.wait();
  }
  holder.reset();
  ChildProcess successor("successor", [] {
    BinderConnection connection;
    EXPECT_EQ(connection.claimContextManager(), 0) << "the role was not freed with its holder";
  });
  successor.wait();
}

// The driver, not the sender, fills in sender_pid (the process, whichever thread sends) and
// sender_euid: values written by the sender are ignored.
TEST_F(Security, SenderPidAndEuidCannotBeForged) {
  BinderConnection manager = contextManager();
  Pipe pid;
  ChildProcess sender("sender", [&] {
    becomeUser(1000);
    BinderConnection connection;
    pid.send(static_cast<uint64_t>(::getpid()));
    auto forge = [&connection] {
      std::vector<uint8_t> data(8, 0x5a);
      binder_transaction_data tr{};
      tr.target.handle = 0;
      tr.code = 1;
      tr.sender_pid = 1;
      tr.sender_euid = 0;
      tr.data_size = data.size();
      tr.data.ptr.buffer = reinterpret_cast<binder_uintptr_t>(data.data());
      ASSERT_EQ(connection.write(CommandWriter().command(BC_TRANSACTION, tr)), 0);
      EXPECT_EQ(lastCommandName(connection.readUntil(BR_REPLY)), "BR_REPLY");
    };
    forge();
    std::thread second(forge);  // from another thread: still the process's pid
    second.join();
  });
  std::optional<uint64_t> senderPid = pid.receive(kTimeout);
  ASSERT_TRUE(senderPid.has_value());
  for (int call = 0; call < 2; ++call) {
    ReceivedTransaction txn = manager.serveOne();
    EXPECT_EQ(txn.tr.sender_pid, static_cast<pid_t>(*senderPid)) << "call " << call;
    EXPECT_EQ(txn.tr.sender_euid, 1000u) << "call " << call;
  }
  sender.wait();
}

// A reply carrying an fd to a caller that did not set TF_ACCEPT_FDS fails, and no descriptor
// appears in the caller; with TF_ACCEPT_FDS the same reply delivers one.
TEST_F(Security, FdIsNotInstalledWithoutAcceptFds) {
  BinderConnection manager = contextManager();
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  UniqueFd readEnd(fds[0]), writeEnd(fds[1]);
  ChildProcess client("client", [] {
    const size_t before = openFdCount();
    EXPECT_EQ(lastCommandName(BinderConnection().call(0, 1, Payload())), "BR_FAILED_REPLY");
    EXPECT_EQ(openFdCount(), before) << "a descriptor was installed anyway";
    BinderConnection accepting;
    const size_t withConnection = openFdCount();
    std::vector<Event> events = accepting.call(0, 2, Payload(), TF_ACCEPT_FDS);
    ASSERT_EQ(lastCommandName(events), "BR_REPLY");
    EXPECT_EQ(openFdCount(), withConnection + 1) << "TF_ACCEPT_FDS: the fd should arrive";
    EXPECT_EQ(accepting.write(CommandWriter().freeBuffer(events.back().txn.buffer())), 0);
  });
  for (int call = 0; call < 2; ++call) {
    Event event = manager.waitFor(BR_TRANSACTION);
    ASSERT_EQ(
        manager.write(
            CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload().putFd(writeEnd.get()))),
        0);
    EXPECT_EQ(commandNames(manager.read()), Names{"BR_TRANSACTION_COMPLETE"});
  }
  client.wait();
}

}  // namespace
}  // namespace binder_test
