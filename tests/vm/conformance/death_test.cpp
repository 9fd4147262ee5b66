// Death notifications, and what a caller gets when its server dies.

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr binder_uintptr_t kPtr = 0x7000, kCookie = 0x7001;
constexpr binder_uintptr_t kPtr2 = 0x8000, kCookie2 = 0x8001;
constexpr binder_uintptr_t kDeathCookie = 0xdead0001;
constexpr binder_uintptr_t kDeathCookie2 = 0xdead0002;

// A child that gives the manager its binders, then lives until told to exit.
class NodeOwner {
 public:
  explicit NodeOwner(BinderConnection& manager, Payload binders)
      : child_("owner", [this, binders] {
          BinderConnection connection;
          EXPECT_EQ(lastCommandName(connection.call(0, 1, binders)), "BR_REPLY");
          ASSERT_TRUE(exit_.receive(kChildTimeout).has_value());
        }) {
    Event event = manager.waitFor(BR_TRANSACTION);
    for (binder_size_t offset : event.txn.offsets) {
      handles_.push_back(event.txn.at<flat_binder_object>(offset).handle);
    }
    // Keeps the references: the buffer is never freed.
    manager.writeReply(CommandWriter().reply(Payload()));
  }

  uint32_t handle(size_t index = 0) const {
    return index < handles_.size() ? handles_[index] : 0xffffffffu;
  }
  // Lets the owner exit and reaps it.
  void exit() {
    exit_.send(1);
    child_.wait();
  }

 private:
  Pipe exit_;
  std::vector<uint32_t> handles_;
  ChildProcess child_;
};

using Names = std::vector<std::string>;

// Expects the next read of CONNECTION to hold just a BR_DEAD_BINDER with COOKIE.
void expectDeadBinder(BinderConnection& connection, binder_uintptr_t cookie) {
  std::vector<Event> events = connection.read();
  ASSERT_EQ(commandNames(events), Names{"BR_DEAD_BINDER"});
  EXPECT_EQ(events[0].cookie, cookie);
}

// The manager (this process) holds references to nodes of a child that it watches die.
class Death : public ::testing::Test {
 protected:
  // Arms a notification with COOKIE on the owner's first node, lets the owner exit and
  // expects the notification.
  void watchOwnerDie(NodeOwner& owner, binder_uintptr_t cookie) {
    EXPECT_EQ(manager_.write(CommandWriter().requestDeathNotification(owner.handle(), cookie)), 0);
    owner.exit();
    EXPECT_EQ(manager_.waitFor(BR_DEAD_BINDER).cookie, cookie);
  }

  BinderConnection manager_ = contextManager();
};

TEST_F(Death, OwnerExitSendsDeadBinderWithTheCookie) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie));
  EXPECT_EQ(manager_.write(CommandWriter().requestDeathNotification(owner.handle(), kDeathCookie)),
            0);
  EXPECT_EQ(commandNames(manager_.readQuietly()), Names{}) << "the owner is alive";
  owner.exit();
  expectDeadBinder(manager_, kDeathCookie);
  EXPECT_EQ(manager_.write(CommandWriter().deadBinderDone(kDeathCookie)), 0);
  EXPECT_EQ(commandNames(manager_.readQuietly()), Names{});
}

// A read that delivers a BR_DEAD_BINDER returns right after it.
TEST_F(Death, EachDeadBinderEndsItsRead) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie).putBinder(kPtr2, kCookie2));
  EXPECT_EQ(manager_.write(CommandWriter()
                               .requestDeathNotification(owner.handle(0), kDeathCookie)
                               .requestDeathNotification(owner.handle(1), kDeathCookie2)),
            0);
  owner.exit();
  std::vector<Event> first = manager_.read();
  std::vector<Event> second = manager_.read();
  ASSERT_EQ(commandNames(first), Names{"BR_DEAD_BINDER"});
  ASSERT_EQ(commandNames(second), Names{"BR_DEAD_BINDER"});
  EXPECT_NE(first[0].cookie, second[0].cookie);
  for (const Event* event : {&first[0], &second[0]}) {
    EXPECT_TRUE(event->cookie == kDeathCookie || event->cookie == kDeathCookie2)
        << std::hex << event->cookie;
  }
}

TEST_F(Death, ClearIsAcknowledgedWithTheCookie) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie));
  EXPECT_EQ(manager_.write(CommandWriter()
                               .requestDeathNotification(owner.handle(), kDeathCookie)
                               .clearDeathNotification(owner.handle(), kDeathCookie)),
            0);
  std::vector<Event> events = manager_.read();
  ASSERT_EQ(commandNames(events), Names{"BR_CLEAR_DEATH_NOTIFICATION_DONE"});
  EXPECT_EQ(events[0].cookie, kDeathCookie);
  owner.exit();
  EXPECT_EQ(commandNames(manager_.readQuietly()), Names{}) << "a cleared notification never fires";
}

TEST_F(Death, ClearWithTheWrongCookieIsIgnored) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie));
  EXPECT_EQ(manager_.write(CommandWriter()
                               .requestDeathNotification(owner.handle(), kDeathCookie)
                               .clearDeathNotification(owner.handle(), kDeathCookie2)),
            0);
  EXPECT_EQ(commandNames(manager_.readQuietly()), Names{});
  owner.exit();
  EXPECT_EQ(manager_.waitFor(BR_DEAD_BINDER).cookie, kDeathCookie) << "still armed";
}

