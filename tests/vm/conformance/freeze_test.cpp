// Freezing (BINDER_FREEZE, BINDER_GET_FROZEN_INFO), the driver's half of the cgroup freezer:
// a frozen process gets no new synchronous calls (the caller gets BR_FROZEN_REPLY), one-way
// calls still queue for it (since 6.5 their sender is told so with
// BR_TRANSACTION_PENDING_FROZEN), and the freeze is refused with EAGAIN, and the process left
// thawed, while calls to it are unfinished (after waiting up to the given timeout for them)
// or while it waits for the reply to a call of its own. Any binder file may freeze any
// binder process; a pid with no binder file open is EINVAL.
//
// Freezing does not stop a thread of the frozen process that is reading: the cgroup freezer
// does that. So a test that reads in a frozen process sees what the driver queued.

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"
#include "uapi_extras.h"

namespace binder_test {
namespace {

using Clock = std::chrono::steady_clock;

// What the sender of a one-way call to a frozen process reads on the running kernel.
std::vector<std::string> onewayToFrozenOutcome() {
  return {kernelHasPendingFrozen() ? "BR_TRANSACTION_PENDING_FROZEN" : "BR_TRANSACTION_COMPLETE"};
}

binder_frozen_status_info frozenInfoOf(BinderConnection& connection, pid_t pid) {
  binder_frozen_status_info info{};
  int err = connection.frozenInfo(pid, &info);
  EXPECT_EQ(err, 0) << "BINDER_GET_FROZEN_INFO: " << std::strerror(err);
  return info;
}

// A child makes one synchronous call to the manager and expects EXPECTED as all it reads.
void callFromChild(const std::vector<std::string>& expected) {
  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putU32(1))), expected);
  });
  client.wait();
}

TEST(Freeze, SyncCallToAFrozenProcessFailsWithFrozenReply) {
  BinderConnection manager = contextManager();
  ASSERT_EQ(manager.freeze(getpid(), true), 0);

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putU32(1))),
              std::vector<std::string>{"BR_FROZEN_REPLY"});
    binder_extended_error ee = connection.extendedError();
    EXPECT_NE(ee.id, 0u);
    EXPECT_EQ(commandName(ee.command), "BR_FROZEN_REPLY");
    EXPECT_EQ(ee.param, 0) << "as errno: " << std::strerror(-ee.param);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{})
      << "the call never reaches the frozen process";

  binder_frozen_status_info info = frozenInfoOf(manager, getpid());
  EXPECT_EQ(info.sync_recv, kFrozenSyncReceived);
  EXPECT_EQ(info.async_recv, 0u);
}

TEST(Freeze, ThawedProcessTakesCallsAgainAndItsFlagsAreCleared) {
  BinderConnection manager = contextManager();
  ASSERT_EQ(manager.freeze(getpid(), true), 0);
  callFromChild({"BR_FROZEN_REPLY"});
  ASSERT_EQ(manager.freeze(getpid(), false), 0);

  binder_frozen_status_info info = frozenInfoOf(manager, getpid());
  EXPECT_EQ(info.sync_recv, 0u) << "thawing clears what was received while frozen";
  EXPECT_EQ(info.async_recv, 0u);

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
  });
  manager.serveOne();
  client.wait();
}

TEST(Freeze, FreezingAgainClearsTheReceivedFlags) {
  BinderConnection manager = contextManager();
  ASSERT_EQ(manager.freeze(getpid(), true), 0);
  callFromChild({"BR_FROZEN_REPLY"});
  EXPECT_EQ(frozenInfoOf(manager, getpid()).sync_recv, kFrozenSyncReceived);
  ASSERT_EQ(manager.freeze(getpid(), true), 0);
  EXPECT_EQ(frozenInfoOf(manager, getpid()).sync_recv, 0u);
}

TEST(Freeze, OnewayCallToAFrozenProcessIsQueuedForIt) {
  BinderConnection manager = contextManager();
  ASSERT_EQ(manager.freeze(getpid(), true), 0);

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(connection.write(CommandWriter().transaction(0, 7, Payload().putU32(42), TF_ONE_WAY)),
              0);
    EXPECT_EQ(commandNames(connection.read()), onewayToFrozenOutcome());
  });
  client.wait();

  binder_frozen_status_info info = frozenInfoOf(manager, getpid());
  EXPECT_EQ(info.sync_recv, kFrozenSyncPending) << "the queued call is unfinished until read";
  EXPECT_EQ(info.async_recv, 1u);

  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(event.txn.tr.code, 7u);
  EXPECT_EQ(event.txn.at<uint32_t>(0), 42u);
  EXPECT_EQ(frozenInfoOf(manager, getpid()).sync_recv, 0u)
      << "a one-way call is finished once read, before its buffer is freed";
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
  EXPECT_EQ(manager.freeze(getpid(), false), 0);
}

