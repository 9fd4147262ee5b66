// The mapping rules beyond read-only: one mapping per open, by the opener, of at most 4 MiB,
// and what transactions to a process without a mapping get.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

TEST(Mmap, SecondMappingOfTheSameOpenIsBusy) {
  BinderConnection connection;  // maps kDefaultMapSize
  errno = 0;
  void* second = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, connection.fd(), 0);
  EXPECT_EQ(second, MAP_FAILED);
  EXPECT_EQ(errno, EBUSY);
  if (second != MAP_FAILED) ::munmap(second, kDefaultMapSize);
}

TEST(Mmap, SecondMappingIsBusyEvenAfterTheFirstIsUnmapped) {
  BinderConnection connection(0);
  void* first = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, connection.fd(), 0);
  ASSERT_NE(first, MAP_FAILED) << std::strerror(errno);
  ASSERT_EQ(::munmap(first, kDefaultMapSize), 0);
  errno = 0;
  void* second = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, connection.fd(), 0);
  EXPECT_EQ(second, MAP_FAILED);
  EXPECT_EQ(errno, EBUSY);
  if (second != MAP_FAILED) ::munmap(second, kDefaultMapSize);
}

TEST(Mmap, OnlyTheOpeningProcessMayMap) {
  BinderConnection connection(0);
  ChildProcess child("child", [&] {
    errno = 0;
    void* map = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, connection.fd(), 0);
    EXPECT_EQ(map, MAP_FAILED);
    EXPECT_EQ(errno, EINVAL);
  });
  child.wait();
  void* map = ::mmap(nullptr, kDefaultMapSize, PROT_READ, MAP_PRIVATE, connection.fd(), 0);
  EXPECT_NE(map, MAP_FAILED) << "the opener still may: " << std::strerror(errno);
  if (map != MAP_FAILED) ::munmap(map, kDefaultMapSize);
}

// A larger mmap succeeds, but the driver uses only its first 4 MiB for buffers.
TEST(Mmap, LargeMappingIsClampedToFourMiB) {
  constexpr size_t kMapSize = 2 * kMaxMapSize;
  BinderConnection manager = contextManager(kMapSize);

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putZeros(kMaxMapSize + 8))),
              "BR_FAILED_REPLY");
    EXPECT_EQ(lastCommandName(connection.call(0, 2, Payload().putZeros(kMaxMapSize))), "BR_REPLY");
  });

  ReceivedTransaction txn = manager.serveOne();
  EXPECT_EQ(txn.tr.code, 2u);
  EXPECT_EQ(txn.tr.data_size, kMaxMapSize);
  EXPECT_EQ(txn.buffer(), userAddress(manager.map()));
  client.wait();
}

TEST(Mmap, CallToAProcessWithoutMappingIsDeadReply) {
  BinderConnection manager = contextManager(0);

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putU32(1))),
              std::vector<std::string>{"BR_DEAD_REPLY"});
    expectExtendedError(connection, BR_DEAD_REPLY, -ESRCH);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

}  // namespace
}  // namespace binder_test
