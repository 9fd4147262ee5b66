// binder_fuzz: a structure-aware fuzzer for the binder driver. Several processes (a context
// manager, clients and servers, some with several threads) drive BINDER_WRITE_READ streams
// generated from a seed: valid command sequences mixed with mutated ones, random ioctls, and
// random mmap/close/fork/exit/kill timing. The driver's errors are normal outcomes; what fails
// a run is a process that hangs, a fuzzer process that crashes, or a driver that breaks the
// protocol's own invariants (a buffer outside the mapping, an unknown return code). A kernel
// splat is caught by the VM harness around this program.
//
// Every pointer handed to the driver points either at data the call is meant to use, or into
// scratch memory nothing else uses, or at memory the driver cannot write (the read-only binder
// mapping, a PROT_NONE guard, unmapped or kernel addresses): whatever the driver does with a
// bad command, it cannot corrupt the fuzzer's own state.
#include <fcntl.h>
#include <linux/android/binder.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "robustness_util.h"

namespace binder_robustness {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kProgram = "binder_fuzz";
// A child exits with this status when the driver broke an invariant of the protocol.
constexpr int kDriverViolation = 3;

const char kUsage[] = R"(Usage: binder_fuzz [OPTIONS]

Structure-aware fuzzer for a binder driver (/dev/binder, or $BINDER_DEVICE).

Each round forks PROCESSES processes: process 0 claims the context manager, the others are
clients and servers with one to three threads each. Every thread performs ITERATIONS
operations drawn from a random generator seeded from the round: valid transactions and
replies carrying binders, handles and fds; the same with corrupted data, offsets, object
types, sizes and pointers; random BC_ commands and arguments; refcount and death
notification commands on real and invented handles, with underflows; replies without a
transaction; double and foreign BC_FREE_BUFFER; BINDER_WRITE_READ whose read and write
buffers overlap, point into the read-only mapping, into a guard page or nowhere, with huge
sizes; random ioctl numbers and argument sizes; munmap, re-mmap, close and reopen of the
device, fork, early exit. The parent also SIGKILLs some processes at random moments.

What a round does is fixed by the run seed and the round number: each process and thread
derives its own seed from them, and each thread's generator is reseeded at every step, so
the sequence of operations is the same on every run; only the interleaving between
processes, and so what each operation meets in the driver, varies. The driver's
legitimate errors (EINVAL, EFAULT, BR_FAILED_REPLY, ...) are normal outcomes. A round FAILS
when a process is still running at the round timeout (the stuck threads' wchan and kernel
stacks are printed), when a fuzzer process dies of a signal it was not sent, or when the
driver breaks the protocol (returns a buffer outside the mapping, an unknown return code,
an fd at a number that was already open; accepts a second mapping of a file; reports more
bytes than the read buffer holds). The failing round's seed and the exact command that
replays it are printed. Kernel splats are detected by the VM harness.

Options:
  --seed N          run seed (decimal or 0x hex); default: taken from the clock and printed.
  --duration S      run rounds until S seconds have passed (default 60).
  --rounds N        run exactly N rounds instead of a duration.
  --round N         run only round N of the seed (to replay a failure).
  --iterations N    operations per thread per round (default 300).
  --processes N     processes per round, 2 to 32 (default 6).
  --round-timeout S a round still running after S seconds has hung (default 90).
  --expect-idle     after the last round, require every live object count in the driver's
                    debugfs stats to return to zero (nothing else may use the driver).
  -v, --verbose     print each round's plan and each process's outcome counts;
                    twice: also print every operation (for replaying one round).
  -h, --help        show this help.

Exit status: 0 when every round passed; 1 when a round failed (hang, fuzzer crash, protocol
violation, or objects left with --expect-idle); 2 on a usage error.
)";

struct Options {
  uint64_t seed = 0;
  bool seedGiven = false;
  double durationSeconds = 60;
  long rounds = -1;     // -1: run for the duration
  long onlyRound = -1;  // >= 0: replay that round only
  long iterations = 300;
  long processes = 6;
  long roundTimeoutSeconds = 90;
  bool expectIdle = false;
  int verbose = 0;
};

// ---------------------------------------------------------------------------------------------
// Memory the driver may be pointed at.

constexpr size_t kPage = 4096;
constexpr size_t kScratchSize = 16 * kPage;

// A read-write scratch area followed by a PROT_NONE guard page: a buffer "at the end" lets a
// huge size run into the guard instead of into live memory.
struct Scratch {
  uint8_t* base = nullptr;
  uint8_t* guard() const { return base + kScratchSize; }
};

Scratch makeScratch() {
  void* region = ::mmap(nullptr, kScratchSize + kPage, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    std::perror("binder_fuzz: mmap scratch");
    ::_exit(1);
  }
  Scratch scratch{static_cast<uint8_t*>(region)};
  ::mprotect(scratch.guard(), kPage, PROT_NONE);
  return scratch;
}

// ---------------------------------------------------------------------------------------------
// The generator's vocabulary.

const uint32_t kCommands[] = {
    BC_TRANSACTION,
    BC_REPLY,
    BC_ACQUIRE_RESULT,
    BC_FREE_BUFFER,
    BC_INCREFS,
    BC_ACQUIRE,
    BC_RELEASE,
    BC_DECREFS,
    BC_INCREFS_DONE,
    BC_ACQUIRE_DONE,
    BC_ATTEMPT_ACQUIRE,
    BC_REGISTER_LOOPER,
    BC_ENTER_LOOPER,
    BC_EXIT_LOOPER,
    BC_REQUEST_DEATH_NOTIFICATION,
    BC_CLEAR_DEATH_NOTIFICATION,
    BC_DEAD_BINDER_DONE,
    BC_TRANSACTION_SG,
    BC_REPLY_SG,
};

const uint32_t kObjectTypes[] = {
    BINDER_TYPE_BINDER, BINDER_TYPE_WEAK_BINDER, BINDER_TYPE_HANDLE, BINDER_TYPE_WEAK_HANDLE,
    BINDER_TYPE_FD,     BINDER_TYPE_FDA,         BINDER_TYPE_PTR};

const uint32_t kTransactionFlags[] = {TF_ONE_WAY,    TF_ROOT_OBJECT, TF_STATUS_CODE,
                                      TF_ACCEPT_FDS, TF_CLEAR_BUF,   TF_UPDATE_TXN};

// Ioctl types the VFS handles itself before the driver sees the call (FIONBIO, FIFREEZE,
// FICLONE, FS_IOC_*...): a random number of these types could freeze a filesystem or flip
// the descriptor to blocking mode, which is not what is being tested.
bool isVfsIoctlType(unsigned type) {
  return type == 0x00 || type == 'T' || type == 'X' || type == 'f' || type == 'v' || type == 0x94 ||
         type == 0x15;
}

// ---------------------------------------------------------------------------------------------
// One fuzzing process.

struct ProcessPlan {
  int index = 0;
  uint64_t seed = 0;
  int threads = 1;
  bool contextManager = false;
  long exitAtIteration = -1;  // the first thread _exit()s the process there
};

// A transaction payload: bytes with objects among them.
struct Payload {
  std::vector<uint8_t> data;
  std::vector<binder_size_t> offsets;
};

// One thread's generator and protocol state.
struct ThreadState {
  Rng rng;
  int index;
  std::vector<uint8_t> queued;         // commands to send with the next write (replies, acks)
  std::deque<Payload> queuedPayloads;  // what the queued replies point at

  ThreadState(uint64_t seed, int threadIndex) : rng(seed), index(threadIndex) {}
};

