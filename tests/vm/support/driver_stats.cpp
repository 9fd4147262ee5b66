#include "driver_stats.h"

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "vm_test_env.h"

namespace binder_test {

std::string driverDebugfsDir() {
  return isReferenceDriver() ? "/sys/kernel/debug/binder" : "/sys/kernel/debug/binder_lite";
}

std::map<std::string, long> liveDriverObjects() {
  const std::string path = driverDebugfsDir() + "/stats";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::map<std::string, long> live;
  for (std::string line; std::getline(in, line) && !line.starts_with("proc ");) {
    std::istringstream words(line);
    std::string kind, active, total;
    long count = 0;
    if (words >> kind >> active >> count >> total && active == "active" && total == "total" &&
        kind.ends_with(':')) {
      live[kind.substr(0, kind.size() - 1)] = count;
    }
  }
  EXPECT_FALSE(live.empty()) << "no \"KIND: active N total M\" lines in " << path;
  return live;
}

bool allZero(const std::map<std::string, long>& counts) {
  for (const auto& [kind, count] : counts) {
    if (count != 0) return false;
  }
  return true;
}

std::map<std::string, long> settledLiveDriverObjects(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::map<std::string, long> live = liveDriverObjects();
  while (!allZero(live) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    live = liveDriverObjects();
  }
  return live;
}

}  // namespace binder_test
