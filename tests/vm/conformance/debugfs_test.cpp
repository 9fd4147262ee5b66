// binder_lite's own debugfs files (the upstream driver has other ones): they exist, and the
// live object counts in stats fall back to zero once every process has closed the device.

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

constexpr const char* kStatePath = "/sys/kernel/debug/binder_lite/state";
constexpr const char* kStatsPath = "/sys/kernel/debug/binder_lite/stats";

std::string readFile(const char* path) {
  std::ifstream file(path);
  EXPECT_TRUE(file.good()) << "cannot open " << path;
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// The "live:" section of stats: one "name: count" line per object type.
std::map<std::string, long> liveCounts() {
  std::istringstream stats(readFile(kStatsPath));
  std::map<std::string, long> live;
  bool inLive = false;
  for (std::string line; std::getline(stats, line);) {
    if (!line.empty() && line.back() == ':') {
      inLive = line == "live:";
      continue;
    }
    size_t colon = line.find(": ");
    if (inLive && colon != std::string::npos) {
      live[line.substr(0, colon)] = std::stol(line.substr(colon + 2));
    }
  }
  EXPECT_FALSE(live.empty()) << "no live: section in " << kStatsPath;
  return live;
}

bool allZero(const std::map<std::string, long>& counts) {
  for (const auto& [name, count] : counts) {
    if (count != 0) return false;
  }
  return true;
}

// Waits for the driver to finish releasing closed processes (it does that after close()).
std::map<std::string, long> settledLiveCounts() {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  std::map<std::string, long> live = liveCounts();
  while (!allZero(live) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    live = liveCounts();
  }
  return live;
}

TEST(DebugFs, StateAndStatsAreReadable) {
  SKIP_ON_REFERENCE("binder_lite's debugfs files; upstream has /sys/kernel/debug/binder/");
  BinderConnection connection;
  EXPECT_FALSE(readFile(kStatePath).empty());
  std::map<std::string, long> live = liveCounts();
  for (const char* type : {"proc", "thread", "node", "ref", "death", "transaction"}) {
    EXPECT_EQ(live.count(type), 1u) << "no live count for " << type;
  }
  EXPECT_GE(live["proc"], 1) << "this test's own connection";
}

TEST(DebugFs, LiveObjectCountsDropToZeroOnceEveryProcessClosed) {
  SKIP_ON_REFERENCE("binder_lite's debugfs files; upstream has /sys/kernel/debug/binder/");
  std::map<std::string, long> before = settledLiveCounts();
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
    std::map<std::string, long> busy = liveCounts();
    EXPECT_GE(busy["proc"], 2);
    EXPECT_GE(busy["node"], 2);
    EXPECT_GE(busy["ref"], 1);
    EXPECT_GE(busy["death"], 1);
    exit.send(1);
    client.wait();
  }
  std::map<std::string, long> after = settledLiveCounts();
  EXPECT_TRUE(allZero(after)) << ::testing::PrintToString(after);
}

}  // namespace
}  // namespace binder_test
