// Scatter-gather transactions (BC_TRANSACTION_SG, BC_REPLY_SG): BINDER_TYPE_PTR objects name
// buffers in the sender's memory that the driver copies into extra space after the offsets
// array of the receiver's buffer, 8-byte aligned, in object order; a buffer with a parent has
// its new address written into the parent's copy. Upstream's rules for parents: the parent is
// an earlier BINDER_TYPE_PTR object, the pointer fits in it, and fixups go in order: only into
// the buffer last copied or one of its ancestors, each past the previous fixup in that parent.
// Any violation fails the transaction with BR_FAILED_REPLY and -EINVAL.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "binder_driver.h"
#include "child_process.h"
#include "sg_support.h"

namespace binder_test {
namespace {

std::vector<uint8_t> pattern(size_t size, uint8_t seed) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(seed + i * 7);
  return bytes;
}

// A parent buffer as userspace lays one out: a few words, two of them pointers to children.
struct ParentBlob {
  uint64_t header = 0x1122334455667788;
  binder_uintptr_t first = 0;  // fixed up to the first child's copy
  uint64_t middle = 0x99;
  binder_uintptr_t second = 0;  // fixed up to the second child's copy
};
constexpr binder_size_t kFirstOffset = offsetof(ParentBlob, first);
constexpr binder_size_t kSecondOffset = offsetof(ParentBlob, second);

// Sends PAYLOAD with BUFFERS_SIZE bytes of extra space to the context manager from a child
// and expects the call to fail with -EINVAL before the manager sees anything.
void expectSgCallRejected(BinderConnection& manager, const std::function<Payload()>& makePayload,
                          binder_size_t buffersSize) {
  ChildProcess client("client", [&] {
    BinderConnection connection;
    ASSERT_EQ(connection.write(CommandWriter().transactionSg(0, 1, makePayload(), buffersSize)), 0);
    EXPECT_EQ(commandNames(connection.readUntil(BR_FAILED_REPLY)),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

// Receives one BR_TRANSACTION on MANAGER, checks it with CHECK, frees it and replies.
void serveAndCheck(BinderConnection& manager,
                   const std::function<void(const ReceivedTransaction&)>& check) {
  Event event = manager.waitFor(BR_TRANSACTION);
  if (event.cmd != BR_TRANSACTION) return;
  check(event.txn);
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
}

TEST(Sg, PtrBufferIsCopiedAfterTheOffsetsIntoTheReceiversMapping) {
  BinderConnection manager = contextManager();
  const std::vector<uint8_t> blob = pattern(100, 3);

  ChildProcess client("client", [&] {
    BinderConnection connection;
    Payload payload;
    payload.putU32(0xabcd).putU32(0).putPtr(blob.data(), blob.size());
    ASSERT_EQ(connection.write(CommandWriter().transactionSg(0, 1, payload, align8(blob.size()))),
              0);
    EXPECT_EQ(lastCommandName(connection.readUntil(BR_REPLY)), "BR_REPLY");
  });

  serveAndCheck(manager, [&](const ReceivedTransaction& txn) {
    ASSERT_EQ(txn.offsets.size(), 1u);
    EXPECT_EQ(txn.at<uint32_t>(0), 0xabcdu);
    auto object = txn.object<binder_buffer_object>();
    EXPECT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_PTR));
    EXPECT_EQ(object.length, blob.size());
    EXPECT_EQ(object.flags, 0u);
    // Upstream's layout: data, offsets (each padded to 8 bytes), then the buffers.
    EXPECT_EQ(object.buffer, txn.buffer() + align8(txn.tr.data_size) + align8(txn.tr.offsets_size))
        << "the copy follows the offsets array";
    ASSERT_TRUE(manager.inMapping(object.buffer, object.length));
    EXPECT_EQ(manager.readMapped(object.buffer, object.length), blob);
  });
  client.wait();
}

TEST(Sg, ChildPointersAreFixedUpInTheParentsCopy) {
  BinderConnection manager = contextManager();
  ParentBlob parent;
  const std::vector<uint8_t> first = pattern(13, 50);  // odd size: the next copy is realigned
  const std::vector<uint8_t> second = pattern(40, 90);
  parent.first = userAddress(first.data());
  parent.second = userAddress(second.data());

  ChildProcess client("client", [&] {
    BinderConnection connection;
    Payload payload = headed();
    payload.putPtr(&parent, sizeof(parent))
        .putPtr(first.data(), first.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kFirstOffset)
        .putPtr(second.data(), second.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kSecondOffset);
    const binder_size_t buffersSize =
        align8(sizeof(parent)) + align8(first.size()) + align8(second.size());
    ASSERT_EQ(connection.write(CommandWriter().transactionSg(0, 1, payload, buffersSize)), 0);
    EXPECT_EQ(lastCommandName(connection.readUntil(BR_REPLY)), "BR_REPLY");
  });

  serveAndCheck(manager, [&](const ReceivedTransaction& txn) {
    ASSERT_EQ(txn.offsets.size(), 3u);
    auto parentObject = txn.object<binder_buffer_object>(0);
    auto firstObject = txn.object<binder_buffer_object>(1);
    auto secondObject = txn.object<binder_buffer_object>(2);
    EXPECT_EQ(firstObject.buffer, parentObject.buffer + align8(sizeof(ParentBlob)));
    EXPECT_EQ(secondObject.buffer, firstObject.buffer + align8(first.size()));
    EXPECT_EQ(firstObject.parent, 0u) << "parent fields pass unchanged";
    EXPECT_EQ(firstObject.parent_offset, kFirstOffset);

    std::vector<uint8_t> parentBytes = manager.readMapped(parentObject.buffer, sizeof(ParentBlob));
    ParentBlob copy;
    std::memcpy(&copy, parentBytes.data(), sizeof(copy));
    EXPECT_EQ(copy.header, parent.header) << "the rest of the parent is copied as is";
    EXPECT_EQ(copy.middle, parent.middle);
    EXPECT_EQ(copy.first, firstObject.buffer) << "pointer to the first child fixed up";
    EXPECT_EQ(copy.second, secondObject.buffer) << "pointer to the second child fixed up";
    EXPECT_EQ(manager.readMapped(copy.first, first.size()), first);
    EXPECT_EQ(manager.readMapped(copy.second, second.size()), second);
  });
  client.wait();
}

// A grandchild may be fixed up into its parent, and a later sibling of that parent into the
// grandparent past the first fixup: the chain of ancestors of the last buffer is open.
TEST(Sg, FixupsMayGoIntoAnyAncestorOfTheLastBuffer) {
  BinderConnection manager = contextManager();
  ParentBlob root;
  ParentBlob middle;
  const std::vector<uint8_t> leaf = pattern(8, 1);
  const std::vector<uint8_t> sibling = pattern(24, 2);

  ChildProcess client("client", [&] {
    BinderConnection connection;
    Payload payload = headed();
    payload
        .putPtr(&root, sizeof(root))                                                       // 0
        .putPtr(&middle, sizeof(middle), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kFirstOffset)   // 1
        .putPtr(leaf.data(), leaf.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 1, kFirstOffset)  // 2
        .putPtr(sibling.data(), sibling.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0,
                kSecondOffset);  // 3: back into the root, after object 1's fixup
    const binder_size_t buffersSize = 2 * align8(sizeof(ParentBlob)) + 8 + 24;
    ASSERT_EQ(connection.write(CommandWriter().transactionSg(0, 1, payload, buffersSize)), 0);
    EXPECT_EQ(lastCommandName(connection.readUntil(BR_REPLY)), "BR_REPLY");
  });

  serveAndCheck(manager, [&](const ReceivedTransaction& txn) {
    ASSERT_EQ(txn.offsets.size(), 4u);
    std::vector<binder_buffer_object> objects;
    for (size_t i = 0; i < 4; ++i) objects.push_back(txn.object<binder_buffer_object>(i));
    auto rootCopy = manager.readMapped(objects[0].buffer, sizeof(ParentBlob));
    auto middleCopy = manager.readMapped(objects[1].buffer, sizeof(ParentBlob));
    ParentBlob rootBlob;
    ParentBlob middleBlob;
    std::memcpy(&rootBlob, rootCopy.data(), sizeof(rootBlob));
    std::memcpy(&middleBlob, middleCopy.data(), sizeof(middleBlob));
    EXPECT_EQ(rootBlob.first, objects[1].buffer);
    EXPECT_EQ(middleBlob.first, objects[2].buffer);
    EXPECT_EQ(rootBlob.second, objects[3].buffer);
    EXPECT_EQ(manager.readMapped(objects[3].buffer, sibling.size()), sibling);
  });
  client.wait();
}

TEST(Sg, ReplySgCarriesBuffersBackToTheCaller) {
  BinderConnection manager = contextManager();
  const std::vector<uint8_t> blob = pattern(64, 77);

  ChildProcess client("client", [&] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload());
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    ASSERT_EQ(reply->txn.offsets.size(), 1u);
    auto object = reply->txn.object<binder_buffer_object>();
    EXPECT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_PTR));
    ASSERT_TRUE(connection.inMapping(object.buffer, object.length));
    EXPECT_EQ(connection.readMapped(object.buffer, object.length), blob);
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(reply->txn.buffer())), 0);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter()
                         .freeBuffer(event.txn.buffer())
                         .replySg(Payload().putPtr(blob.data(), blob.size()), blob.size()));
  client.wait();
}

