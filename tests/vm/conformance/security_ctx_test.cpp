// Security contexts (FLAT_BINDER_FLAG_TXN_SECURITY_CTX): a node created with the flag gets
// its transactions as BR_TRANSACTION_SEC_CTX, with the address of the sender's LSM context
// (a NUL-terminated string copied after the data, offsets and buffers) next to the usual
// transaction data. The driver asks the LSMs for the sender's secid
// (security_cred_getsecid) and its text (security_secid_to_secctx); both are exported.
//
// What the guest's kernels give: Debian's 6.1 and 6.12 boot with AppArmor and without
// SELinux or Smack, the only LSMs with a cred_getsecid hook, so the secid is 0; AppArmor's
// secid_to_secctx knows no label for secid 0 and fails with EINVAL, and the driver fails the
// transaction with it. These tests check that outcome, and that nodes without the flag are
// unaffected. The binder LSM hooks (security_binder_transaction and friends) are exported
// too, but no LSM the guest runs implements them, so they allow everything: there is no
// behaviour of theirs to observe here.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

BinderConnection managerRequestingSecurityContexts() {
  BinderConnection manager;
  flat_binder_object node{};
  node.hdr.type = BINDER_TYPE_BINDER;
  node.flags = FLAT_BINDER_FLAG_TXN_SECURITY_CTX;
  int err = manager.claimContextManager(&node);
  EXPECT_EQ(err, 0) << std::strerror(err);
  manager.enterLooper();
  return manager;
}

TEST(SecurityCtx, TransactionToANodeRequestingContextsFailsWithoutASecid) {
  BinderConnection manager = managerRequestingSecurityContexts();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putU32(1))),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
    EXPECT_EQ(connection.write(CommandWriter().transaction(0, 2, Payload(), TF_ONE_WAY)), 0);
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_FAILED_REPLY"})
        << "one-way calls too";
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

// The flag belongs to the node: another process's node with it fails the calls made to it,
// while the reply its owner gets for its own call carries no context and goes through.
TEST(SecurityCtx, FlagOnAnyNodeAppliesToItsCallsNotToReplies) {
  BinderConnection manager = contextManager();
  Pipe done;
  ChildProcess client("client", [&] {
    BinderConnection connection;
    connection.enterLooper();
    EXPECT_EQ(lastCommandName(connection.call(
                  0, 1, Payload().putBinder(0x50, 0x51, FLAT_BINDER_FLAG_TXN_SECURITY_CTX))),
              "BR_REPLY");
    ASSERT_TRUE(done.receive(kChildTimeout));
    for (const Event& event : connection.readQuietly()) {
      EXPECT_NE(event.cmd, BR_TRANSACTION_SEC_CTX) << "the call to us must not arrive";
      EXPECT_NE(event.cmd, BR_TRANSACTION) << "the call to us must not arrive";
    }
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.cmd, BR_TRANSACTION);
  const uint32_t handle = event.txn.object().handle;
  manager.writeReply(
      CommandWriter().freeBuffer(event.txn.buffer()).acquire(handle).reply(Payload()));
  std::vector<Event> events = manager.call(handle, 2, Payload());
  EXPECT_EQ(lastCommandName(events), "BR_FAILED_REPLY");
  expectExtendedError(manager, BR_FAILED_REPLY, -EINVAL);
  done.send(1);
  client.wait();
}

TEST(SecurityCtx, NodeWithoutTheFlagGetsPlainTransactions) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
  });
  std::vector<Event> events = manager.readUntil(BR_TRANSACTION);
  EXPECT_EQ(findEvent(events, BR_TRANSACTION_SEC_CTX), nullptr);
  const Event* event = findEvent(events, BR_TRANSACTION);
  ASSERT_NE(event, nullptr) << ::testing::PrintToString(commandNames(events));
  manager.writeReply(CommandWriter().freeBuffer(event->txn.buffer()).reply(Payload()));
  client.wait();
}

}  // namespace
}  // namespace binder_test
