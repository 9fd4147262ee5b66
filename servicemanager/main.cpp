// servicemanager: the binder context manager daemon. See --help and ServiceManager.h.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <binder/IPCThreadState.h>
#include <binder/ProcessState.h>

#include "Logger.h"
#include "Policy.h"
#include "ServiceManager.h"

namespace {

using servicemanager::logError;
using servicemanager::logInfo;

constexpr const char* kUsage = R"(Usage: servicemanager [OPTIONS]

The binder context manager: owns handle 0 on a binder device and maps service names to
binder objects for every process that opens the device. It speaks the classic protocol
(GET_SERVICE=1, CHECK_SERVICE=2, ADD_SERVICE=3, LIST_SERVICES=4, interface
"android.os.IServiceManager"), so libbinder's defaultServiceManager() and AOSP's bctest
work with it.

Registration policy: root may register any name; another user may register a name unless
a different user holds it now. --policy adds per-name restrictions (format below). Callers
are identified by the uid the driver reports. Service names are 1 to 127 characters from
[A-Za-z0-9._-/@]. When a registered service's process dies, its names are dropped.

Options:
  --device PATH   binder device (default /dev/binder)
  --policy FILE   registration policy file (by convention /etc/binder-lite/servicemanager.policy)
  --syslog        log to syslog (facility daemon) instead of stderr
  -h, --help      show this help

Policy file: one rule per line, '#' starts a comment:
  NAME-OR-PREFIX  PRINCIPAL [PRINCIPAL...]
NAME-OR-PREFIX is a service name or a prefix ending in '*'; PRINCIPAL is uid:N,
user:NAME, gid:N, group:NAME or '*'. The first rule whose name matches decides who
(besides root) may register it; names no rule matches follow the default policy.
Example:
  vendor.camera*   group:camera
  example.echo     user:alice uid:1001

Exit status: 0 after SIGTERM or SIGINT, 1 if the device cannot be used or another
context manager is running, 2 on bad arguments.
)";

int usageError(const std::string& message) {
    std::fprintf(stderr, "servicemanager: %s\nTry 'servicemanager --help'.\n", message.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string device = "/dev/binder";
    std::string policyPath;
    bool useSyslog = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (arg == "--syslog") {
            useSyslog = true;
        } else if (arg == "--device" || arg == "--policy") {
            if (i + 1 >= argc) return usageError(arg + " needs a value");
            (arg == "--device" ? device : policyPath) = argv[++i];
        } else {
            return usageError("unknown argument '" + arg + "'");
        }
    }
    if (useSyslog) servicemanager::setLogSink(servicemanager::LogSink::Syslog);

    servicemanager::Policy policy;
    if (!policyPath.empty()) {
        std::string error;
        std::optional<servicemanager::Policy> loaded = servicemanager::Policy::load(policyPath, &error);
        if (!loaded) {
            logError("bad policy file: {}", error);
            return 1;
        }
        policy = std::move(*loaded);
        logInfo("policy {}: {} rule(s)", policyPath, policy.ruleCount());
    }

    // SIGTERM and SIGINT arrive through a signalfd polled beside the driver.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    const int signalFd = signalfd(-1, &signals, SFD_CLOEXEC);
    if (signalFd < 0) {
        logError("signalfd: {}", std::strerror(errno));
        return 1;
    }

    android::sp<android::ProcessState> process = android::ProcessState::initWithDriver(device.c_str());
    if (process == nullptr || !process->isValid()) {
        logError("cannot use {}", device);
        return 1;
    }
    auto manager = android::sp<servicemanager::ServiceManager>::make(std::move(policy));
    if (!process->becomeContextManager(manager)) {
        logError("cannot become the context manager of {} (is another one running?)", device);
        return 1;
    }
    int binderFd = -1;
    if (android::IPCThreadState::self()->setupPolling(&binderFd) != android::OK) {
        logError("cannot poll {}", device);
        return 1;
    }
    logInfo("context manager of {} (pid {})", device, getpid());

    pollfd fds[2] = {{binderFd, POLLIN, 0}, {signalFd, POLLIN, 0}};
    while (true) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            logError("poll: {}", std::strerror(errno));
            return 1;
        }
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo info{};
            if (read(signalFd, &info, sizeof(info)) == sizeof(info)) {
                logInfo("{} received, shutting down with {} service(s) registered",
                        strsignal(static_cast<int>(info.ssi_signo)), manager->serviceCount());
            }
            return 0;
        }
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            logError("{} failed (poll events {:#x})", device, fds[0].revents);
            return 1;
        }
        if (fds[0].revents & POLLIN) android::IPCThreadState::self()->handlePolledCommands();
    }
}
