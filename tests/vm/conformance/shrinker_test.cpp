// Buffer pages under memory pressure: pages a freed buffer used stay allocated (on the
// shrinker's list, "lru" in the "pages: active:lru:free" line) until the kernel asks the
// driver's shrinker for memory; then they go back (to "free") and a later transaction
// allocates them again, transparently. Memory pressure here is `echo 2 > drop_caches`, which
// runs every shrinker.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "binder_driver.h"
#include "child_process.h"
#include "debugfs_files.h"

namespace binder_test {
namespace {

constexpr size_t kPageSize = 4096;
constexpr size_t kCallSize = 256 * 1024;  // 64 pages of a 1 MiB mapping (256 pages)
constexpr long kMapPages = kDefaultMapSize / kPageSize;

std::vector<uint8_t> pattern(uint8_t seed) {
  std::vector<uint8_t> bytes(kCallSize);
  for (size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<uint8_t>(seed ^ (i * 31 + i / 4096));
  return bytes;
}

// A child calls the manager with DATA; the manager checks it arrived intact and frees it.
void transferAndCheck(BinderConnection& manager, const std::vector<uint8_t>& data) {
  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload().putBytes(data.data(), data.size()))),
              "BR_REPLY");
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.cmd, BR_TRANSACTION);
  EXPECT_TRUE(event.txn.data == data) << "the data arrived damaged";
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  client.wait();
}

void dropCaches() {
  std::ofstream file("/proc/sys/vm/drop_caches");
  file << "2\n";
  file.flush();
  ASSERT_TRUE(file.good()) << "cannot write /proc/sys/vm/drop_caches (root needed)";
}

TEST(Shrinker, FreedBufferPagesGoBackUnderPressureAndComeBackOnDemand) {
  BinderConnection manager = contextManager(kDefaultMapSize);
  transferAndCheck(manager, pattern(0x11));

  std::optional<PageCounts> used = pageCounts(getpid());
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(used->active + used->lru + used->free, kMapPages) << *used;
  EXPECT_GE(used->lru, static_cast<long>(kCallSize / kPageSize) - 1)
      << "the freed buffer's pages stay allocated until the shrinker asks; " << *used;

  dropCaches();
  std::optional<PageCounts> shrunk = pageCounts(getpid());
  ASSERT_TRUE(shrunk.has_value());
  EXPECT_EQ(shrunk->lru, 0) << "every unused page given back; " << *shrunk;
  EXPECT_EQ(shrunk->active, used->active) << *shrunk;
  EXPECT_EQ(shrunk->free, used->free + used->lru) << *shrunk;

  // The same range is allocated again, the pages faulted back in; the data must be whole.
  transferAndCheck(manager, pattern(0x77));
  std::optional<PageCounts> again = pageCounts(getpid());
  ASSERT_TRUE(again.has_value());
  EXPECT_GE(again->lru, static_cast<long>(kCallSize / kPageSize) - 1) << *again;
}

// Pages of a buffer still in use are not the shrinker's to take.
TEST(Shrinker, PagesOfABufferInUseStay) {
  BinderConnection manager = contextManager(kDefaultMapSize);
  const std::vector<uint8_t> data = pattern(0x42);
  ChildProcess client("client", [&] {
    BinderConnection connection;
    EXPECT_EQ(connection.write(CommandWriter().transaction(
                  0, 1, Payload().putBytes(data.data(), data.size()), TF_ONE_WAY)),
              0);
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  });
  client.wait();
  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.cmd, BR_TRANSACTION);

  std::optional<PageCounts> before = pageCounts(getpid());
  ASSERT_TRUE(before.has_value());
  EXPECT_GE(before->active, static_cast<long>(kCallSize / kPageSize)) << *before;
  dropCaches();
  std::optional<PageCounts> after = pageCounts(getpid());
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->active, before->active) << *after;
  EXPECT_EQ(manager.readMapped(event.txn.buffer(), data.size()), data)
      << "the buffer still reads back whole";
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer())), 0);
}

}  // namespace
}  // namespace binder_test
