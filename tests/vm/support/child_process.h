// Processes and signals for multi-process tests. Binder is IPC: most behaviour only shows
// between processes, so a test forks children that run a lambda. A child's test failures are
// reported to the parent and become failures of the running test; a child is always reaped,
// and killed when it overruns its time. A watchdog ends the whole suite if a test hangs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "binder_driver.h"
#include "unique_fd.h"

namespace binder_test {

// How long a child may run before the parent kills it.
inline constexpr std::chrono::milliseconds kChildTimeout = 60s;

class ChildProcess {
 public:
  // Forks; the child runs BODY and exits, with status 1 if it recorded any test failure.
  ChildProcess(std::string name, std::function<void()> body);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills and reaps a child still running (a test that failed early).
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Waits for the child to exit and adds its failures to the running test. False (and a test
  // failure) unless it exited with status 0 in time; it is killed when TIMEOUT passes.
  bool wait(std::chrono::milliseconds timeout = kChildTimeout);
  // Kills the child (SIGKILL), as a crash would, and reaps it; reports its failures.
  void kill();

 private:
  void reap(bool killed);
  void collectFailures(bool untilEof);

  std::string name_;
  pid_t pid_ = -1;
  UniqueFd failures_;  // read end: the child's failure reports
  std::string pending_;
};

// A one-way channel of 64-bit values between processes, for "ready" signals and small
// results (handles, pids). Create it before forking; both sides keep both ends.
class Pipe {
 public:
  Pipe();
  void send(uint64_t value) const;
  // The next value, or nullopt (and no failure) when none comes within TIMEOUT.
  std::optional<uint64_t> receive(std::chrono::milliseconds timeout = kTimeout) const;

 private:
  UniqueFd read_;
  UniqueFd write_;
};

// Waits until thread TID of process PID sleeps in a system call (a blocking binder read),
// so a test can rely on it being idle. False after TIMEOUT.
bool waitUntilBlocked(pid_t pid, pid_t tid, std::chrono::milliseconds timeout = kTimeout);

// Drops root in the calling (single-threaded) process: gid and uid become UID.
void becomeUser(uid_t uid);

}  // namespace binder_test
