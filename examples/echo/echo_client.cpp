// echo_client: looks the IEcho service up by name and echoes each argument through it.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include <binder/IServiceManager.h>
#include <binder/ProcessState.h>
#include <utils/String8.h>

#include "IEcho.h"

namespace {

// Tells waitForDeath() when the service's process is gone.
class DeathWatcher : public android::IBinder::DeathRecipient {
public:
    void binderDied(const android::wp<android::IBinder>& /*who*/) override {
        std::lock_guard lock(mMutex);
        mDied = true;
        mChanged.notify_all();
    }
    bool waitForDeath(std::chrono::seconds timeout) {
        std::unique_lock lock(mMutex);
        return mChanged.wait_for(lock, timeout, [this] { return mDied; });
    }

private:
    std::mutex mMutex;
    std::condition_variable mChanged;
    bool mDied = false;
};

void usage(FILE* out) {
    std::fputs(
            "Usage: echo_client [--device PATH] [--name NAME] [--wait-for-death] MESSAGE...\n"
            "\n"
            "Find the IEcho service NAME (default example.echo) through the service\n"
            "manager, send each MESSAGE and print the answer, then the service's call\n"
            "count. Exits 1 if the service cannot be found or a call fails.\n"
            "\n"
            "  --device PATH       binder device (default /dev/binder)\n"
            "  --name NAME         service name (default example.echo)\n"
            "  --wait-for-death    then wait (up to 60 s) for the service's process to die,\n"
            "                      told by a death notification (linkToDeath)\n"
            "  -h, --help     show this help\n",
            out);
}

}  // namespace

int main(int argc, char** argv) {
    std::string device = "/dev/binder";
    std::string name = "example.echo";
    std::vector<std::string> messages;
    bool waitForDeath = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--wait-for-death") {
            waitForDeath = true;
        } else if ((arg == "--device" || arg == "--name") && i + 1 < argc) {
            (arg == "--device" ? device : name) = argv[++i];
        } else if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else if (!arg.empty() && arg[0] == '-') {
            std::fprintf(stderr, "echo_client: unknown option '%s'\n", arg.c_str());
            usage(stderr);
            return 2;
        } else {
            messages.push_back(arg);
        }
    }
    if (messages.empty()) {
        usage(stderr);
        return 2;
    }
    android::sp<android::ProcessState> process = android::ProcessState::initWithDriver(device.c_str());
    if (process == nullptr || !process->isValid()) {
        std::fprintf(stderr, "echo_client: cannot use %s\n", device.c_str());
        return 1;
    }
    android::sp<example::IEcho> echo;
    if (android::getService(android::String16(name.c_str()), &echo) != android::OK) {
        std::fprintf(stderr, "echo_client: no service '%s'\n", name.c_str());
        return 1;
    }
    for (const std::string& message : messages) {
        android::String16 answer;
        const android::status_t status = echo->echo(android::String16(message.c_str()), &answer);
        if (status != android::OK) {
            std::fprintf(stderr, "echo_client: echo failed: %s\n",
                         android::statusToString(status).c_str());
            return 1;
        }
        std::printf("echo(\"%s\") = \"%s\"\n", message.c_str(), android::String8(answer).c_str());
    }
    int64_t count = 0;
    if (echo->callCount(&count) != android::OK) {
        std::fprintf(stderr, "echo_client: callCount failed\n");
        return 1;
    }
    std::printf("the service has served %lld echo calls\n", static_cast<long long>(count));
    if (!waitForDeath) return 0;

    // Death notifications arrive on a binder thread.
    process->startThreadPool();
    auto watcher = android::sp<DeathWatcher>::make();
    const android::sp<android::IBinder> binder = android::IInterface::asBinder(echo);
    if (binder->linkToDeath(watcher) != android::OK) {
        std::fprintf(stderr, "echo_client: linkToDeath failed\n");
        return 1;
    }
    std::printf("waiting for '%s' to die\n", name.c_str());
    std::fflush(stdout);
    if (!watcher->waitForDeath(std::chrono::seconds(60))) {
        std::fprintf(stderr, "echo_client: no death notification within 60 s\n");
        return 1;
    }
    std::printf("binderDied: '%s' is gone\n", name.c_str());
    return 0;
}
