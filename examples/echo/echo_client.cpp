// echo_client: looks the IEcho service up by name and echoes each argument through it.
#include <cstdio>
#include <string>
#include <vector>

#include <binder/IServiceManager.h>
#include <binder/ProcessState.h>
#include <utils/String8.h>

#include "IEcho.h"

namespace {

void usage(FILE* out) {
    std::fputs(
            "Usage: echo_client [--device PATH] [--name NAME] MESSAGE...\n"
            "\n"
            "Find the IEcho service NAME (default example.echo) through the service\n"
            "manager, send each MESSAGE and print the answer, then the service's call\n"
            "count. Exits 1 if the service cannot be found or a call fails.\n"
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
    std::vector<std::string> messages;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--device" || arg == "--name") && i + 1 < argc) {
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
    return 0;
}
