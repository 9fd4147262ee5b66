// What only a 32-bit process can check: the conformance suite runs here as an i386 program
// on the 64-bit kernel (compat_ioctl, 64-bit protocol), and these tests make sure that it
// really does, and that the driver takes every binder_uintptr_t it reads as the whole 64-bit
// value. A 32-bit process has no address with any of the upper 32 bits set, so an address
// that has them (what a sign-extending pointer cast makes of an address above 2 GiB) must
// fail the access: a driver that narrowed it to 32 bits would reach the process's memory.

#include <sys/utsname.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

static_assert(sizeof(void*) == 4, "compat32_test.cpp is for the 32-bit build only");

namespace binder_test {
namespace {

// Set on an address a 32-bit process can read, it makes one no 32-bit process has.
constexpr binder_uintptr_t kUpperHalf = 0xffffffff00000000;

constexpr binder_uintptr_t kTwoGiB = 0x80000000;

// Sends the BC_TRANSACTION or BC_TRANSACTION_SG that MAKE_COMMANDS writes to the context
// manager from a child, and expects it refused with -EFAULT before the manager sees it.
void expectRefusedWithEfault(const std::function<CommandWriter()>& makeCommands) {
  BinderConnection manager = contextManager();
  ChildProcess client("client", [&] {
    BinderConnection connection;
    ASSERT_EQ(connection.write(makeCommands()), 0);
    EXPECT_EQ(commandNames(connection.readUntil(BR_FAILED_REPLY)),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EFAULT);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{})
      << "a refused transaction must not reach the target";
}

binder_transaction_data transactionOf(const Payload& payload) {
  binder_transaction_data tr{};
  tr.code = 1;
  tr.data_size = payload.data().size();
  tr.offsets_size = payload.offsets().size() * sizeof(binder_size_t);
  tr.data.ptr.buffer = userAddress(payload.data().data());
  tr.data.ptr.offsets = userAddress(payload.offsets().data());
  return tr;
}

// The conditions the rest of the suite relies on to test the compat path: a 32-bit program
// on a 64-bit kernel, with its binder mapping above 2 GiB (where the default top-down layout
// puts it), so that any sign-extended address in the support code would fail the suite.
TEST(Compat32, RunsAsA32BitProcessOnA64BitKernel) {
  utsname name{};
  ASSERT_EQ(::uname(&name), 0) << std::strerror(errno);
  EXPECT_STREQ(name.machine, "x86_64") << "the kernel is not a 64-bit x86 kernel";

  BinderConnection connection;
  ASSERT_TRUE(connection.ok());
  EXPECT_GE(userAddress(connection.map()), kTwoGiB)
      << "the mapping lies below 2 GiB (legacy mmap layout, e.g. ulimit -s unlimited?): "
         "the suite would not catch sign-extended addresses";
}

TEST(Compat32, WriteBufferWithUpperBitsSetIsEfault) {
  BinderConnection connection;
  CommandWriter commands = CommandWriter().enterLooper();
  binder_write_read bwr{};
  bwr.write_buffer = kUpperHalf | userAddress(commands.bytes().data());
  bwr.write_size = commands.bytes().size();
  EXPECT_EQ(connection.ioctlErrno(BINDER_WRITE_READ, &bwr), EFAULT);
  EXPECT_EQ(bwr.write_consumed, 0u) << "the driver read the commands through a narrowed address";
}

TEST(Compat32, ReadBufferWithUpperBitsSetIsEfault) {
  BinderConnection connection;
  uint32_t buffer[8] = {};
  binder_write_read bwr{};
  bwr.read_buffer = kUpperHalf | userAddress(buffer);
  bwr.read_size = sizeof(buffer);
  EXPECT_EQ(connection.ioctlErrno(BINDER_WRITE_READ, &bwr), EFAULT);
  EXPECT_EQ(bwr.read_consumed, 0u);
  EXPECT_EQ(buffer[0], 0u) << "the driver wrote through a narrowed address";
}

TEST(Compat32, TransactionDataWithUpperBitsSetIsRefused) {
  Payload payload = Payload().putU32(1).putU32(2);
  binder_transaction_data tr = transactionOf(payload);
  tr.data.ptr.buffer |= kUpperHalf;
  expectRefusedWithEfault([&] { return CommandWriter().command(BC_TRANSACTION, tr); });
}

TEST(Compat32, TransactionOffsetsWithUpperBitsSetAreRefused) {
  Payload payload = Payload().putBinder(0x1000, 0x1001);
  binder_transaction_data tr = transactionOf(payload);
  tr.data.ptr.offsets |= kUpperHalf;
  expectRefusedWithEfault([&] { return CommandWriter().command(BC_TRANSACTION, tr); });
}

}  // namespace
}  // namespace binder_test
