// Synchronous transactions to the context manager (handle 0): what the receiver sees of the
// sender, what the caller gets back and in which order, and buffer ownership.
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr uint32_t kCode = 0x54455354;  // any code will do
constexpr uid_t kUser = 1000;

TEST(Transaction, DeliversCodeFlagsAndPayloadToTheContextManager) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(
        0, kCode, Payload().putU32(0x11223344).putU64(0x5566778899aabbcc), TF_ACCEPT_FDS);
    EXPECT_EQ(commandNames(events),
              (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_REPLY"}));
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  const binder_transaction_data& tr = event.txn.tr;
  EXPECT_EQ(tr.target.ptr, 0u) << "BINDER_SET_CONTEXT_MGR makes a node with ptr 0";
  EXPECT_EQ(tr.cookie, 0u);
  EXPECT_EQ(tr.code, kCode);
  EXPECT_EQ(tr.flags, static_cast<uint32_t>(TF_ACCEPT_FDS));
  EXPECT_EQ(tr.data_size, 12u);
  EXPECT_EQ(tr.offsets_size, 0u);
  EXPECT_EQ(event.txn.at<uint32_t>(0), 0x11223344u);
  EXPECT_EQ(event.txn.at<uint64_t>(4), 0x5566778899aabbccu);
  EXPECT_EQ(tr.data.ptr.offsets, tr.data.ptr.buffer + 16) << "offsets follow the 8-aligned data";
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  client.wait();
}

TEST(Transaction, SenderPidIsTheCallingProcessNotTheThread) {
  BinderConnection manager = contextManager();
  Pipe callerTid;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    std::thread second([&] {
      callerTid.send(static_cast<uint64_t>(::syscall(SYS_gettid)));
      std::vector<Event> events = connection.call(0, kCode, Payload());
      EXPECT_EQ(lastCommandName(events), "BR_REPLY");
    });
    second.join();
  });

  ReceivedTransaction txn = manager.serveOne();
  std::optional<uint64_t> tid = callerTid.receive();
  ASSERT_TRUE(tid.has_value());
  EXPECT_NE(static_cast<pid_t>(*tid), client.pid()) << "the call must come from a second thread";
  EXPECT_EQ(txn.tr.sender_pid, client.pid());
  EXPECT_EQ(txn.tr.sender_euid, 0u);
  client.wait();
}

TEST(Transaction, SenderEuidOfANonRootCaller) {
  BinderConnection manager = contextManager();

  ChildProcess client("user client", [] {
    becomeUser(kUser);
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, kCode, Payload());
    EXPECT_EQ(lastCommandName(events), "BR_REPLY");
  });

  ReceivedTransaction txn = manager.serveOne();
  EXPECT_EQ(txn.tr.sender_euid, kUser);
  EXPECT_EQ(txn.tr.sender_pid, client.pid());
  client.wait();
}

// The driver reads the euid of the process's main thread (the one that opened the device) at
// transaction time: neither the credentials of the open nor those of the calling thread.
TEST(Transaction, SenderEuidIsTheMainThreadsCurrentEuid) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;  // opened as root
    auto lastCommand = [&] { return lastCommandName(connection.call(0, kCode, Payload())); };
    // The raw system call changes the calling thread's credentials only.
    std::thread worker([&] {
      ASSERT_EQ(::syscall(SYS_setresuid, -1, kUser, -1), 0) << std::strerror(errno);
      EXPECT_EQ(lastCommand(), "BR_REPLY");
    });
    worker.join();
    ASSERT_EQ(::syscall(SYS_setresuid, -1, kUser, -1), 0) << std::strerror(errno);
    EXPECT_EQ(lastCommand(), "BR_REPLY");
  });

  ReceivedTransaction fromWorker = manager.serveOne();
  EXPECT_EQ(fromWorker.tr.sender_euid, 0u) << "a worker thread's own euid does not count";
  ReceivedTransaction fromMain = manager.serveOne();
  EXPECT_EQ(fromMain.tr.sender_euid, kUser) << "the main thread's euid after the open counts";
  client.wait();
}

