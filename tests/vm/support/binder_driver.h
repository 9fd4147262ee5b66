// Raw access to a binder device for the conformance suite: a connection (open + read-only
// mmap), a writer for BC_ commands and their payloads, a parser that turns the BR_ return
// stream into events, and reads that always give up after a bounded wait.
//
// Nothing here interprets the protocol for the test: every command the test writes reaches
// the driver as written, and every return the driver produces (except BR_NOOP) comes back as
// an event, in order, so tests can check exact codes and orderings.
#pragma once

#include <linux/android/binder.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "unique_fd.h"

namespace binder_test {

using namespace std::chrono_literals;

// How long a test waits for something that must happen (generous: the guest is emulated).
inline constexpr std::chrono::milliseconds kTimeout = 10s;
// How long a test watches for something that must not happen.
inline constexpr std::chrono::milliseconds kQuiet = 300ms;
inline constexpr size_t kDefaultMapSize = 1024 * 1024;
// The driver never maps more than this for one process, whatever the mmap asked for.
inline constexpr size_t kMaxMapSize = 4 * 1024 * 1024;

// POINTER as the driver reads a user address: zero-extended to 64 bits. (A direct
// reinterpret_cast<binder_uintptr_t> sign-extends in a 32-bit build, and a 32-bit process's
// stack and mappings lie above 2 GiB.)
inline binder_uintptr_t userAddress(const void* pointer) {
  return static_cast<binder_uintptr_t>(reinterpret_cast<uintptr_t>(pointer));
}

// The data of a transaction or reply: bytes, plus the offsets of the objects among them.
class Payload {
 public:
  Payload& putU32(uint32_t value) { return putBytes(&value, sizeof(value)); }
  Payload& putU64(uint64_t value) { return putBytes(&value, sizeof(value)); }
  Payload& putBytes(const void* bytes, size_t size);
  Payload& putZeros(size_t size) {
    data_.resize(data_.size() + size);
    return *this;
  }

  // Objects: appended to the data, their offset recorded.
  Payload& putBinder(binder_uintptr_t ptr, binder_uintptr_t cookie, uint32_t flags = 0);
  Payload& putWeakBinder(binder_uintptr_t ptr, binder_uintptr_t cookie, uint32_t flags = 0);
  Payload& putHandle(uint32_t handle);
  Payload& putWeakHandle(uint32_t handle);
  Payload& putFd(int fd, binder_uintptr_t cookie = 0);
  // Scatter-gather objects (BC_TRANSACTION_SG / BC_REPLY_SG). A BINDER_TYPE_PTR object: the
  // driver copies LENGTH bytes at BUFFER (the caller keeps them alive until the command is
  // written) into the receiver's buffer. With BINDER_BUFFER_FLAG_HAS_PARENT in FLAGS, the
  // pointer at PARENT_OFFSET in the buffer of object number PARENT is fixed up to the copy.
  Payload& putPtr(const void* buffer, size_t length, uint32_t flags = 0, binder_size_t parent = 0,
                  binder_size_t parentOffset = 0);
  // A BINDER_TYPE_FDA object: NUM_FDS descriptors (32-bit each) at PARENT_OFFSET in the
  // buffer of object number PARENT, installed in the receiver.
  Payload& putFdArray(binder_size_t numFds, binder_size_t parent, binder_size_t parentOffset);
  template <typename Object>
  Payload& putObject(const Object& object) {
    offsets_.push_back(data_.size());
    return putBytes(&object, sizeof(object));
  }

  // An offset that need not point at anything, for malformed transactions.
  Payload& addRawOffset(binder_size_t offset) {
    offsets_.push_back(offset);
    return *this;
  }

  const std::vector<uint8_t>& data() const { return data_; }
  const std::vector<binder_size_t>& offsets() const { return offsets_; }

