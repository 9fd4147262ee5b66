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

// The "BC_NAME: N" and "BR_NAME: N" lines of stats' global section: the commands and returns
// counted so far (a name is listed once counted).
std::map<std::string, long> commandCounts() {
  std::ifstream in(driverDebugfsDir() + "/stats");
  EXPECT_TRUE(in.good()) << "cannot read " << driverDebugfsDir() << "/stats";
  std::map<std::string, long> counts;
  for (std::string line; std::getline(in, line) && !line.starts_with("proc ");) {
    const size_t colon = line.find(": ");
    if ((line.starts_with("BC_") || line.starts_with("BR_")) && colon != std::string::npos) {
      counts[line.substr(0, colon)] = std::stol(line.substr(colon + 2));
    }
  }
  return counts;
}

// A client that calls the manager with a binder of its own and then sends it a one-way call,
// and stays until it is destroyed. The manager keeps the call's buffer, a handle to the
// binder with a death notification on it, and the one-way call's buffer: one live object of
// every kind.
class BusyClient {
 public:
  explicit BusyClient(BinderConnection& manager)
      : client_("client", [this] {
          BinderConnection connection;
          connection.enterLooper();
          EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBinder(0x10, 0x11))),
                    "BR_REPLY");
          EXPECT_EQ(connection.write(
                        CommandWriter().transaction(0, 2, Payload().putU32(1), TF_ONE_WAY)),
                    0);
          ASSERT_TRUE(exit_.receive(kChildTimeout).has_value());
        }) {
    Event call = manager.waitFor(BR_TRANSACTION);
    manager.writeReply(
        CommandWriter().reply(Payload()).requestDeathNotification(call.txn.object().handle, 5));
    manager.waitFor(BR_TRANSACTION);  // the one-way call, never freed
  }
  ~BusyClient() {
    exit_.send(1);
    client_.wait();
  }

 private:
  Pipe exit_;  // before client_: the child uses it
  ChildProcess client_;
};

// stats lists an object kind once one was created (upstream's rule): the test makes one of
// each first.
TEST(DebugFs, StateAndStatsListWhatWasCreated) {
  BinderConnection manager = contextManager();
  BusyClient client(manager);
  const std::string state = readFile(driverDebugfsDir() + "/state");
  EXPECT_TRUE(state.starts_with("binder state:\n")) << state;
  EXPECT_NE(state.find("proc " + std::to_string(getpid()) + "\n"), std::string::npos) << state;
  std::map<std::string, long> live = liveDriverObjects();
  for (const char* type :
       {"proc", "thread", "node", "ref", "death", "transaction", "transaction_complete"}) {
    EXPECT_EQ(live.count(type), 1u) << "no live count for " << type;
  }
  EXPECT_GE(live["proc"], 2) << "the manager and the client";
}

TEST(DebugFs, LiveObjectCountsDropToZeroOnceEveryProcessClosed) {
  std::map<std::string, long> before = settledLiveDriverObjects(kTimeout);
  EXPECT_TRUE(allZero(before)) << ::testing::PrintToString(before);
  {
    BinderConnection manager = contextManager();
    BusyClient client(manager);
    std::map<std::string, long> busy = liveDriverObjects();
    EXPECT_GE(busy["proc"], 2) << "the manager and the client";
    EXPECT_GE(busy["node"], 2) << "the manager's and the client's";
    EXPECT_GE(busy["ref"], 1) << "the manager's handle to the client's binder";
    EXPECT_GE(busy["death"], 1) << "the manager's death notification";
  }
  std::map<std::string, long> after = settledLiveDriverObjects(kTimeout);
  EXPECT_TRUE(allZero(after)) << ::testing::PrintToString(after);
}

// stats counts each command written and each return read, as upstream: one call and its
// reply move the counters by exactly this much. The BR_NOOP that opens every read is not
// counted.
TEST(DebugFs, StatsCountEachCommandAndReturn) {
  BinderConnection manager = contextManager();
  std::map<std::string, long> before = commandCounts();
  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putU32(7))), "BR_REPLY");
  });
  manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter().reply(Payload()));
  client.wait();
  std::map<std::string, long> after = commandCounts();
  EXPECT_EQ(after["BC_TRANSACTION"] - before["BC_TRANSACTION"], 1);
  EXPECT_EQ(after["BC_REPLY"] - before["BC_REPLY"], 1);
  EXPECT_EQ(after["BR_TRANSACTION"] - before["BR_TRANSACTION"], 1);
  EXPECT_EQ(after["BR_REPLY"] - before["BR_REPLY"], 1);
  EXPECT_GE(after["BR_TRANSACTION_COMPLETE"] - before["BR_TRANSACTION_COMPLETE"], 1);
  EXPECT_EQ(after["BR_NOOP"] - before["BR_NOOP"], 0);
}

}  // namespace
}  // namespace binder_test
