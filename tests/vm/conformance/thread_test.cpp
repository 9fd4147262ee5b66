// Threads: where nested calls land, when the driver asks for another looper
// (BR_SPAWN_LOOPER), and what BINDER_THREAD_EXIT does to a call in progress.
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr binder_uintptr_t kPtr = 0x9000, kCookie = 0x9001;

pid_t currentTid() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

// Runs in process A: calls the manager with A's binder and, while waiting for the reply,
// serves the nested call (code 2) that comes back into A from NESTED_SENDER. It must land on
// the waiting thread, not on A's idle looper.
void callAndServeTheNestedCall(pid_t nestedSender) {
  BinderConnection connection;
  std::atomic<bool> stop = false;
  std::thread idleLooper([&] {
    connection.enterLooper();
    while (!stop) {
      EXPECT_EQ(commandNames(connection.read(50ms)), std::vector<std::string>{})
          << "the idle looper must get nothing";
    }
  });
  ASSERT_EQ(connection.write(CommandWriter().transaction(0, 1, Payload().putBinder(kPtr, kCookie))),
            0);
  std::vector<Event> events = connection.readUntil(BR_TRANSACTION);
  EXPECT_EQ(commandNames(events),
            (std::vector<std::string>{"BR_INCREFS", "BR_ACQUIRE", "BR_TRANSACTION_COMPLETE",
                                      "BR_TRANSACTION"}))
      << "the deferred BR_TRANSACTION_COMPLETE comes out with the nested call";
  const Event* nested = findEvent(events, BR_TRANSACTION);
  if (nested != nullptr) {
    EXPECT_EQ(nested->txn.tr.code, 2u);
    EXPECT_EQ(nested->txn.tr.target.ptr, kPtr);
    EXPECT_EQ(nested->txn.tr.sender_pid, nestedSender);
    EXPECT_EQ(connection.write(
                  CommandWriter().freeBuffer(nested->txn.buffer()).reply(Payload().putU32(0xa))),
              0);
  }
  std::vector<Event> rest = connection.readUntil(BR_REPLY);
  EXPECT_EQ(commandNames(rest), (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_REPLY"}));
  const Event* reply = findEvent(rest, BR_REPLY);
  if (reply != nullptr) {
    EXPECT_EQ(reply->txn.at<uint32_t>(0), 0xbu);
  }
  stop = true;
  idleLooper.join();
}

// A calls the manager; while handling it, the manager calls back into A.
TEST(Threads, NestedCallLandsOnTheThreadWaitingForTheReply) {
  BinderConnection manager = contextManager();
  const pid_t managerPid = ::getpid();
  ChildProcess a("A", [&] { callAndServeTheNestedCall(managerPid); });

  Event call = manager.waitFor(BR_TRANSACTION);
  std::vector<Event> nestedOutcome = manager.call(call.txn.object().handle, 2, Payload());
  ASSERT_EQ(lastCommandName(nestedOutcome), "BR_REPLY");
  EXPECT_EQ(nestedOutcome.back().txn.at<uint32_t>(0), 0xau);
  manager.writeReply(CommandWriter().reply(Payload().putU32(0xb)).freeBuffer(call.txn.buffer()));
  a.wait();
}

// A calls the manager, the manager calls B, and B calls A: the driver follows the chain of
// calls back to A's waiting thread.
TEST(Threads, NestedCallThroughAThirdProcessLandsOnTheOriginThread) {
  constexpr binder_uintptr_t kPtrB = 0x9100, kCookieB = 0x9101;
  BinderConnection manager = contextManager();

  ChildProcess b("B", [] {
    BinderConnection connection;
    connection.enterLooper();
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBinder(kPtrB, kCookieB))),
              "BR_REPLY");
    Event fromManager = connection.waitFor(BR_TRANSACTION);
    std::vector<Event> outcome = connection.call(fromManager.txn.object().handle, 2, Payload());
    ASSERT_EQ(lastCommandName(outcome), "BR_REPLY");
    EXPECT_EQ(outcome.back().txn.at<uint32_t>(0), 0xau);
    connection.writeReply(
        CommandWriter().reply(Payload().putU32(0xc)).freeBuffer(fromManager.txn.buffer()));
  });
  Event fromB = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the handle to B

  ChildProcess a("A", [&] { callAndServeTheNestedCall(b.pid()); });
  Event fromA = manager.waitFor(BR_TRANSACTION);
  std::vector<Event> outcome =
      manager.call(fromB.txn.object().handle, 5, Payload().putHandle(fromA.txn.object().handle));
  ASSERT_EQ(lastCommandName(outcome), "BR_REPLY");
  EXPECT_EQ(outcome.back().txn.at<uint32_t>(0), 0xcu);
  manager.writeReply(CommandWriter().reply(Payload().putU32(0xb)).freeBuffer(fromA.txn.buffer()));
  a.wait();
  b.wait();
}

