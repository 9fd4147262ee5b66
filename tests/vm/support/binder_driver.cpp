#include "binder_driver.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

#include "vm_test_env.h"
// The BR_ codes newer than the build host's UAPI header (the parser knows their payloads).
#include "../conformance/uapi_extras.h"

namespace binder_test {
namespace {

constexpr size_t kReadBufferSize = 32 * 1024;

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

flat_binder_object flatObject(uint32_t type, uint32_t flags) {
  flat_binder_object object{};
  object.hdr.type = type;
  object.flags = flags;
  return object;
}

// Copies SIZE bytes at user address ADDR out of the mapping, or fails the test. SIZE is a
// binder_size_t, as the driver gives it, so that a 32-bit build checks it whole.
bool copyFromMap(const uint8_t* map, size_t mapSize, binder_uintptr_t addr, binder_size_t size,
                 void* out) {
  auto base = userAddress(map);
  if (map == nullptr || addr < base || size > mapSize || addr - base > mapSize - size) {
    ADD_FAILURE() << "driver returned a buffer outside the mapping: 0x" << std::hex << addr
                  << " size 0x" << size;
    return false;
  }
  std::memcpy(out, map + (addr - base), static_cast<size_t>(size));
  return true;
}

ReceivedTransaction receiveTransaction(const binder_transaction_data& tr, const uint8_t* map,
                                       size_t mapSize) {
  ReceivedTransaction txn;
  txn.tr = tr;
  // The sizes are 64-bit values; check them against the mapping before they become a
  // size_t, which is 32 bits wide in a 32-bit build.
  if (tr.data_size > mapSize || tr.offsets_size > mapSize) {
    ADD_FAILURE() << "driver returned a transaction larger than the mapping: data_size "
                  << tr.data_size << ", offsets_size " << tr.offsets_size;
    return txn;
  }
  txn.data.resize(static_cast<size_t>(tr.data_size));
  txn.offsets.resize(static_cast<size_t>(tr.offsets_size) / sizeof(binder_size_t));
  if (!txn.data.empty())
    copyFromMap(map, mapSize, tr.data.ptr.buffer, txn.data.size(), txn.data.data());
  if (!txn.offsets.empty()) {
    copyFromMap(map, mapSize, tr.data.ptr.offsets, txn.offsets.size() * sizeof(binder_size_t),
                txn.offsets.data());
  }
  return txn;
}

}  // namespace

Payload& Payload::putBytes(const void* bytes, size_t size) {
  auto* begin = static_cast<const uint8_t*>(bytes);
  data_.insert(data_.end(), begin, begin + size);
  return *this;
}

Payload& Payload::putBinder(binder_uintptr_t ptr, binder_uintptr_t cookie, uint32_t flags) {
  flat_binder_object object = flatObject(BINDER_TYPE_BINDER, flags);
  object.binder = ptr;
  object.cookie = cookie;
  return putObject(object);
}

Payload& Payload::putWeakBinder(binder_uintptr_t ptr, binder_uintptr_t cookie, uint32_t flags) {
  flat_binder_object object = flatObject(BINDER_TYPE_WEAK_BINDER, flags);
  object.binder = ptr;
  object.cookie = cookie;
  return putObject(object);
}

Payload& Payload::putHandle(uint32_t handle) {
  flat_binder_object object = flatObject(BINDER_TYPE_HANDLE, 0);
  object.handle = handle;
  return putObject(object);
}

Payload& Payload::putWeakHandle(uint32_t handle) {
  flat_binder_object object = flatObject(BINDER_TYPE_WEAK_HANDLE, 0);
  object.handle = handle;
  return putObject(object);
}

Payload& Payload::putFd(int fd, binder_uintptr_t cookie) {
  binder_fd_object object{};
  object.hdr.type = BINDER_TYPE_FD;
  object.fd = static_cast<__u32>(fd);
  object.cookie = cookie;
  return putObject(object);
}

Payload& Payload::putPtr(const void* buffer, size_t length, uint32_t flags, binder_size_t parent,
                         binder_size_t parentOffset) {
  binder_buffer_object object{};
  object.hdr.type = BINDER_TYPE_PTR;
  object.flags = flags;
  object.buffer = userAddress(buffer);
  object.length = length;
  object.parent = parent;
  object.parent_offset = parentOffset;
  return putObject(object);
}

Payload& Payload::putFdArray(binder_size_t numFds, binder_size_t parent,
                             binder_size_t parentOffset) {
  binder_fd_array_object object{};
  object.hdr.type = BINDER_TYPE_FDA;
  object.num_fds = numFds;
  object.parent = parent;
  object.parent_offset = parentOffset;
  return putObject(object);
}

CommandWriter& CommandWriter::put(const void* bytes, size_t size) {
  auto* begin = static_cast<const uint8_t*>(bytes);
  bytes_.insert(bytes_.end(), begin, begin + size);
  return *this;
}

binder_transaction_data CommandWriter::transactionData(uint32_t handle, uint32_t code,
                                                       Payload payload, uint32_t flags) {
  const Payload& kept = payloads_.emplace_back(std::move(payload));
  binder_transaction_data tr{};
  tr.target.handle = handle;
  tr.code = code;
  tr.flags = flags;
  tr.data_size = kept.data().size();
  tr.offsets_size = kept.offsets().size() * sizeof(binder_size_t);
  tr.data.ptr.buffer = userAddress(kept.data().data());
  tr.data.ptr.offsets = userAddress(kept.offsets().data());
  return tr;
}

CommandWriter& CommandWriter::transactionCommand(uint32_t cmd, uint32_t handle, uint32_t code,
                                                 Payload payload, uint32_t flags) {
  return command(cmd, transactionData(handle, code, std::move(payload), flags));
}

CommandWriter& CommandWriter::transactionSg(uint32_t handle, uint32_t code, Payload payload,
                                            binder_size_t buffersSize, uint32_t flags) {
  binder_transaction_data_sg sg{};
  sg.transaction_data = transactionData(handle, code, std::move(payload), flags);
  sg.buffers_size = buffersSize;
  return command(BC_TRANSACTION_SG, sg);
}

CommandWriter& CommandWriter::replySg(Payload payload, binder_size_t buffersSize, uint32_t flags) {
  binder_transaction_data_sg sg{};
  sg.transaction_data = transactionData(0, 0, std::move(payload), flags);
  sg.buffers_size = buffersSize;
  return command(BC_REPLY_SG, sg);
}

CommandWriter& CommandWriter::transaction(uint32_t handle, uint32_t code, Payload payload,
                                          uint32_t flags) {
  return transactionCommand(BC_TRANSACTION, handle, code, std::move(payload), flags);
}

CommandWriter& CommandWriter::reply(Payload payload, uint32_t flags, uint32_t code) {
  return transactionCommand(BC_REPLY, 0, code, std::move(payload), flags);
}

bool ReceivedTransaction::checkRange(binder_size_t offset, size_t size) const {
  if (offset <= data.size() && size <= data.size() - offset) return true;
  ADD_FAILURE() << "reading " << size << " bytes at " << offset << " of a " << data.size()
                << "-byte transaction";
  return false;
}

void ReceivedTransaction::missingObject(size_t index) const {
  ADD_FAILURE() << "transaction has " << offsets.size() << " objects, not " << index + 1;
}

std::string commandName(uint32_t cmd) {
  switch (cmd) {
#define BINDER_TEST_NAME(code) \
  case code:                   \
    return #code;
    BINDER_TEST_NAME(BR_ERROR)
    BINDER_TEST_NAME(BR_OK)
    BINDER_TEST_NAME(BR_TRANSACTION_SEC_CTX)
    BINDER_TEST_NAME(BR_TRANSACTION)
    BINDER_TEST_NAME(BR_REPLY)
    BINDER_TEST_NAME(BR_ACQUIRE_RESULT)
    BINDER_TEST_NAME(BR_DEAD_REPLY)
    BINDER_TEST_NAME(BR_TRANSACTION_COMPLETE)
    BINDER_TEST_NAME(BR_INCREFS)
    BINDER_TEST_NAME(BR_ACQUIRE)
    BINDER_TEST_NAME(BR_RELEASE)
    BINDER_TEST_NAME(BR_DECREFS)
    BINDER_TEST_NAME(BR_ATTEMPT_ACQUIRE)
    BINDER_TEST_NAME(BR_NOOP)
    BINDER_TEST_NAME(BR_SPAWN_LOOPER)
    BINDER_TEST_NAME(BR_FINISHED)
    BINDER_TEST_NAME(BR_DEAD_BINDER)
    BINDER_TEST_NAME(BR_CLEAR_DEATH_NOTIFICATION_DONE)
    BINDER_TEST_NAME(BR_FAILED_REPLY)
    BINDER_TEST_NAME(BR_FROZEN_REPLY)
    BINDER_TEST_NAME(BR_ONEWAY_SPAM_SUSPECT)
    BINDER_TEST_NAME(BR_TRANSACTION_PENDING_FROZEN)
    BINDER_TEST_NAME(BR_FROZEN_BINDER)
    BINDER_TEST_NAME(BR_CLEAR_FREEZE_NOTIFICATION_DONE)
#undef BINDER_TEST_NAME
    case 0:
      return "(none)";
    default:
      return "BR_? 0x" + [cmd] {
        char hex[16];
        std::snprintf(hex, sizeof(hex), "%08x", cmd);
        return std::string(hex);
      }();
  }
}

std::vector<std::string> commandNames(const std::vector<Event>& events) {
  std::vector<std::string> names;
  for (const Event& event : events) names.push_back(commandName(event.cmd));
  return names;
}

std::string lastCommandName(const std::vector<Event>& events) {
  return commandName(events.empty() ? 0 : events.back().cmd);
}

const Event* findEvent(const std::vector<Event>& events, uint32_t cmd) {
  for (const Event& event : events) {
    if (event.cmd == cmd) return &event;
  }
  return nullptr;
}

bool isOutcome(uint32_t cmd) {
  return cmd == BR_REPLY || cmd == BR_DEAD_REPLY || cmd == BR_FAILED_REPLY ||
         cmd == BR_FROZEN_REPLY;
}

std::vector<Event> parseReturns(const uint8_t* bytes, size_t size, const uint8_t* map,
                                size_t mapSize) {
  std::vector<Event> events;
  size_t pos = 0;
  while (pos + sizeof(uint32_t) <= size) {
    Event event;
    std::memcpy(&event.cmd, bytes + pos, sizeof(event.cmd));
    pos += sizeof(event.cmd);
    const size_t argSize = _IOC_SIZE(event.cmd);
    if (argSize > size - pos) {
      ADD_FAILURE() << commandName(event.cmd) << " truncated: " << argSize << " bytes expected, "
                    << size - pos << " left";
      break;
    }
    const uint8_t* arg = bytes + pos;
    pos += argSize;
    switch (event.cmd) {
      case BR_NOOP:
        continue;
      case BR_TRANSACTION:
      case BR_REPLY: {
        binder_transaction_data tr;
        std::memcpy(&tr, arg, sizeof(tr));
        event.txn = receiveTransaction(tr, map, mapSize);
        break;
      }
      case BR_TRANSACTION_SEC_CTX: {
        binder_transaction_data_secctx tr;
        std::memcpy(&tr, arg, sizeof(tr));
        event.txn = receiveTransaction(tr.transaction_data, map, mapSize);
        event.secctx = tr.secctx;
        break;
      }
      case BR_FROZEN_BINDER: {
        binder_test_frozen_state_info state;
        std::memcpy(&state, arg, sizeof(state));
        event.cookie = state.cookie;
        event.isFrozen = state.is_frozen;
        break;
      }
      case BR_INCREFS:
      case BR_ACQUIRE:
      case BR_RELEASE:
      case BR_DECREFS:
        std::memcpy(&event.node, arg, sizeof(event.node));
        break;
      case BR_DEAD_BINDER:
      case BR_CLEAR_DEATH_NOTIFICATION_DONE:
      case BR_CLEAR_FREEZE_NOTIFICATION_DONE:
        std::memcpy(&event.cookie, arg, sizeof(event.cookie));
        break;
      case BR_ERROR:
        std::memcpy(&event.error, arg, sizeof(event.error));
        break;
      default:
        break;
    }
    events.push_back(std::move(event));
  }
  EXPECT_EQ(pos, size) << "trailing bytes in the return stream";
  return events;
}

BinderConnection::BinderConnection(size_t mapSize, Mode mode) : mode_(mode) {
  int flags = O_RDWR | O_CLOEXEC | (mode == Mode::kNonBlocking ? O_NONBLOCK : 0);
  fd_.reset(::open(devicePath().c_str(), flags));
  if (!fd_.ok()) {
    ADD_FAILURE() << "open(" << devicePath() << "): " << std::strerror(errno);
    return;
  }
  if (mapSize == 0) return;
  void* map = ::mmap(nullptr, mapSize, PROT_READ, MAP_PRIVATE, fd_.get(), 0);
  if (map == MAP_FAILED) {
    ADD_FAILURE() << "mmap(" << mapSize << "): " << std::strerror(errno);
    return;
  }
  map_ = static_cast<uint8_t*>(map);
  mapSize_ = mapSize;
}

BinderConnection::BinderConnection(BinderConnection&& other) noexcept
    : fd_(std::move(other.fd_)),
      mode_(other.mode_),
      map_(std::exchange(other.map_, nullptr)),
      mapSize_(std::exchange(other.mapSize_, 0)) {}

BinderConnection::~BinderConnection() { close(); }

void BinderConnection::close() {
  if (map_ != nullptr) ::munmap(map_, mapSize_);
  map_ = nullptr;
  fd_.reset();
}

int BinderConnection::ioctlErrno(unsigned long request, void* arg) {
  return ::ioctl(fd_.get(), request, arg) == 0 ? 0 : errno;
}

int BinderConnection::writeRead(const CommandWriter* commands, std::vector<Event>* events) {
  std::vector<uint8_t> readBuffer(events != nullptr ? kReadBufferSize : 0);
  binder_write_read bwr{};
  if (commands != nullptr) {
    bwr.write_buffer = userAddress(commands->bytes().data());
    bwr.write_size = commands->bytes().size();
  }
  bwr.read_buffer = userAddress(readBuffer.data());
  bwr.read_size = readBuffer.size();
  int err;
  do {
    err = ioctlErrno(BINDER_WRITE_READ, &bwr);
  } while (err == EINTR);
  if (err == 0 && commands != nullptr) {
    EXPECT_EQ(bwr.write_consumed, bwr.write_size) << "driver left commands unconsumed";
  }
  if (events != nullptr) {
    EXPECT_LE(bwr.read_consumed, bwr.read_size) << "driver wrote past the read buffer";
    const auto consumed = std::min<binder_size_t>(bwr.read_consumed, bwr.read_size);
    *events = parseReturns(readBuffer.data(), static_cast<size_t>(consumed), map_, mapSize_);
  }
  return err;
}

int BinderConnection::write(const CommandWriter& commands) { return writeRead(&commands, nullptr); }

std::vector<Event> BinderConnection::read(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::vector<Event> events;
  for (;;) {
    if (mode_ == Mode::kNonBlocking) {
      pollfd pfd{fd_.get(), POLLIN, 0};
      int ready = ::poll(&pfd, 1, remainingMs(deadline));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) {
        ADD_FAILURE() << "poll: " << std::strerror(errno);
        return {};
      }
      if (ready == 0) return {};
    }
    int err = writeRead(nullptr, &events);
    // EAGAIN: another thread of the process took the work first.
    if (err != 0 && err != EAGAIN) {
      ADD_FAILURE() << "BINDER_WRITE_READ (read): " << std::strerror(err);
      return {};
    }
    // A read that gave only BR_NOOP was a wake-up without work.
    if (!events.empty()) return events;
    if (remainingMs(deadline) == 0) return {};
  }
}

