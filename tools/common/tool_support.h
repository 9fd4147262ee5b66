// What the command-line tools share: the device option, reaching the service manager without
// waiting forever, and printing errors the same way.
#pragma once

#include <string>

#include <binder/IServiceManager.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>

namespace binder_tools {

// Prints "PROG: MESSAGE" to stderr and returns 1 (the tools' failure status).
int fail(const std::string& prog, const std::string& message);

// Opens |device| for this process; on failure prints why and returns nullptr.
android::sp<android::ProcessState> openDevice(const std::string& prog, const std::string& device);

// The service manager at handle 0 of the opened device, or nullptr (with a message) when no
// context manager is running. Never waits.
android::sp<android::IServiceManager> serviceManager(const std::string& prog,
                                                     const std::string& device);

// A Parcel's bytes as AOSP's Parcel::print shows them: 16 bytes a line, as four
// little-endian words and their printable characters.
std::string dumpParcel(const android::Parcel& parcel);

}  // namespace binder_tools
