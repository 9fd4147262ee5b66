// Programs from the guest's PATH as test fixtures: the project's daemons and examples,
// started as users start them, always killed and reaped when the fixture goes away.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace binder_test {

// A program from PATH with ARGS (ARGS[0] is the program), killed (SIGKILL) and reaped when
// the object goes away.
class ProgramProcess {
 public:
  explicit ProgramProcess(std::vector<std::string> args);
  ProgramProcess(const ProgramProcess&) = delete;
  ProgramProcess& operator=(const ProgramProcess&) = delete;
  ~ProgramProcess();

  pid_t pid() const { return pid_; }
  // The exit status once it exits within TIMEOUT; -1 if it was killed or had to be.
  int wait(std::chrono::milliseconds timeout);
  // SIGTERM, then wait(TIMEOUT).
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
};

// True once PROBE, run in a throwaway child, returns true (within about five seconds). The
// test process itself never opens the driver, so its children start clean.
bool waitUntil(const std::function<bool()>& probe);

// servicemanager from PATH with EXTRA_ARGS; constructed once handle 0 answers.
class ServiceManagerProcess : public ProgramProcess {
 public:
  explicit ServiceManagerProcess(std::vector<std::string> extraArgs = {});
};

}  // namespace binder_test
