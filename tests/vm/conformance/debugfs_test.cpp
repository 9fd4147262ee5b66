// The driver's debugfs files (ours in binder_lite/, upstream's in binder/, in the same format):
// they exist, and the live object counts in stats fall back to zero once every process has
// closed the device.

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"
#include "driver_stats.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream file(path);
  EXPECT_TRUE(file.good()) << "cannot open " << path;
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

TEST(DebugFs, StateAndStatsAreReadable) {
  BinderConnection connection;
  const std::string state = readFile(driverDebugfsDir() + "/state");
  EXPECT_TRUE(state.starts_with("binder state:\n")) << state;
  EXPECT_NE(state.find("proc " + std::to_string(getpid()) + "\n"), std::string::npos) << state;
  std::map<std::string, long> live = liveDriverObjects();
  for (const char* type : {"proc", "thread", "node", "ref", "death", "transaction"}) {
    EXPECT_EQ(live.count(type), 1u) << "no live count for " << type;
  }
  EXPECT_GE(live["proc"], 1) << "this test's own connection";
}

TEST(DebugFs, LiveObjectCountsDropToZeroOnceEveryProcessClosed) {
  std::map<std::string, long> before = settledLiveDriverObjects(kTimeout);
  EXPECT_TRUE(allZero(before)) << ::testing::PrintToString(before);
  {
    BinderConnection manager = contextManager();
    Pipe exit;
    ChildProcess client("client", [&] {
      BinderConnection connection;
      connection.enterLooper();
      EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBinder(0x10, 0x11))),
                "BR_REPLY");
      EXPECT_EQ(
          connection.write(CommandWriter().transaction(0, 2, Payload().putU32(1), TF_ONE_WAY)), 0);
      ASSERT_TRUE(exit.receive(kChildTimeout).has_value());
    });
    Event call = manager.waitFor(BR_TRANSACTION);
    uint32_t handle = call.txn.object().handle;
    // Keeps the call's buffer, a reference and a death notification alive.
    manager.writeReply(CommandWriter().reply(Payload()).requestDeathNotification(handle, 0x5));
    manager.waitFor(BR_TRANSACTION);  // the one-way call, never freed
    std::map<std::string, long> busy = liveDriverObjects();
    EXPECT_GE(busy["proc"], 2);
    EXPECT_GE(busy["node"], 2);
    EXPECT_GE(busy["ref"], 1);
    EXPECT_GE(busy["death"], 1);
    exit.send(1);
    client.wait();
  }
  std::map<std::string, long> after = settledLiveDriverObjects(kTimeout);
  EXPECT_TRUE(allZero(after)) << ::testing::PrintToString(after);
}

}  // namespace
}  // namespace binder_test
