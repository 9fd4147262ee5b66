// binder-service: inspect and call services registered with the service manager.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <binder/IServiceManager.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <fmt/format.h>
#include <utils/String8.h>

#include "tool_support.h"

namespace {

constexpr const char* kProg = "binder-service";
constexpr const char* kUsage = R"(Usage: binder-service [--device PATH] COMMAND

Inspect and call binder services through the service manager.

Commands:
  list                 list the registered services with their interface descriptors
  check NAME           say whether NAME is registered (exit 1 if not)
  ping NAME            send PING_TRANSACTION to NAME and report the round-trip time
  call NAME CODE [ARG...]
                       send transaction CODE (decimal or 0x hex) to NAME and print the
                       reply Parcel. The request starts with NAME's interface token when
                       the service reports a descriptor, then each ARG in order:
                         i32 N     a 32-bit integer
                         i64 N     a 64-bit integer
                         f N       a float
                         d N       a double
                         s16 STR   a string as UTF-16 (String16)
                         null      a null binder
                         fd FILE   a file descriptor for FILE, opened read-only
                         nfd N     this process's file descriptor N
                       With --oneway the call is one-way and nothing is printed.

Options:
  --device PATH  binder device (default /dev/binder)
  --oneway       (call) send a one-way transaction
  -h, --help     show this help

Exit status: 0 on success; 1 when the service is not found or a transaction fails
(the status is printed); 2 on bad arguments.
)";

int usageError(const std::string& message) {
    std::fprintf(stderr, "binder-service: %s\nTry 'binder-service --help'.\n", message.c_str());
    return 2;
}

template <typename T>
bool parseNumber(const std::string& text, T* value) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    int base = 10;
    if constexpr (std::is_integral_v<T>) {
        if (text.starts_with("0x") || text.starts_with("0X")) {
            begin += 2;
            base = 16;
        }
        auto [ptr, ec] = std::from_chars(begin, end, *value, base);
        return ec == std::errc() && ptr == end && begin != end;
    } else {
        auto [ptr, ec] = std::from_chars(begin, end, *value);
        return ec == std::errc() && ptr == end && begin != end;
    }
}

// Appends the ARGs of `call` to |data|; on error says which and returns false.
bool writeArguments(const std::vector<std::string>& args, android::Parcel* data,
                    std::vector<int>* openedFds) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& type = args[i];
        if (type == "null") {
            if (data->writeStrongBinder(nullptr) != android::OK) return false;
            continue;
        }
        if (i + 1 >= args.size()) {
            usageError("argument type '" + type + "' needs a value");
            return false;
        }
        const std::string& value = args[++i];
        android::status_t status = android::BAD_VALUE;
        bool parsed = true;
        if (type == "i32") {
            int32_t v = 0;
            parsed = parseNumber(value, &v);
            if (parsed) status = data->writeInt32(v);
        } else if (type == "i64") {
            int64_t v = 0;
            parsed = parseNumber(value, &v);
            if (parsed) status = data->writeInt64(v);
        } else if (type == "f") {
            float v = 0;
            parsed = parseNumber(value, &v);
            if (parsed) status = data->writeFloat(v);
        } else if (type == "d") {
            double v = 0;
            parsed = parseNumber(value, &v);
            if (parsed) status = data->writeDouble(v);
        } else if (type == "s16") {
            status = data->writeString16(android::String16(value.c_str()));
        } else if (type == "fd") {
            const int fd = ::open(value.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                binder_tools::fail(kProg, fmt::format("cannot open {}: {}", value, std::strerror(errno)));
                return false;
            }
            openedFds->push_back(fd);
            status = data->writeFileDescriptor(fd);
        } else if (type == "nfd") {
            int32_t fd = -1;
            parsed = parseNumber(value, &fd) && fd >= 0;
            if (parsed) status = data->writeFileDescriptor(fd);
        } else {
            usageError("unknown argument type '" + type + "'");
            return false;
        }
        if (!parsed) {
            usageError("'" + value + "' is not a valid " + type);
            return false;
        }
        if (status != android::OK) {
            binder_tools::fail(kProg, fmt::format("cannot write {} {}: {}", type, value,
                                                  android::statusToString(status)));
            return false;
        }
    }
    return true;
}

