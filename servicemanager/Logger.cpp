#include "Logger.h"

#include <syslog.h>

#include <cstdio>
#include <string>

namespace servicemanager {
namespace {

LogSink gSink = LogSink::Stderr;

}  // namespace

void setLogSink(LogSink sink) {
    gSink = sink;
    if (sink == LogSink::Syslog) openlog("servicemanager", LOG_PID, LOG_DAEMON);
}

void logLine(Severity severity, fmt::string_view message) {
    if (gSink == LogSink::Syslog) {
        const int priority = severity == Severity::Error     ? LOG_ERR
                             : severity == Severity::Warning ? LOG_WARNING
                                                             : LOG_INFO;
        syslog(priority, "%.*s", static_cast<int>(message.size()), message.data());
        return;
    }
    const char* tag = severity == Severity::Error     ? "error: "
                      : severity == Severity::Warning ? "warning: "
                                                      : "";
    fmt::print(stderr, "servicemanager: {}{}\n", tag, message);
    std::fflush(stderr);
}

}  // namespace servicemanager
