// bctest: the classic binder test CLI. Looks services up and publishes test objects through
// the service manager, commands chained in one invocation.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <binder/Binder.h>
#include <binder/BpBinder.h>
#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/ProcessState.h>
#include <fmt/format.h>

#include "tool_support.h"

namespace {

constexpr const char* kProg = "bctest";
constexpr const char* kUsage = R"(Usage: bctest [--device PATH] COMMAND...

The classic binder test client. Runs each COMMAND in order against the service manager:

  lookup NAME    look NAME up (CHECK_SERVICE) and print "lookup(NAME) = HANDLE", HANDLE
                 being this process's handle for it in hex, or 0 when NAME is not
                 registered
  publish NAME   register a new test object as NAME
  alt NAME       send the following commands to the service NAME instead of the
                 service manager (an alternative service manager)

After the commands, if anything was published, bctest keeps running and serving the
published objects until SIGINT or SIGTERM: their names stay registered while it lives.

Options:
  --device PATH  binder device (default /dev/binder)
  -h, --help     show this help

Exit status: 0 when every command worked; 1 when a lookup found nothing, a publish was
refused or the service manager could not be reached (the remaining commands still run);
2 on bad arguments.

Example:
  bctest publish my.test lookup my.test lookup nothing.here
)";

// The object `publish` registers: it answers pings and nothing else.
class TestToken : public android::BBinder {};

int usageError(const std::string& message) {
    std::fprintf(stderr, "bctest: %s\nTry 'bctest --help'.\n", message.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string device = "/dev/binder";
    std::vector<std::pair<std::string, std::string>> commands;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--device") {
            if (i + 1 >= argc) return usageError("--device needs a value");
            device = argv[++i];
        } else if (arg == "lookup" || arg == "publish" || arg == "alt") {
            if (i + 1 >= argc) return usageError(arg + " needs a NAME");
            commands.emplace_back(arg, argv[++i]);
        } else {
            return usageError("unknown command '" + arg + "'");
        }
    }
    if (commands.empty()) return usageError("no command given");

    // Signals are taken with sigwait() once serving; block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    android::sp<android::IServiceManager> sm = binder_tools::serviceManager(kProg, device);
    if (sm == nullptr) return 1;
    int status = 0;
    std::vector<android::sp<android::IBinder>> published;
    for (const auto& [command, name] : commands) {
        const android::String16 name16(name.c_str());
        if (command == "lookup") {
            android::sp<android::IBinder> binder = sm->checkService(name16);
            if (binder == nullptr) {
                std::printf("lookup(%s) = 0\n", name.c_str());
                status = 1;
            } else if (android::BpBinder* proxy = binder->remoteBinder()) {
                std::printf("lookup(%s) = %x\n", name.c_str(), static_cast<unsigned>(proxy->handle()));
            } else {
                std::printf("lookup(%s) = local object of this process\n", name.c_str());
            }
        } else if (command == "publish") {
            auto token = android::sp<TestToken>::make();
            const android::status_t result = sm->addService(name16, token);
            if (result != android::OK) {
                binder_tools::fail(kProg, fmt::format("publish({}) refused: {}", name,
                                                      android::statusToString(result)));
                status = 1;
            } else {
                std::printf("publish(%s) = ok\n", name.c_str());
                published.push_back(token);
            }
        } else {  // alt
            android::sp<android::IBinder> alt = sm->checkService(name16);
            if (alt == nullptr) {
                binder_tools::fail(kProg, fmt::format("cannot find alternative service manager '{}'", name));
                return 1;
            }
            sm = android::interface_cast<android::IServiceManager>(alt);
            std::fprintf(stderr, "bctest: service manager is now '%s'\n", name.c_str());
        }
        std::fflush(stdout);
    }
    if (!published.empty()) {
        std::fprintf(stderr, "bctest: serving %zu published object(s) until SIGINT or SIGTERM\n",
                     published.size());
        android::ProcessState::self()->startThreadPool();
        int signal = 0;
        sigwait(&signals, &signal);
    }
    return status;
}
