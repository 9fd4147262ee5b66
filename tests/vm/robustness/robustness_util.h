// Helpers shared by the robustness programs (binder_fuzz, binder_stress), which run without
// GoogleTest: a seeded random generator, the report of a stuck process's threads from /proc,
// and the driver's live object counts from debugfs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace binder_robustness {

// splitmix64: derives independent seeds (a child's from the run's, a thread's from its
// process's) so that every stream is fixed by the run seed alone.
uint64_t mixSeed(uint64_t seed, uint64_t stream);

// xoshiro256**: small, fast, and the same sequence on every build for a seed.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t next();
  // Uniform in [0, bound); 0 when BOUND is 0.
  uint64_t below(uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  // True with probability PERCENT / 100.
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& values) {
    return values[below(values.size())];
  }

 private:
  uint64_t state_[4];
};

// Writes to stderr, for every thread of process PID: its name, state, wchan and kernel stack
// (/proc/PID/task/TID/stack needs root; its absence is reported, not fatal).
void reportThreads(pid_t pid, const std::string& why);

// The loaded driver's debugfs folder: /sys/kernel/debug/binder_lite for ours, .../binder for
// the upstream driver, as BINDER_DRIVER says.
std::string driverDebugfsDir();

// Writes to stderr what the driver shows of process PID (its sections of the debugfs state
// file: threads, nodes, refs, buffers) and the process's memory map, for a protocol
// violation's report.
void reportDriverView(pid_t pid);

// The loaded driver's "KIND: active N total M" counts from the stats file in its debugfs
// folder; nullopt with a message in ERROR when the file cannot be read.
std::optional<std::map<std::string, long>> liveDriverObjects(std::string* error);

// Waits up to TIMEOUT for every live count to be zero (the drivers release a closed process
// from a work item). True when they are; otherwise prints the counts left and returns false.
bool waitForIdleDriver(std::chrono::milliseconds timeout, const char* program);

// Parses a decimal or 0x-prefixed unsigned number; nullopt when TEXT is not one.
std::optional<uint64_t> parseNumber(const std::string& text);

// Command-line helpers for the robustness programs: print "PROGRAM: MESSAGE" and a --help hint
// on stderr and exit 2 (usage error); or parse OPTION's VALUE as a number in [MIN, MAX].
[[noreturn]] void usageError(const char* program, const std::string& message);
long numberArgument(const char* program, const std::string& option, const char* value, long min,
                    long max);

}  // namespace binder_robustness