TEST(Transaction, ReplyCarriesPayloadWithoutSenderPid) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, kCode, Payload());
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    const binder_transaction_data& tr = reply->txn.tr;
    EXPECT_EQ(tr.target.ptr, 0u);
    EXPECT_EQ(tr.cookie, 0u);
    EXPECT_EQ(tr.code, 0x77u);
    EXPECT_EQ(tr.flags, static_cast<uint32_t>(TF_STATUS_CODE));
    EXPECT_EQ(tr.sender_pid, 0) << "replies carry no sender pid";
    EXPECT_EQ(tr.sender_euid, 0u) << "the replier's euid";
    ASSERT_EQ(tr.data_size, 8u);
    EXPECT_EQ(reply->txn.at<uint64_t>(0), 0xfeedfacecafebeefu);
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(reply->txn.buffer())), 0);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter()
                         .freeBuffer(event.txn.buffer())
                         .reply(Payload().putU64(0xfeedfacecafebeef), TF_STATUS_CODE, 0x77));
  client.wait();
}

// A synchronous caller's BR_TRANSACTION_COMPLETE is held back until the reply, and both come
// in the same read.
TEST(Transaction, CallerGetsTransactionCompleteOnlyWithTheReply) {
  BinderConnection manager = contextManager();
  Pipe quietChecked;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    ASSERT_EQ(connection.write(CommandWriter().transaction(0, kCode, Payload())), 0);
    std::vector<Event> early = connection.readQuietly();
    EXPECT_EQ(commandNames(early), std::vector<std::string>{})
        << "nothing may reach the caller before the reply";
    quietChecked.send(1);
    std::vector<Event> events = connection.read();
    EXPECT_EQ(commandNames(events),
              (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_REPLY"}));
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_TRUE(quietChecked.receive(kChildTimeout).has_value());
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  client.wait();
}

TEST(Transaction, ReplierGetsTransactionComplete) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, kCode, Payload());
    EXPECT_EQ(lastCommandName(events), "BR_REPLY");
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload())), 0);
  EXPECT_EQ(commandNames(manager.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  client.wait();
}

// Any thread without a call in progress reads the process's work: entering the looper is
// not required (the driver only logs a complaint).
TEST(Transaction, CallsReachAThreadThatNeverEnteredTheLooper) {
  BinderConnection manager;
  manager.becomeContextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, kCode, Payload())), "BR_REPLY");
  });

  ReceivedTransaction txn = manager.serveOne();
  EXPECT_EQ(txn.tr.code, kCode);
  client.wait();
}

// A thread that owes a reply takes no other call: the next one waits for it.
TEST(Transaction, ThreadOwingAReplyTakesNoOtherCall) {
  BinderConnection manager = contextManager();
  ChildProcess first("first client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
  });
  Event firstCall = manager.waitFor(BR_TRANSACTION);
  ChildProcess second("second client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 2, Payload())), "BR_REPLY");
  });
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
  manager.writeReply(CommandWriter().freeBuffer(firstCall.txn.buffer()).reply(Payload()));
  ReceivedTransaction secondCall = manager.serveOne();
  EXPECT_EQ(secondCall.tr.code, 2u);
  first.wait();
  second.wait();
}

// The replier's BC_REPLY completes even when the caller died meanwhile.
TEST(Transaction, ReplyToACallerThatDiedStillCompletes) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    connection.call(0, 1, Payload(), 0, kChildTimeout);  // killed while it waits
  });
  Event call = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(call.txn.tr.sender_pid, client.pid());
  client.kill();
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(call.txn.buffer()).reply(Payload())), 0);
  EXPECT_EQ(commandNames(manager.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

// The receiver owns each buffer until BC_FREE_BUFFER: unfreed buffers fill its mapping.
TEST(Transaction, FreeBufferReturnsTheSpaceToTheReceiver) {
  constexpr size_t kBig = 600 * 1024;  // two do not fit in the 1 MiB mapping
  BinderConnection manager = contextManager();
  Pipe toParent;
  Pipe toChild;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putZeros(kBig))), "BR_REPLY");
    EXPECT_EQ(lastCommandName(connection.call(0, 2, Payload().putZeros(kBig))), "BR_FAILED_REPLY");
    toParent.send(1);
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
    EXPECT_EQ(lastCommandName(connection.call(0, 3, Payload().putZeros(kBig))), "BR_REPLY");
  });

  Event first = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(first.txn.tr.code, 1u);
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the buffer
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(first.txn.buffer())), 0);
  toChild.send(1);
  ReceivedTransaction third = manager.serveOne();
  EXPECT_EQ(third.tr.code, 3u);
  client.wait();
}

}  // namespace
}  // namespace binder_test
