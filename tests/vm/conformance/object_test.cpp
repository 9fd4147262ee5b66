// Object translation: binders become handles in the receiver, handles become the binder
// again in the owner, and each process numbers its handles itself.

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr binder_uintptr_t kPtrA = 0xa000, kCookieA = 0xa001;
constexpr binder_uintptr_t kPtrB = 0xb000, kCookieB = 0xb001;
constexpr binder_uintptr_t kPtrC = 0xc000, kCookieC = 0xc001;
constexpr binder_uintptr_t kPtrD = 0xd000, kCookieD = 0xd001;

TEST(Objects, BinderArrivesAsTheFirstHandleOne) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    Payload payload;
    payload.putU32(7).putU32(0).putBinder(kPtrA, kCookieA, FLAT_BINDER_FLAG_ACCEPTS_FDS | 0x13);
    EXPECT_EQ(lastCommandName(connection.call(0, 1, payload)), "BR_REPLY");
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.txn.offsets, std::vector<binder_size_t>{8});
  flat_binder_object object = event.txn.object(0);
  EXPECT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_HANDLE));
  EXPECT_EQ(object.binder, 1u) << "handle 1, and the rest of the 8-byte field cleared";
  EXPECT_EQ(object.cookie, 0u);
  EXPECT_EQ(object.flags, static_cast<uint32_t>(FLAT_BINDER_FLAG_ACCEPTS_FDS | 0x13))
      << "flags pass unchanged";
  EXPECT_EQ(event.txn.at<uint32_t>(0), 7u);
  manager.writeReply(CommandWriter().reply(Payload()).freeBuffer(event.txn.buffer()));
  client.wait();
}

// Handles are numbered per process: the lowest free number from 1 (0 is the manager's).
TEST(Objects, NewHandlesTakeTheLowestFreeNumber) {
  BinderConnection manager = contextManager();
  Pipe toChild;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1,
                                              Payload()
                                                  .putBinder(kPtrA, kCookieA)
                                                  .putBinder(kPtrB, kCookieB)
                                                  .putBinder(kPtrC, kCookieC))),
              "BR_REPLY");
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
    EXPECT_EQ(lastCommandName(connection.call(
                  0, 2, Payload().putBinder(kPtrD, kCookieD).putBinder(kPtrA, kCookieA))),
              "BR_REPLY");
  });

  Event first = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(first.txn.object(0).handle, 1u);
  EXPECT_EQ(first.txn.object(1).handle, 2u);
  EXPECT_EQ(first.txn.object(2).handle, 3u);
  // Keep 1 and 3; freeing the buffer drops the references it carried, so 2 goes.
  manager.writeReply(
      CommandWriter().acquire(1).acquire(3).reply(Payload()).freeBuffer(first.txn.buffer()));
  toChild.send(1);
  Event second = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(second.txn.object(0).handle, 2u) << "a new node takes the freed number";
  EXPECT_EQ(second.txn.object(1).handle, 1u) << "a known node keeps its handle";
  manager.writeReply(CommandWriter().reply(Payload()).freeBuffer(second.txn.buffer()));
  client.wait();
}

TEST(Objects, HandleSentBackToItsOwnerArrivesAsTheBinder) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events =
        connection.call(0, 1, Payload().putBinder(kPtrA, kCookieA).putWeakBinder(kPtrB, kCookieB));
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    flat_binder_object strong = reply->txn.object(0);
    EXPECT_EQ(strong.hdr.type, static_cast<uint32_t>(BINDER_TYPE_BINDER));
    EXPECT_EQ(strong.binder, kPtrA);
    EXPECT_EQ(strong.cookie, kCookieA);
    flat_binder_object weak = reply->txn.object(1);
    EXPECT_EQ(weak.hdr.type, static_cast<uint32_t>(BINDER_TYPE_WEAK_BINDER));
    EXPECT_EQ(weak.binder, kPtrB);
    EXPECT_EQ(weak.cookie, kCookieB);
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(reply->txn.buffer())), 0);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  flat_binder_object strong = event.txn.object(0);
  flat_binder_object weak = event.txn.object(1);
  EXPECT_EQ(strong.hdr.type, static_cast<uint32_t>(BINDER_TYPE_HANDLE));
  EXPECT_EQ(strong.handle, 1u);
  EXPECT_EQ(weak.hdr.type, static_cast<uint32_t>(BINDER_TYPE_WEAK_HANDLE));
  EXPECT_EQ(weak.handle, 2u);
  EXPECT_EQ(weak.cookie, 0u);
  manager.writeReply(CommandWriter()
                         .reply(Payload().putHandle(strong.handle).putWeakHandle(weak.handle))
                         .freeBuffer(event.txn.buffer()));
  client.wait();
}

