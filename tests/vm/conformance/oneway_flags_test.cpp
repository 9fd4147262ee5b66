// The one-way helpers of newer kernels:
// - BINDER_ENABLE_ONEWAY_SPAM_DETECTION: once less than a tenth of the receiver's mapping is
//   left for one-way buffers (the one-way half of it is 80% used), a sender whose own one-way
//   buffers there number over 50 or take over a quarter of the mapping gets
//   BR_ONEWAY_SPAM_SUSPECT instead of BR_TRANSACTION_COMPLETE, once, if it enabled detection.
// - TF_UPDATE_TXN: a one-way call to a frozen process replaces one still queued behind the
//   node's current one-way call when code, flags, sender and node match.
// - TF_CLEAR_BUF: the driver zeroes the buffer when it is freed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "binder_driver.h"
#include "child_process.h"
#include "uapi_extras.h"

namespace binder_test {
namespace {

// 1 MiB mapping: 512 KiB for one-way buffers, spam checks below 1/10 of 1 MiB free. Four
// 90 KiB calls leave about 152 KiB, the fifth about 62 KiB: the fifth is the suspect one
// (its sender holds 450 KiB, over a quarter of the mapping).
constexpr size_t kSpamCallSize = 90 * 1024;
constexpr int kCallsBeforeLowSpace = 4;

int enableSpamDetection(BinderConnection& connection, uint32_t enable) {
  return connection.ioctlErrno(BINDER_ENABLE_ONEWAY_SPAM_DETECTION, &enable);
}

// Sends a one-way call of SIZE bytes and returns what the sender reads.
std::vector<std::string> sendOneway(BinderConnection& connection, uint32_t code, size_t size,
                                    uint32_t flags = 0) {
  int err = connection.write(
      CommandWriter().transaction(0, code, Payload().putZeros(size), TF_ONE_WAY | flags));
  EXPECT_EQ(err, 0) << std::strerror(err);
  return commandNames(connection.read());
}

const std::vector<std::string> kComplete{"BR_TRANSACTION_COMPLETE"};

TEST(OnewaySpam, SuspectIsReportedOnceWhenOnewaySpaceRunsLow) {
  BinderConnection manager = contextManager(kDefaultMapSize);  // never frees: space runs low

  ChildProcess client("client", [] {
    BinderConnection connection;
    ASSERT_EQ(enableSpamDetection(connection, 1), 0);
    for (int i = 1; i <= kCallsBeforeLowSpace; ++i) {
      EXPECT_EQ(sendOneway(connection, i, kSpamCallSize), kComplete) << "call " << i;
    }
    EXPECT_EQ(sendOneway(connection, 5, kSpamCallSize),
              std::vector<std::string>{"BR_ONEWAY_SPAM_SUSPECT"});
    EXPECT_EQ(sendOneway(connection, 6, 4096), kComplete) << "reported once, not on every call";
  });
  client.wait();
  Event first = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(first.txn.tr.code, 1u) << "suspect or not, the calls are delivered";
}

TEST(OnewaySpam, NothingIsReportedWithoutEnabling) {
  BinderConnection manager = contextManager(kDefaultMapSize);

  ChildProcess client("client", [] {
    BinderConnection connection;
    ASSERT_EQ(enableSpamDetection(connection, 1), 0);
    ASSERT_EQ(enableSpamDetection(connection, 0), 0);  // and off again
    for (int i = 1; i <= kCallsBeforeLowSpace + 1; ++i) {
      EXPECT_EQ(sendOneway(connection, i, kSpamCallSize), kComplete) << "call " << i;
    }
  });
  client.wait();
}

// The receiver enabling detection does not matter: the sender reads the verdict.
TEST(OnewaySpam, OnlyTheSendersSettingCounts) {
  BinderConnection manager = contextManager(kDefaultMapSize);
  ASSERT_EQ(enableSpamDetection(manager, 1), 0);

  ChildProcess client("client", [] {
    BinderConnection connection;
    for (int i = 1; i <= kCallsBeforeLowSpace + 1; ++i) {
      EXPECT_EQ(sendOneway(connection, i, kSpamCallSize), kComplete) << "call " << i;
    }
  });
  client.wait();
}

// One-way calls (code, value) that one process sends, in order.
using Calls = std::vector<std::pair<uint32_t, uint32_t>>;

// Each of SENDERS, a child process of its own, sends its calls (one sender after the other),
// each with FLAGS, to the context manager, which is frozen while they are queued when FREEZE;
// returns the values in delivery order.
std::vector<uint32_t> deliveredValues(const std::vector<Calls>& senders, uint32_t flags,
                                      bool freeze) {
  BinderConnection manager = contextManager();
  if (freeze) {
    EXPECT_EQ(manager.freeze(getpid(), true), 0);
  }

  const std::vector<std::string> expected{freeze && kernelHasPendingFrozen()
                                              ? "BR_TRANSACTION_PENDING_FROZEN"
                                              : "BR_TRANSACTION_COMPLETE"};
  for (const Calls& calls : senders) {
    ChildProcess client("client", [&] {
      BinderConnection connection;
      for (const auto& [code, value] : calls) {
        EXPECT_EQ(connection.write(CommandWriter().transaction(0, code, Payload().putU32(value),
                                                               TF_ONE_WAY | flags)),
                  0);
        EXPECT_EQ(commandNames(connection.read()), expected);
      }
    });
    client.wait();  // everything is queued before the manager reads
  }
  if (freeze) {
    EXPECT_EQ(manager.freeze(getpid(), false), 0);
  }

  std::vector<uint32_t> values;
  for (;;) {
    std::vector<Event> events = manager.readQuietly();
    const Event* event = findEvent(events, BR_TRANSACTION);
    if (event == nullptr) break;
    EXPECT_EQ(events.size(), 1u) << ::testing::PrintToString(commandNames(events));
    values.push_back(event->txn.at<uint32_t>(0));
    EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event->txn.buffer())), 0);
  }
  return values;
}