// Clearing a notification that already fired is acknowledged once BC_DEAD_BINDER_DONE
// retires the death.
TEST_F(Death, ClearAfterDeathIsAcknowledgedAfterDeadBinderDone) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie));
  watchOwnerDie(owner, kDeathCookie);
  EXPECT_EQ(manager_.write(CommandWriter().clearDeathNotification(owner.handle(), kDeathCookie)),
            0);
  EXPECT_EQ(commandNames(manager_.readQuietly()), Names{});
  EXPECT_EQ(manager_.write(CommandWriter().deadBinderDone(kDeathCookie)), 0);
  std::vector<Event> events = manager_.read();
  ASSERT_EQ(commandNames(events), Names{"BR_CLEAR_DEATH_NOTIFICATION_DONE"});
  EXPECT_EQ(events[0].cookie, kDeathCookie);
}

TEST_F(Death, RequestOnAnAlreadyDeadNodeFiresAtOnce) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie));
  watchOwnerDie(owner, kDeathCookie);  // the node is dead from here on
  EXPECT_EQ(manager_.write(CommandWriter()
                               .clearDeathNotification(owner.handle(), kDeathCookie)
                               .deadBinderDone(kDeathCookie)),
            0);
  EXPECT_EQ(manager_.waitFor(BR_CLEAR_DEATH_NOTIFICATION_DONE).cookie, kDeathCookie);
  EXPECT_EQ(manager_.write(CommandWriter().requestDeathNotification(owner.handle(), kDeathCookie2)),
            0);
  expectDeadBinder(manager_, kDeathCookie2);
}

TEST_F(Death, CallToADeadNodeIsDeadReply) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie));
  watchOwnerDie(owner, kDeathCookie);
  EXPECT_EQ(commandNames(manager_.call(owner.handle(), 1, Payload())), Names{"BR_DEAD_REPLY"});
  EXPECT_EQ(manager_.write(CommandWriter().transaction(owner.handle(), 2, Payload(), TF_ONE_WAY)),
            0);
  EXPECT_EQ(commandNames(manager_.read()), Names{"BR_DEAD_REPLY"}) << "one-way calls too";
}

TEST_F(Death, SecondRequestOnTheSameHandleIsIgnored) {
  NodeOwner owner(manager_, Payload().putBinder(kPtr, kCookie));
  EXPECT_EQ(manager_.write(CommandWriter()
                               .requestDeathNotification(owner.handle(), kDeathCookie)
                               .requestDeathNotification(owner.handle(), kDeathCookie2)),
            0);
  owner.exit();
  expectDeadBinder(manager_, kDeathCookie);
  EXPECT_EQ(manager_.write(CommandWriter().deadBinderDone(kDeathCookie)), 0);
  EXPECT_EQ(commandNames(manager_.readQuietly()), Names{});
}

// Death notifications are process work, read by any thread without a call in progress.
TEST(DeathDelivery, DeadBinderReachesAThreadThatNeverEnteredTheLooper) {
  BinderConnection manager;
  manager.becomeContextManager();
  NodeOwner owner(manager, Payload().putBinder(kPtr, kCookie));
  EXPECT_EQ(manager.write(CommandWriter().requestDeathNotification(owner.handle(), kDeathCookie)),
            0);
  owner.exit();
  expectDeadBinder(manager, kDeathCookie);
}

// A client can watch the context manager through handle 0 once it holds a reference to it.
TEST(ManagerDeath, IsReportedThroughHandleZero) {
  Pipe ready;
  Pipe exit;
  ChildProcess manager("manager", [&] {
    BinderConnection connection;
    connection.becomeContextManager();
    ready.send(1);
    ASSERT_TRUE(exit.receive(kChildTimeout).has_value());
  });
  ASSERT_TRUE(ready.receive(kChildTimeout).has_value());

  BinderConnection client;  // opened after the fork: the manager holds no copy of it
  client.enterLooper();
  EXPECT_EQ(client.write(CommandWriter().acquire(0).requestDeathNotification(0, kDeathCookie)), 0);
  EXPECT_EQ(commandNames(client.readQuietly()), Names{});
  exit.send(1);
  manager.wait();
  expectDeadBinder(client, kDeathCookie);
}

TEST(ServerDeath, DuringACallIsDeadReply) {
  Pipe ready;
  Pipe received;
  ChildProcess server("server", [&] {
    BinderConnection connection = contextManager();
    ready.send(1);
    received.send(connection.waitFor(BR_TRANSACTION).txn.tr.code);
    // Exits without replying.
  });

  ASSERT_TRUE(ready.receive(kChildTimeout).has_value());
  BinderConnection client;
  ASSERT_EQ(client.write(CommandWriter().transaction(0, 9, Payload())), 0);
  std::optional<uint64_t> code = received.receive(kChildTimeout);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 9u);
  server.wait();
  std::vector<Event> events = client.readUntil(BR_DEAD_REPLY);
  EXPECT_EQ(commandNames(events), (Names{"BR_TRANSACTION_COMPLETE", "BR_DEAD_REPLY"}));
}

}  // namespace
}  // namespace binder_test
