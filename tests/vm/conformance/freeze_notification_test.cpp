// Freeze notifications (Linux 6.12): a process holding a reference asks to hear when the
// node's process is frozen or thawed. BC_REQUEST_FREEZE_NOTIFICATION brings the current state
// at once as BR_FROZEN_BINDER; each change after that brings another, but only once the last
// one was acknowledged with BC_FREEZE_NOTIFICATION_DONE; BC_CLEAR_FREEZE_NOTIFICATION ends it
// with BR_CLEAR_FREEZE_NOTIFICATION_DONE. Misuse (unknown handle, a second request, a clear
// with the wrong cookie or none active, an acknowledgement of nothing) fails the write with
// EINVAL.
//
// On older kernels the commands do not exist: the driver refuses them as unknown commands
// (EINVAL), which is what these tests check there.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "binder_driver.h"
#include "child_process.h"
#include "uapi_extras.h"

namespace binder_test {
namespace {

constexpr binder_uintptr_t kCookie = 0xf2ee;

// Takes a strong reference to the context manager's node: handle 0 names a reference only
// once the process holds one (calls to handle 0 need none).
void referToManager(BinderConnection& connection) {
  ASSERT_EQ(connection.write(CommandWriter().acquire(0)), 0);
}

int request(BinderConnection& connection, uint32_t handle, binder_uintptr_t cookie) {
  return connection.write(CommandWriter().command(BC_REQUEST_FREEZE_NOTIFICATION,
                                                  binder_handle_cookie{handle, cookie}));
}

int clear(BinderConnection& connection, uint32_t handle, binder_uintptr_t cookie) {
  return connection.write(
      CommandWriter().command(BC_CLEAR_FREEZE_NOTIFICATION, binder_handle_cookie{handle, cookie}));
}

int done(BinderConnection& connection, binder_uintptr_t cookie) {
  return connection.write(CommandWriter().command(BC_FREEZE_NOTIFICATION_DONE, cookie));
}

// Expects the next event to be BR_FROZEN_BINDER with COOKIE and IS_FROZEN.
void expectFrozenBinder(BinderConnection& connection, bool isFrozen) {
  std::vector<Event> events = connection.read();
  ASSERT_EQ(commandNames(events), std::vector<std::string>{"BR_FROZEN_BINDER"});
  EXPECT_EQ(events[0].cookie, kCookie);
  EXPECT_EQ(events[0].isFrozen, isFrozen ? 1u : 0u);
}

void expectNothing(BinderConnection& connection) {
  EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
}

class FreezeNotification : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kernelHasFreezeNotifications()) {
      GTEST_SKIP() << "the running kernel's UAPI has no freeze notifications (Linux 6.12 added "
                      "them); FreezeNotificationOldKernel checks they are refused";
    }
  }
};

// The manager (this process) is the node's process; a child holds handle 0 and listens.
// The child tells the parent when to change the state through the pipes.
TEST_F(FreezeNotification, CurrentStateAtOnceThenEachChangeOnceAcknowledged) {
  BinderConnection manager = contextManager();
  Pipe toParent;
  Pipe toChild;

  ChildProcess listener("listener", [&] {
    BinderConnection connection;
    referToManager(connection);
    ASSERT_EQ(request(connection, 0, kCookie), 0);
    expectFrozenBinder(connection, false);
    ASSERT_EQ(done(connection, kCookie), 0);
    expectNothing(connection);

    toParent.send(1);  // freeze
    ASSERT_TRUE(toChild.receive(kChildTimeout));
    expectFrozenBinder(connection, true);
    ASSERT_EQ(done(connection, kCookie), 0);

    toParent.send(2);  // thaw
    ASSERT_TRUE(toChild.receive(kChildTimeout));
    expectFrozenBinder(connection, false);
    ASSERT_EQ(done(connection, kCookie), 0);
    expectNothing(connection);
  });
  ASSERT_EQ(toParent.receive(kChildTimeout), 1u);
  ASSERT_EQ(manager.freeze(getpid(), true), 0);
  toChild.send(1);
  ASSERT_EQ(toParent.receive(kChildTimeout), 2u);
  ASSERT_EQ(manager.freeze(getpid(), false), 0);
  toChild.send(1);
  listener.wait();
}

