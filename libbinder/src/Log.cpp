#include "Log.h"

#include <cstdio>
#include <cstdlib>

namespace android::internal {

void logMessage(LogLevel level, fmt::string_view message) {
    // One fmt::print call per line keeps lines from concurrent threads whole.
    fmt::print(stderr, "{} libbinder: {}\n", level == LogLevel::Warning ? 'W' : 'E', message);
}

void logFatal(fmt::string_view message) {
    fmt::print(stderr, "F libbinder: {}\n", message);
    std::abort();
}

}  // namespace android::internal
