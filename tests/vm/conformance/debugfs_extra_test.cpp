// The driver's debugfs files beyond state and stats, in upstream's formats:
// - transactions: the transactions in flight, per process and thread ("outgoing transaction"
//   on the caller's thread, "incoming transaction" on the handler's);
// - transaction_log: a ring of the last transactions, one line each
//   ("ID: call  from PID:TID to PID:TID context NAME node N handle H size D:O ret E/P l=L");
// - failed_transaction_log: the same for failed ones, with the BR_ code, the errno and the
//   source line that rejected them;
// - proc/PID: one process's state, from the first time it opens the device until it closes it.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "binder_driver.h"
#include "child_process.h"
#include "debugfs_files.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

std::string contextName() {
  std::string path = devicePath();
  return path.substr(path.rfind('/') + 1);
}

std::string debugfsFile(const std::string& name) {
  return readDebugfsFile(driverDebugfsDir() + "/" + name);
}

// The lines of TEXT that match PATTERN.
std::vector<std::string> matchingLines(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  std::vector<std::string> found;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_search(line, re)) found.push_back(line);
  }
  return found;
}

std::string pidPair(pid_t pid) { return std::to_string(pid) + ":" + std::to_string(pid); }

TEST(DebugFsExtra, TransactionsListsACallInFlightOnBothThreads) {
  BinderConnection manager = contextManager();
  const pid_t managerPid = getpid();
  Pipe started;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    started.send(static_cast<uint64_t>(getpid()));
    EXPECT_EQ(lastCommandName(connection.call(0, 0x2a, Payload().putU32(1))), "BR_REPLY");
  });
  Event call = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(call.cmd, BR_TRANSACTION);
  const pid_t clientPid = static_cast<pid_t>(started.receive().value_or(0));

  const std::string text = debugfsFile("transactions");
  EXPECT_TRUE(text.starts_with("binder transactions:\n")) << text;
  const std::string route =
      "from " + pidPair(clientPid) + " to " + pidPair(managerPid) + " code 2a flags 0";
  EXPECT_EQ(matchingLines(text, "^    outgoing transaction .*" + route).size(), 1u) << text;
  EXPECT_EQ(matchingLines(text, "^    incoming transaction .*" + route).size(), 1u) << text;
  EXPECT_EQ(matchingLines(text, "^proc " + std::to_string(clientPid) + "$").size(), 1u) << text;
  EXPECT_GE(matchingLines(text, "^context " + contextName() + "$").size(), 2u) << text;

  manager.writeReply(CommandWriter().freeBuffer(call.txn.buffer()).reply(Payload()));
  client.wait();
  const std::string after = debugfsFile("transactions");
  EXPECT_EQ(matchingLines(after, "transaction .*" + route).size(), 0u) << after;
}

TEST(DebugFsExtra, TransactionLogRecordsTheCallAndItsReply) {
  BinderConnection manager = contextManager();
  const pid_t managerPid = getpid();
  Pipe started;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    started.send(static_cast<uint64_t>(getpid()));
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putU64(7).putBinder(0x60, 0x61))),
              "BR_REPLY");
  });
  const pid_t clientPid = static_cast<pid_t>(started.receive().value_or(0));
  manager.serveOne(Payload().putU32(1));
  client.wait();

  const std::string log = debugfsFile("transaction_log");
  const std::string context = " context " + contextName() + " ";
  // The call: 8 bytes of data plus a 24-byte object, one offset; the reply: 4 bytes.
  EXPECT_EQ(matchingLines(log, "^[0-9]+: call  from " + pidPair(clientPid) + " to " +
                                   std::to_string(managerPid) + ":[0-9]+" + context +
                                   "node [0-9]+ handle 0 size 32:8 ret 0/0 l=0$")
                .size(),
            1u)
      << log;
  EXPECT_EQ(matchingLines(log, "^[0-9]+: reply from " + pidPair(managerPid) + " to " +
                                   pidPair(clientPid) + context +
                                   "node 0 handle -?[0-9]+ size 4:0 ret 0/0 l=0$")
                .size(),
            1u)
      << log;
}

TEST(DebugFsExtra, FailedTransactionLogRecordsTheReasonAndTheLine) {
  BinderConnection manager = contextManager();
  Pipe started;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    started.send(static_cast<uint64_t>(getpid()));
    EXPECT_EQ(lastCommandName(connection.call(7777, 1, Payload())), "BR_FAILED_REPLY");
  });
  const pid_t clientPid = static_cast<pid_t>(started.receive().value_or(0));
  client.wait();

  const std::string log = debugfsFile("failed_transaction_log");
  const std::vector<std::string> entries =
      matchingLines(log, "^[0-9]+: call  from " + pidPair(clientPid) + " to 0:0 context " +
                             contextName() + " node 0 handle 7777 size 0:0 ret " +
                             std::to_string(BR_FAILED_REPLY) + "/-22 l=[1-9][0-9]*$");
  EXPECT_EQ(entries.size(), 1u) << log;
  EXPECT_EQ(matchingLines(debugfsFile("transaction_log"), "handle 7777 ").size(), 1u)
      << "a failed transaction is in the main log too";
}

// The failure log is a ring: after more failures than it holds, the oldest are gone.
TEST(DebugFsExtra, FailedTransactionLogKeepsTheLast32) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    for (uint32_t handle = 9000; handle < 9040; ++handle) {
      EXPECT_EQ(lastCommandName(connection.call(handle, 1, Payload())), "BR_FAILED_REPLY");
    }
  });
  client.wait();
  const std::string log = debugfsFile("failed_transaction_log");
  EXPECT_EQ(matchingLines(log, " handle 90(0[0-7]) ").size(), 0u) << "the oldest 8 are gone\n"
                                                                  << log;
  EXPECT_EQ(matchingLines(log, " handle 90(0[89]|[1-3][0-9]) ").size(), 32u) << log;
}

TEST(DebugFsExtra, ProcFileExistsWhileTheProcessHasTheDeviceOpen) {
  Pipe opened;
  Pipe closed;
  Pipe exit;
  ChildProcess child("child", [&] {
    {
      BinderConnection connection;
      connection.enterLooper();
      opened.send(1);
      ASSERT_TRUE(exit.receive(kChildTimeout));
    }
    closed.send(1);
    ASSERT_TRUE(exit.receive(kChildTimeout));
  });
  ASSERT_TRUE(opened.receive());
  const std::string state = readDebugfsFile(procStatePath(child.pid()));
  EXPECT_TRUE(state.starts_with("binder proc state:\nproc " + std::to_string(child.pid()) +
                                "\ncontext " + contextName() + "\n"))
      << state;
  EXPECT_EQ(matchingLines(state, "^  thread " + std::to_string(child.pid()) + ": l 02 ").size(), 1u)
      << "the looper thread (BINDER_LOOPER_STATE_ENTERED)\n"
      << state;

  exit.send(1);
  ASSERT_TRUE(closed.receive());
  // The driver drops a closed process from a work item: give it a moment.
  std::string after = "(not read)";
  for (int i = 0; i < 100; ++i) {
    after = readDebugfsFile(procStatePath(child.pid()), false);
    if (after.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(after, "") << "proc/" << child.pid() << " outlived the process's binder file";
  exit.send(1);
  child.wait();
}

}  // namespace
}  // namespace binder_test