TEST_F(FreezeNotification, RequestOnAFrozenNodeSaysFrozen) {
  BinderConnection manager = contextManager();
  ASSERT_EQ(manager.freeze(getpid(), true), 0);
  ChildProcess listener("listener", [] {
    BinderConnection connection;
    referToManager(connection);
    ASSERT_EQ(request(connection, 0, kCookie), 0);
    expectFrozenBinder(connection, true);
  });
  listener.wait();
}

// A change while the last notification is unacknowledged waits for BC_FREEZE_NOTIFICATION_DONE.
TEST_F(FreezeNotification, ChangeWaitsForTheAcknowledgement) {
  BinderConnection manager = contextManager();
  Pipe toParent;
  Pipe toChild;

  ChildProcess listener("listener", [&] {
    BinderConnection connection;
    referToManager(connection);
    ASSERT_EQ(request(connection, 0, kCookie), 0);
    expectFrozenBinder(connection, false);
    toParent.send(1);  // freeze, while the first notification is unacknowledged
    ASSERT_TRUE(toChild.receive(kChildTimeout));
    expectNothing(connection);
    ASSERT_EQ(done(connection, kCookie), 0);
    expectFrozenBinder(connection, true);
  });
  ASSERT_TRUE(toParent.receive(kChildTimeout));
  ASSERT_EQ(manager.freeze(getpid(), true), 0);
  toChild.send(1);
  listener.wait();
}

TEST_F(FreezeNotification, ClearEndsTheNotifications) {
  BinderConnection manager = contextManager();
  Pipe toParent;
  Pipe toChild;

  ChildProcess listener("listener", [&] {
    BinderConnection connection;
    referToManager(connection);
    ASSERT_EQ(request(connection, 0, kCookie), 0);
    expectFrozenBinder(connection, false);
    ASSERT_EQ(done(connection, kCookie), 0);
    ASSERT_EQ(clear(connection, 0, kCookie), 0);
    std::vector<Event> events = connection.read();
    ASSERT_EQ(commandNames(events), std::vector<std::string>{"BR_CLEAR_FREEZE_NOTIFICATION_DONE"});
    EXPECT_EQ(events[0].cookie, kCookie);
    toParent.send(1);  // freeze: nobody listens any more
    ASSERT_TRUE(toChild.receive(kChildTimeout));
    expectNothing(connection);
    EXPECT_EQ(clear(connection, 0, kCookie), EINVAL) << "nothing left to clear";
  });
  ASSERT_TRUE(toParent.receive(kChildTimeout));
  ASSERT_EQ(manager.freeze(getpid(), true), 0);
  toChild.send(1);
  listener.wait();
}

TEST_F(FreezeNotification, MisuseFailsTheWriteWithEinval) {
  BinderConnection manager = contextManager();
  ChildProcess listener("listener", [] {
    BinderConnection connection;
    EXPECT_EQ(request(connection, 99, kCookie), EINVAL) << "no such handle";
    EXPECT_EQ(done(connection, kCookie), EINVAL) << "nothing to acknowledge";
    EXPECT_EQ(clear(connection, 0, kCookie), EINVAL) << "no reference with handle 0 yet";
    referToManager(connection);
    EXPECT_EQ(clear(connection, 0, kCookie), EINVAL) << "no notification on handle 0";
    ASSERT_EQ(request(connection, 0, kCookie), 0);
    expectFrozenBinder(connection, false);
    EXPECT_EQ(request(connection, 0, kCookie + 1), EINVAL) << "one notification per reference";
    EXPECT_EQ(clear(connection, 0, kCookie + 1), EINVAL) << "wrong cookie";
    EXPECT_EQ(done(connection, kCookie + 1), EINVAL) << "wrong cookie";
    EXPECT_EQ(done(connection, kCookie), 0);
  });
  listener.wait();
}

// Kernels before 6.12 do not know the commands: BINDER_WRITE_READ fails with EINVAL.
TEST(FreezeNotificationOldKernel, CommandsAreRefused) {
  if (kernelHasFreezeNotifications()) {
    GTEST_SKIP() << "the running kernel has freeze notifications; FreezeNotification.* test them";
  }
  BinderConnection manager = contextManager();
  ChildProcess listener("listener", [] {
    BinderConnection connection;
    referToManager(connection);
    EXPECT_EQ(request(connection, 0, kCookie), EINVAL);
    EXPECT_EQ(clear(connection, 0, kCookie), EINVAL);
    EXPECT_EQ(done(connection, kCookie), EINVAL);
    expectNothing(connection);
  });
  listener.wait();
}

}  // namespace
}  // namespace binder_test