// The manager passes a handle it holds to a third process, which gets a handle of its own
// and reaches the owner through it.
TEST(Objects, HandlePassedOnReachesTheOwner) {
  BinderConnection manager = contextManager();
  Pipe done;

  ChildProcess owner("owner", [&] {
    BinderConnection connection;
    connection.enterLooper();
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBinder(kPtrA, kCookieA))),
              "BR_REPLY");
    Event event = connection.waitFor(BR_TRANSACTION);
    EXPECT_EQ(event.txn.tr.target.ptr, kPtrA);
    EXPECT_EQ(event.txn.tr.cookie, kCookieA);
    EXPECT_EQ(event.txn.tr.code, 42u);
    EXPECT_EQ(event.txn.at<uint32_t>(0), 0x600du);
    done.send(static_cast<uint64_t>(event.txn.tr.sender_pid));
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload())), 0);
  });

  Event fromOwner = manager.waitFor(BR_TRANSACTION);
  uint32_t handle = fromOwner.txn.object(0).handle;
  manager.writeReply(
      CommandWriter().acquire(handle).reply(Payload()).freeBuffer(fromOwner.txn.buffer()));

  ChildProcess user("user", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 2, Payload());
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    flat_binder_object object = reply->txn.object(0);
    EXPECT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_HANDLE));
    EXPECT_EQ(object.handle, 1u) << "the user's own first handle";
    EXPECT_EQ(lastCommandName(connection.call(object.handle, 42, Payload().putU32(0x600d))),
              "BR_REPLY");
  });

  Event fromUser = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(
      CommandWriter().reply(Payload().putHandle(handle)).freeBuffer(fromUser.txn.buffer()));
  std::optional<uint64_t> senderPid = done.receive(kChildTimeout);
  ASSERT_TRUE(senderPid.has_value());
  EXPECT_EQ(static_cast<pid_t>(*senderPid), user.pid());
  user.wait();
  owner.wait();
}

// The manager's own node (ptr 0 after BINDER_SET_CONTEXT_MGR) is handle 0 everywhere.
TEST(Objects, ContextManagerNodeArrivesAsHandleZero) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload());
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    flat_binder_object object = reply->txn.object(0);
    EXPECT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_HANDLE));
    EXPECT_EQ(object.handle, 0u);
  });

  manager.serveOne(Payload().putBinder(0, 0));
  client.wait();
}

TEST(Objects, KnownBinderWithAnotherCookieFails) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBinder(kPtrA, kCookieA))),
              "BR_REPLY");
    EXPECT_EQ(commandNames(connection.call(0, 2, Payload().putBinder(kPtrA, kCookieB))),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the node referenced
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

TEST(Objects, UnknownHandleInAnObjectFails) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putHandle(5))),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

// A weak reference can be passed on as weak, but neither used as strong nor called.
TEST(Objects, WeakHandleCanOnlyBePassedOnAsWeak) {
  constexpr binder_uintptr_t kManagerPtr = 0x3000, kManagerCookie = 0x3001;
  BinderConnection manager = contextManager();

  ChildProcess client("client", [&] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload());
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    flat_binder_object object = reply->txn.object(0);
    ASSERT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_WEAK_HANDLE));
    uint32_t weak = object.handle;
    EXPECT_EQ(connection.write(CommandWriter().increfs(weak).freeBuffer(reply->txn.buffer())), 0);

    EXPECT_EQ(commandNames(connection.call(weak, 2, Payload())),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    EXPECT_EQ(commandNames(connection.call(0, 3, Payload().putHandle(weak))),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    EXPECT_EQ(lastCommandName(connection.call(0, 4, Payload().putWeakHandle(weak))), "BR_REPLY");
  });

  Event first = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter()
                         .freeBuffer(first.txn.buffer())
                         .reply(Payload().putWeakBinder(kManagerPtr, kManagerCookie)));
  Event back = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(back.txn.tr.code, 4u) << "only the weak object gets through";
  flat_binder_object object = back.txn.object(0);
  EXPECT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_WEAK_BINDER));
  EXPECT_EQ(object.binder, kManagerPtr);
  EXPECT_EQ(object.cookie, kManagerCookie);
  manager.writeReply(CommandWriter().freeBuffer(back.txn.buffer()).reply(Payload()));
  client.wait();
}

}  // namespace
}  // namespace binder_test
