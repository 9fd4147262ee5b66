// Diagnostics for libbinder internals: one line per message on stderr, tagged "libbinder".
//
// Only for conditions a developer must hear about (malformed input, API misuse); never on a
// path that succeeds. fatal() is for broken invariants that would otherwise corrupt memory,
// the cases where AOSP uses LOG_ALWAYS_FATAL.
#pragma once

#include <fmt/format.h>

namespace android::internal {

enum class LogLevel { Warning, Error };

void logMessage(LogLevel level, fmt::string_view message);
[[noreturn]] void logFatal(fmt::string_view message);

template <typename... Args>
void logWarning(fmt::format_string<Args...> format, Args&&... args) {
    logMessage(LogLevel::Warning, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void logError(fmt::format_string<Args...> format, Args&&... args) {
    logMessage(LogLevel::Error, fmt::format(format, std::forward<Args>(args)...));
}

// Logs and aborts the process.
template <typename... Args>
[[noreturn]] void fatal(fmt::format_string<Args...> format, Args&&... args) {
    logFatal(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace android::internal
