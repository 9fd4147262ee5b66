#include "child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace binder_test {
namespace {

using Clock = std::chrono::steady_clock;

// Live children, so the watchdog can kill them before it ends the run.
std::array<std::atomic<pid_t>, 256> liveChildren{};

void registerChild(pid_t pid) {
  for (auto& slot : liveChildren) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pid)) return;
  }
}

void unregisterChild(pid_t pid) {
  for (auto& slot : liveChildren) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

// Failure records on the pipe: "file\nline\nmessage" preceded by its length.
void writeAll(int fd, const void* bytes, size_t size) {
  auto* p = static_cast<const char*>(bytes);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    size -= static_cast<size_t>(n);
  }
}

// In a child: sends every failed assertion to the parent as it happens.
class FailureForwarder : public ::testing::EmptyTestEventListener {
 public:
  explicit FailureForwarder(int fd) : fd_(fd) {}
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (!result.failed()) return;
    failed_ = true;
    std::string record = std::string(result.file_name() != nullptr ? result.file_name() : "?") +
                         "\n" + std::to_string(result.line_number()) + "\n" + result.message();
    uint32_t size = static_cast<uint32_t>(record.size());
    writeAll(fd_, &size, sizeof(size));
    writeAll(fd_, record.data(), record.size());
  }
  bool failed() const { return failed_; }

 private:
  int fd_;
  std::atomic<bool> failed_ = false;
};

// Ends the run when one test takes longer than any test should, so a hang cannot stall the
// suite until the VM's own timeout.
class Watchdog : public ::testing::EmptyTestEventListener {
 public:
  static constexpr unsigned kTestSeconds = 120;

  void OnTestStart(const ::testing::TestInfo&) override {
    struct sigaction action {};
    action.sa_handler = &Watchdog::expire;
    ::sigaction(SIGALRM, &action, nullptr);
    ::alarm(kTestSeconds);
  }
  void OnTestEnd(const ::testing::TestInfo&) override { ::alarm(0); }

 private:
  static void expire(int) {
    static const char kMessage[] = "watchdog: a test ran too long; killing its children\n";
    writeAll(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    for (auto& slot : liveChildren) {
      pid_t pid = slot.load();
      if (pid > 0) ::kill(pid, SIGKILL);
    }
    ::_exit(124);
  }
};

[[maybe_unused]] const bool watchdogInstalled = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new Watchdog);
  return true;
}();

}  // namespace

ChildProcess::ChildProcess(std::string name, std::function<void()> body) : name_(std::move(name)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return;
  }
  UniqueFd readEnd(fds[0]);
  UniqueFd writeEnd(fds[1]);
  std::fflush(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    return;
  }
  if (pid_ == 0) {
    readEnd.reset();
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    auto* forwarder = new FailureForwarder(writeEnd.get());
    listeners.Append(forwarder);
    body();
    std::fflush(nullptr);
    ::_exit(forwarder->failed() ? 1 : 0);
  }
  registerChild(pid_);
  failures_ = std::move(readEnd);
  ::fcntl(failures_.get(), F_SETFL, O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) reap(/*killed=*/true);
}

void ChildProcess::collectFailures(bool untilEof) {
  char chunk[4096];
  for (;;) {
    ssize_t n = ::read(failures_.get(), chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && untilEof) {
      pollfd pfd{failures_.get(), POLLIN, 0};
      if (::poll(&pfd, 1, 1000) > 0) continue;
    }
    if (n <= 0) break;
    pending_.append(chunk, static_cast<size_t>(n));
  }
  while (pending_.size() >= sizeof(uint32_t)) {
    uint32_t size;
    std::memcpy(&size, pending_.data(), sizeof(size));
    if (pending_.size() < sizeof(size) + size) break;
    std::istringstream record(pending_.substr(sizeof(size), size));
    pending_.erase(0, sizeof(size) + size);
    std::string file, line, message;
    std::getline(record, file);
    std::getline(record, line);
    std::getline(record, message, '\0');
    ADD_FAILURE_AT(file.c_str(), std::atoi(line.c_str()))
        << "[in child " << name_ << "] " << message;
  }
}

bool ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return false;
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  for (;;) {
    collectFailures(false);
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (Clock::now() >= deadline) {
      ADD_FAILURE() << "child " << name_ << " still running after " << timeout.count()
                    << " ms; killed";
      reap(/*killed=*/true);
      return false;
    }
    std::this_thread::sleep_for(5ms);
  }
  unregisterChild(pid_);
  pid_ = -1;
  collectFailures(true);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  if (WIFSIGNALED(status)) {
    ADD_FAILURE() << "child " << name_ << " died of signal " << WTERMSIG(status);
  } else if (WEXITSTATUS(status) != 1) {  // 1: its failures were reported above
    ADD_FAILURE() << "child " << name_ << " exited with status " << WEXITSTATUS(status);
  }
  return false;
}

void ChildProcess::kill() {
  if (pid_ > 0) reap(/*killed=*/true);
}

void ChildProcess::reap(bool killed) {
  if (killed) ::kill(pid_, SIGKILL);
  int status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  unregisterChild(pid_);
  pid_ = -1;
  collectFailures(true);
}

Pipe::Pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return;
  }
  read_.reset(fds[0]);
  write_.reset(fds[1]);
}

void Pipe::send(uint64_t value) const {
  EXPECT_EQ(::write(write_.get(), &value, sizeof(value)), static_cast<ssize_t>(sizeof(value)))
      << "pipe write: " << std::strerror(errno);
}

std::optional<uint64_t> Pipe::receive(std::chrono::milliseconds timeout) const {
  pollfd pfd{read_.get(), POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return std::nullopt;
  uint64_t value;
  if (::read(read_.get(), &value, sizeof(value)) != static_cast<ssize_t>(sizeof(value))) {
    return std::nullopt;
  }
  return value;
}

bool waitUntilBlocked(pid_t pid, pid_t tid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string task = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid);
  while (Clock::now() < deadline) {
    // /proc/.../syscall starts with the number of the system call the thread sleeps in.
    std::ifstream syscallFile(task + "/syscall");
    std::string syscall;
    syscallFile >> syscall;
    std::ifstream statFile(task + "/stat");
    std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    char state = close != std::string::npos && close + 2 < stat.size() ? stat[close + 2] : '?';
    if (state == 'S' && syscall == std::to_string(SYS_ioctl)) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

void becomeUser(uid_t uid) {
  ASSERT_EQ(::setgroups(0, nullptr), 0) << std::strerror(errno);
  ASSERT_EQ(::setresgid(uid, uid, uid), 0) << std::strerror(errno);
  ASSERT_EQ(::setresuid(uid, uid, uid), 0) << std::strerror(errno);
}

}  // namespace binder_test
