#include "robustness_util.h"

#include <dirent.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace binder_robustness {

uint64_t mixSeed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + (stream + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  for (int i = 0; i < 4; ++i) state_[i] = mixSeed(seed, static_cast<uint64_t>(i));
}

uint64_t Rng::next() {
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  const uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "(unreadable: " + std::string(std::strerror(errno)) + ")";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

void reportThreads(pid_t pid, const std::string& why) {
  const std::string base = "/proc/" + std::to_string(pid);
  std::fprintf(stderr, "---- process %d (%s): %s\n", pid, trimmed(readFile(base + "/comm")).c_str(),
               why.c_str());
  DIR* tasks = ::opendir((base + "/task").c_str());
  if (tasks == nullptr) {
    std::fprintf(stderr, "  (no /proc entry: the process is gone)\n");
    return;
  }
  while (dirent* entry = ::readdir(tasks)) {
    if (entry->d_name[0] == '.') continue;
    const std::string task = base + "/task/" + entry->d_name;
    std::string stat = readFile(task + "/stat");
    size_t close = stat.rfind(')');
    char state = close != std::string::npos && close + 2 < stat.size() ? stat[close + 2] : '?';
    std::fprintf(stderr, "  thread %s (%s) state %c wchan %s\n", entry->d_name,
                 trimmed(readFile(task + "/comm")).c_str(), state,
                 trimmed(readFile(task + "/wchan")).c_str());
    std::istringstream stack(readFile(task + "/stack"));
    for (std::string line; std::getline(stack, line);)
      std::fprintf(stderr, "    %s\n", line.c_str());
  }
  ::closedir(tasks);
}

std::string driverDebugfsDir() {
  const char* driver = std::getenv("BINDER_DRIVER");
  const bool reference = driver != nullptr && std::strcmp(driver, "reference") == 0;
  return std::string("/sys/kernel/debug/") + (reference ? "binder" : "binder_lite");
}

void reportDriverView(pid_t pid) {
  // state, not proc/PID: that file goes with the first file the process opened.
  const std::string state = driverDebugfsDir() + "/state";
  std::fprintf(stderr, "---- %s, the sections of process %d:\n", state.c_str(), pid);
  std::istringstream lines(readFile(state));
  const std::string header = "proc " + std::to_string(pid);
  bool inSection = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("proc ") || line.starts_with("dead nodes")) inSection = line == header;
    if (inSection) std::fprintf(stderr, "%s\n", line.c_str());
  }
  const std::string maps = "/proc/" + std::to_string(pid) + "/maps";
  std::fprintf(stderr, "---- %s\n%s", maps.c_str(), readFile(maps).c_str());
}

std::optional<std::map<std::string, long>> liveDriverObjects(std::string* error) {
  const std::string path = driverDebugfsDir() + "/stats";
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::map<std::string, long> live;
  // The global section ends where the per-process sections ("proc PID") start.
  for (std::string line; std::getline(in, line) && line.rfind("proc ", 0) != 0;) {
    std::istringstream words(line);
    std::string kind, active, total;
    long count = 0;
    if (words >> kind >> active >> count >> total && active == "active" && total == "total" &&
        kind.size() > 1 && kind.back() == ':') {
      live[kind.substr(0, kind.size() - 1)] = count;
    }
  }
  return live;
}

bool waitForIdleDriver(std::chrono::milliseconds timeout, const char* program) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string error;
    std::optional<std::map<std::string, long>> live = liveDriverObjects(&error);
    if (!live) {
      std::fprintf(stderr, "%s: %s\n", program, error.c_str());
      return false;
    }
    std::string left;
    for (const auto& [kind, count] : *live) {
      if (count != 0) left += " " + kind + "=" + std::to_string(count);
    }
    if (left.empty()) return true;
    if (std::chrono::steady_clock::now() >= deadline) {
      std::fprintf(stderr, "%s: live driver objects left after every process ended:%s\n", program,
                   left.c_str());
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::optional<uint64_t> parseNumber(const std::string& text) {
  if (text.empty() || text[0] == '-') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text.c_str(), &end, 0);
  if (errno != 0 || end == text.c_str() || *end != '\0') return std::nullopt;
  return value;
}

void usageError(const char* program, const std::string& message) {
  std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", program, message.c_str(), program);
  std::exit(2);
}

long numberArgument(const char* program, const std::string& option, const char* value, long min,
                    long max) {
  if (value == nullptr) usageError(program, option + " needs a value");
  std::optional<uint64_t> number = parseNumber(value);
  if (!number || *number < static_cast<uint64_t>(min) || *number > static_cast<uint64_t>(max)) {
    usageError(program, option + ": expected a number from " + std::to_string(min) + " to " +
                            std::to_string(max) + ", got '" + value + "'");
  }
  return static_cast<long>(*number);
}

}  // namespace binder_robustness