// A one-way call back into A while A waits for the manager's reply is not routed to the
// waiting thread: it is process work, for an idle thread of A.
TEST(Threads, OnewayCallBackGoesToAnIdleLooperNotTheWaitingThread) {
  BinderConnection manager = contextManager();
  Pipe looperGot;

  ChildProcess a("A", [&] {
    BinderConnection connection;
    std::thread idleLooper([&] {
      connection.enterLooper();
      Event event = connection.waitFor(BR_TRANSACTION);
      EXPECT_EQ(event.txn.tr.flags, static_cast<uint32_t>(TF_ONE_WAY));
      looperGot.send(event.txn.tr.code);
      EXPECT_EQ(connection.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
    });
    std::vector<Event> events = connection.call(0, 1, Payload().putBinder(kPtr, kCookie));
    EXPECT_EQ(findEvent(events, BR_TRANSACTION), nullptr)
        << ::testing::PrintToString(commandNames(events));
    EXPECT_EQ(lastCommandName(events), "BR_REPLY");
    idleLooper.join();
  });

  Event call = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(manager.write(
                CommandWriter().transaction(call.txn.object().handle, 3, Payload(), TF_ONE_WAY)),
            0);
  EXPECT_EQ(commandNames(manager.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  std::optional<uint64_t> code = looperGot.receive(kChildTimeout);
  ASSERT_TRUE(code.has_value()) << "A's looper got no one-way call";
  EXPECT_EQ(*code, 3u);
  manager.writeReply(CommandWriter().reply(Payload()).freeBuffer(call.txn.buffer()));
  a.wait();
}

// Runs a context manager in the calling (child) process whose looper is the calling thread,
// reading the blocking way: the driver counts it as idle while it waits.
BinderConnection blockingManager(uint32_t maxThreads) {
  BinderConnection connection = contextManager(kDefaultMapSize, BinderConnection::Mode::kBlocking);
  if (maxThreads > 0) {
    EXPECT_EQ(connection.ioctlErrno(BINDER_SET_MAX_THREADS, &maxThreads), 0);
  }
  return connection;
}

void replyTo(BinderConnection& connection, const std::vector<Event>& events) {
  const Event* txn = findEvent(events, BR_TRANSACTION);
  ASSERT_NE(txn, nullptr);
  EXPECT_EQ(connection.write(CommandWriter().freeBuffer(txn->txn.buffer()).reply(Payload())), 0);
}

void callManager(uint32_t code) {
  BinderConnection client;
  EXPECT_EQ(lastCommandName(client.call(0, code, Payload())), "BR_REPLY");
}

// Runs SERVE in a child that is a blocking context manager allowing MAX_THREADS threads, while
// this process calls it CALLS times (codes 1, 2, ...), one call after the other.
void withBlockingServer(uint32_t maxThreads, uint32_t calls,
                        const std::function<void(BinderConnection&)>& serve) {
  Pipe ready;
  ChildProcess server("server", [&] {
    BinderConnection connection = blockingManager(maxThreads);
    ready.send(1);
    serve(connection);
  });
  ASSERT_TRUE(ready.receive(kChildTimeout).has_value());
  for (uint32_t code = 1; code <= calls; ++code) callManager(code);
  server.wait();
}

using Names = std::vector<std::string>;

TEST(SpawnLooper, RequestedWhenTheOnlyIdleLooperTakesWork) {
  withBlockingServer(1, 1, [](BinderConnection& connection) {
    std::vector<Event> events = connection.read();
    EXPECT_EQ(commandNames(events), (Names{"BR_SPAWN_LOOPER", "BR_TRANSACTION"}))
        << "BR_SPAWN_LOOPER takes the place of the leading BR_NOOP";
    replyTo(connection, events);
  });
}

TEST(SpawnLooper, NotRequestedWithoutMaxThreads) {
  withBlockingServer(0, 1, [](BinderConnection& connection) {
    std::vector<Event> events = connection.read();
    EXPECT_EQ(commandNames(events), Names{"BR_TRANSACTION"});
    replyTo(connection, events);
  });
}

TEST(SpawnLooper, NotRequestedWhileAnotherLooperIsIdle) {
  Pipe tids;
  ChildProcess server("server", [&] {
    // Never closed: closing the device wakes every waiting thread (see
    // ClosingAnyCopyOfTheFileWakesWaitingThreads); the process exit ends the idle one.
    auto& connection = *new BinderConnection(blockingManager(4));
    std::atomic<bool> handled = false;
    auto looper = [&] {
      connection.enterLooper();
      tids.send(static_cast<uint64_t>(currentTid()));
      std::vector<Event> events = connection.read();
      EXPECT_EQ(commandNames(events), std::vector<std::string>{"BR_TRANSACTION"});
      replyTo(connection, events);
      handled = true;
    };
    std::thread first(looper);
    std::thread second(looper);
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    while (!handled && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    EXPECT_TRUE(handled);
    first.detach();
    second.detach();
  });
  for (int i = 0; i < 2; ++i) {
    std::optional<uint64_t> tid = tids.receive(kChildTimeout);
    ASSERT_TRUE(tid.has_value());
    ASSERT_TRUE(waitUntilBlocked(server.pid(), static_cast<pid_t>(*tid)));
  }
  callManager(1);
  server.wait();
}

// After a request, no other until a thread registers (BC_REGISTER_LOOPER); and none once the
// registered threads reach the maximum.
TEST(SpawnLooper, RequestedAgainOnlyAfterRegistrationUpToMaxThreads) {
  withBlockingServer(2, 4, [](BinderConnection& connection) {
    auto registerLooper = [&] {
      std::thread spawned(
          [&] { EXPECT_EQ(connection.write(CommandWriter().registerLooper()), 0); });
      spawned.join();
    };
    std::vector<Event> events = connection.read();
    EXPECT_EQ(commandNames(events), (Names{"BR_SPAWN_LOOPER", "BR_TRANSACTION"}));
    replyTo(connection, events);
    EXPECT_EQ(commandNames(connection.read()), Names{"BR_TRANSACTION_COMPLETE"}) << "pending";
    events = connection.read();
    EXPECT_EQ(commandNames(events), Names{"BR_TRANSACTION"}) << "pending";
    replyTo(connection, events);
    EXPECT_EQ(commandNames(connection.read()), Names{"BR_TRANSACTION_COMPLETE"}) << "pending";

    registerLooper();  // one of two started
    events = connection.read();
    EXPECT_EQ(commandNames(events), (Names{"BR_SPAWN_LOOPER", "BR_TRANSACTION"}));
    replyTo(connection, events);
    EXPECT_EQ(commandNames(connection.read()), Names{"BR_TRANSACTION_COMPLETE"}) << "pending";

    registerLooper();  // two of two started
    events = connection.read();
    EXPECT_EQ(commandNames(events), Names{"BR_TRANSACTION"}) << "at the maximum";
    replyTo(connection, events);
    EXPECT_EQ(commandNames(connection.read()), Names{"BR_TRANSACTION_COMPLETE"})
        << "at the maximum";
  });
}

// Every close of a descriptor of the device (the driver's flush) makes the waiting threads
// of that process return from their reads, with nothing but BR_NOOP.
TEST(Threads, ClosingAnyCopyOfTheFileWakesWaitingThreads) {
  ChildProcess process("process", [] {
    BinderConnection connection(kDefaultMapSize, BinderConnection::Mode::kBlocking);
    std::atomic<pid_t> readerTid = 0;
    std::atomic<bool> returned = false;
    std::vector<uint32_t> returns;
    std::thread reader([&] {
      connection.enterLooper();
      readerTid = currentTid();
      uint32_t buffer[32] = {};
      binder_write_read bwr{};
      bwr.read_buffer = userAddress(buffer);
      bwr.read_size = sizeof(buffer);
      EXPECT_EQ(connection.ioctlErrno(BINDER_WRITE_READ, &bwr), 0);
      returns.assign(buffer, buffer + bwr.read_consumed / sizeof(uint32_t));
      returned = true;
    });
    while (readerTid == 0) std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(waitUntilBlocked(::getpid(), readerTid));
    EXPECT_FALSE(returned);
    ::close(::dup(connection.fd()));
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    while (!returned && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(returned) << "the waiting read did not return";
    reader.join();
    ASSERT_EQ(returns.size(), 1u);
    EXPECT_EQ(commandName(returns[0]), "BR_NOOP");
  });
  process.wait(kTimeout + kTimeout);
}

// A thread that leaves the driver while it owes a reply fails that call with BR_DEAD_REPLY;
// its later BC_REPLY has no call to answer.
TEST(Threads, ThreadExitWhileHandlingACallIsDeadReply) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload())),
              (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_DEAD_REPLY"}));
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  int32_t unused = 0;
  EXPECT_EQ(manager.ioctlErrno(BINDER_THREAD_EXIT, &unused), 0);
  client.wait();
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload())), 0);
  EXPECT_EQ(commandNames(manager.read()), std::vector<std::string>{"BR_FAILED_REPLY"});
  expectExtendedError(manager, BR_FAILED_REPLY, -EPROTO);
}