android::sp<android::IBinder> findService(const android::sp<android::IServiceManager>& sm,
                                          const std::string& name) {
    android::sp<android::IBinder> service = sm->checkService(android::String16(name.c_str()));
    if (service == nullptr) binder_tools::fail(kProg, fmt::format("service '{}' not found", name));
    return service;
}

int list(const android::sp<android::IServiceManager>& sm) {
    const std::vector<android::String16> names = sm->listServices();
    std::printf("Found %zu services:\n", names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        android::sp<android::IBinder> service = sm->checkService(names[i]);
        const std::string descriptor =
                service != nullptr ? android::String8(service->getInterfaceDescriptor()).c_str() : "";
        std::printf("%zu\t%s: [%s]\n", i, android::String8(names[i]).c_str(), descriptor.c_str());
    }
    return 0;
}

int call(const android::sp<android::IServiceManager>& sm, const std::vector<std::string>& args,
         bool oneway) {
    uint32_t code = 0;
    if (!parseNumber(args[1], &code)) return usageError("'" + args[1] + "' is not a transaction code");
    android::sp<android::IBinder> service = findService(sm, args[0]);
    if (service == nullptr) return 1;
    android::Parcel data;
    const android::String16& descriptor = service->getInterfaceDescriptor();
    if (descriptor.size() > 0 && data.writeInterfaceToken(descriptor) != android::OK) {
        return binder_tools::fail(kProg, "cannot write the interface token");
    }
    std::vector<int> openedFds;
    const bool written = writeArguments({args.begin() + 2, args.end()}, &data, &openedFds);
    if (!written) {
        for (int fd : openedFds) ::close(fd);
        return 2;
    }
    android::Parcel reply;
    const android::status_t status =
            service->transact(code, data, oneway ? nullptr : &reply,
                              oneway ? uint32_t{android::IBinder::FLAG_ONEWAY} : uint32_t{0});
    for (int fd : openedFds) ::close(fd);
    if (status != android::OK) {
        return binder_tools::fail(kProg, fmt::format("transaction failed: {}",
                                                     android::statusToString(status)));
    }
    if (!oneway) std::printf("Result: %s\n", binder_tools::dumpParcel(reply).c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string device = "/dev/binder";
    bool oneway = false;
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (arg == "--device") {
            if (i + 1 >= argc) return usageError("--device needs a value");
            device = argv[++i];
        } else if (arg == "--oneway") {
            oneway = true;
        } else {
            args.push_back(arg);
        }
    }
    if (args.empty()) return usageError("no command given");
    const std::string command = args[0];
    args.erase(args.begin());
    if (command != "list" && command != "check" && command != "ping" && command != "call") {
        return usageError("unknown command '" + command + "'");
    }
    const bool arityOk = command == "list"   ? args.empty()
                         : command == "call" ? args.size() >= 2
                                             : args.size() == 1;
    if (!arityOk) return usageError(command + ": wrong number of arguments");

    android::sp<android::IServiceManager> sm = binder_tools::serviceManager(kProg, device);
    if (sm == nullptr) return 1;
    if (command == "list") return list(sm);
    if (command == "call") return call(sm, args, oneway);
    android::sp<android::IBinder> service = findService(sm, args[0]);
    if (service == nullptr) return 1;
    if (command == "check") {
        std::printf("Service %s: found\n", args[0].c_str());
        return 0;
    }
    const auto start = std::chrono::steady_clock::now();
    const android::status_t status = service->pingBinder();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - start).count();
    if (status != android::OK) {
        return binder_tools::fail(kProg, fmt::format("ping {}: {}", args[0],
                                                     android::statusToString(status)));
    }
    std::printf("%s: alive (%lld us)\n", args[0].c_str(), static_cast<long long>(micros));
    return 0;
}
