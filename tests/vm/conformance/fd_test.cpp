// File descriptors in transactions: installed in the receiver as a new close-on-exec
// descriptor for the same file, only where the receiver accepts them.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"
#include "fd_support.h"

namespace binder_test {
namespace {

constexpr binder_uintptr_t kFdCookie = 0xfdc0;

// Claims the context manager with a node that accepts file descriptors.
void becomeFdAcceptingManager(BinderConnection& manager) {
  flat_binder_object node{};
  node.hdr.type = BINDER_TYPE_BINDER;
  node.flags = FLAT_BINDER_FLAG_ACCEPTS_FDS;
  int err = manager.claimContextManager(&node);
  ASSERT_EQ(err, 0) << std::strerror(err);
  manager.enterLooper();
}

// Checks that FD, received in OBJECT, is a close-on-exec descriptor of the pipe with
// inode INODE, and writes a byte through it.
void checkReceivedFd(const binder_fd_object& object, ino_t inode) {
  EXPECT_EQ(object.hdr.type, static_cast<uint32_t>(BINDER_TYPE_FD));
  EXPECT_EQ(object.cookie, kFdCookie) << "the cookie passes unchanged";
  int fd = static_cast<int>(object.fd);
  int fdFlags = ::fcntl(fd, F_GETFD);
  ASSERT_GE(fdFlags, 0) << "received fd " << fd << " is not open: " << std::strerror(errno);
  EXPECT_TRUE(fdFlags & FD_CLOEXEC);
  EXPECT_EQ(inodeOf(fd), inode);
  EXPECT_EQ(::write(fd, "x", 1), 1) << std::strerror(errno);
  ::close(fd);
}

TEST(Fds, FdIsInstalledInTheReceiverAsTheSameFileCloseOnExec) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  PipeFds pipe = makePipe();
  const ino_t inode = inodeOf(pipe.write.get());

  ChildProcess client("client", [&] {
    BinderConnection connection;
    Payload payload;
    payload.putFd(pipe.write.get(), kFdCookie);
    EXPECT_EQ(lastCommandName(connection.call(0, 1, payload)), "BR_REPLY");
    char byte = 0;
    EXPECT_EQ(::read(pipe.read.get(), &byte, 1), 1);
    EXPECT_EQ(byte, 'x');
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.txn.offsets.size(), 1u);
  auto object = event.txn.object<binder_fd_object>();
  EXPECT_NE(static_cast<int>(object.fd), pipe.write.get()) << "a new descriptor";
  checkReceivedFd(object, inode);
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  client.wait();
}

TEST(Fds, FdToANodeThatDoesNotAcceptFdsFails) {
  BinderConnection manager = contextManager();  // no FLAT_BINDER_FLAG_ACCEPTS_FDS
  PipeFds pipe = makePipe();

  ChildProcess client("client", [&] {
    BinderConnection connection;
    // TF_ACCEPT_FDS is about the reply; the target node decides for the transaction.
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putFd(pipe.write.get()), TF_ACCEPT_FDS)),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EPERM);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

TEST(Fds, InvalidFdFails) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload().putFd(999))),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EBADF);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

TEST(Fds, FdInAReplyIsInstalledWhenTheCallAcceptsFds) {
  BinderConnection manager = contextManager();
  PipeFds pipe = makePipe();
  const ino_t inode = inodeOf(pipe.write.get());

  ChildProcess client("client", [&] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload(), TF_ACCEPT_FDS);
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    ASSERT_EQ(reply->txn.offsets.size(), 1u);
    checkReceivedFd(reply->txn.object<binder_fd_object>(), inode);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(CommandWriter()
                         .freeBuffer(event.txn.buffer())
                         .reply(Payload().putFd(pipe.write.get(), kFdCookie)));
  client.wait();
  char byte = 0;
  EXPECT_EQ(::read(pipe.read.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
}

// A reply with an fd to a call without TF_ACCEPT_FDS fails the call; the replier only
// sees its BR_TRANSACTION_COMPLETE.
TEST(Fds, FdInAReplyFailsTheCallWithoutAcceptFds) {
  BinderConnection manager = contextManager();
  PipeFds pipe = makePipe();

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload())),
              (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_FAILED_REPLY"}));
    expectExtendedError(connection, BR_FAILED_REPLY, -EPERM);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(
      manager.write(
          CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload().putFd(pipe.write.get()))),
      0);
  EXPECT_EQ(commandNames(manager.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  binder_extended_error ee = manager.extendedError();
  EXPECT_EQ(commandName(ee.command), "BR_OK") << "the error belongs to the caller";
  client.wait();
}

}  // namespace
}  // namespace binder_test
