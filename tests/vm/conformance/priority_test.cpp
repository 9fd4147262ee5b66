// Nice-value priority inheritance, as upstream does it when a thread reads work:
// - a thread that waits for its process's work first goes back to the nice value the process
//   had when it opened the device;
// - for a synchronous call it then runs at the caller's nice value when that is higher
//   priority (lower) than the node's minimum priority, and at the node's minimum otherwise;
// - for a one-way call it is raised to the node's minimum when it runs below it;
// - BC_REPLY restores the nice value it had when it read the call.
// The node's minimum is the nice value in FLAT_BINDER_FLAG_PRIORITY_MASK of the flags the
// node was created with (0 unless set).
//
// The handler is this process's main thread (root, so it may raise its priority); every test
// restores the nice value it started with.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

pid_t currentTid() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

// The calling thread's nice value.
int threadNice() {
  errno = 0;
  int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(currentTid()));
  EXPECT_EQ(errno, 0) << "getpriority: " << std::strerror(errno);
  return nice;
}

void setThreadNice(int nice) {
  ASSERT_EQ(::setpriority(PRIO_PROCESS, static_cast<id_t>(currentTid()), nice), 0)
      << "setpriority(" << nice << "): " << std::strerror(errno);
  ASSERT_EQ(threadNice(), nice);
}

class Priority : public ::testing::Test {
 protected:
  void SetUp() override { savedNice_ = threadNice(); }
  void TearDown() override {
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(currentTid()), savedNice_);
  }

  // The context manager, opened while this thread ran at nice OPEN_NICE, its node created
  // with minimum priority MIN_NICE.
  static BinderConnection managerOpenedAt(int openNice, uint8_t minNice) {
    setThreadNice(openNice);
    BinderConnection manager;
    flat_binder_object node{};
    node.hdr.type = BINDER_TYPE_BINDER;
    node.flags = minNice & FLAT_BINDER_FLAG_PRIORITY_MASK;
    int err = manager.claimContextManager(&node);
    EXPECT_EQ(err, 0) << std::strerror(err);
    manager.enterLooper();
    return manager;
  }

  // A child at nice CALLER_NICE calls the manager (FLAGS: 0 or TF_ONE_WAY); the manager,
  // set to nice NICE_BEFORE, reads the call; returns its nice value while handling it. The
  // call is then answered (or its buffer freed) and the nice value after that stored in
  // *AFTER.
  static int niceWhileHandling(BinderConnection& manager, int callerNice, int niceBefore,
                               uint32_t flags, int* after) {
    setThreadNice(niceBefore);
    ChildProcess client("client", [&] {
      setThreadNice(callerNice);
      BinderConnection connection;
      if (flags & TF_ONE_WAY) {
        EXPECT_EQ(connection.write(CommandWriter().transaction(0, 1, Payload(), flags)), 0);
        EXPECT_EQ(commandNames(connection.read()),
                  std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
      } else {
        EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload(), flags)), "BR_REPLY");
      }
    });
    Event event = manager.waitFor(BR_TRANSACTION);
    const int during = threadNice();
    if (flags & TF_ONE_WAY) {
      EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
    } else {
      manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
    }
    *after = threadNice();
    client.wait();
    return during;
  }

 private:
  int savedNice_ = 0;
};

TEST_F(Priority, HandlerRunsAtTheCallersHigherPriorityUntilItReplies) {
  BinderConnection manager = managerOpenedAt(5, 0);
  int after = 0;
  EXPECT_EQ(niceWhileHandling(manager, -5, 5, 0, &after), -5);
  EXPECT_EQ(after, 5) << "BC_REPLY restores the handler's nice value";
}

// The node's minimum (0 here) is a floor: a low-priority caller still gets nice 0.
TEST_F(Priority, HandlerRunsAtLeastAtTheNodesMinimumPriority) {
  BinderConnection manager = managerOpenedAt(5, 0);
  int after = 0;
  EXPECT_EQ(niceWhileHandling(manager, 10, 5, 0, &after), 0);
  EXPECT_EQ(after, 5);
}

TEST_F(Priority, MinimumPriorityComesFromTheNodesFlags) {
  BinderConnection manager = managerOpenedAt(15, 8);
  int after = 0;
  EXPECT_EQ(niceWhileHandling(manager, 12, 15, 0, &after), 8) << "raised to the node's minimum";
  EXPECT_EQ(after, 15);
  EXPECT_EQ(niceWhileHandling(manager, 3, 15, 0, &after), 3) << "the caller is higher";
  EXPECT_EQ(after, 15);
}

// Before a thread reads its process's work it returns to the nice value the process opened
// the device with, whatever it was set to since; the reply restores that value too.
TEST_F(Priority, ThreadWaitingForWorkReturnsToTheNiceValueOfTheOpen) {
  BinderConnection manager = managerOpenedAt(6, 19);
  int after = 0;
  EXPECT_EQ(niceWhileHandling(manager, 10, 2, 0, &after), 10) << "the caller is above 19";
  EXPECT_EQ(after, 6) << "the reply restores the nice value of the open, not the 2 before";
  EXPECT_EQ(niceWhileHandling(manager, 10, 17, TF_ONE_WAY, &after), 6)
      << "a one-way call leaves the nice value of the open, the node's minimum being lower";
}

TEST_F(Priority, OnewayCallRaisesTheHandlerOnlyToTheNodesMinimum) {
  {
    BinderConnection manager = managerOpenedAt(15, 8);
    int after = 0;
    EXPECT_EQ(niceWhileHandling(manager, -5, 15, TF_ONE_WAY, &after), 8)
        << "a one-way caller's priority is not inherited";
  }
  BinderConnection manager = managerOpenedAt(4, 8);
  int after = 0;
  EXPECT_EQ(niceWhileHandling(manager, -5, 4, TF_ONE_WAY, &after), 4)
      << "a handler above the minimum keeps its priority";
}

}  // namespace
}  // namespace binder_test