TEST(Sg, UnalignedBuffersSizeFails) {
  BinderConnection manager = contextManager();
  expectSgCallRejected(
      manager, [] { return Payload().putU32(1); }, 12);
}

TEST(Sg, PtrLargerThanTheRemainingBufferSpaceFails) {
  BinderConnection manager = contextManager();
  static const std::vector<uint8_t> blob = pattern(64, 5);
  expectSgCallRejected(
      manager, [] { return Payload().putPtr(blob.data(), blob.size()); }, 56);
}

TEST(Sg, PtrInAPlainTransactionHasNoBufferSpace) {
  BinderConnection manager = contextManager();
  static const std::vector<uint8_t> blob = pattern(16, 5);

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putPtr(blob.data(), blob.size()))),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

TEST(Sg, UnreadableBufferFails) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    // Page 0 is never mapped.
    Payload payload = headed().putPtr(reinterpret_cast<const void*>(uintptr_t{64}), 16);
    ASSERT_EQ(connection.write(CommandWriter().transactionSg(0, 1, payload, 16)), 0);
    EXPECT_EQ(commandNames(connection.readUntil(BR_FAILED_REPLY)),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    // Upstream reports a failed copy as -EINVAL, not -EFAULT.
    expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

TEST(Sg, ParentMustBeAnEarlierObject) {
  BinderConnection manager = contextManager();
  static ParentBlob parent;
  static const std::vector<uint8_t> child = pattern(8, 9);
  // The child names itself (object 1) as its parent.
  expectSgCallRejected(
      manager,
      [] {
        return headed()
            .putPtr(&parent, sizeof(parent))
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 1, kFirstOffset);
      },
      align8(sizeof(parent)) + 8);
  // The child names a later object (object 1) as its parent.
  expectSgCallRejected(
      manager,
      [] {
        return headed()
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 1, kFirstOffset)
            .putPtr(&parent, sizeof(parent));
      },
      align8(sizeof(parent)) + 8);
}

