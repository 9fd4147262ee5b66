// The context manager: who may claim it, what its node looks like, and calls to handle 0.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr uid_t kUser = 1000;

TEST(ContextManager, SecondClaimIsBusy) {
  BinderConnection manager;
  manager.becomeContextManager();
  BinderConnection other;
  EXPECT_EQ(other.ioctlErrno(BINDER_SET_CONTEXT_MGR, nullptr), EBUSY);
  flat_binder_object node{};
  EXPECT_EQ(other.ioctlErrno(BINDER_SET_CONTEXT_MGR_EXT, &node), EBUSY);
  EXPECT_EQ(manager.ioctlErrno(BINDER_SET_CONTEXT_MGR, nullptr), EBUSY) << "even by the manager";
}

TEST(ContextManager, ExtClaimGivesTheNodeItsPtrAndCookie) {
  BinderConnection manager;
  flat_binder_object node{};
  node.hdr.type = BINDER_TYPE_BINDER;
  node.binder = 0x1000;
  node.cookie = 0x2000;
  int err = manager.claimContextManager(&node);
  ASSERT_EQ(err, 0) << std::strerror(err);
  manager.enterLooper();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload());
    EXPECT_EQ(lastCommandName(events), "BR_REPLY");
  });

  ReceivedTransaction txn = manager.serveOne();
  EXPECT_EQ(txn.tr.target.ptr, 0x1000u);
  EXPECT_EQ(txn.tr.cookie, 0x2000u);
  client.wait();
}

TEST(ContextManager, SameEuidMayClaimAgainAfterTheManagerClosed) {
  {
    BinderConnection first;
    first.becomeContextManager();
  }
  BinderConnection second;
  EXPECT_EQ(second.claimContextManager(), 0);
}

// The first claim pins the manager's euid for the device's lifetime.
TEST(ContextManager, OtherEuidCannotClaimAfterTheManagerClosed) {
  {
    BinderConnection first;
    first.becomeContextManager();  // as root: the pinned euid is 0 from now on
  }
  ChildProcess user("user", [] {
    becomeUser(kUser);
    BinderConnection connection;
    EXPECT_EQ(connection.claimContextManager(), EPERM);
  });
  user.wait();
}

TEST(ContextManager, CallToHandleZeroWithoutAManagerIsDeadReply) {
  {
    BinderConnection manager;
    manager.becomeContextManager();
  }
  ChildProcess client("client", [] {
    BinderConnection connection;
    // Until the closed manager is dropped, the call still goes to it and fails as it dies
    // (BR_DEAD_REPLY, after a BR_TRANSACTION_COMPLETE or with -ESRCH for its lost mapping);
    // then the driver finds no manager at all.
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    std::vector<Event> events;
    binder_extended_error ee{};
    do {
      events = connection.call(0, 1, Payload());
      ASSERT_EQ(lastCommandName(events), "BR_DEAD_REPLY");
      ee = connection.extendedError();
    } while ((events.size() > 1 || ee.param != -EINVAL) &&
             std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(commandNames(events), std::vector<std::string>{"BR_DEAD_REPLY"});
    EXPECT_EQ(commandName(ee.command), "BR_DEAD_REPLY");
    EXPECT_EQ(ee.param, -EINVAL);
    EXPECT_NE(ee.id, 0u) << "the id of the failed transaction";
  });
  client.wait();
}

TEST(ContextManager, CallToHandleZeroFromTheManagerItselfFails) {
  BinderConnection manager;
  manager.becomeContextManager();
  std::vector<Event> events = manager.call(0, 1, Payload());
  EXPECT_EQ(commandNames(events), std::vector<std::string>{"BR_FAILED_REPLY"});
  expectExtendedError(manager, BR_FAILED_REPLY, -EINVAL);
}

}  // namespace
}  // namespace binder_test
