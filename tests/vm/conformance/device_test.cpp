// The device itself: it opens, reports the UAPI's protocol version, and enforces the mmap
// rules every binder driver has (read-only mappings only).
#include <fcntl.h>
#include <linux/android/binder.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "unique_fd.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

constexpr size_t kMapSize = 1024 * 1024;

UniqueFd openDevice() {
  UniqueFd fd(::open(devicePath().c_str(), O_RDWR | O_CLOEXEC));
  EXPECT_TRUE(fd.ok()) << "open(" << devicePath() << "): " << std::strerror(errno);
  return fd;
}

TEST(Device, Opens) {
  UniqueFd fd = openDevice();
  EXPECT_TRUE(fd.ok());
}

TEST(Device, VersionIsTheUapiProtocolVersion) {
  UniqueFd fd = openDevice();
  ASSERT_TRUE(fd.ok());
  binder_version version{};
  ASSERT_EQ(::ioctl(fd.get(), BINDER_VERSION, &version), 0) << std::strerror(errno);
  EXPECT_EQ(version.protocol_version, BINDER_CURRENT_PROTOCOL_VERSION);
  EXPECT_EQ(version.protocol_version, 8);
}

TEST(Device, ReadOnlyMmapSucceeds) {
  UniqueFd fd = openDevice();
  ASSERT_TRUE(fd.ok());
  void* map = ::mmap(nullptr, kMapSize, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  ASSERT_NE(map, MAP_FAILED) << std::strerror(errno);
  EXPECT_EQ(::munmap(map, kMapSize), 0);
}

TEST(Device, WritableMmapIsRefusedWithEperm) {
  UniqueFd fd = openDevice();
  ASSERT_TRUE(fd.ok());
  errno = 0;
  void* map = ::mmap(nullptr, kMapSize, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd.get(), 0);
  EXPECT_EQ(map, MAP_FAILED);
  EXPECT_EQ(errno, EPERM);
  if (map != MAP_FAILED) ::munmap(map, kMapSize);
}

TEST(Device, ReadOnlyMappingCannotBeMadeWritable) {
  UniqueFd fd = openDevice();
  ASSERT_TRUE(fd.ok());
  void* map = ::mmap(nullptr, kMapSize, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  ASSERT_NE(map, MAP_FAILED) << std::strerror(errno);
  errno = 0;
  EXPECT_NE(::mprotect(map, kMapSize, PROT_READ | PROT_WRITE), 0);
  EXPECT_EQ(errno, EACCES);
  ::munmap(map, kMapSize);
}

}  // namespace
}  // namespace binder_test