class FuzzProcess {
 public:
  FuzzProcess(const ProcessPlan& plan, long iterations, int verbose)
      : plan_(plan), iterations_(iterations), verbose_(verbose), scratch_(makeScratch()) {
    Rng setup(mixSeed(plan.seed, 1000));
    for (size_t i = 0; i < kScratchSize; ++i) scratch_.base[i] = static_cast<uint8_t>(setup.next());
    openDevice(setup.chance(10) ? kPage : 1024 * 1024);
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) == 0) {
      pipeRead_ = pipeFds[0];
      pipeWrite_ = pipeFds[1];
    }
    devNull_ = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    spareBinder_ = ::open(devicePath(), O_RDWR | O_CLOEXEC);
  }

  // Claims the context manager, with a node that accepts fds; false if the driver refused.
  // EBUSY is retried for a while: the drivers release the previous round's manager from a
  // work item, a little after its process is gone.
  bool claimContextManager() {
    flat_binder_object node{};
    node.flags = FLAT_BINDER_FLAG_ACCEPTS_FDS;
    const auto deadline = Clock::now() + 20s;
    int error;
    for (;;) {
      if (::ioctl(fd_, BINDER_SET_CONTEXT_MGR_EXT, &node) == 0) return true;
      error = errno;
      if (error != EBUSY || Clock::now() >= deadline) break;
      std::this_thread::sleep_for(10ms);
    }
    std::fprintf(stderr, "binder_fuzz: p%d: BINDER_SET_CONTEXT_MGR_EXT: %s%s\n", plan_.index,
                 std::strerror(error),
                 error == EBUSY ? " (the previous manager was never released)" : "");
    return false;
  }

  void run() {
    std::vector<std::thread> threads;
    for (int t = 1; t < plan_.threads; ++t) {
      threads.emplace_back([this, t] { runThread(t); });
    }
    runThread(0);
    for (std::thread& thread : threads) thread.join();
    if (verbose_ > 0) {
      std::fprintf(stderr,
                   "binder_fuzz: p%d done: %ld ioctls, %ld failed, %ld transactions in, "
                   "%ld replies in, %ld BR_FAILED_REPLY, %ld BR_DEAD_REPLY, %ld BR_FROZEN_REPLY\n",
                   plan_.index, ioctls_.load(), ioctlErrors_.load(), transactionsIn_.load(),
                   repliesIn_.load(), failed_.load(), dead_.load(), frozen_.load());
    }
  }

 private:
  // --- the device ----------------------------------------------------------------------------

  static const char* devicePath() {
    const char* device = std::getenv("BINDER_DEVICE");
    return device != nullptr && *device != '\0' ? device : "/dev/binder";
  }

  void openDevice(size_t mapSize) {
    fd_ = ::open(devicePath(), O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) {
      std::fprintf(stderr, "binder_fuzz: p%d: open: %s\n", plan_.index, std::strerror(errno));
      ::_exit(1);
    }
    map_ = mapBase_ = nullptr;
    mapSize_ = mapSpan_ = 0;
    if (mapSize != 0) {
      mapDevice(mapSize, PROT_READ, MAP_PRIVATE);
    } else {
      recordDevice(0, 0, nullptr);
    }
  }

  // mmap of the device. Each open file takes one mapping, its buffer space, whatever is done
  // with it later; the drivers refuse another. Returns 0 or the errno.
  int mapDevice(size_t size, int prot, int flags) {
    void* map = ::mmap(nullptr, size, prot, flags, fd_, 0);
    const int error = map == MAP_FAILED ? errno : 0;
    recordDevice(size, error, error == 0 ? map : nullptr);
    if (error != 0) return error;
    if (mapBase_ != nullptr) {
      violation("a second mapping of the device accepted (0x%" PRIx64 ", %" PRIu64 " bytes)",
                reinterpret_cast<uintptr_t>(map), size);
    }
    map_ = mapBase_ = static_cast<uint8_t*>(map);
    mapSize_ = mapSpan_ = size;
    return 0;
  }

  // Kept for a violation's report.
  void recordDevice(size_t mapSize, int mmapError, void* map) {
    if (devices_.size() == 8) devices_.erase(devices_.begin());
    devices_.push_back({fd_, mapSize, mmapError, reinterpret_cast<uintptr_t>(map)});
  }

  // --- logging -------------------------------------------------------------------------------

  void trace(const ThreadState& thread, long iteration, const char* what, int result) {
    if (verbose_ < 2) return;
    std::fprintf(stderr, "p%d.t%d #%ld %s -> %s\n", plan_.index, thread.index, iteration, what,
                 result == 0 ? "ok" : std::strerror(result));
  }

  // Reports a broken protocol rule, with what the process knows of its device and what the
  // driver shows of it, and ends the process.
  [[noreturn]] void violation(const char* format, uint64_t a, uint64_t b) {
    std::fprintf(stderr, "binder_fuzz: p%d: DRIVER VIOLATION: ", plan_.index);
    std::fprintf(stderr, format, a, b);
    std::fprintf(stderr, "\n---- p%d (pid %d): device fd %d, flags 0x%x; opened, oldest first:\n",
                 plan_.index, ::getpid(), fd_, ::fcntl(fd_, F_GETFL));
    for (const DeviceRecord& device : devices_) {
      std::fprintf(stderr, "  fd %d, mmap of %zu bytes: %s 0x%" PRIxPTR "\n", device.fd,
                   device.mapSize, device.mmapError ? std::strerror(device.mmapError) : "at",
                   device.map);
    }
    reportDriverView(::getpid());
    ::_exit(kDriverViolation);
  }

  // --- system calls --------------------------------------------------------------------------

  int doIoctl(unsigned long request, void* arg) {
    ioctls_.fetch_add(1, std::memory_order_relaxed);
    int result = ::ioctl(fd_, request, arg) == 0 ? 0 : errno;
    if (result != 0) ioctlErrors_.fetch_add(1, std::memory_order_relaxed);
    return result;
  }

  // One BINDER_WRITE_READ of WRITE (may be empty) with a read into a stack buffer, whose
  // returns are then handled. Returns 0 or the errno.
  int writeRead(ThreadState& thread, const std::vector<uint8_t>& write, bool read) {
    // A buffer this read delivers may be freed by any thread of the process as soon as the
    // driver has handed it out; a foreign free (Op::kFreeBuffer, which holds this lock
    // exclusively) must wait until the buffer has been read, or the reader would see the
    // next transaction's bytes there, the sender's fd numbers included, and close them.
    std::shared_lock readLock(bufferReadLock_, std::defer_lock);
    if (read) readLock.lock();
    alignas(8) uint8_t readBuffer[4096];
    binder_write_read bwr{};
    bwr.write_buffer = reinterpret_cast<binder_uintptr_t>(write.data());
    bwr.write_size = write.size();
    bwr.read_buffer = reinterpret_cast<binder_uintptr_t>(readBuffer);
    bwr.read_size = read ? sizeof(readBuffer) : 0;
    int result = doIoctl(BINDER_WRITE_READ, &bwr);
    if (bwr.read_consumed > bwr.read_size) {
      violation("read_consumed %" PRIu64 " > read_size %" PRIu64, bwr.read_consumed, bwr.read_size);
    }
    // write_consumed may pass write_size: both drivers read a command's whole argument even
    // when the write buffer ends inside it (upstream behaviour), so that is not checked.
    handleReturns(thread, readBuffer, bwr.read_consumed);
    return result;
  }

  // Sends the thread's queued commands and reads what is there, waiting up to WAIT for work.
  int drain(ThreadState& thread, std::chrono::milliseconds wait) {
    pollfd pfd{fd_, POLLIN, 0};
    if (wait.count() > 0 && thread.queued.empty()) ::poll(&pfd, 1, static_cast<int>(wait.count()));
    std::vector<uint8_t> write = std::move(thread.queued);
    std::deque<Payload> payloads = std::move(thread.queuedPayloads);
    thread.queued.clear();
    thread.queuedPayloads.clear();
    int result = writeRead(thread, write, true);
    return result == EAGAIN ? 0 : result;
  }

  // --- the return stream ---------------------------------------------------------------------

  template <typename T>
  static void append(std::vector<uint8_t>& out, const T& value) {
    auto* bytes = reinterpret_cast<const uint8_t*>(&value);
    out.insert(out.end(), bytes, bytes + sizeof(T));
  }

  bool inMapping(binder_uintptr_t address, uint64_t size) const {
    auto base = reinterpret_cast<binder_uintptr_t>(mapBase_);
    return address >= base && size <= mapSpan_ && address - base <= mapSpan_ - size;
  }

  // Checks that a delivered buffer lies inside the mapping the driver handed out, closes the
  // fds it carries, and queues its BC_FREE_BUFFER (most of the time).
  void receiveBuffer(ThreadState& thread, const binder_transaction_data& tr) {
    if (tr.data_size == 0 && tr.offsets_size == 0) return;
    if (mapBase_ == nullptr)
      violation("a buffer (0x%" PRIx64 ", %" PRIu64 " bytes) without a mapping", tr.data.ptr.buffer,
                tr.data_size);
    if (!inMapping(tr.data.ptr.buffer, tr.data_size) ||
        !inMapping(tr.data.ptr.offsets, tr.offsets_size)) {
      violation("buffer 0x%" PRIx64 " (%" PRIu64 " bytes) outside the mapping", tr.data.ptr.buffer,
                tr.data_size);
    }
    if (map_ != nullptr && tr.offsets_size % sizeof(binder_size_t) == 0) {
      // Only still-mapped memory is read (the mapping may have been unmapped since); the
      // caller, writeRead(), keeps foreign frees out until this is done.
      const auto* offsets = reinterpret_cast<const binder_size_t*>(tr.data.ptr.offsets);
      const auto* data = reinterpret_cast<const uint8_t*>(tr.data.ptr.buffer);
      for (size_t i = 0; i < tr.offsets_size / sizeof(binder_size_t); ++i) {
        const binder_size_t offset = offsets[i];
        if (offset > tr.data_size || tr.data_size - offset < sizeof(flat_binder_object)) continue;
        // flat_binder_object and binder_fd_object share their layout: the handle and the fd
        // are both the 32-bit word at offset 8.
        flat_binder_object object;
        std::memcpy(&object, data + offset, sizeof(object));
        if (object.hdr.type == BINDER_TYPE_FD) {
          // The driver installs a received fd at a free number: never one of ours.
          const int fd = static_cast<int>(object.handle);
          if (fd == fd_ || fd == spareBinder_ || fd == devNull_ || fd == pipeRead_ ||
              fd == pipeWrite_) {
            violation("buffer 0x%" PRIx64 " delivers fd %" PRIu64 ", which was already open",
                      tr.data.ptr.buffer, static_cast<uint64_t>(fd));
          }
          ::close(fd);
        }
        if (object.hdr.type == BINDER_TYPE_HANDLE || object.hdr.type == BINDER_TYPE_WEAK_HANDLE) {
          std::lock_guard handlesLock(handlesMutex_);
          if (handles_.size() < 64) handles_.push_back(object.handle);
        }
      }
    }
    if (thread.rng.chance(85)) {
      append(thread.queued, BC_FREE_BUFFER);
      append(thread.queued, tr.data.ptr.buffer);
      rememberFreed(tr.data.ptr.buffer);
    } else {
      std::lock_guard lock(buffersMutex_);
      if (held_.size() < 32) held_.push_back(tr.data.ptr.buffer);
    }
  }

  void rememberFreed(binder_uintptr_t buffer) {
    std::lock_guard lock(buffersMutex_);
    if (freed_.size() >= 16) freed_.erase(freed_.begin());
    freed_.push_back(buffer);
  }

  void handleReturns(ThreadState& thread, const uint8_t* bytes, uint64_t size) {
    uint64_t pos = 0;
    while (pos + sizeof(uint32_t) <= size) {
      uint32_t cmd;
      std::memcpy(&cmd, bytes + pos, sizeof(cmd));
      pos += sizeof(cmd);
      if (_IOC_TYPE(cmd) != 'r')
        violation("unknown return code 0x%" PRIx64 " at %" PRIu64, cmd, pos);
      const uint64_t argSize = _IOC_SIZE(cmd);
      if (argSize > size - pos) violation("return 0x%" PRIx64 " truncated at %" PRIu64, cmd, pos);
      const uint8_t* arg = bytes + pos;
      pos += argSize;
      if (verbose_ >= 2 && cmd != BR_NOOP) {
        std::fprintf(stderr, "p%d.t%d   <- BR_ %u\n", plan_.index, thread.index, _IOC_NR(cmd));
      }
      switch (cmd) {
        case BR_TRANSACTION_SEC_CTX:
        case BR_TRANSACTION: {
          binder_transaction_data tr;
          std::memcpy(&tr, arg, sizeof(tr));
          transactionsIn_.fetch_add(1, std::memory_order_relaxed);
          receiveBuffer(thread, tr);
          // Most synchronous calls are answered at once; the others later (Op::kReply), or
          // never: the caller gives up waiting, and the driver cleans up at exit.
          if (!(tr.flags & TF_ONE_WAY) && thread.rng.chance(75)) queueReply(thread);
          break;
        }
        case BR_REPLY: {
          binder_transaction_data tr;
          std::memcpy(&tr, arg, sizeof(tr));
          repliesIn_.fetch_add(1, std::memory_order_relaxed);
          receiveBuffer(thread, tr);
          break;
        }
        case BR_INCREFS:
        case BR_ACQUIRE: {
          binder_ptr_cookie node;
          std::memcpy(&node, arg, sizeof(node));
          if (thread.rng.chance(90)) {
            append(thread.queued, cmd == BR_INCREFS ? BC_INCREFS_DONE : BC_ACQUIRE_DONE);
            append(thread.queued, node);
          }
          break;
        }
        case BR_DEAD_BINDER: {
          binder_uintptr_t cookie;
          std::memcpy(&cookie, arg, sizeof(cookie));
          if (thread.rng.chance(90)) {
            append(thread.queued, BC_DEAD_BINDER_DONE);
            append(thread.queued, cookie);
          }
          break;
        }
        case BR_FAILED_REPLY:
        case BR_DEAD_REPLY:
        case BR_FROZEN_REPLY:
          failedReplies_.fetch_add(1, std::memory_order_relaxed);
          (cmd == BR_FAILED_REPLY ? failed_
           : cmd == BR_DEAD_REPLY ? dead_
                                  : frozen_)
              .fetch_add(1, std::memory_order_relaxed);
          if (verbose_ >= 2) {
            binder_extended_error error{};
            ::ioctl(fd_, BINDER_GET_EXTENDED_ERROR, &error);
            std::fprintf(stderr, "p%d.t%d   extended error: id %u param %d (%s)\n", plan_.index,
                         thread.index, error.id, error.param, std::strerror(-error.param));
          }
          break;
        default:
          break;
      }
    }
  }

  // --- generated commands --------------------------------------------------------------------

  // A handle this process was given (or 0) when VALID, else now and then an invented one.
  uint32_t pickHandle(Rng& rng, bool valid = false) {
    {
      std::lock_guard lock(handlesMutex_);
      if (!handles_.empty() && (valid || rng.chance(60))) return rng.pick(handles_);
    }
    if (valid) return 0;
    const uint64_t roll = rng.below(100);
    if (roll < 70) return 0;
    if (roll < 95) return static_cast<uint32_t>(rng.below(16));
    return static_cast<uint32_t>(rng.next());
  }

  binder_uintptr_t pickNodePtr(Rng& rng) { return 0x10000 + 0x100 * rng.below(8); }

  // A pointer the driver may be given as "user data" that cannot damage the fuzzer.
  binder_uintptr_t pickBadPointer(Rng& rng) {
    auto map = reinterpret_cast<binder_uintptr_t>(mapBase_);
    switch (rng.below(9)) {
      case 0:
        return 0;
      case 1:
        return 8;
      case 2:
        return reinterpret_cast<binder_uintptr_t>(scratch_.guard());
      case 3:
        return reinterpret_cast<binder_uintptr_t>(scratch_.guard()) - rng.below(64);
      case 4:
        return map != 0 ? map + rng.below(mapSpan_ + 1) : 0x1000;
      case 5:
        return 0xffff888000000000ULL + rng.below(1 << 20);  // the kernel's direct map
      case 6:
        return 0x0000800000000000ULL;  // not canonical
      case 7:
        return ~0ULL - rng.below(16);
      default:
        return reinterpret_cast<binder_uintptr_t>(scratch_.base) + rng.below(kScratchSize);
    }
  }

  // A payload whose objects are all described correctly.
  Payload makePayload(Rng& rng, bool valid = true) {
    Payload payload;
    const size_t objects = rng.below(4);
    for (size_t i = 0; i <= objects; ++i) {
      payload.data.resize(payload.data.size() + 4 * rng.below(16),
                          static_cast<uint8_t>(rng.next()));
      if (i == objects) break;
      payload.offsets.push_back(payload.data.size());
      // Mostly binders and handles; fds now and then (not every target accepts them);
      // scatter-gather objects, which ours lacks, rarely.
      const uint64_t roll = rng.below(100);
      uint32_t type = roll < 35   ? kObjectTypes[0]                  // binder
                      : roll < 45 ? kObjectTypes[1]                  // weak binder
                      : roll < 75 ? kObjectTypes[2]                  // handle
                      : roll < 82 ? kObjectTypes[3]                  // weak handle
                      : roll < 97 ? kObjectTypes[4]                  // fd
                                  : kObjectTypes[5 + rng.below(2)];  // fd array, buffer
      if (valid && (type == BINDER_TYPE_HANDLE || type == BINDER_TYPE_WEAK_HANDLE)) {
        // A handle object is only valid for a handle the sender holds a reference on (not
        // even handle 0 before BC_INCREFS/BC_ACQUIRE on it).
        std::lock_guard lock(handlesMutex_);
        if (handles_.empty()) type = BINDER_TYPE_BINDER;
      }
      if (type == BINDER_TYPE_FD) {
        binder_fd_object object{};
        object.hdr.type = type;
        // A binder file in flight holds a reference on it until delivered. Two processes
        // whose own binder files wait undelivered in each other's queues would keep each
        // other open forever (both drivers, like SCM_RIGHTS without a garbage collector),
        // so the binder file passed is a spare one, which never has a queue of its own.
        int fds[] = {
            devNull_, pipeRead_, pipeWrite_, spareBinder_, static_cast<int>(rng.below(1024)), -1};
        object.fd = static_cast<__u32>(fds[rng.chance(90) ? rng.below(4) : 4 + rng.below(2)]);
        object.cookie = rng.next();
        append(payload.data, object);
      } else if (type == BINDER_TYPE_FDA || type == BINDER_TYPE_PTR) {
        // Scatter-gather objects: a parent index and offset that may or may not make sense.
        binder_buffer_object object{};
        object.hdr.type = BINDER_TYPE_PTR;
        object.flags = static_cast<__u32>(rng.below(2));
        object.buffer = rng.chance(50) ? reinterpret_cast<binder_uintptr_t>(scratch_.base)
                                       : pickBadPointer(rng);
        object.length = rng.below(256);
        object.parent = rng.below(4);
        object.parent_offset = rng.below(64);
        if (type == BINDER_TYPE_FDA) {
          binder_fd_array_object array{};
          array.hdr.type = BINDER_TYPE_FDA;
          array.num_fds = rng.below(4);
          array.parent = rng.below(4);
          array.parent_offset = 8 * rng.below(8);
          append(payload.data, array);
        } else {
          append(payload.data, object);
        }
      } else {
        flat_binder_object object{};
        object.hdr.type = type;
        object.flags = static_cast<__u32>(
            rng.chance(5) ? rng.next() : rng.below(2) * FLAT_BINDER_FLAG_ACCEPTS_FDS);
        if (type == BINDER_TYPE_BINDER || type == BINDER_TYPE_WEAK_BINDER) {
          object.binder = pickNodePtr(rng);
          object.cookie = object.binder + 1;
        } else {
          object.handle = pickHandle(rng, valid);
        }
        append(payload.data, object);
      }
    }
    return payload;
  }

  // Breaks one thing about PAYLOAD or TR.
  void mutate(Rng& rng, Payload& payload, binder_transaction_data& tr) {
    switch (rng.below(10)) {
      case 0:  // flip bytes
        for (size_t i = 0, n = 1 + rng.below(8); i < n && !payload.data.empty(); ++i)
          payload.data[rng.below(payload.data.size())] ^= static_cast<uint8_t>(1 + rng.below(255));
        break;
      case 1:  // an offset anywhere
        payload.offsets.push_back(rng.chance(50) ? rng.below(payload.data.size() + 16)
                                                 : rng.next());
        break;
      case 2:  // offsets out of order or repeated
        if (!payload.offsets.empty()) payload.offsets.push_back(payload.offsets.front());
        std::reverse(payload.offsets.begin(), payload.offsets.end());
        break;
      case 3:  // a random object type at an offset
        if (!payload.offsets.empty() && payload.offsets.back() + 4 <= payload.data.size()) {
          uint32_t type = static_cast<uint32_t>(rng.next());
          std::memcpy(payload.data.data() + payload.offsets.back(), &type, sizeof(type));
        }
        break;
      default:
        break;
    }
    tr.data_size = payload.data.size();
    tr.offsets_size = payload.offsets.size() * sizeof(binder_size_t);
    tr.data.ptr.buffer = reinterpret_cast<binder_uintptr_t>(payload.data.data());
    tr.data.ptr.offsets = reinterpret_cast<binder_uintptr_t>(payload.offsets.data());
    switch (rng.below(9)) {
      case 0:
        tr.data_size = rng.chance(50) ? rng.next() : tr.data_size + 1 + rng.below(4096);
        break;
      case 1:
        tr.offsets_size = rng.chance(50) ? rng.next() : tr.offsets_size + 1 + rng.below(7);
        break;
      case 2:
        tr.data.ptr.buffer = pickBadPointer(rng);
        break;
      case 3:
        tr.data.ptr.offsets = pickBadPointer(rng);
        break;
      case 4:  // any bits, or a mix of the defined ones
        tr.flags = rng.chance(50) ? static_cast<uint32_t>(rng.next()) : 0;
        for (uint32_t flag : kTransactionFlags) tr.flags |= rng.chance(30) ? flag : 0;
        break;
      case 5:
        tr.target.handle = static_cast<uint32_t>(rng.next());
        break;
      case 6:
        tr.data_size = 1ULL << (20 + rng.below(44));
        break;  // huge
      default:
        break;
    }
  }

  binder_transaction_data transactionFor(Payload& payload, uint32_t handle, uint32_t code,
                                         uint32_t flags) {
    binder_transaction_data tr{};
    tr.target.handle = handle;
    tr.code = code;
    tr.flags = flags;
    tr.sender_pid = 1;  // the driver must overwrite both
    tr.sender_euid = 0;
    tr.data_size = payload.data.size();
    tr.offsets_size = payload.offsets.size() * sizeof(binder_size_t);
    tr.data.ptr.buffer = reinterpret_cast<binder_uintptr_t>(payload.data.data());
    tr.data.ptr.offsets = reinterpret_cast<binder_uintptr_t>(payload.offsets.data());
    return tr;
  }

  // The payload of a queued reply must outlive the write that sends it.
  void queueReply(ThreadState& thread, bool corrupt = false) {
    Rng& rng = thread.rng;
    Payload& payload = thread.queuedPayloads.emplace_back(makePayload(rng, !corrupt));
    binder_transaction_data tr = transactionFor(payload, 0, 0, rng.chance(20) ? TF_STATUS_CODE : 0);
    if (corrupt) mutate(rng, payload, tr);
    append(thread.queued, BC_REPLY);
    append(thread.queued, tr);
  }

  // --- operations ----------------------------------------------------------------------------

  enum class Op {
    kTransaction,
    kOneway,
    kMutatedTransaction,
    kReply,
    kRandomCommand,
    kRefcount,
    kDeath,
    kFreeBuffer,
    kLooper,
    kBadWriteRead,
    kRandomIoctl,
    kKnownIoctl,
    kLifecycle,
    kFork,
    kIdle,
  };

  Op pickOp(Rng& rng) {
    static const std::pair<Op, unsigned> weights[] = {
        {Op::kTransaction, 16}, {Op::kOneway, 10},       {Op::kMutatedTransaction, 14},
        {Op::kReply, 6},        {Op::kRandomCommand, 8}, {Op::kRefcount, 8},
        {Op::kDeath, 6},        {Op::kFreeBuffer, 6},    {Op::kLooper, 3},
        {Op::kBadWriteRead, 8}, {Op::kRandomIoctl, 6},   {Op::kKnownIoctl, 5},
        {Op::kLifecycle, 1},    {Op::kFork, 1},          {Op::kIdle, 2},
    };
    unsigned total = 0;
    for (const auto& [op, weight] : weights) total += weight;
    uint64_t roll = rng.below(total);
    for (const auto& [op, weight] : weights) {
      if (roll < weight) return op;
      roll -= weight;
    }
    return Op::kIdle;
  }

  void runThread(int index) {
    const uint64_t threadSeed = mixSeed(plan_.seed, static_cast<uint64_t>(index));
    ThreadState thread(threadSeed, index);
    Rng& rng = thread.rng;
    if (rng.chance(50)) {
      append(thread.queued, index == 0 ? BC_ENTER_LOOPER : BC_REGISTER_LOOPER);
    }
    if (rng.chance(50) && !plan_.contextManager) {
      // What libbinder does first: a reference on the context manager.
      append(thread.queued, BC_INCREFS);
      append(thread.queued, 0u);
      append(thread.queued, BC_ACQUIRE);
      append(thread.queued, 0u);
      std::lock_guard lock(handlesMutex_);
      handles_.push_back(0);
    }
    for (long i = 0; i < iterations_; ++i) {
      // Reseeded at every step: what other processes send (and so how much randomness the
      // responses use) varies from run to run, but the sequence of operations does not.
      rng = Rng(mixSeed(threadSeed, static_cast<uint64_t>(i) + 1));
      if (index == 0 && i == plan_.exitAtIteration) {
        if (verbose_ > 0)
          std::fprintf(stderr, "binder_fuzz: p%d exits early at #%ld\n", plan_.index, i);
        ::_exit(0);  // with buffers, refs, transactions and notifications outstanding
      }
      std::shared_lock shared(fdLock_, std::defer_lock);
      Op op = pickOp(rng);
      if (op == Op::kLifecycle || op == Op::kFork) {
        std::unique_lock exclusive(fdLock_);
        if (op == Op::kFork) {
          trace(thread, i, "fork", forkChild(rng));
        } else {
          trace(thread, i, "lifecycle", lifecycle(rng));
        }
        continue;
      }
      shared.lock();
      perform(thread, i, op);
      drain(thread, std::chrono::milliseconds(rng.chance(20) ? 5 : 0));
    }
    // Leave with what is queued sent, sometimes with replies still owed. Under the fd lock like
    // every other use of the device: another thread may still be replacing it.
    std::shared_lock shared(fdLock_);
    drain(thread, 0ms);
  }

  void perform(ThreadState& thread, long i, Op op) {
    Rng& rng = thread.rng;
    switch (op) {
      case Op::kTransaction:
      case Op::kOneway: {
        Payload payload = makePayload(rng);
        uint32_t flags =
            (op == Op::kOneway ? TF_ONE_WAY : 0) | (rng.chance(50) ? TF_ACCEPT_FDS : 0);
        binder_transaction_data tr = transactionFor(payload, pickHandle(rng, true),
                                                    static_cast<uint32_t>(rng.below(32)), flags);
        std::vector<uint8_t> write = std::move(thread.queued);
        std::deque<Payload> payloads = std::move(thread.queuedPayloads);
        thread.queued.clear();
        thread.queuedPayloads.clear();
        append(write, BC_TRANSACTION);
        append(write, tr);
        trace(thread, i, op == Op::kOneway ? "oneway" : "transaction",
              writeRead(thread, write, true));
        if (op == Op::kTransaction) waitForOutcome(thread);
        break;
      }
      case Op::kMutatedTransaction: {
        Payload payload = makePayload(rng, false);
        uint32_t flags = rng.chance(40) ? TF_ONE_WAY : 0;
        binder_transaction_data tr =
            transactionFor(payload, pickHandle(rng), static_cast<uint32_t>(rng.next()), flags);
        mutate(rng, payload, tr);
        std::vector<uint8_t> write;
        const bool sg = rng.chance(15);
        const bool reply = rng.chance(15);
        append(write, sg ? (reply ? BC_REPLY_SG : BC_TRANSACTION_SG)
                         : (reply ? BC_REPLY : BC_TRANSACTION));
        append(write, tr);
        if (sg)
          append(write, static_cast<binder_size_t>(rng.chance(50) ? rng.below(512) : rng.next()));
        if (rng.chance(20)) write.resize(rng.below(write.size()));  // truncated command
        trace(thread, i, "mutated transaction", writeRead(thread, write, true));
        if (!(tr.flags & TF_ONE_WAY) && !reply) waitForOutcome(thread);
        break;
      }
      case Op::kReply: {
        // With a transaction to answer, a valid or corrupted reply; without, a reply to nothing.
        queueReply(thread, rng.chance(30));
        trace(thread, i, "reply", drain(thread, 0ms));
        break;
      }
      case Op::kRandomCommand: {
        std::vector<uint8_t> write;
        uint32_t cmd = rng.chance(80) ? kCommands[rng.below(std::size(kCommands))]
                                      : static_cast<uint32_t>(rng.next());
        append(write, cmd);
        for (size_t n = rng.chance(80) ? _IOC_SIZE(cmd) : rng.below(64); n > 0; --n) {
          write.push_back(static_cast<uint8_t>(rng.next()));
        }
        // A random command with a transaction argument names random user pointers: keep
        // those harmless.
        if ((cmd == BC_TRANSACTION || cmd == BC_REPLY || cmd == BC_TRANSACTION_SG ||
             cmd == BC_REPLY_SG) &&
            write.size() >= 4 + sizeof(binder_transaction_data)) {
          binder_transaction_data tr;
          std::memcpy(&tr, write.data() + 4, sizeof(tr));
          tr.data.ptr.buffer = pickBadPointer(rng);
          tr.data.ptr.offsets = pickBadPointer(rng);
          std::memcpy(write.data() + 4, &tr, sizeof(tr));
        }
        trace(thread, i, "random command", writeRead(thread, write, true));
        break;
      }
      case Op::kRefcount: {
        std::vector<uint8_t> write;
        static const uint32_t kRefCommands[] = {BC_INCREFS, BC_ACQUIRE, BC_RELEASE, BC_DECREFS};
        uint32_t handle = pickHandle(rng);
        // Releases outnumber acquires: underflows are part of the point.
        for (size_t n = 1 + rng.below(6); n > 0; --n) {
          append(write, kRefCommands[rng.chance(60) ? 2 + rng.below(2) : rng.below(2)]);
          append(write, handle);
        }
        if (rng.chance(20)) {
          append(write, rng.chance(50) ? BC_INCREFS_DONE : BC_ACQUIRE_DONE);
          append(write, binder_ptr_cookie{pickNodePtr(rng), rng.next()});
        }
        trace(thread, i, "refcounts", writeRead(thread, write, true));
        break;
      }
      case Op::kDeath: {
        std::vector<uint8_t> write;
        binder_handle_cookie request{pickHandle(rng), 0xdead0000 + rng.below(4)};
        static const uint32_t kDeathCommands[] = {BC_REQUEST_DEATH_NOTIFICATION,
                                                  BC_CLEAR_DEATH_NOTIFICATION, BC_DEAD_BINDER_DONE};
        for (size_t n = 1 + rng.below(3); n > 0; --n) {
          uint32_t cmd = kDeathCommands[rng.below(3)];
          append(write, cmd);
          if (cmd == BC_DEAD_BINDER_DONE)
            append(write, request.cookie);
          else
            append(write, request);
        }
        trace(thread, i, "death notifications", writeRead(thread, write, true));
        break;
      }
      case Op::kFreeBuffer: {
        std::vector<uint8_t> write;
        binder_uintptr_t buffer;
        bool owned = false;
        {
          std::lock_guard lock(buffersMutex_);
          switch (rng.below(4)) {
            case 0:  // one this process holds (maybe another thread received it)
              if (!held_.empty()) {
                size_t at = rng.below(held_.size());
                buffer = held_[at];
                held_.erase(held_.begin() + static_cast<long>(at));
                owned = true;
                break;
              }
              [[fallthrough]];
            case 1:  // freed already
              if (!freed_.empty()) {
                buffer = rng.pick(freed_);
                break;
              }
              [[fallthrough]];
            case 2:  // inside the mapping but not a buffer start (or another process's)
              buffer =
                  reinterpret_cast<binder_uintptr_t>(mapBase_) + 8 * rng.below(mapSpan_ / 8 + 1);
              break;
            default:
              buffer = pickBadPointer(rng);
              break;
          }
        }
        append(write, BC_FREE_BUFFER);
        append(write, buffer);
        if (owned) {
          trace(thread, i, "free buffer", writeRead(thread, write, true));
          break;
        }
        // A free of an address this thread does not own may hit a buffer another thread is
        // reading: the driver would rightly unmap its pages under the reader.
        std::unique_lock lock(bufferReadLock_);
        trace(thread, i, "free foreign buffer", writeRead(thread, write, false));
        break;
      }
      case Op::kLooper: {
        std::vector<uint8_t> write;
        static const uint32_t kLooperCommands[] = {BC_ENTER_LOOPER, BC_REGISTER_LOOPER,
                                                   BC_EXIT_LOOPER};
        append(write, kLooperCommands[rng.below(3)]);
        trace(thread, i, "looper", writeRead(thread, write, true));
        if (rng.chance(10)) trace(thread, i, "thread exit", doIoctl(BINDER_THREAD_EXIT, nullptr));
        break;
      }
      case Op::kBadWriteRead:
        trace(thread, i, "bad write-read", badWriteRead(thread));
        break;
      case Op::kRandomIoctl:
        trace(thread, i, "random ioctl", randomIoctl(rng));
        break;
      case Op::kKnownIoctl:
        trace(thread, i, "known ioctl", knownIoctl(rng));
        break;
      case Op::kIdle:
        trace(thread, i, "idle", drain(thread, std::chrono::milliseconds(rng.below(20))));
        break;
      case Op::kLifecycle:
      case Op::kFork:
        break;
    }
  }

  // After a synchronous transaction: serve what arrives (nested calls) until an outcome comes,
  // a little while at most: the target may never answer, which is its right.
  void waitForOutcome(ThreadState& thread) {
    const long before = repliesIn_.load() + failedReplies_.load();
    for (int attempt = 0; attempt < 4; ++attempt) {
      if (repliesIn_.load() + failedReplies_.load() != before) return;
      drain(thread, 10ms);
    }
  }

  // BINDER_WRITE_READ with buffers that overlap, point into the mapping or nowhere, with
  // huge sizes, odd consumed counts, or no valid argument at all.
  int badWriteRead(ThreadState& thread) {
    Rng& rng = thread.rng;
    // Real commands in scratch, so a write that does go through has something to chew on.
    uint8_t* commands = scratch_.base + 8 * rng.below(kScratchSize / 16);
    const uint32_t cmd = rng.chance(50) ? BC_ENTER_LOOPER : BC_ACQUIRE;
    std::memcpy(commands, &cmd, sizeof(cmd));
    binder_write_read bwr{};
    bwr.write_buffer =
        rng.chance(60) ? reinterpret_cast<binder_uintptr_t>(commands) : pickBadPointer(rng);
    bwr.write_size = rng.chance(70) ? rng.below(64) : rng.next();
    bwr.write_consumed = rng.chance(80) ? 0 : rng.next();
    switch (rng.below(5)) {
      case 0:
        bwr.read_buffer = bwr.write_buffer;
        break;  // overlapping
      case 1:
        bwr.read_buffer = reinterpret_cast<binder_uintptr_t>(mapBase_);
        break;  // read-only
      case 2:
        bwr.read_buffer = reinterpret_cast<binder_uintptr_t>(scratch_.guard()) - 8 * rng.below(8);
        break;
      default:
        bwr.read_buffer = pickBadPointer(rng);
        break;
    }
    // Only scratch, read-only or unmapped memory may receive returns: never the heap.
    bwr.read_size = rng.chance(60) ? rng.below(256) : rng.next();
    bwr.read_consumed = rng.chance(80) ? 0 : rng.below(64);
    if (rng.chance(10)) {
      // The argument itself is bad.
      return doIoctl(BINDER_WRITE_READ, reinterpret_cast<void*>(pickBadPointer(rng)));
    }
    if (rng.chance(50)) ::poll(nullptr, 0, 0);
    // A transaction read into scratch still owes a reply and a free: that bookkeeping is lost
    // on purpose (the process is released with it outstanding).
    return doIoctl(BINDER_WRITE_READ, &bwr);
  }

  int randomIoctl(Rng& rng) {
    unsigned type = rng.chance(70) ? 'b' : static_cast<unsigned>(rng.below(256));
    if (isVfsIoctlType(type)) type = 'b';
    unsigned long request =
        _IOC(rng.below(4), type, rng.below(32), rng.below(rng.chance(80) ? 64 : 16384));
    // These two take user pointers inside their argument (read buffer, timeout that blocks):
    // knownIoctl() drives them with safe values.
    if (request == BINDER_WRITE_READ || request == BINDER_FREEZE) return 0;
    void* arg = rng.chance(70)
                    ? static_cast<void*>(scratch_.base + 8 * rng.below(kScratchSize / 16))
                    : reinterpret_cast<void*>(pickBadPointer(rng));
    return doIoctl(request, arg);
  }

  int knownIoctl(Rng& rng) {
    uint8_t* arg = scratch_.base + 8 * rng.below(kScratchSize / 16);
    switch (rng.below(10)) {
      case 0:
        return doIoctl(BINDER_SET_MAX_THREADS, arg);
      case 1:
        return doIoctl(BINDER_SET_CONTEXT_MGR, nullptr);
      case 2:
        return doIoctl(BINDER_VERSION,
                       rng.chance(80) ? arg : reinterpret_cast<void*>(pickBadPointer(rng)));
      case 3:
        return doIoctl(BINDER_GET_NODE_DEBUG_INFO, arg);
      case 4: {
        binder_node_info_for_ref info{};
        info.handle = pickHandle(rng);
        if (rng.chance(20)) info.reserved1 = 1;  // must be zero
        return doIoctl(BINDER_GET_NODE_INFO_FOR_REF, &info);
      }
      case 5:
        return doIoctl(BINDER_GET_EXTENDED_ERROR, arg);
      case 6:
        return doIoctl(BINDER_ENABLE_ONEWAY_SPAM_DETECTION, arg);
      case 7: {
        // Freezing a fuzzer process (this one or another) with a short timeout; most of the
        // time it is thawed again at once, or the round would be spent frozen.
        binder_freeze_info info{};
        info.pid = static_cast<__u32>(rng.chance(50) ? ::getpid() : ::getppid() + 1 + rng.below(8));
        info.enable = 1;
        info.timeout_ms = static_cast<__u32>(rng.below(20));
        int result = doIoctl(BINDER_FREEZE, &info);
        if (rng.chance(80)) {
          info.enable = 0;
          doIoctl(BINDER_FREEZE, &info);
        }
        return result;
      }
      case 8: {
        binder_frozen_status_info info{};
        info.pid = static_cast<__u32>(::getpid());
        return doIoctl(BINDER_GET_FROZEN_INFO, &info);
      }
      default: {
        flat_binder_object object{};
        object.flags = static_cast<__u32>(rng.next());
        object.binder = pickNodePtr(rng);
        return doIoctl(BINDER_SET_CONTEXT_MGR_EXT, &object);
      }
    }
  }

  // munmap, a second mmap, writable mmap, close and reopen, dup: holding fdLock_ exclusively.
  int lifecycle(Rng& rng) {
    switch (rng.below(5)) {
      case 0: {
        // Replaces the mapping with an inaccessible reservation, as munmap would, except
        // that nothing else (malloc) can land where the driver may still point.
        if (map_ == nullptr) return 0;
        void* hole =
            ::mmap(map_, mapSize_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        map_ = nullptr;
        return hole == MAP_FAILED ? errno : 0;
      }
      case 1: {
        // Another mapping: refused when the file was mapped before, else (a file opened
        // without one, below) it becomes the file's mapping. Writable ones are refused.
        const size_t size = kPage << rng.below(11);
        const int prot = PROT_READ | (rng.chance(30) ? PROT_WRITE : 0);
        const int flags = rng.chance(80) ? MAP_PRIVATE : MAP_SHARED;
        return mapDevice(size, prot, flags);
      }
      case 2: {
        int dup = ::dup(fd_);
        if (dup < 0) return errno;
        ::close(dup);
        return 0;
      }
      default: {                                                // a new binder process for this one
        if (mapBase_ != nullptr) ::munmap(mapBase_, mapSpan_);  // the mapping or its reservation
        ::close(fd_);
        static const size_t kSizes[] = {0, kPage, 128 * 1024, 1024 * 1024, 8 * 1024 * 1024};
        openDevice(kSizes[rng.below(5)]);
        {
          std::lock_guard buffers(buffersMutex_);
          held_.clear();
          freed_.clear();
        }
        std::lock_guard handles(handlesMutex_);
        handles_.clear();
        return 0;
      }
    }
  }

  // A child that shares the binder file: it may only make system calls (the parent has other
  // threads, whose locks the child inherits held).
  int forkChild(Rng& rng) {
    const uint64_t childSeed = rng.next();
    pid_t child = ::fork();
    if (child < 0) return errno;
    if (child == 0) {
      uint32_t write[2] = {BC_ENTER_LOOPER, static_cast<uint32_t>(BC_ACQUIRE)};
      alignas(8) uint8_t read[256];
      binder_write_read bwr{};
      bwr.write_buffer = reinterpret_cast<binder_uintptr_t>(write);
      bwr.write_size = childSeed & 1 ? sizeof(write[0]) : sizeof(write);
      bwr.read_buffer = reinterpret_cast<binder_uintptr_t>(read);
      bwr.read_size = sizeof(read);
      ::ioctl(fd_, BINDER_WRITE_READ, &bwr);
      // A mapping from a process that does not own the binder file.
      void* map = ::mmap(nullptr, kPage, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (map != MAP_FAILED) ::munmap(map, kPage);
      if (childSeed & 2) ::ioctl(fd_, BINDER_THREAD_EXIT, 0);
      ::_exit(0);
    }
    int status;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return 0;
  }

  // One open of the device or mmap of it, for a violation's report.
  struct DeviceRecord {
    int fd;
    size_t mapSize;  // asked for (0: no mmap)
    int mmapError;
    uintptr_t map;
  };

  ProcessPlan plan_;
  long iterations_;
  int verbose_;
  Scratch scratch_;
  int fd_ = -1;
  uint8_t* map_ = nullptr;  // current mapping, nullptr once unmapped
  size_t mapSize_ = 0;
  uint8_t* mapBase_ = nullptr;  // the device's mapping, even if unmapped since
  size_t mapSpan_ = 0;
  std::vector<DeviceRecord> devices_;  // the last few opens and mmaps (under fdLock_)
  int pipeRead_ = -1, pipeWrite_ = -1, devNull_ = -1, spareBinder_ = -1;

  std::shared_mutex fdLock_;          // exclusive: the fd or mapping changes
  std::shared_mutex bufferReadLock_;  // shared: reading a buffer; exclusive: a foreign free
  std::mutex buffersMutex_;
  std::vector<binder_uintptr_t> held_;   // received, not freed
  std::vector<binder_uintptr_t> freed_;  // freed recently (for double frees)
  std::mutex handlesMutex_;
  std::vector<uint32_t> handles_;  // handles seen in received objects

  std::atomic<long> ioctls_ = 0, ioctlErrors_ = 0, transactionsIn_ = 0, repliesIn_ = 0,
                    failedReplies_ = 0, failed_ = 0, dead_ = 0, frozen_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Rounds.

struct ChildRecord {
  pid_t pid = -1;
  int index = 0;
  bool done = false;
  bool killedByUs = false;
  long killAtMs = -1;
};

std::vector<ProcessPlan> planRound(uint64_t roundSeed, const Options& options,
                                   std::vector<long>* killAtMs) {
  Rng rng(mixSeed(roundSeed, 0xffff));
  std::vector<ProcessPlan> plans;
  for (long p = 0; p < options.processes; ++p) {
    ProcessPlan plan;
    plan.index = static_cast<int>(p);
    plan.seed = mixSeed(roundSeed, static_cast<uint64_t>(p));
    plan.contextManager = p == 0;
    plan.threads = p == 0 ? 2 : 1 + static_cast<int>(rng.below(3));
    plan.exitAtIteration =
        rng.chance(15) ? static_cast<long>(rng.below(static_cast<uint64_t>(options.iterations)))
                       : -1;
    plans.push_back(plan);
    killAtMs->push_back(rng.chance(p == 0 ? 10 : 20) ? static_cast<long>(rng.below(3000)) : -1);
  }
  return plans;
}

std::string replayCommand(const Options& options, uint64_t round) {
  char command[256];
  std::snprintf(command, sizeof(command),
                "binder_fuzz --seed 0x%016" PRIx64 " --round %" PRIu64
                " --iterations %ld --processes %ld -vv",
                options.seed, round, options.iterations, options.processes);
  return command;
}

// Runs one round; false (after printing why) when it failed.
bool runRound(const Options& options, uint64_t round) {
  const uint64_t roundSeed = mixSeed(options.seed, round);
  std::vector<long> killAtMs;
  std::vector<ProcessPlan> plans = planRound(roundSeed, options, &killAtMs);
  if (options.verbose > 0) {
    std::fprintf(stderr, "binder_fuzz: round %" PRIu64 " (seed 0x%016" PRIx64 "):", round,
                 roundSeed);
    for (const ProcessPlan& plan : plans) {
      std::fprintf(stderr, " p%d[%d thread(s)%s%s]", plan.index, plan.threads,
                   plan.contextManager ? ", manager" : "",
                   plan.exitAtIteration >= 0 ? ", exits early" : "");
    }
    std::fprintf(stderr, "\n");
  }

  std::vector<ChildRecord> children;
  for (const ProcessPlan& plan : plans) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) {
      std::perror("binder_fuzz: pipe2");
      return false;
    }
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) {
      std::perror("binder_fuzz: fork");
      return false;
    }
    if (pid == 0) {
      ::close(ready[0]);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::signal(SIGPIPE, SIG_IGN);  // fds passed around include pipes whose readers are gone
      FuzzProcess process(plan, options.iterations, options.verbose);
      if (plan.contextManager && !process.claimContextManager()) ::_exit(1);
      char byte = 1;
      if (plan.contextManager && ::write(ready[1], &byte, 1) != 1) ::_exit(1);
      ::close(ready[1]);
      process.run();
      std::fflush(nullptr);
      ::_exit(0);
    }
    ::close(ready[1]);
    // The manager claims handle 0 before anyone calls it; the others start together.
    if (plan.contextManager) {
      pollfd pfd{ready[0], POLLIN, 0};
      ::poll(&pfd, 1, 10000);
    }
    ::close(ready[0]);
    ChildRecord record;
    record.pid = pid;
    record.index = plan.index;
    record.killAtMs = killAtMs[static_cast<size_t>(plan.index)];
    children.push_back(record);
  }

  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(options.roundTimeoutSeconds);
  bool ok = true;
  size_t running = children.size();
  while (running > 0) {
    const long elapsedMs = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
    for (ChildRecord& child : children) {
      if (child.done) continue;
      if (child.killAtMs >= 0 && elapsedMs >= child.killAtMs && !child.killedByUs) {
        child.killedByUs = true;
        ::kill(child.pid, SIGKILL);
      }
      int status;
      if (::waitpid(child.pid, &status, WNOHANG) != child.pid) continue;
      child.done = true;
      --running;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;
      if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && child.killedByUs) continue;
      ok = false;
      if (WIFSIGNALED(status)) {
        std::fprintf(stderr, "binder_fuzz: round %" PRIu64 ": process p%d died of signal %d (%s)\n",
                     round, child.index, WTERMSIG(status), strsignal(WTERMSIG(status)));
      } else {
        std::fprintf(stderr,
                     "binder_fuzz: round %" PRIu64 ": process p%d exited with status %d%s\n", round,
                     child.index, WEXITSTATUS(status),
                     WEXITSTATUS(status) == kDriverViolation ? " (driver violation)" : "");
      }
    }
    if (running == 0) break;
    if (Clock::now() >= deadline) {
      std::fprintf(stderr,
                   "binder_fuzz: round %" PRIu64
                   ": HANG: %zu process(es) still running "
                   "after %ld s\n",
                   round, running, options.roundTimeoutSeconds);
      for (const ChildRecord& child : children) {
        if (!child.done)
          reportThreads(child.pid, "p" + std::to_string(child.index) + " still running");
      }
      for (ChildRecord& child : children) {
        if (child.done) continue;
        ::kill(child.pid, SIGKILL);
        ::waitpid(child.pid, nullptr, 0);
        child.done = true;
      }
      ok = false;
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  if (!ok) {
    std::fprintf(stderr,
                 "binder_fuzz: FAILED: seed 0x%016" PRIx64 " round %" PRIu64
                 "\n"
                 "binder_fuzz: replay with: %s\n",
                 options.seed, round, replayCommand(options, round).c_str());
  }
  return ok;
}

