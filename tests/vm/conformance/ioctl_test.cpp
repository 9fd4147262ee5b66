// The ioctl and command surface: unknown requests and commands, bad buffers, commands that
// refer to nothing.
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

TEST(Ioctl, UnknownIoctlIsEinval) {
  BinderConnection connection;
  uint32_t arg = 0;
  EXPECT_EQ(connection.ioctlErrno(_IOW('b', 99, uint32_t), &arg), EINVAL);
  EXPECT_EQ(connection.ioctlErrno(_IOW('x', 1, uint32_t), &arg), EINVAL);
  // BINDER_WRITE_READ's number with another size is another request.
  EXPECT_EQ(connection.ioctlErrno(_IOWR('b', 1, uint32_t), &arg), EINVAL);
}

// The driver stops at an unknown command: the ones before it are consumed, and
// write_consumed says how far it got.
TEST(Ioctl, UnknownCommandStopsTheWriteWithEinval) {
  BinderConnection connection;
  CommandWriter commands;
  commands.enterLooper().command(0x12345678u).command(BC_EXIT_LOOPER);
  binder_write_read bwr{};
  bwr.write_buffer = userAddress(commands.bytes().data());
  bwr.write_size = commands.bytes().size();
  EXPECT_EQ(connection.ioctlErrno(BINDER_WRITE_READ, &bwr), EINVAL);
  EXPECT_EQ(bwr.write_consumed, sizeof(uint32_t));
}

TEST(Ioctl, UnreadableWriteBufferIsEfault) {
  BinderConnection connection;
  binder_write_read bwr{};
  bwr.write_buffer = 0x10;
  bwr.write_size = sizeof(uint32_t);
  EXPECT_EQ(connection.ioctlErrno(BINDER_WRITE_READ, &bwr), EFAULT);
}

TEST(Ioctl, ReplyWithoutACallFails) {
  BinderConnection connection;
  EXPECT_EQ(connection.write(CommandWriter().reply(Payload().putU32(1))), 0);
  EXPECT_EQ(commandNames(connection.read()), std::vector<std::string>{"BR_FAILED_REPLY"});
  expectExtendedError(connection, BR_FAILED_REPLY, -EPROTO);
}

// Commands about things that do not exist are ignored (the driver only logs them).
TEST(Ioctl, CommandsOnUnknownObjectsAreIgnored) {
  BinderConnection connection;
  connection.enterLooper();
  EXPECT_EQ(connection.write(CommandWriter()
                                 .freeBuffer(0x1234)
                                 .acquire(9)
                                 .release(9)
                                 .increfsDone(0x40, 0x41)
                                 .acquireDone(0x40, 0x41)
                                 .requestDeathNotification(9, 1)
                                 .clearDeathNotification(9, 1)
                                 .deadBinderDone(1)),
            0);
  EXPECT_EQ(commandNames(connection.readQuietly()), std::vector<std::string>{});
}

TEST(Ioctl, ThreadExitSucceeds) {
  BinderConnection connection;
  int32_t unused = 0;
  EXPECT_EQ(connection.ioctlErrno(BINDER_THREAD_EXIT, &unused), 0);
  // The thread is simply new to the driver afterwards.
  EXPECT_EQ(connection.write(CommandWriter().enterLooper()), 0);
}

// A thread new to the driver returns from its first read at once, with only BR_NOOP.
TEST(Ioctl, FirstReadOfANewThreadReturnsAtOnce) {
  ChildProcess reader("reader", [] {
    BinderConnection connection(kDefaultMapSize, BinderConnection::Mode::kBlocking);
    uint32_t buffer[8] = {};
    binder_write_read bwr{};
    bwr.read_buffer = userAddress(buffer);
    bwr.read_size = sizeof(buffer);
    EXPECT_EQ(connection.ioctlErrno(BINDER_WRITE_READ, &bwr), 0);
    EXPECT_EQ(bwr.read_consumed, sizeof(uint32_t));
    EXPECT_EQ(commandName(buffer[0]), "BR_NOOP");
  });
  reader.wait(kTimeout);
}

TEST(Ioctl, NonBlockingReadWithoutWorkIsEagain) {
  BinderConnection connection;  // opened O_NONBLOCK
  connection.enterLooper();
  uint32_t buffer[8] = {};
  binder_write_read bwr{};
  bwr.read_buffer = userAddress(buffer);
  bwr.read_size = sizeof(buffer);
  EXPECT_EQ(connection.ioctlErrno(BINDER_WRITE_READ, &bwr), EAGAIN);
  EXPECT_EQ(bwr.read_consumed, 0u);
}

// Which errno a bad argument pointer gets depends on the request.
TEST(Ioctl, UnreadableArgumentErrnos) {
  struct Case {
    const char* request;
    unsigned long number;
    int expected;
  };
  const Case cases[] = {
      {"BINDER_VERSION", BINDER_VERSION, EINVAL},
      {"BINDER_SET_MAX_THREADS", BINDER_SET_MAX_THREADS, EINVAL},
      {"BINDER_SET_CONTEXT_MGR_EXT", BINDER_SET_CONTEXT_MGR_EXT, EINVAL},
      {"BINDER_WRITE_READ", BINDER_WRITE_READ, EFAULT},
      {"BINDER_GET_NODE_DEBUG_INFO", BINDER_GET_NODE_DEBUG_INFO, EFAULT},
      {"BINDER_GET_NODE_INFO_FOR_REF", BINDER_GET_NODE_INFO_FOR_REF, EFAULT},
      {"BINDER_GET_EXTENDED_ERROR", BINDER_GET_EXTENDED_ERROR, EFAULT},
  };
  BinderConnection connection;
  for (const Case& c : cases) {
    int err = connection.ioctlErrno(c.number, reinterpret_cast<void*>(0x10));
    EXPECT_EQ(err, c.expected) << c.request << ": " << std::strerror(err);
  }
}

// A read takes work only when its buffer has room, after the leading BR_NOOP, for the
// largest return (a BR_TRANSACTION_SEC_CTX: 4 + 72 bytes); otherwise it returns the BR_NOOP
// alone and the work stays queued.
TEST(Ioctl, ReadTakesWorkOnlyWithRoomForTheLargestReturn) {
  constexpr size_t kNeeded = 4 + 4 + sizeof(binder_transaction_data_secctx);
  BinderConnection manager = contextManager();
  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(lastCommandName(connection.call(0, 1, Payload())), "BR_REPLY");
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(manager.write(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload())), 0);
  // A BR_TRANSACTION_COMPLETE (4 bytes) is queued now.
  auto readWith = [&](size_t size) {
    std::vector<uint32_t> buffer(kNeeded / sizeof(uint32_t) + 1, 0);
    binder_write_read bwr{};
    bwr.read_buffer = userAddress(buffer.data());
    bwr.read_size = size;
    EXPECT_EQ(manager.ioctlErrno(BINDER_WRITE_READ, &bwr), 0);
    std::vector<std::string> names;
    for (size_t i = 0; i < bwr.read_consumed / sizeof(uint32_t); ++i) {
      names.push_back(commandName(buffer[i]));
    }
    return names;
  };
  EXPECT_EQ(readWith(kNeeded - 1), std::vector<std::string>{"BR_NOOP"});
  EXPECT_EQ(readWith(kNeeded), (std::vector<std::string>{"BR_NOOP", "BR_TRANSACTION_COMPLETE"}));
  client.wait();
}

}  // namespace
}  // namespace binder_test