// A caller may send its next call before it reads how the last one failed. When that call
// fails too, the caller reads only the first failure, and the second call leaves its
// transaction stack all the same: the call after works.
TEST(Threads, SecondFailedCallBeforeTheFirstFailureIsReadLeavesTheStack) {
  BinderConnection manager = contextManager();
  Pipe replied;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    for (uint32_t code : {1u, 2u}) {
      ASSERT_EQ(connection.write(CommandWriter().transaction(0, code, Payload())), 0);
      ASSERT_TRUE(replied.receive().has_value());
    }
    std::vector<std::string> names = commandNames(connection.readQuietly());
    EXPECT_EQ(std::count(names.begin(), names.end(), "BR_FAILED_REPLY"), 1)
        << ::testing::PrintToString(names);
    EXPECT_EQ(lastCommandName(connection.call(0, 3, Payload())), "BR_REPLY");
  });
  for (uint32_t code : {1u, 2u}) {
    Event call = manager.waitFor(BR_TRANSACTION);
    EXPECT_EQ(call.txn.tr.code, code);
    // A reply naming a handle the manager does not have fails the call.
    manager.writeReply(
        CommandWriter().freeBuffer(call.txn.buffer()).reply(Payload().putHandle(999)));
    replied.send(code);
  }
  EXPECT_EQ(manager.serveOne().tr.code, 3u);
  client.wait();
}

}  // namespace
}  // namespace binder_test
