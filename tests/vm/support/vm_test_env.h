// What a VM test needs to know about the guest it runs in: which binder driver tools/vm/run
// loaded, where its device node is, and how to skip a test the loaded driver cannot pass
// because it lacks the feature (never to hide a failure).
#pragma once

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace binder_test {

// "lite", "reference" or "none", from BINDER_DRIVER (set by tools/vm/run).
inline std::string driverName() {
  const char* name = std::getenv("BINDER_DRIVER");
  return name != nullptr ? name : "none";
}

// The device node to test, from BINDER_DEVICE (default /dev/binder).
inline std::string devicePath() {
  const char* path = std::getenv("BINDER_DEVICE");
  return path != nullptr && *path != '\0' ? path : "/dev/binder";
}

inline bool isReferenceDriver() { return driverName() == "reference"; }

}  // namespace binder_test

// Skip the current test on the upstream driver, which lacks what it checks; WHY says what.
#define SKIP_ON_REFERENCE(why)                                                  \
  do {                                                                          \
    if (::binder_test::isReferenceDriver()) GTEST_SKIP() << "reference driver: " << (why); \
  } while (0)
