// File descriptor arrays (BINDER_TYPE_FDA): an array of 32-bit descriptors inside the buffer
// of an earlier BINDER_TYPE_PTR object. The receiver finds new close-on-exec descriptors for
// the same files in its copy of that buffer, and the driver closes them when the buffer is
// freed (unlike a lone BINDER_TYPE_FD, which the receiver owns). Upstream checks that the
// array fits in its parent at a 4-byte aligned offset, that the parent is an earlier
// BINDER_TYPE_PTR object, and that the target accepts descriptors.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "binder_driver.h"
#include "child_process.h"
#include "fd_support.h"
#include "sg_support.h"

namespace binder_test {
namespace {

constexpr size_t kFds = 3;

bool isOpen(int fd) { return ::fcntl(fd, F_GETFD) >= 0; }

void becomeFdAcceptingManager(BinderConnection& manager) {
  flat_binder_object node{};
  node.hdr.type = BINDER_TYPE_BINDER;
  node.flags = FLAT_BINDER_FLAG_ACCEPTS_FDS;
  int err = manager.claimContextManager(&node);
  ASSERT_EQ(err, 0) << std::strerror(err);
  manager.enterLooper();
}

// The parent buffer userspace sends: a header word, then the descriptors.
struct FdBlob {
  uint32_t header = 0x5eed;
  std::array<uint32_t, kFds> fds{};
};
constexpr binder_size_t kFdsOffset = offsetof(FdBlob, fds);

// A payload with BLOB as object 0 and an array of NUM_FDS descriptors at PARENT_OFFSET in it.
Payload fdArrayPayload(const FdBlob& blob, binder_size_t numFds = kFds,
                       binder_size_t parentOffset = kFdsOffset) {
  return headed().putPtr(&blob, sizeof(blob)).putFdArray(numFds, 0, parentOffset);
}

// Makes a child call the manager with PAYLOAD and expects the call to fail with ERRNO before
// the manager sees anything.
void expectFdArrayCallRejected(BinderConnection& manager,
                               const std::function<Payload()>& makePayload, int expectedErrno) {
  ChildProcess client("client", [&] {
    BinderConnection connection;
    ASSERT_EQ(connection.write(CommandWriter().transactionSg(0, 1, makePayload(), sizeof(FdBlob))),
              0);
    EXPECT_EQ(commandNames(connection.readUntil(BR_FAILED_REPLY)),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -expectedErrno);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

// The descriptors the manager received, read from its copy of the parent buffer.
std::array<int, kFds> receivedFds(const BinderConnection& manager, const ReceivedTransaction& txn) {
  std::array<int, kFds> fds{};
  fds.fill(-1);
  if (txn.offsets.size() != 2) {
    ADD_FAILURE() << "expected 2 objects, got " << txn.offsets.size();
    return fds;
  }
  auto parent = txn.object<binder_buffer_object>(0);
  auto array = txn.object<binder_fd_array_object>(1);
  EXPECT_EQ(array.hdr.type, static_cast<uint32_t>(BINDER_TYPE_FDA));
  EXPECT_EQ(array.num_fds, kFds);
  EXPECT_EQ(array.parent_offset, kFdsOffset);
  std::vector<uint8_t> copy = manager.readMapped(parent.buffer, sizeof(FdBlob));
  FdBlob blob;
  std::memcpy(&blob, copy.data(), sizeof(blob));
  EXPECT_EQ(blob.header, 0x5eedu) << "the rest of the parent is copied as is";
  for (size_t i = 0; i < kFds; ++i) fds[i] = static_cast<int>(blob.fds[i]);
  return fds;
}

TEST(Fda, FdsAreInstalledInTheReceiverAndClosedWhenTheBufferIsFreed) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  std::array<PipeFds, kFds> pipes{makePipe(), makePipe(), makePipe()};
  FdBlob blob;
  for (size_t i = 0; i < kFds; ++i) blob.fds[i] = static_cast<uint32_t>(pipes[i].write.get());

  ChildProcess client("client", [&] {
    BinderConnection connection;
    ASSERT_EQ(
        connection.write(CommandWriter().transactionSg(0, 1, fdArrayPayload(blob), sizeof(FdBlob))),
        0);
    EXPECT_EQ(lastCommandName(connection.readUntil(BR_REPLY)), "BR_REPLY");
    for (size_t i = 0; i < kFds; ++i) EXPECT_TRUE(isOpen(pipes[i].write.get())) << "sender keeps";
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  ASSERT_EQ(event.cmd, BR_TRANSACTION);
  std::array<int, kFds> fds = receivedFds(manager, event.txn);
  for (size_t i = 0; i < kFds; ++i) {
    SCOPED_TRACE("fd " + std::to_string(i));
    ASSERT_TRUE(isOpen(fds[i])) << "received fd " << fds[i] << " is not open";
    EXPECT_NE(fds[i], pipes[i].write.get()) << "a new descriptor";
    EXPECT_TRUE(::fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
    EXPECT_EQ(inodeOf(fds[i]), inodeOf(pipes[i].write.get())) << "the same file";
    EXPECT_EQ(::write(fds[i], "x", 1), 1) << std::strerror(errno);
    char byte = 0;
    EXPECT_EQ(::read(pipes[i].read.get(), &byte, 1), 1);
  }

  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  for (size_t i = 0; i < kFds; ++i)
    EXPECT_FALSE(isOpen(fds[i])) << "fd " << fds[i] << " still open after BC_FREE_BUFFER";
  client.wait();
}

TEST(Fda, EmptyArrayIsAccepted) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  FdBlob blob;

  ChildProcess client("client", [&] {
    BinderConnection connection;
    ASSERT_EQ(connection.write(
                  CommandWriter().transactionSg(0, 1, fdArrayPayload(blob, 0), sizeof(FdBlob))),
              0);
    EXPECT_EQ(lastCommandName(connection.readUntil(BR_REPLY)), "BR_REPLY");
  });
  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(event.txn.object<binder_fd_array_object>(1).num_fds, 0u);
  manager.writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(Payload()));
  client.wait();
}

TEST(Fda, ArrayToANodeThatDoesNotAcceptFdsFails) {
  BinderConnection manager = contextManager();  // no FLAT_BINDER_FLAG_ACCEPTS_FDS
  static PipeFds pipe = makePipe();
  static FdBlob blob;
  blob.fds.fill(static_cast<uint32_t>(pipe.write.get()));
  expectFdArrayCallRejected(
      manager, [] { return fdArrayPayload(blob); }, EPERM);
}

TEST(Fda, InvalidFdInTheArrayFails) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  static PipeFds pipe = makePipe();
  static FdBlob blob;
  blob.fds = {static_cast<uint32_t>(pipe.write.get()), 999, static_cast<uint32_t>(pipe.read.get())};
  expectFdArrayCallRejected(
      manager, [] { return fdArrayPayload(blob); }, EBADF);
}

TEST(Fda, ArrayMustFitInItsParent) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  static FdBlob blob;
  // One descriptor more than the parent holds after the offset.
  expectFdArrayCallRejected(
      manager, [] { return fdArrayPayload(blob, kFds + 1); }, EINVAL);
  // A count whose byte size overflows.
  expectFdArrayCallRejected(
      manager, [] { return fdArrayPayload(blob, ~binder_size_t{0} / 2 + 1); }, EINVAL);
}

TEST(Fda, ArrayOffsetMustBeAligned) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  static FdBlob blob;
  expectFdArrayCallRejected(
      manager, [] { return fdArrayPayload(blob, 1, 2); }, EINVAL);
}

TEST(Fda, ParentMustBeAnEarlierPtrObject) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  static FdBlob blob;
  // Parent index 1 is the array itself.
  expectFdArrayCallRejected(
      manager, [] { return headed().putPtr(&blob, sizeof(blob)).putFdArray(1, 1, kFdsOffset); },
      EINVAL);
  // Parent index 0 is a binder object, not a buffer.
  expectFdArrayCallRejected(
      manager, [] { return headed().putBinder(0x10, 0x20).putFdArray(1, 0, 0); }, EINVAL);
}

// Like a fixup, an array may only go into the last buffer copied or one of its ancestors.
TEST(Fda, ArrayInABufferOutsideTheLastBuffersAncestryFails) {
  BinderConnection manager;
  becomeFdAcceptingManager(manager);
  static PipeFds pipe = makePipe();
  static FdBlob first;
  static FdBlob second;
  first.fds.fill(static_cast<uint32_t>(pipe.write.get()));
  ChildProcess client("client", [&] {
    BinderConnection connection;
    Payload payload = headed();
    payload.putPtr(&first, sizeof(first))
        .putPtr(&second, sizeof(second))
        .putFdArray(1, 0, kFdsOffset);
    ASSERT_EQ(connection.write(CommandWriter().transactionSg(0, 1, payload, 2 * sizeof(FdBlob))),
              0);
    EXPECT_EQ(commandNames(connection.readUntil(BR_FAILED_REPLY)),
              std::vector<std::string>{"BR_FAILED_REPLY"});
    expectExtendedError(connection, BR_FAILED_REPLY, -EINVAL);
  });
  client.wait();
  EXPECT_EQ(commandNames(manager.readQuietly()), std::vector<std::string>{});
}

TEST(Fda, ArrayInAReplyIsInstalledWhenTheCallAcceptsFds) {
  BinderConnection manager = contextManager();
  PipeFds pipe = makePipe();
  const ino_t inode = inodeOf(pipe.write.get());
  FdBlob blob;
  blob.fds.fill(static_cast<uint32_t>(pipe.write.get()));

  ChildProcess client("client", [&] {
    BinderConnection connection;
    std::vector<Event> events = connection.call(0, 1, Payload(), TF_ACCEPT_FDS);
    const Event* reply = findEvent(events, BR_REPLY);
    ASSERT_NE(reply, nullptr) << ::testing::PrintToString(commandNames(events));
    std::array<int, kFds> fds = receivedFds(connection, reply->txn);
    for (int fd : fds) {
      ASSERT_TRUE(isOpen(fd)) << "received fd " << fd << " is not open";
      EXPECT_EQ(inodeOf(fd), inode);
    }
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(reply->txn.buffer())), 0);
    for (int fd : fds) EXPECT_FALSE(isOpen(fd)) << "fd " << fd << " still open after free";
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  manager.writeReply(
      CommandWriter().freeBuffer(event.txn.buffer()).replySg(fdArrayPayload(blob), sizeof(FdBlob)));
  client.wait();
}

TEST(Fda, ArrayInAReplyFailsTheCallWithoutAcceptFds) {
  BinderConnection manager = contextManager();
  PipeFds pipe = makePipe();
  FdBlob blob;
  blob.fds.fill(static_cast<uint32_t>(pipe.write.get()));

  ChildProcess client("client", [] {
    BinderConnection connection;
    EXPECT_EQ(commandNames(connection.call(0, 1, Payload())),
              (std::vector<std::string>{"BR_TRANSACTION_COMPLETE", "BR_FAILED_REPLY"}));
    expectExtendedError(connection, BR_FAILED_REPLY, -EPERM);
  });

  Event event = manager.waitFor(BR_TRANSACTION);
  EXPECT_EQ(manager.write(CommandWriter()
                              .freeBuffer(event.txn.buffer())
                              .replySg(fdArrayPayload(blob), sizeof(FdBlob))),
            0);
  EXPECT_EQ(commandNames(manager.read()), std::vector<std::string>{"BR_TRANSACTION_COMPLETE"});
  client.wait();
}

}  // namespace
}  // namespace binder_test
