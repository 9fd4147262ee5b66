#include "tool_support.h"

#include <cstdio>
#include <cstring>

#include <binder/ProcessState.h>
#include <fmt/format.h>

namespace binder_tools {

int fail(const std::string& prog, const std::string& message) {
    std::fprintf(stderr, "%s: %s\n", prog.c_str(), message.c_str());
    return 1;
}

android::sp<android::ProcessState> openDevice(const std::string& prog, const std::string& device) {
    android::sp<android::ProcessState> process = android::ProcessState::initWithDriver(device.c_str());
    if (process == nullptr || !process->isValid()) {
        fail(prog, fmt::format("cannot use the binder device {}", device));
        return nullptr;
    }
    return process;
}

android::sp<android::IServiceManager> serviceManager(const std::string& prog,
                                                     const std::string& device) {
    android::sp<android::ProcessState> process = openDevice(prog, device);
    if (process == nullptr) return nullptr;
    android::sp<android::IBinder> context = process->getContextObject(nullptr);
    if (context == nullptr) {
        fail(prog, fmt::format("no service manager is running on {}", device));
        return nullptr;
    }
    return android::interface_cast<android::IServiceManager>(context);
}

std::string dumpParcel(const android::Parcel& parcel) {
    std::string out = "Parcel(";
    const uint8_t* data = parcel.data();
    const size_t size = parcel.dataSize();
    if (size == 0) return out + "NULL)";
    for (size_t line = 0; line < size; line += 16) {
        out += fmt::format("\n  0x{:08x}: ", line);
        std::string text;
        for (size_t word = line; word < line + 16; word += 4) {
            if (word >= size) {
                out += "         ";
                continue;
            }
            uint32_t value = 0;
            std::memcpy(&value, data + word, std::min<size_t>(4, size - word));
            out += fmt::format("{:08x} ", value);
            for (size_t i = word; i < word + 4 && i < size; ++i) {
                text += (data[i] >= 0x20 && data[i] < 0x7f) ? static_cast<char>(data[i]) : '.';
            }
        }
        out += "'" + text + "'";
    }
    return out + ")";
}

}  // namespace binder_tools