TEST(Sg, ParentMustBeAPtrObject) {
  BinderConnection manager = contextManager();
  static const std::vector<uint8_t> child = pattern(8, 9);
  expectSgCallRejected(
      manager,
      [] {
        return headed()
            .putBinder(0x1000, 0x2000)
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, 0);
      },
      8);
}

TEST(Sg, FixedUpPointerMustFitInTheParent) {
  BinderConnection manager = contextManager();
  static ParentBlob parent;
  static const std::vector<uint8_t> child = pattern(8, 9);
  // The last pointer-sized slot of the parent is sizeof(ParentBlob) - 8; one byte further
  // would write past its end.
  expectSgCallRejected(
      manager,
      [] {
        return headed()
            .putPtr(&parent, sizeof(parent))
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0,
                    sizeof(ParentBlob) - sizeof(binder_uintptr_t) + 1);
      },
      align8(sizeof(parent)) + 8);
}

TEST(Sg, FixupsInAParentMustBeInIncreasingOrder) {
  BinderConnection manager = contextManager();
  static ParentBlob parent;
  static const std::vector<uint8_t> child = pattern(8, 9);
  expectSgCallRejected(
      manager,
      [] {
        return headed()
            .putPtr(&parent, sizeof(parent))
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kSecondOffset)
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kFirstOffset);
      },
      align8(sizeof(parent)) + 16);
  // The same offset twice is out of order too: each fixup must start past the last one.
  expectSgCallRejected(
      manager,
      [] {
        return headed()
            .putPtr(&parent, sizeof(parent))
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kFirstOffset)
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kFirstOffset);
      },
      align8(sizeof(parent)) + 16);
}

// Upstream's quirk: it records "no buffer copied yet" as data offset 0, so a buffer whose
// object sits at the very start of the data can never be a parent.
TEST(Sg, ParentAtDataOffsetZeroIsRejected) {
  BinderConnection manager = contextManager();
  static ParentBlob parent;
  static const std::vector<uint8_t> child = pattern(8, 9);
  expectSgCallRejected(
      manager,
      [] {
        return Payload()
            .putPtr(&parent, sizeof(parent))
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kFirstOffset);
      },
      align8(sizeof(parent)) + 8);
}

// Once another root buffer has been copied, an earlier root is closed for fixups.
TEST(Sg, FixupIntoABufferOutsideTheLastBuffersAncestryFails) {
  BinderConnection manager = contextManager();
  static ParentBlob first;
  static ParentBlob second;
  static const std::vector<uint8_t> child = pattern(8, 9);
  expectSgCallRejected(
      manager,
      [] {
        return headed()
            .putPtr(&first, sizeof(first))
            .putPtr(&second, sizeof(second))
            .putPtr(child.data(), child.size(), BINDER_BUFFER_FLAG_HAS_PARENT, 0, kFirstOffset);
      },
      2 * align8(sizeof(ParentBlob)) + 8);
}

}  // namespace
}  // namespace binder_test
