// echo_service: registers an IEcho service with the service manager and serves it.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/ProcessState.h>
#include <utils/String8.h>

#include "IEcho.h"

namespace {

class EchoService : public example::BnEcho {
public:
    android::status_t echo(const android::String16& message, android::String16* reply) override {
        ++mCalls;
        *reply = message;
        return android::OK;
    }
    android::status_t callCount(int64_t* count) override {
        *count = mCalls.load();
        return android::OK;
    }

private:
    std::atomic<int64_t> mCalls{0};
};

void usage(FILE* out) {
    std::fputs(
            "Usage: echo_service [--device PATH] [--name NAME]\n"
            "\n"
            "Register an example IEcho service with the service manager under NAME\n"
            "(default example.echo) and serve calls until killed.\n"
            "\n"
            "  --device PATH  binder device (default /dev/binder)\n"
            "  --name NAME    service name (default example.echo)\n"
            "  -h, --help     show this help\n",
            out);
}

}  // namespace

int main(int argc, char** argv) {
    std::string device = "/dev/binder";
    std::string name = "example.echo";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--device" || arg == "--name") && i + 1 < argc) {
            (arg == "--device" ? device : name) = argv[++i];
        } else if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else {
            std::fprintf(stderr, "echo_service: unknown argument '%s'\n", arg.c_str());
            usage(stderr);
            return 2;
        }
    }
    android::sp<android::ProcessState> process = android::ProcessState::initWithDriver(device.c_str());
    if (process == nullptr || !process->isValid()) {
        std::fprintf(stderr, "echo_service: cannot use %s\n", device.c_str());
        return 1;
    }
    android::sp<android::IServiceManager> sm = android::defaultServiceManager();
    if (sm == nullptr) {
        std::fprintf(stderr, "echo_service: no service manager on %s\n", device.c_str());
        return 1;
    }
    const android::status_t status =
            sm->addService(android::String16(name.c_str()), android::sp<EchoService>::make());
    if (status != android::OK) {
        std::fprintf(stderr, "echo_service: cannot register '%s': %s\n", name.c_str(),
                     android::statusToString(status).c_str());
        return 1;
    }
    std::printf("echo_service: serving '%s' (pid %d)\n", name.c_str(), getpid());
    std::fflush(stdout);
    process->startThreadPool();
    android::IPCThreadState::self()->joinThreadPool(true);
    return 0;
}