[[noreturn]] void usageError(const std::string& message) {
  binder_robustness::usageError(kProgram, message);
}

long numberArgument(const std::string& option, const char* value, long min, long max) {
  return binder_robustness::numberArgument(kProgram, option, value, min, max);
}

Options parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (arg == "--seed") {
      if (value == nullptr || !parseNumber(value)) usageError("--seed needs a number");
      options.seed = *parseNumber(value);
      options.seedGiven = true;
      ++i;
    } else if (arg == "--duration") {
      options.durationSeconds = static_cast<double>(numberArgument(arg, value, 1, 86400));
      ++i;
    } else if (arg == "--rounds") {
      options.rounds = numberArgument(arg, value, 1, 1000000);
      ++i;
    } else if (arg == "--round") {
      options.onlyRound = numberArgument(arg, value, 0, 1000000000);
      ++i;
    } else if (arg == "--iterations") {
      options.iterations = numberArgument(arg, value, 1, 10000000);
      ++i;
    } else if (arg == "--processes") {
      options.processes = numberArgument(arg, value, 2, 32);
      ++i;
    } else if (arg == "--round-timeout") {
      options.roundTimeoutSeconds = numberArgument(arg, value, 1, 3600);
      ++i;
    } else if (arg == "--expect-idle") {
      options.expectIdle = true;
    } else if (arg == "-v" || arg == "--verbose") {
      ++options.verbose;
    } else if (arg == "-vv") {
      options.verbose += 2;
    } else {
      usageError("unknown argument '" + arg + "'");
    }
  }
  if (!options.seedGiven) {
    options.seed = mixSeed(static_cast<uint64_t>(Clock::now().time_since_epoch().count()),
                           static_cast<uint64_t>(::getpid()));
  }
  return options;
}

