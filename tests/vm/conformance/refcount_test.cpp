// Reference counts as the owner of a node sees them: BR_INCREFS/BR_ACQUIRE when the first
// references appear, BR_RELEASE/BR_DECREFS when the last go, and the _DONE handshake.
#include <sys/ioctl.h>

#include <cerrno>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr binder_uintptr_t kPtr = 0x5000, kCookie = 0x5001;

void expectNode(const Event* event, const char* what) {
  ASSERT_NE(event, nullptr) << "no " << what;
  EXPECT_EQ(event->node.ptr, kPtr) << what;
  EXPECT_EQ(event->node.cookie, kCookie) << what;
}

// The owner hears of the first strong reference on the thread that sent the binder, before
// the outcome of its call; a second send of the same binder adds nothing.
TEST(Refcount, FirstStrongReferenceReportsIncrefsThenAcquire) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload().putBinder(kPtr, kCookie));
    EXPECT_EQ(commandNames(events),
              (std::vector<std::string>{"BR_INCREFS", "BR_ACQUIRE", "BR_TRANSACTION_COMPLETE",
                                        "BR_REPLY"}));
    expectNode(findEvent(events, BR_INCREFS), "BR_INCREFS");
    expectNode(findEvent(events, BR_ACQUIRE), "BR_ACQUIRE");
    EXPECT_EQ(
        connection.write(CommandWriter().increfsDone(kPtr, kCookie).acquireDone(kPtr, kCookie)), 0);
    EXPECT_EQ(commandNames(connection.call(0, 2, Payload().putBinder(kPtr, kCookie))),
              (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_REPLY"}));
  });

  Event first = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the reference
  ReceivedTransaction second = manager.serveOne();
  EXPECT_EQ(second.tr.code, 2u);
  client.wait();
}

TEST(Refcount, WeakReferenceReportsOnlyIncrefs) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload().putWeakBinder(kPtr, kCookie));
    EXPECT_EQ(commandNames(events),
              (std::vector<std::string>{"BR_INCREFS", "BR_TRANSACTION_COMPLETE", "BR_REPLY"}));
    expectNode(findEvent(events, BR_INCREFS), "BR_INCREFS");
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter().reply(Payload()));
  client.wait();
}

// BC_ACQUIRE/BC_INCREFS/BC_RELEASE/BC_DECREFS count on the handle; the owner hears only when
// the strong, then the weak, count of the node reaches zero.
TEST(Refcount, HandleCountsReachingZeroReportReleaseThenDecrefs) {
  BinderConnection manager = contextManager();
  Pipe toParent;
  Pipe toChild;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    connection.enterLooper();
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBinder(kPtr, kCookie))),
              "BR_REPLY");
    EXPECT_EQ(
        connection.write(CommandWriter().increfsDone(kPtr, kCookie).acquireDone(kPtr, kCookie)), 0);
    toParent.send(1);
    // The manager took two strong references and a weak one of its own, and freed the
    // buffer (which drops the reference the transaction gave it).
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
    EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
    toParent.send(2);
    // The manager dropped one of its two strong references.
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
    EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
    toParent.send(3);
    // The manager dropped its last strong reference.
    std::vector<Event> release = connection.read();
    EXPECT_EQ(commandNames(release), std::vector<std::string>{"BR_RELEASE"});
    expectNode(findEvent(release, BR_RELEASE), "BR_RELEASE");
    toParent.send(4);
    // The manager dropped its weak reference.
    std::vector<Event> decrefs = connection.read();
    EXPECT_EQ(commandNames(decrefs), std::vector<std::string>{"BR_DECREFS"});
    expectNode(findEvent(decrefs, BR_DECREFS), "BR_DECREFS");
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  uint32_t handle = event.txn.object().handle;
  manager.writeReply(CommandWriter().reply(Payload()));
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  EXPECT_EQ(
      manager.write(CommandWriter().acquire(handle).acquire(handle).increfs(handle).freeBuffer(
          event.txn.buffer())),
      0);
  toChild.send(1);
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  EXPECT_EQ(manager.write(CommandWriter().release(handle)), 0);
  toChild.send(2);
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  EXPECT_EQ(manager.write(CommandWriter().release(handle)), 0);
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  EXPECT_EQ(manager.write(CommandWriter().decrefs(handle)), 0);
  client.wait();
}

// Until the owner acknowledges BR_ACQUIRE and BR_INCREFS, it keeps the node referenced
// itself: the release of the last handle is reported only after the acknowledgements.
TEST(Refcount, ReleaseWaitsForTheOwnersAcknowledgements) {
  BinderConnection manager = contextManager();
  Pipe toParent;
  Pipe toChild;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    connection.enterLooper();
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putBinder(kPtr, kCookie))),
              (std::vector<std::string>{"BR_INCREFS", "BR_ACQUIRE", "BR_TRANSACTION_COMPLETE",
                                        "BR_REPLY"}));
    toParent.send(1);
    // The manager freed the buffer, and with it its only reference.
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
    EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
    EXPECT_EQ(connection.write(CommandWriter().acquireDone(kPtr, kCookie)), 0);
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_RELEASE"});
    EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
    EXPECT_EQ(connection.write(CommandWriter().increfsDone(kPtr, kCookie)), 0);
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_DECREFS"});
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter().reply(Payload()));
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
  toChild.send(1);
  client.wait();
}

// The owner learns the node's state when it reads, not each change: a reference that came
// and went before then is never reported.
TEST(Refcount, ReferenceGoneBeforeTheOwnerReadsIsNotReported) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [&] {
    BinderConnection connection;
    connection.enterLooper();
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putBinder(kPtr, kCookie))),
              (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_REPLY"}));
    EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  // Freeing the buffer drops the only reference while the caller still waits for the reply.
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  client.wait();
}

// BC_ACQUIRE cannot make a weak-only handle strong while nothing holds the node strongly.
TEST(Refcount, AcquireOnAWeakHandleFailsWithoutAnyStrongReference) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    connection.enterLooper();
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putWeakBinder(kPtr, kCookie))),
              "BR_REPLY");
    // Serves the one call that would get through if the handle had become strong.
    std::vector<Event> events = connection.readQuietly(kQuiet * 2);
    EXPECT_EQ(findEvent(events, BR_TRANSACTION), nullptr)
        << ::testing::PrintToString(commandNames(events));
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  uint32_t handle = event.txn.object().handle;
  manager.writeReply(
      CommandWriter().increfs(handle).reply(Payload()).freeBuffer(event.txn.buffer()));
  EXPECT_EQ(manager.write(CommandWriter().acquire(handle)), 0);
  EXPECT_EQ(commandNames(manager.call(handle, 2, Payload())),
            std::vector<std::string>{"BR_FAILED_REPLY"})
      << "the handle is still weak";
  binder_node_info_for_ref info{};
  info.handle = handle;
  EXPECT_EQ(manager.ioctlErrno(BINDER_GET_NODE_INFO_FOR_REF, &info), EINVAL);
  client.wait();
}

}  // namespace
}  // namespace binder_test