 private:
  std::vector<uint8_t> data_;
  std::vector<binder_size_t> offsets_;
};

// A sequence of BC_ commands for one BINDER_WRITE_READ. It owns copies of the payloads its
// transactions point at, so it stays valid until it is destroyed.
class CommandWriter {
 public:
  CommandWriter& command(uint32_t cmd) { return put(&cmd, sizeof(cmd)); }
  template <typename Arg>
  CommandWriter& command(uint32_t cmd, const Arg& arg) {
    command(cmd);
    return put(&arg, sizeof(arg));
  }

  CommandWriter& transaction(uint32_t handle, uint32_t code, Payload payload, uint32_t flags = 0);
  CommandWriter& reply(Payload payload, uint32_t flags = 0, uint32_t code = 0);
  // BC_TRANSACTION_SG / BC_REPLY_SG: BUFFERS_SIZE bytes of extra buffer space for the
  // payload's BINDER_TYPE_PTR objects.
  CommandWriter& transactionSg(uint32_t handle, uint32_t code, Payload payload,
                               binder_size_t buffersSize, uint32_t flags = 0);
  CommandWriter& replySg(Payload payload, binder_size_t buffersSize, uint32_t flags = 0);
  CommandWriter& freeBuffer(binder_uintptr_t buffer) { return command(BC_FREE_BUFFER, buffer); }

  CommandWriter& increfs(uint32_t handle) { return command(BC_INCREFS, handle); }
  CommandWriter& acquire(uint32_t handle) { return command(BC_ACQUIRE, handle); }
  CommandWriter& release(uint32_t handle) { return command(BC_RELEASE, handle); }
  CommandWriter& decrefs(uint32_t handle) { return command(BC_DECREFS, handle); }
  CommandWriter& increfsDone(binder_uintptr_t ptr, binder_uintptr_t cookie) {
    return command(BC_INCREFS_DONE, binder_ptr_cookie{ptr, cookie});
  }
  CommandWriter& acquireDone(binder_uintptr_t ptr, binder_uintptr_t cookie) {
    return command(BC_ACQUIRE_DONE, binder_ptr_cookie{ptr, cookie});
  }

  CommandWriter& requestDeathNotification(uint32_t handle, binder_uintptr_t cookie) {
    return command(BC_REQUEST_DEATH_NOTIFICATION, binder_handle_cookie{handle, cookie});
  }
  CommandWriter& clearDeathNotification(uint32_t handle, binder_uintptr_t cookie) {
    return command(BC_CLEAR_DEATH_NOTIFICATION, binder_handle_cookie{handle, cookie});
  }
  CommandWriter& deadBinderDone(binder_uintptr_t cookie) {
    return command(BC_DEAD_BINDER_DONE, cookie);
  }

  CommandWriter& enterLooper() { return command(BC_ENTER_LOOPER); }
  CommandWriter& registerLooper() { return command(BC_REGISTER_LOOPER); }

  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  CommandWriter& put(const void* bytes, size_t size);
  CommandWriter& transactionCommand(uint32_t cmd, uint32_t handle, uint32_t code, Payload payload,
                                    uint32_t flags);
  binder_transaction_data transactionData(uint32_t handle, uint32_t code, Payload payload,
                                          uint32_t flags);

  std::vector<uint8_t> bytes_;
  std::deque<Payload> payloads_;  // a deque never moves its elements as it grows
};

// A BR_TRANSACTION or BR_REPLY as received, with copies of its data and offsets (the buffer
// itself stays in the receiver's mapping until BC_FREE_BUFFER).
struct ReceivedTransaction {
  binder_transaction_data tr{};
  std::vector<uint8_t> data;
  std::vector<binder_size_t> offsets;

