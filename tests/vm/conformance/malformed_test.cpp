// Transactions the driver must refuse: the caller gets BR_FAILED_REPLY (and nothing else),
// BINDER_GET_EXTENDED_ERROR tells why, and the target never sees them.

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

// Sends TR as a BC_TRANSACTION from a child process (its buffers are the parent's, copied by
// fork) and expects the refusal with EXPECTED_ERRNO as the extended error.
void expectRefused(const binder_transaction_data& tr, int32_t expectedErrno) {
  BinderConnection manager = contextManager();

  ChildProcess client("client", [&] {
    BinderConnection connection;
    ASSERT_EQ(connection.write(CommandWriter().command(BC_TRANSACTION, tr)), 0);
    EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -expectedErrno);
    EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{})
      << "a refused transaction must not reach the target";
}

binder_transaction_data transactionOf(const Payload& payload, uint32_t handle = 0) {
  binder_transaction_data tr{};
  tr.target.handle = handle;
  tr.code = 1;
  tr.data_size = payload.data().size();
  tr.offsets_size = payload.offsets().size() * sizeof(binder_size_t);
  tr.data.ptr.buffer = userAddress(payload.data().data());
  tr.data.ptr.offsets = userAddress(payload.offsets().data());
  return tr;
}

Payload objectAtOffset(size_t dataSize, binder_size_t offset) {
  Payload payload;
  payload.putZeros(dataSize);
  payload.addRawOffset(offset);
  return payload;
}

TEST(Malformed, CallToAnUnknownHandleFails) {
  Payload payload;
  payload.putU32(1);
  expectRefused(transactionOf(payload, 77), EINVAL);
}

TEST(Malformed, OffsetNotFourByteAlignedFails) {
  Payload payload = Payload().putZeros(2).putBinder(0x100, 0x101).putZeros(6);  // offset 2
  expectRefused(transactionOf(payload), EINVAL);
}

// The driver copies the data up to each object as it goes: an offset past the data (or one
// going backwards) fails that copy, hence EFAULT.
TEST(Malformed, OffsetPastTheDataFails) {
  Payload payload = objectAtOffset(sizeof(flat_binder_object), 64);
  expectRefused(transactionOf(payload), EFAULT);
}

TEST(Malformed, ObjectOverlappingTheEndOfTheDataFails) {
  Payload payload = Payload().putBinder(0x100, 0x101);
  Payload truncated = Payload().putZeros(8).putBytes(payload.data().data(), 16).addRawOffset(8);
  expectRefused(transactionOf(truncated), EINVAL);
}

TEST(Malformed, OverlappingObjectsFail) {
  Payload payload = Payload().putBinder(0x100, 0x101).putBinder(0x200, 0x201);
  payload.addRawOffset(8);  // inside the first object
  expectRefused(transactionOf(payload), EFAULT);
}

TEST(Malformed, UnknownObjectTypeFails) {
  flat_binder_object object{};
  object.hdr.type = 0x12345678;
  expectRefused(transactionOf(Payload().putObject(object)), EINVAL);
}

TEST(Malformed, OffsetsSizeNotAMultipleOfEightFails) {
  Payload payload = Payload().putBinder(0x100, 0x101);
  binder_transaction_data tr = transactionOf(payload);
  tr.offsets_size = 4;
  expectRefused(tr, EINVAL);
}

TEST(Malformed, DataLargerThanTheMappingFails) {
  Payload payload = Payload().putZeros(kDefaultMapSize + 4096);
  expectRefused(transactionOf(payload), ENOSPC);
}

TEST(Malformed, HugeDataSizeFails) {
  Payload payload = Payload().putU32(1);
  binder_transaction_data tr = transactionOf(payload);
  tr.data_size = binder_size_t{1} << 40;
  expectRefused(tr, ENOSPC);
}

TEST(Malformed, DataSizeThatOverflowsFails) {
  Payload payload = Payload().putU32(1);
  binder_transaction_data tr = transactionOf(payload);
  tr.data_size = ~binder_size_t{0};
  expectRefused(tr, EINVAL);
}

TEST(Malformed, UnreadableDataFails) {
  binder_transaction_data tr = transactionOf(Payload());
  tr.data_size = 64;
  tr.data.ptr.buffer = 0x10;  // nothing is mapped there
  expectRefused(tr, EFAULT);
}

TEST(Malformed, UnreadableOffsetsFail) {
  Payload payload = Payload().putBinder(0x100, 0x101);
  binder_transaction_data tr = transactionOf(payload);
  tr.data.ptr.offsets = 0x10;
  expectRefused(tr, EFAULT);
}

TEST(Malformed, ExtendedErrorIsClearedOnceRead) {
  BinderConnection client;
  ASSERT_EQ(client.write(CommandWriter().transaction(77, 1, Payload())), 0);
  EXPECT_EQ(commandNames(client.read()), std::vector<std::string>{"BR_FAILED_REPLY"});
  binder_extended_error first = client.extendedError();
  EXPECT_EQ(commandName(first.command), "BR_FAILED_REPLY");
  binder_extended_error second = client.extendedError();
  EXPECT_EQ(second.id, 0u);
  EXPECT_EQ(commandName(second.command), "BR_OK");
  EXPECT_EQ(second.param, 0);
}

// Every transaction resets the sender's extended error to its own id with BR_OK.
TEST(Malformed, SuccessfulCallLeavesAnOkExtendedError) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
    binder_extended_error ee = connection.extendedError();
    EXPECT_NE(ee.id, 0u) << "the id of the transaction";
    EXPECT_EQ(commandName(ee.command), "BR_OK");
    EXPECT_EQ(ee.param, 0);
  });
  manager.serveOne();
  client.wait();
}

}  // namespace
}  // namespace binder_test