std::vector<Event> BinderConnection::readUntil(uint32_t cmd, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::vector<Event> all;
  while (findEvent(all, cmd) == nullptr) {
    std::vector<Event> events = read(std::chrono::milliseconds(remainingMs(deadline)));
    if (events.empty()) break;
    for (Event& event : events) all.push_back(std::move(event));
  }
  return all;
}

std::vector<Event> BinderConnection::readQuietly(std::chrono::milliseconds window) {
  const auto deadline = Clock::now() + window;
  std::vector<Event> all;
  while (remainingMs(deadline) > 0) {
    std::vector<Event> events = read(std::chrono::milliseconds(remainingMs(deadline)));
    for (Event& event : events) all.push_back(std::move(event));
  }
  return all;
}

Event BinderConnection::waitFor(uint32_t cmd, std::chrono::milliseconds timeout) {
  std::vector<Event> events = readUntil(cmd, timeout);
  const Event* found = findEvent(events, cmd);
  if (found == nullptr) {
    ADD_FAILURE() << "no " << commandName(cmd) << " within " << timeout.count()
                  << " ms; read instead: " << ::testing::PrintToString(commandNames(events));
    return Event{};
  }
  return *found;
}

std::vector<Event> BinderConnection::call(uint32_t handle, uint32_t code, Payload payload,
                                          uint32_t flags, std::chrono::milliseconds timeout) {
  int err = write(CommandWriter().transaction(handle, code, std::move(payload), flags));
  if (err != 0) {
    ADD_FAILURE() << "BC_TRANSACTION: " << std::strerror(err);
    return {};
  }
  const auto deadline = Clock::now() + timeout;
  std::vector<Event> all;
  while (all.empty() || !isOutcome(all.back().cmd)) {
    std::vector<Event> events = read(std::chrono::milliseconds(remainingMs(deadline)));
    if (events.empty()) {
      ADD_FAILURE() << "no outcome for the call within " << timeout.count() << " ms; read "
                    << ::testing::PrintToString(commandNames(all));
      return all;
    }
    for (Event& event : events) all.push_back(std::move(event));
  }
  return all;
}