  binder_uintptr_t buffer() const { return tr.data.ptr.buffer; }
  // The INDEXth object, as listed by the offsets (a test failure, and zeros, if none).
  template <typename Object = flat_binder_object>
  Object object(size_t index = 0) const {
    if (index >= offsets.size()) {
      missingObject(index);
      return Object{};
    }
    return at<Object>(offsets[index]);
  }
  // The value of type T at OFFSET in the data (a test failure, and zeros, past the end).
  // OFFSET is a binder_size_t, as the driver gives it, so that a 32-bit build checks it
  // whole rather than narrowed.
  template <typename T>
  T at(binder_size_t offset) const {
    T value{};
    if (!checkRange(offset, sizeof(T))) return value;
    std::memcpy(&value, data.data() + static_cast<size_t>(offset), sizeof(T));
    return value;
  }

 private:
  bool checkRange(binder_size_t offset, size_t size) const;
  void missingObject(size_t index) const;
};

// One BR_ return. Which fields mean something depends on cmd.
struct Event {
  uint32_t cmd = 0;
  ReceivedTransaction txn;      // BR_TRANSACTION, BR_TRANSACTION_SEC_CTX, BR_REPLY
  binder_uintptr_t secctx = 0;  // BR_TRANSACTION_SEC_CTX: the context's address in the mapping
  binder_ptr_cookie node{};     // BR_INCREFS, BR_ACQUIRE, BR_RELEASE, BR_DECREFS
  // BR_DEAD_BINDER, BR_CLEAR_DEATH_NOTIFICATION_DONE, BR_FROZEN_BINDER,
  // BR_CLEAR_FREEZE_NOTIFICATION_DONE
  binder_uintptr_t cookie = 0;
  uint32_t isFrozen = 0;        // BR_FROZEN_BINDER
  int32_t error = 0;            // BR_ERROR
};

// "BR_REPLY" for BR_REPLY; tests compare names so failures read well.
std::string commandName(uint32_t cmd);
std::vector<std::string> commandNames(const std::vector<Event>& events);
// The name of the last event's command ("(none)" when there is none): a call's outcome.
std::string lastCommandName(const std::vector<Event>& events);
// The first event with CMD, or nullptr.
const Event* findEvent(const std::vector<Event>& events, uint32_t cmd);
// Parses a BR_ stream; BR_NOOP is left out.
std::vector<Event> parseReturns(const uint8_t* bytes, size_t size, const uint8_t* map,
                                size_t mapSize);

// A process's connection to the binder device: the open file and its mapping; each thread
// that uses it is a thread of its own to the driver. Reads wait with poll() and read without
// blocking, so no read outlives its timeout. A blocking connection waits inside the driver,
// where the thread counts as idle (the BR_SPAWN_LOOPER rules need that); its reads have no
// timeout, so only children use it. Reads that bring nothing but BR_NOOP (the driver wakes
// waiting threads for other reasons, e.g. when any descriptor of the device is closed) are
// not returned: reading goes on.
class BinderConnection {
 public:
  enum class Mode { kNonBlocking, kBlocking };

  // Opens the device and maps MAP_SIZE bytes read-only (no mapping when 0). A failure is a
  // test failure; ok() tells.
  explicit BinderConnection(size_t mapSize = kDefaultMapSize, Mode mode = Mode::kNonBlocking);
  BinderConnection(BinderConnection&& other) noexcept;
  BinderConnection& operator=(BinderConnection&&) = delete;
  BinderConnection(const BinderConnection&) = delete;
  BinderConnection& operator=(const BinderConnection&) = delete;
  ~BinderConnection();

  bool ok() const { return fd_.ok() && (mapSize_ == 0 || map_ != nullptr); }
  int fd() const { return fd_.get(); }
  const uint8_t* map() const { return map_; }
  // Closes the device (and unmaps), as a process exit would.
  void close();

  // BINDER_WRITE_READ with only a write part: 0 or the errno.
  int write(const CommandWriter& commands);
  // ioctl(REQUEST, ARG): 0 or the errno.
  int ioctlErrno(unsigned long request, void* arg);

