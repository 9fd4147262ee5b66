// The daemon's log: one line per event, to stderr (default) or syslog (--syslog).
#pragma once

#include <fmt/format.h>

namespace servicemanager {

enum class LogSink { Stderr, Syslog };
enum class Severity { Info, Warning, Error };

void setLogSink(LogSink sink);
void logLine(Severity severity, fmt::string_view message);

template <typename... Args>
void logInfo(fmt::format_string<Args...> format, Args&&... args) {
    logLine(Severity::Info, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void logWarning(fmt::format_string<Args...> format, Args&&... args) {
    logLine(Severity::Warning, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void logError(fmt::format_string<Args...> format, Args&&... args) {
    logLine(Severity::Error, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace servicemanager