void BinderConnection::writeReply(const CommandWriter& commands) {
  int err = write(commands);
  EXPECT_EQ(err, 0) << "BC_REPLY: " << std::strerror(err);
  if (err == 0) waitFor(BR_TRANSACTION_COMPLETE);
}

ReceivedTransaction BinderConnection::serveOne(Payload reply, std::chrono::milliseconds timeout) {
  Event event = waitFor(BR_TRANSACTION, timeout);
  if (event.cmd != BR_TRANSACTION) return {};
  writeReply(CommandWriter().freeBuffer(event.txn.buffer()).reply(std::move(reply)));
  return std::move(event.txn);
}

void BinderConnection::enterLooper() {
  int err = write(CommandWriter().enterLooper());
  EXPECT_EQ(err, 0) << "BC_ENTER_LOOPER: " << std::strerror(err);
}

int BinderConnection::claimContextManager(const flat_binder_object* node) {
  flat_binder_object copy = node != nullptr ? *node : flat_binder_object{};
  const auto deadline = Clock::now() + kTimeout;
  for (;;) {
    int err = node != nullptr ? ioctlErrno(BINDER_SET_CONTEXT_MGR_EXT, &copy)
                              : ioctlErrno(BINDER_SET_CONTEXT_MGR, nullptr);
    if (err != EBUSY || remainingMs(deadline) == 0) return err;
    std::this_thread::sleep_for(5ms);
  }
}

