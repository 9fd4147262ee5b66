// binder-stat's parser against debugfs text as the upstream driver writes it.
#include <gtest/gtest.h>

#include "driver_state.h"

namespace binder_stat {
namespace {

// Captured from Debian's 6.1 binder_linux with servicemanager (105) and a service (107).
constexpr const char* kState = R"(binder state:
dead nodes:
  node 9: u0000000000001000 c0000000000002000 hs 0 hw 0 ls 0 lw 0 is 1 iw 1 tr 1 proc 110
proc 107
context binder
  thread 107: l 12 need_return 0 tr 0
  thread 109: l 11 need_return 0 tr 1
    outgoing transaction 15: 0000000000000000 from 107:109 to 105:105 code 1 flags 10 pri 0 r1
  node 6: u000055881ed56470 c000055881ed56448 hs 1 hw 1 ls 0 lw 0 is 1 iw 1 tr 1 proc 105
  ref 4: desc 0 node 1 s 1 w 1 d 0000000000000000
  buffer 21: 0000000000000000 size 52:0:0 delivered
proc 105
context binder
  thread 105: l 22 need_return 0 tr 0
  node 1: u0000000000000000 c0000000000000000 hs 1 hw 1 ls 1 lw 1 is 1 iw 1 tr 1 proc 107 110
  ref 7: desc 1 dead node 6 s 1 w 1 d ff1100003e42eb60
  pending transaction 30: 0000000000000000 from 110:110 to 105:0 code 3 flags 10 pri 0 r1
)";

constexpr const char* kStats = R"(binder stats:
BC_TRANSACTION: 6
BR_REPLY: 6
proc: active 2 total 3
thread: active 3 total 4
transaction: active 0 total 12
proc 107
context binder
  threads: 2
)";

TEST(BinderStatParser, ReadsProcessesThreadsNodesRefsAndWork) {
    const DriverState state = parseState(kState);
    ASSERT_EQ(state.procs.size(), 2U);
    const ProcInfo& service = state.procs[0];
    EXPECT_EQ(service.pid, 107);
    EXPECT_EQ(service.context, "binder");
    ASSERT_EQ(service.threads.size(), 2U);
    EXPECT_EQ(service.threads[0].looper, 0x12U);
    EXPECT_EQ(service.threads[1].transactions, 1);
    ASSERT_EQ(service.threads[1].work.size(), 1U);
    EXPECT_TRUE(service.threads[1].work[0].starts_with("outgoing transaction 15"));
    ASSERT_EQ(service.nodes.size(), 1U);
    EXPECT_EQ(service.nodes[0].id, 6);
    EXPECT_EQ(service.nodes[0].ptr, 0x55881ed56470U);
    EXPECT_EQ(service.nodes[0].cookie, 0x55881ed56448U);
    EXPECT_EQ(service.nodes[0].holders, std::vector<int>{105});
    ASSERT_EQ(service.refs.size(), 1U);
    EXPECT_EQ(service.refs[0].handle, 0U);
    EXPECT_FALSE(service.refs[0].deathNotification);
    EXPECT_EQ(service.buffers.size(), 1U);

    const ProcInfo& manager = state.procs[1];
    EXPECT_EQ(manager.nodes[0].holders, (std::vector<int>{107, 110}));
    ASSERT_EQ(manager.refs.size(), 1U);
    EXPECT_EQ(manager.refs[0].handle, 1U);
    EXPECT_EQ(manager.refs[0].node, 6);
    EXPECT_TRUE(manager.refs[0].nodeDead);
    EXPECT_TRUE(manager.refs[0].deathNotification);
    ASSERT_EQ(manager.pending.size(), 1U);

    ASSERT_EQ(state.deadNodes.size(), 1U);
    EXPECT_EQ(state.deadNodes[0].id, 9);
}

TEST(BinderStatParser, LiveCountsComeFromTheGlobalSectionOnly) {
    const auto counts = parseLiveCounts(kStats);
    EXPECT_EQ(counts.size(), 3U);
    EXPECT_EQ(counts.at("proc"), 2);
    EXPECT_EQ(counts.at("thread"), 3);
    EXPECT_EQ(counts.at("transaction"), 0);
}

TEST(BinderStatParser, LooperFlagsAreNamed) {
    EXPECT_EQ(looperFlags(0x12), "entered,waiting");
    EXPECT_EQ(looperFlags(0x21), "registered,polling");
    EXPECT_EQ(looperFlags(0), "-");
}

TEST(BinderStatParser, GarbageAndEmptyInputParseToNothing) {
    EXPECT_TRUE(parseState("").procs.empty());
    EXPECT_TRUE(parseState("node\nref x\nproc\n  thread\n").procs.size() <= 1);
    EXPECT_TRUE(parseLiveCounts("proc: active\n").empty());
}

}  // namespace
}  // namespace binder_stat