TEST(UpdateTxn, QueuedCallIsReplacedByANewerOneWhileFrozen) {
  // The first call is the node's current one-way call; the second waits behind it and is
  // replaced by the third.
  EXPECT_EQ(deliveredValues({{{1, 10}, {1, 20}, {1, 30}}}, TF_UPDATE_TXN, true),
            (std::vector<uint32_t>{10, 30}));
}

TEST(UpdateTxn, WithoutTheFlagEveryCallIsDelivered) {
  EXPECT_EQ(deliveredValues({{{1, 10}, {1, 20}, {1, 30}}}, 0, true),
            (std::vector<uint32_t>{10, 20, 30}));
}

TEST(UpdateTxn, ACallWithAnotherCodeIsNotReplaced) {
  EXPECT_EQ(deliveredValues({{{1, 10}, {1, 20}, {2, 30}}}, TF_UPDATE_TXN, true),
            (std::vector<uint32_t>{10, 20, 30}));
}

TEST(UpdateTxn, ACallFromAnotherSenderIsNotReplaced) {
  EXPECT_EQ(deliveredValues({{{1, 10}, {1, 20}}, {{1, 30}}}, TF_UPDATE_TXN, true),
            (std::vector<uint32_t>{10, 20, 30}));
}

TEST(UpdateTxn, NothingIsReplacedWhileTheReceiverIsNotFrozen) {
  EXPECT_EQ(deliveredValues({{{1, 10}, {1, 20}, {1, 30}}}, TF_UPDATE_TXN, false),
            (std::vector<uint32_t>{10, 20, 30}));
}

constexpr size_t kClearSize = 200;

std::vector<uint8_t> filled(uint8_t byte) { return std::vector<uint8_t>(kClearSize, byte); }

TEST(ClearBuf, TransactionBufferIsZeroedWhenFreed) {
  BinderConnection manager = contextManager();
  const std::vector<uint8_t> data = filled(0xa5);

  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBytes(data.data(), data.size()),
                                              TF_CLEAR_BUF)),
              "BR_REPLY");
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.cmd, BR_TRANSACTION);
  EXPECT_EQ(event.txn.tr.flags & TF_CLEAR_BUF, static_cast<uint32_t>(TF_CLEAR_BUF));
  EXPECT_EQ(manager.readMapped(event.txn.buffer(), kClearSize), data);
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  EXPECT_EQ(manager.readMapped(event.txn.buffer(), kClearSize), filled(0));
  client.wait();
}

TEST(ClearBuf, ReplyBufferIsZeroedWhenFreed) {
  BinderConnection manager = contextManager();
  const std::vector<uint8_t> data = filled(0x5a);

  ChildProcess client("client", [&] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload());
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    EXPECT_EQ(connection.readMapped(reply->txn.buffer(), kClearSize), data);
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(reply->txn.buffer())), 0);
    EXPECT_EQ(connection.readMapped(reply->txn.buffer(), kClearSize), filled(0));
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter()
                         .freeBuffer(event.txn.buffer())
                         .reply(Payload().putBytes(data.data(), data.size()), TF_CLEAR_BUF));
  client.wait();
}

}  // namespace
}  // namespace binder_test
