// Reading the driver's debugfs text files (ours in binder_lite/, upstream's in binder/, same
// formats) for the debugfs and shrinker tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "driver_stats.h"

namespace binder_test {

// The whole file; empty (and a test failure when REQUIRED) when it cannot be opened or read.
// A debugfs file removed while it is read fails the read (EIO): a proc/PID file does that
// when its process closes the device.
inline std::string readDebugfsFile(const std::string& path, bool required = true) {
  std::ifstream file(path);
  if (!file.good()) {
    if (required) ADD_FAILURE() << "cannot open " << path;
    return {};
  }
  try {
    return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure& error) {
    if (required) ADD_FAILURE() << "cannot read " << path << ": " << error.what();
    return {};
  }
}

// The per-process state file: <debugfs>/proc/PID.
inline std::string procStatePath(pid_t pid) {
  return driverDebugfsDir() + "/proc/" + std::to_string(pid);
}

// A process's buffer pages as upstream's binder_alloc_print_pages() counts them, in its
// "  pages: ACTIVE:LRU:FREE" line: in use by a buffer, unused but still held (on the
// shrinker's list), and not allocated.
struct PageCounts {
  long active = 0;
  long lru = 0;
  long free = 0;
};

inline std::ostream& operator<<(std::ostream& out, const PageCounts& pages) {
  return out << pages.active << ":" << pages.lru << ":" << pages.free;
}

// The pages line of process PID's section ("proc PID" up to the next "proc ") in TEXT.
inline std::optional<PageCounts> parsePageCounts(const std::string& text, pid_t pid) {
  std::istringstream lines(text);
  bool inSection = false;
  const std::string header = "proc " + std::to_string(pid);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("proc ")) inSection = line == header;
    PageCounts pages;
    if (inSection && std::sscanf(line.c_str(), "  pages: %ld:%ld:%ld", &pages.active, &pages.lru,
                                 &pages.free) == 3) {
      return pages;
    }
  }
  return std::nullopt;
}

// Process PID's page counts, from the per-process section of the stats file (upstream prints
// the pages line there, not in proc/PID); a test failure and nullopt when there is none.
inline std::optional<PageCounts> pageCounts(pid_t pid) {
  const std::string stats = readDebugfsFile(driverDebugfsDir() + "/stats");
  std::optional<PageCounts> pages = parsePageCounts(stats, pid);
  if (!pages) ADD_FAILURE() << "no \"  pages: A:L:F\" line for proc " << pid << " in:\n" << stats;
  return pages;
}

}  // namespace binder_test