// While the process still owes a reply, freezing fails with EAGAIN (at once with no timeout,
// after the timeout otherwise) and leaves it thawed.
TEST(Freeze, FreezeFailsWithEagainWhileACallIsUnanswered) {
  BinderConnection manager = contextManager();
  Pipe replied;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
    replied.send(1);
  });
  Event call = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(call.cmd, BR_TRANSACTION);

  EXPECT_EQ(manager.freeze(getpid(), true, 0), EAGAIN);
  const auto start = Clock::now();
  EXPECT_EQ(manager.freeze(getpid(), true, 200), EAGAIN);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(150)) << "waited for the timeout";

  binder_frozen_status_info info = frozenInfoOf(manager, getpid());
  EXPECT_EQ(info.sync_recv & kFrozenSyncPending, kFrozenSyncPending)
      << "a call is in progress; sync_recv " << info.sync_recv;

  // Still thawed: another call gets through, to a second thread (this one owes a reply, so
  // it takes no new calls).
  ChildProcess second("second client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 2, Payload())), "BR_REPLY");
  });
  std::thread([&] {
    manager.enterLooper();
    EXPECT_EQ(manager.serveOne().tr.code, 2u);
  }).join();
  second.wait();

  manager.writeReply(CommandWriter().freeBuffer(call.txn.buffer()).reply(Payload()));
  ASSERT_TRUE(replied.receive().has_value());
  client.wait();
  EXPECT_EQ(frozenInfoOf(manager, getpid()).sync_recv, 0u) << "nothing pending any more";
  EXPECT_EQ(manager.freeze(getpid(), true, 0), 0) << "nothing left unanswered";
}

TEST(Freeze, FreezeWaitsForAnUnansweredCallWithinItsTimeout) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
  });
  Event call = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(call.cmd, BR_TRANSACTION);

  // Another thread freezes with a long timeout; this one replies a little later.
  std::future<int> frozen = std::async(std::launch::async, [&] {
    return manager.freeze(getpid(), true, static_cast<uint32_t>(kTimeout.count()));
  });
  EXPECT_EQ(frozen.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "the freeze must wait for the reply";
  manager.writeReply(CommandWriter().freeBuffer(call.txn.buffer()).reply(Payload()));
  EXPECT_EQ(frozen.get(), 0);
  client.wait();

  callFromChild({"BR_FROZEN_REPLY"});
}

// A process waiting for the reply to its own call cannot be frozen either (EAGAIN); once the
// reply is in, it can.
TEST(Freeze, FreezeFailsWithEagainWhileTheProcessAwaitsAReply) {
  BinderConnection manager = contextManager();
  Pipe replied;
  Pipe done;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
    replied.send(1);
    ASSERT_TRUE(done.receive(kChildTimeout));
  });
  Event call = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(call.cmd, BR_TRANSACTION);
  EXPECT_EQ(manager.freeze(client.pid(), true, 0), EAGAIN);
  manager.writeReply(CommandWriter().freeBuffer(call.txn.buffer()).reply(Payload()));
  ASSERT_TRUE(replied.receive());
  EXPECT_EQ(manager.freeze(client.pid(), true, 0), 0);
  EXPECT_EQ(manager.freeze(client.pid(), false), 0);
  done.send(1);
  client.wait();
}

TEST(Freeze, PidWithoutABinderProcessIsInvalid) {
  BinderConnection manager = contextManager();
  Pipe done;
  ChildProcess bystander("bystander", [&] { ASSERT_TRUE(done.receive(kChildTimeout)); });

  EXPECT_EQ(manager.freeze(bystander.pid(), true), EINVAL);
  EXPECT_EQ(manager.freeze(bystander.pid(), false), EINVAL);
  binder_frozen_status_info info{};
  EXPECT_EQ(manager.frozenInfo(bystander.pid(), &info), EINVAL);
  done.send(1);
  bystander.wait();
}

// Any binder file may freeze any binder process: the manager freezes a client.
TEST(Freeze, AnotherProcessCanBeFrozen) {
  BinderConnection manager = contextManager();
  Pipe ready;
  Pipe done;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    connection.enterLooper();
    ready.send(1);
    ASSERT_TRUE(done.receive(kChildTimeout));
  });
  ASSERT_TRUE(ready.receive());
  EXPECT_EQ(manager.freeze(client.pid(), true), 0);
  binder_frozen_status_info info = frozenInfoOf(manager, client.pid());
  EXPECT_EQ(info.sync_recv, 0u);
  EXPECT_EQ(info.async_recv, 0u);
  EXPECT_EQ(manager.freeze(client.pid(), false), 0);
  done.send(1);
  client.wait();
}

}  // namespace
}  // namespace binder_test
