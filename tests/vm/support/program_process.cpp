#include "program_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <binder/ProcessState.h>
#include <gtest/gtest.h>

namespace binder_test {

using namespace std::chrono_literals;

ProgramProcess::ProgramProcess(std::vector<std::string> args) {
  pid_ = fork();
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
}

ProgramProcess::~ProgramProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int ProgramProcess::wait(std::chrono::milliseconds timeout) {
  for (auto waited = 0ms; waited < timeout; waited += 50ms) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(50ms);
  }
  return -1;
}

int ProgramProcess::terminate(std::chrono::milliseconds timeout) {
  ::kill(pid_, SIGTERM);
  return wait(timeout);
}

bool waitUntil(const std::function<bool()>& probe) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const pid_t child = fork();
    if (child == 0) _exit(probe() ? 0 : 3);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

namespace {
std::vector<std::string> serviceManagerCommand(std::vector<std::string> extraArgs) {
  extraArgs.insert(extraArgs.begin(), "servicemanager");
  return extraArgs;
}
}  // namespace

ServiceManagerProcess::ServiceManagerProcess(std::vector<std::string> extraArgs)
    : ProgramProcess(serviceManagerCommand(std::move(extraArgs))) {
  EXPECT_TRUE(waitUntil([] {
    return android::ProcessState::self()->getContextObject(nullptr) != nullptr;
  })) << "servicemanager did not come up";
}

}  // namespace binder_test
