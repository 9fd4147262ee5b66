// One-way (TF_ONE_WAY) transactions: no reply, no sender pid, one at a time per node, and
// at most half of the receiver's mapping in flight.

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr uid_t kUser = 1000;

TEST(Oneway, SenderGetsOnlyTransactionComplete) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(connection.write(CommandWriter().transaction(0, 1, Payload().putU32(5), TF_ONE_WAY)),
              0);
    // Complete at once, whether or not the receiver has read it.
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
    EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
  });
  client.wait();
  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(event.txn.tr.flags, static_cast<uint32_t>(TF_ONE_WAY));
  EXPECT_EQ(event.txn.at<uint32_t>(0), 5u);
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{}) << "no reply owed";
}

TEST(Oneway, ReceiverSeesNoSenderPidButTheSenderEuid) {
  BinderConnection manager = contextManager();

  ChildProcess client("user client", [] {
    becomeUser(kUser);
    BinderConnection connection;
    EXPECT_EQ(connection.write(CommandWriter().transaction(0, 1, Payload(), TF_ONE_WAY)), 0);
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(event.txn.tr.sender_pid, 0);
  EXPECT_EQ(event.txn.tr.sender_euid, kUser);
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
  client.wait();
}

// The next one-way call to a node is delivered only when the previous one's buffer is freed.
TEST(Oneway, CallsToANodeArriveInOrderOneAtATime) {
  constexpr uint32_t kCalls = 5;
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    for (uint32_t code = 1; code <= kCalls; ++code) {
      EXPECT_EQ(connection.write(
                    CommandWriter().transaction(0, code, Payload().putU32(code * 10), TF_ONE_WAY)),
                0);
      EXPECT_EQ(commandNames(connection.read()),
                std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
    }
  });
  client.wait();  // all five are queued now

  for (uint32_t code = 1; code <= kCalls; ++code) {
    Event event = manager.waitFor(BR_TRANSACTION);
    EXPECT_EQ(event.txn.tr.code, code);
    EXPECT_EQ(event.txn.at<uint32_t>(0), code * 10);
    EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{})
        << "the next call must wait for BC_FREE_BUFFER";
    EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
  }
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

// One-way buffers may use half of the receiver's mapping; synchronous ones are not limited so.
TEST(Oneway, BuffersInFlightAreLimitedToHalfTheMapping) {
  constexpr size_t kSize = 300 * 1024;                         // one fits in 512 KiB, two do not
  BinderConnection manager = contextManager(kDefaultMapSize);  // 1 MiB
  Pipe toParent;
  Pipe toChild;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    auto sendOneway = [&](uint32_t code) {
      EXPECT_EQ(connection.write(
                    CommandWriter().transaction(0, code, Payload().putZeros(kSize), TF_ONE_WAY)),
                0);
      return commandNames(connection.read());
    };
    EXPECT_EQ(sendOneway(1), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
    EXPECT_EQ(sendOneway(2), std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -ENOSPC);
    EXPECT_EQ(lastCommandName(connection.call(0, 3, Payload().putZeros(kSize))), "BR_REPLY")
        << "a synchronous call of the same size still fits";
    toParent.send(1);
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
    EXPECT_EQ(sendOneway(4), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  });

  Event first = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(first.txn.tr.code, 1u);
  ReceivedTransaction sync = manager.serveOne();
  EXPECT_EQ(sync.tr.code, 3u);
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(first.txn.buffer())), 0);
  toChild.send(1);
  Event fourth = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(fourth.txn.tr.code, 4u);
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(fourth.txn.buffer())), 0);
  client.wait();
}

TEST(Oneway, SingleBufferOverHalfTheMappingFails) {
  constexpr size_t kSize = 520 * 1024;
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(
        connection.write(CommandWriter().transaction(0, 1, Payload().putZeros(kSize), TF_ONE_WAY)),
        0);
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_FAILED_REPLY"});
    EXPECT_EQ(lastCommandName(connection.call(0, 2, Payload().putZeros(kSize))), "BR_REPLY");
  });
  ReceivedTransaction sync = manager.serveOne();
  EXPECT_EQ(sync.tr.code, 2u);
  client.wait();
}

}  // namespace
}  // namespace binder_test