void BinderConnection::becomeContextManager() {
  int err = claimContextManager();
  EXPECT_EQ(err, 0) << "BINDER_SET_CONTEXT_MGR: " << std::strerror(err);
}

binder_extended_error BinderConnection::extendedError() {
  binder_extended_error ee{};
  int err = ioctlErrno(BINDER_GET_EXTENDED_ERROR, &ee);
  EXPECT_EQ(err, 0) << "BINDER_GET_EXTENDED_ERROR: " << std::strerror(err);
  return ee;
}

int BinderConnection::freeze(pid_t pid, bool enable, uint32_t timeoutMs) {
  binder_freeze_info info{};
  info.pid = static_cast<__u32>(pid);
  info.enable = enable ? 1 : 0;
  info.timeout_ms = timeoutMs;
  return ioctlErrno(BINDER_FREEZE, &info);
}

int BinderConnection::frozenInfo(pid_t pid, binder_frozen_status_info* info) {
  *info = binder_frozen_status_info{};
  info->pid = static_cast<__u32>(pid);
  return ioctlErrno(BINDER_GET_FROZEN_INFO, info);
}

bool BinderConnection::inMapping(binder_uintptr_t addr, binder_size_t size) const {
  auto base = userAddress(map_);
  return map_ != nullptr && addr >= base && size <= mapSize_ && addr - base <= mapSize_ - size;
}

std::vector<uint8_t> BinderConnection::readMapped(binder_uintptr_t addr, binder_size_t size) const {
  // Larger than the mapping, SIZE may not even fit a size_t (in a 32-bit build).
  std::vector<uint8_t> bytes(static_cast<size_t>(std::min<binder_size_t>(size, mapSize_)));
  if (size > 0) copyFromMap(map_, mapSize_, addr, size, bytes.data());
  return bytes;
}

BinderConnection contextManager(size_t mapSize, BinderConnection::Mode mode) {
  BinderConnection connection(mapSize, mode);
  connection.becomeContextManager();
  connection.enterLooper();
  return connection;
}

void expectExtendedError(BinderConnection& connection, uint32_t command, int32_t param) {
  binder_extended_error ee = connection.extendedError();
  EXPECT_NE(ee.id, 0u) << "no transaction id";
  EXPECT_EQ(commandName(ee.command), commandName(command));
  EXPECT_EQ(ee.param, param) << "as errno: " << std::strerror(-ee.param);
}

}  // namespace binder_test
