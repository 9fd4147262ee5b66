// BINDER_GET_NODE_DEBUG_INFO (a process's own nodes) and BINDER_GET_NODE_INFO_FOR_REF (the
// counts behind a handle, for the context manager only).
#include <sys/ioctl.h>

#include <cerrno>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr binder_uintptr_t kLowPtr = 0x1000, kLowCookie = 0x1001;
constexpr binder_uintptr_t kHighPtr = 0x2000, kHighCookie = 0x2001;

binder_node_debug_info nodeAfter(BinderConnection& connection, binder_uintptr_t ptr) {
  binder_node_debug_info info{};
  info.ptr = ptr;
  info.cookie = 0xbad;  // the driver overwrites every field
  int err = connection.ioctlErrno(BINDER_GET_NODE_DEBUG_INFO, &info);
  EXPECT_EQ(err, 0) << std::strerror(err);
  return info;
}

TEST(NodeInfo, DebugInfoWalksTheCallersNodesInPtrOrder) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [] {
    BinderConnection connection;
    binder_node_debug_info none = nodeAfter(connection, 0);
    EXPECT_EQ(none.ptr, 0u) << "no nodes yet";
    EXPECT_EQ(none.cookie, 0u);

    EXPECT_EQ(
        lastCommandName(connection.call(
            0, 1, Payload().putBinder(kHighPtr, kHighCookie).putWeakBinder(kLowPtr, kLowCookie))),
        "BR_REPLY");
    binder_node_debug_info low = nodeAfter(connection, 0);
    EXPECT_EQ(low.ptr, kLowPtr);
    EXPECT_EQ(low.cookie, kLowCookie);
    EXPECT_EQ(low.has_strong_ref, 0u);
    EXPECT_EQ(low.has_weak_ref, 1u);
    binder_node_debug_info high = nodeAfter(connection, kLowPtr);
    EXPECT_EQ(high.ptr, kHighPtr);
    EXPECT_EQ(high.cookie, kHighCookie);
    EXPECT_EQ(high.has_strong_ref, 1u);
    EXPECT_EQ(high.has_weak_ref, 1u);
    binder_node_debug_info end = nodeAfter(connection, kHighPtr);
    EXPECT_EQ(end.ptr, 0u);
    EXPECT_EQ(end.cookie, 0u);
    EXPECT_EQ(end.has_strong_ref, 0u);
    EXPECT_EQ(end.has_weak_ref, 0u);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the references
  client.wait();
}

TEST(NodeInfo, InfoForRefIsForTheContextManagerOnly) {
  BinderConnection manager;
  manager.becomeContextManager();
  BinderConnection other;
  binder_node_info_for_ref info{};
  info.handle = 0;
  EXPECT_EQ(other.ioctlErrno(BINDER_GET_NODE_INFO_FOR_REF, &info), EPERM);
}

TEST(NodeInfo, InfoForRefRefusesNonZeroFields) {
  BinderConnection manager;
  manager.becomeContextManager();
  binder_node_info_for_ref info{};
  info.reserved2 = 1;
  EXPECT_EQ(manager.ioctlErrno(BINDER_GET_NODE_INFO_FOR_REF, &info), EINVAL);
  info = {};
  info.strong_count = 1;
  EXPECT_EQ(manager.ioctlErrno(BINDER_GET_NODE_INFO_FOR_REF, &info), EINVAL);
}

TEST(NodeInfo, InfoForRefOfAnUnknownHandleIsEinval) {
  BinderConnection manager;
  manager.becomeContextManager();
  binder_node_info_for_ref info{};
  info.handle = 5;
  EXPECT_EQ(manager.ioctlErrno(BINDER_GET_NODE_INFO_FOR_REF, &info), EINVAL);
}

// The counts are the node's: every strong reference holder counts once, plus the owner's own
// references while BR_ACQUIRE/BR_INCREFS await acknowledgement.
TEST(NodeInfo, InfoForRefReportsTheNodesCounts) {
  BinderConnection manager = contextManager();
  Pipe toParent;
  Pipe toChild;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putBinder(kLowPtr, kLowCookie))),
              (std::vector<std::string>{"BR_INCREFS", "BR_ACQUIRE", "BR_TRANSACTION_COMPLETE",
                                        "BR_REPLY"}));
    toParent.send(1);
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
    EXPECT_EQ(
        connection.write(
            CommandWriter().increfsDone(kLowPtr, kLowCookie).acquireDone(kLowPtr, kLowCookie)),
        0);
    toParent.send(2);
    ASSERT_TRUE(toChild.receive(kChildTimeout).has_value());
  });

  auto infoFor = [&](uint32_t handle) {
    binder_node_info_for_ref info{};
    info.handle = handle;
    int err = manager.ioctlErrno(BINDER_GET_NODE_INFO_FOR_REF, &info);
    EXPECT_EQ(err, 0) << std::strerror(err);
    return info;
  };
  Event event = manager.waitFor(BR_TRANSACTION);
  uint32_t handle = event.txn.object().handle;
  manager.writeReply(CommandWriter().reply(Payload()));  // keeps the reference
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  binder_node_info_for_ref pending = infoFor(handle);
  EXPECT_EQ(pending.handle, handle);
  EXPECT_EQ(pending.strong_count, 2u)
      << "the manager's reference and the unacknowledged BR_ACQUIRE";
  EXPECT_EQ(pending.weak_count, 1u) << "the unacknowledged BR_INCREFS";
  toChild.send(1);
  ASSERT_TRUE(toParent.receive(kChildTimeout).has_value());
  binder_node_info_for_ref settled = infoFor(handle);
  EXPECT_EQ(settled.strong_count, 1u);
  EXPECT_EQ(settled.weak_count, 0u);
  EXPECT_EQ(manager.write(CommandWriter().acquire(handle).acquire(handle)), 0);
  EXPECT_EQ(infoFor(handle).strong_count, 1u) << "one count per referencing process";
  toChild.send(2);
  client.wait();
}

}  // namespace
}  // namespace binder_test