  // Waits up to TIMEOUT (no limit when blocking) for the calling thread to have work and
  // returns what one read gave (empty on timeout).
  std::vector<Event> read(std::chrono::milliseconds timeout = kTimeout);
  // Reads until an event with CMD arrives or TIMEOUT passes; returns everything read.
  std::vector<Event> readUntil(uint32_t cmd, std::chrono::milliseconds timeout = kTimeout);
  // Everything that arrives within WINDOW; for checking that nothing does.
  std::vector<Event> readQuietly(std::chrono::milliseconds window = kQuiet);
  // The next event with CMD (others read before it are dropped); a test failure and an
  // event with cmd 0 if none arrives in time.
  Event waitFor(uint32_t cmd, std::chrono::milliseconds timeout = kTimeout);

  // Sends a synchronous transaction and reads until its outcome (BR_REPLY, BR_DEAD_REPLY or
  // BR_FAILED_REPLY); returns every event read on the way, the outcome last.
  std::vector<Event> call(uint32_t handle, uint32_t code, Payload payload, uint32_t flags = 0,
                          std::chrono::milliseconds timeout = kTimeout);
  // Writes COMMANDS, which hold a BC_REPLY, and waits for the BR_TRANSACTION_COMPLETE that
  // acknowledges it (events read before it are dropped).
  void writeReply(const CommandWriter& commands);
  // Waits for a transaction, frees its buffer and replies with REPLY; returns it.
  ReceivedTransaction serveOne(Payload reply = Payload(),
                               std::chrono::milliseconds timeout = kTimeout);

  // BC_ENTER_LOOPER on its own: the calling thread becomes a looper, which BR_SPAWN_LOOPER
  // counts (any thread without a call in progress reads the process's work; the driver only
  // complains in its log about one that did not enter the looper).
  void enterLooper();
  // BINDER_SET_CONTEXT_MGR (or _EXT with NODE), retried while it fails with EBUSY because a
  // closed manager's node is not yet dropped (the driver does that a little after close());
  // returns 0 or the final errno.
  int claimContextManager(const flat_binder_object* node = nullptr);
  // claimContextManager(), and a test failure unless it succeeds.
  void becomeContextManager();
  // BINDER_GET_EXTENDED_ERROR for the calling thread.
  binder_extended_error extendedError();
  // BINDER_FREEZE of process PID (any process: the ioctl only needs some binder file):
  // 0 or the errno.
  int freeze(pid_t pid, bool enable, uint32_t timeoutMs = 0);
  // BINDER_GET_FROZEN_INFO of process PID; 0 or the errno, the answer in *INFO.
  int frozenInfo(pid_t pid, binder_frozen_status_info* info);

  // A copy of SIZE bytes at address ADDR of the mapping, e.g. a scatter-gather buffer a
  // received object points at (a test failure, and zeros, outside the mapping).
  std::vector<uint8_t> readMapped(binder_uintptr_t addr, binder_size_t size) const;
  // True when [ADDR, ADDR + SIZE) lies inside the mapping.
  bool inMapping(binder_uintptr_t addr, binder_size_t size) const;

 private:
  // One BINDER_WRITE_READ; returns 0 or the errno, and what was read.
  int writeRead(const CommandWriter* commands, std::vector<Event>* events);

  UniqueFd fd_;
  Mode mode_;
  uint8_t* map_ = nullptr;
  size_t mapSize_ = 0;
};

// The outcome commands of a synchronous transaction.
bool isOutcome(uint32_t cmd);

// A connection that is the context manager, with the calling thread a looper: the server
// side of most tests.
BinderConnection contextManager(size_t mapSize = kDefaultMapSize,
                                BinderConnection::Mode mode = BinderConnection::Mode::kNonBlocking);

// Expects the calling thread's extended error (BINDER_GET_EXTENDED_ERROR) to name a
// transaction and say COMMAND with PARAM (a negative errno).
void expectExtendedError(BinderConnection& connection, uint32_t command, int32_t param);

}  // namespace binder_test
