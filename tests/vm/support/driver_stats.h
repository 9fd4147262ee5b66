// The loaded driver's debugfs statistics, as the upstream driver writes them and ours too:
// "binder stats:", per-command counts, then one "KIND: active N total M" line per object
// kind (proc, thread, node, ref, death, transaction, ...), then per-process sections.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace binder_test {

// /sys/kernel/debug/binder_lite for ours, /sys/kernel/debug/binder for the upstream driver.
std::string driverDebugfsDir();

// KIND -> live ("active") count; empty (and a test failure) when the file cannot be read.
std::map<std::string, long> liveDriverObjects();

// Waits until every live count is zero (the driver releases a closed process from a work
// item) or |timeout| passes; returns the last counts read.
std::map<std::string, long> settledLiveDriverObjects(std::chrono::milliseconds timeout);

bool allZero(const std::map<std::string, long>& counts);

}  // namespace binder_test