int fuzzMain(int argc, char** argv) {
  Options options = parseOptions(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("binder_fuzz: seed 0x%016" PRIx64 ", %ld processes, %ld iterations per thread\n",
              options.seed, options.processes, options.iterations);
  // Received fds and reopened devices add up; a fuzzer process must not run out early.
  const auto start = Clock::now();
  uint64_t round = options.onlyRound >= 0 ? static_cast<uint64_t>(options.onlyRound) : 0;
  long passed = 0;
  bool ok = true;
  for (;; ++round) {
    if (options.onlyRound >= 0 && passed == 1) break;
    if (options.onlyRound < 0 && options.rounds > 0 && passed >= options.rounds) break;
    if (options.onlyRound < 0 && options.rounds < 0 &&
        std::chrono::duration<double>(Clock::now() - start).count() >= options.durationSeconds) {
      break;
    }
    if (!runRound(options, round)) {
      ok = false;
      break;
    }
    ++passed;
  }
  if (ok && options.expectIdle && !waitForIdleDriver(30s, kProgram)) {
    std::fprintf(stderr,
                 "binder_fuzz: FAILED: seed 0x%016" PRIx64
                 " leaves objects in the driver "
                 "(rounds 0..%" PRIu64 ")\n",
                 options.seed, round - 1);
    ok = false;
  }
  std::printf("binder_fuzz: %ld round(s) passed in %.0f s%s\n", passed,
              std::chrono::duration<double>(Clock::now() - start).count(),
              ok ? "" : ", then FAILED");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace binder_robustness

int main(int argc, char** argv) { return binder_robustness::fuzzMain(argc, argv); }
