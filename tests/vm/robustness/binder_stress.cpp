// binder_stress: M client processes x N threads drive one libbinder service for T seconds with
// a mix of synchronous calls, one-way calls, nested callbacks, fd passing and object passing.
// Every payload carries a sequence number and a checksum, so a lost, duplicated, reordered
// (one-way calls to one object are delivered in order) or corrupted transaction is caught; a
// watchdog reports any thread that makes no progress, with its kernel stack, and fails.
#include <binder/Binder.h>
#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "robustness_util.h"

namespace binder_robustness {
namespace {

using android::BBinder;
using android::IBinder;
using android::Parcel;
using android::ProcessState;
using android::sp;
using android::status_t;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kProgram = "binder_stress";

const char kUsage[] = R"(Usage: binder_stress [OPTIONS]

Stress a binder driver (/dev/binder, or $BINDER_DEVICE) through libbinder.

One service process (the context manager, with a thread pool) serves PROCESSES client
processes of THREADS threads each (every client also runs a thread pool) for DURATION
seconds. Each client thread repeatedly picks one of:
  sync      a call whose payload (random length, sequence number, checksum) the service
            verifies and answers with its own checksum of it;
  oneway    a one-way call with a per-thread sequence number: the service checks each
            arrives exactly once and in order (one-way calls to one object are serialized).
            A call the driver refuses because the service's one-way space is full (half its
            mapping, a documented limit) is counted and not sent, not an error;
  callback  a call carrying a binder of the client's, which the service calls back, which
            may call the service again (nested up to three deep);
  fd        a call carrying a memfd with random content that the service reads and checksums;
  object    a call carrying a new local binder that the service must hand back as the same
            object.
At the end each client checks that the service received every one-way call it sent.

A watchdog in the parent fails the run when a client thread makes no progress for
STUCK seconds: it prints every thread of the client and of the service with its state, wchan
and /proc/PID/task/TID/stack, then kills everything.

Options:
  --processes M      client processes (default 4, 1 to 64).
  --threads N        threads per client process (default 4, 1 to 64).
  --duration T       seconds of traffic (default 30).
  --seed N           seed of the operation mix and payloads (default 1).
  --stuck-timeout S  seconds without progress that count as a hang (default 30).
  --expect-idle      at the end, require every live object count in the driver's debugfs
                     stats to return to zero (nothing else may use the driver).
  -h, --help         show this help.

Exit status: 0 when every transaction arrived intact and nothing hung; 1 when a
transaction was lost, duplicated, reordered or corrupted, a call failed, a thread hung, a
process crashed, or (with --expect-idle) objects were left; 2 on a usage error.
)";

enum Code : uint32_t {
  kSync = IBinder::FIRST_CALL_TRANSACTION,
  kOneway,
  kCallback,  // the service calls the binder back with kEcho
  kFd,
  kObject,
  kOnewayCount,  // how many one-way calls of (client, thread) arrived
  kEcho,         // on a client's callback binder
};

enum Kind { kKindSync, kKindOneway, kKindCallback, kKindFd, kKindObject, kKinds };
const char* const kKindNames[kKinds] = {"sync", "oneway", "callback", "fd", "object"};

constexpr int kMaxThreadSlots = 64 * 64;
constexpr int kMaxMessages = 8;

// Per client thread: what the watchdog watches.
struct ThreadSlot {
  std::atomic<pid_t> pid;
  std::atomic<pid_t> tid;
  std::atomic<int64_t> progressNs;  // steady clock of the last completed operation
  std::atomic<int> busy;            // 1 while inside an operation
  std::atomic<int> kind;            // which operation
};

// Shared between the parent, the service and the clients (an anonymous shared mapping made
// before forking).
struct Shared {
  std::atomic<uint64_t> done[kKinds];
  std::atomic<uint64_t> errors;
  std::atomic<uint64_t> onewayRefused;  // one-way calls the driver refused: async space full
  std::atomic<int> serviceReady;
  std::atomic<int> stop;
  std::atomic_flag messageLock;
  int messageCount;
  char messages[kMaxMessages][256];
  ThreadSlot slots[kMaxThreadSlots];
};

Shared* shared = nullptr;

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// Records an error (the first few messages are kept for the parent to print).
void error(const char* format, ...) __attribute__((format(printf, 1, 2)));
void error(const char* format, ...) {
  shared->errors.fetch_add(1);
  while (shared->messageLock.test_and_set()) {
  }
  if (shared->messageCount < kMaxMessages) {
    va_list args;
    va_start(args, format);
    std::vsnprintf(shared->messages[shared->messageCount], sizeof(shared->messages[0]), format,
                   args);
    va_end(args);
    ++shared->messageCount;
  }
  shared->messageLock.clear();
}

uint64_t fnv1a(const uint8_t* data, size_t size, uint64_t hash = 1469598103934665603ULL) {
  for (size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 1099511628211ULL;
  return hash;
}

// The payload every call carries: who, which, a body and a checksum over all of it.
struct Header {
  uint32_t client = 0;
  uint32_t thread = 0;
  uint64_t seq = 0;
};

uint64_t checksum(const Header& header, const std::vector<uint8_t>& body) {
  return fnv1a(body.data(), body.size(),
               fnv1a(reinterpret_cast<const uint8_t*>(&header), sizeof(header)));
}

status_t writePayload(Parcel& parcel, const Header& header, const std::vector<uint8_t>& body) {
  if (status_t s = parcel.writeUint32(header.client); s != android::OK) return s;
  if (status_t s = parcel.writeUint32(header.thread); s != android::OK) return s;
  if (status_t s = parcel.writeUint64(header.seq); s != android::OK) return s;
  if (status_t s = parcel.writeByteVector(body); s != android::OK) return s;
  return parcel.writeUint64(checksum(header, body));
}

// Reads a payload; false (and an error recorded) when it does not add up.
bool readPayload(const Parcel& parcel, const char* what, Header* header,
                 std::vector<uint8_t>* body) {
  uint64_t sum = 0;
  if (parcel.readUint32(&header->client) != android::OK ||
      parcel.readUint32(&header->thread) != android::OK ||
      parcel.readUint64(&header->seq) != android::OK ||
      parcel.readByteVector(body) != android::OK || parcel.readUint64(&sum) != android::OK) {
    error("%s: truncated payload (%zu bytes)", what, parcel.dataSize());
    return false;
  }
  if (sum != checksum(*header, *body)) {
    error("%s: CORRUPTED payload from client %u thread %u seq %" PRIu64, what, header->client,
          header->thread, header->seq);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The service.

class StressService : public BBinder {
 public:
  status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) override {
    Header header;
    std::vector<uint8_t> body;
    switch (code) {
      case kSync:
        if (!readPayload(data, "sync call", &header, &body)) return android::BAD_VALUE;
        if (status_t s = reply->writeUint64(header.seq); s != android::OK) return s;
        return reply->writeUint64(fnv1a(body.data(), body.size()));
      case kOneway: {
        if (!(flags & IBinder::FLAG_ONEWAY)) error("one-way call arrived without FLAG_ONEWAY");
        if (!readPayload(data, "one-way call", &header, &body)) return android::BAD_VALUE;
        std::lock_guard lock(mutex_);
        uint64_t& received = oneways_[{header.client, header.thread}];
        if (header.seq != received) {
          error("one-way call from client %u thread %u: got seq %" PRIu64 ", expected %" PRIu64
                " (%s)",
                header.client, header.thread, header.seq, received,
                header.seq < received ? "duplicated or reordered" : "lost or reordered");
        }
        received = header.seq + 1;
        return android::OK;
      }
      case kCallback: {
        const int32_t value = data.readInt32();
        const int32_t depth = data.readInt32();
        sp<IBinder> callback = data.readStrongBinder();
        if (callback == nullptr) {
          error("callback call without a binder");
          return android::BAD_VALUE;
        }
        Parcel request, answer;
        if (status_t s = request.writeInt32(value); s != android::OK) return s;
        if (status_t s = request.writeInt32(depth); s != android::OK) return s;
        if (status_t s = callback->transact(kEcho, request, &answer); s != android::OK) {
          error("service calling back: transact returned %d", s);
          return s;
        }
        return reply->writeInt32(answer.readInt32());
      }
      case kFd: {
        const uint64_t expected = data.readUint64();
        const int fd = data.readFileDescriptor();
        if (fd < 0) {
          error("fd call without an fd");
          return android::BAD_VALUE;
        }
        uint8_t buffer[4096];
        ssize_t n = ::pread(fd, buffer, sizeof(buffer), 0);
        if (n < 0) {
          error("reading the passed fd: %s", std::strerror(errno));
          return android::BAD_VALUE;
        }
        const uint64_t sum = fnv1a(buffer, static_cast<size_t>(n));
        if (sum != expected) error("fd content CORRUPTED (%zd bytes)", n);
        return reply->writeUint64(sum);
      }
      case kObject:
        return reply->writeStrongBinder(data.readStrongBinder());
      case kOnewayCount: {
        const uint32_t client = data.readUint32();
        const uint32_t thread = data.readUint32();
        std::lock_guard lock(mutex_);
        return reply->writeUint64(oneways_[{client, thread}]);
      }
      default:
        return BBinder::onTransact(code, data, reply, flags);
    }
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> oneways_;  // next expected seq
};

[[noreturn]] void runService(int threads) {
  sp<ProcessState> process = ProcessState::self();
  sp<StressService> service = sp<StressService>::make();
  // A context manager that just exited is released by the driver a little later: retry.
  for (auto deadline = Clock::now() + 20s; !process->becomeContextManager(service);) {
    if (Clock::now() >= deadline) {
      std::fprintf(stderr, "binder_stress: the service could not become the context manager\n");
      ::_exit(1);
    }
    std::this_thread::sleep_for(200ms);
  }
  if (process->setThreadPoolMaxThreadCount(static_cast<size_t>(threads)) != android::OK) ::_exit(1);
  process->startThreadPool();
  shared->serviceReady.store(1);
  android::IPCThreadState::self()->joinThreadPool();
  ::_exit(0);
}

// ---------------------------------------------------------------------------------------------
// The clients.

// A client's callback object: echoes the value, after calling the service again while the
// depth allows (nested transactions across both processes).
class Callback : public BBinder {
 public:
  explicit Callback(sp<IBinder> service) : service_(std::move(service)) {}
  status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) override {
    if (code != kEcho) return BBinder::onTransact(code, data, reply, flags);
    const int32_t value = data.readInt32();
    const int32_t depth = data.readInt32();
    int32_t answer = value;
    if (depth > 0) {
      Parcel request, nested;
      if (status_t s = request.writeInt32(value + 1); s != android::OK) return s;
      if (status_t s = request.writeInt32(depth - 1); s != android::OK) return s;
      if (status_t s = request.writeStrongBinder(sp<IBinder>(this)); s != android::OK) return s;
      if (status_t s = service_->transact(kCallback, request, &nested); s != android::OK) {
        error("nested callback call: transact returned %d", s);
        return s;
      }
      answer = nested.readInt32();
    }
    return reply->writeInt32(answer);
  }

 private:
  sp<IBinder> service_;
};

struct ClientThread {
  uint32_t client;
  uint32_t thread;
  ThreadSlot* slot;
  Rng rng;
  sp<IBinder> service;
  sp<IBinder> callback;
  uint64_t seq = 0;
  uint64_t onewaySeq = 0;

  std::vector<uint8_t> randomBody(size_t largest = 64 * 1024) {
    std::vector<uint8_t> body(rng.below(rng.chance(10) ? largest : 2048));
    for (uint8_t& byte : body) byte = static_cast<uint8_t>(rng.next());
    return body;
  }

  void call(uint32_t code, const Parcel& request, Parcel* reply, uint32_t flags, const char* what) {
    if (status_t s = service->transact(code, request, reply, flags); s != android::OK) {
      error("client %u thread %u: %s call failed: %d", client, thread, what, s);
    }
  }

  void sync() {
    Header header{client, thread, seq++};
    std::vector<uint8_t> body = randomBody();
    Parcel request, reply;
    if (writePayload(request, header, body) != android::OK) return error("writing a payload");
    call(kSync, request, &reply, 0, "sync");
    if (reply.readUint64() != header.seq || reply.readUint64() != fnv1a(body.data(), body.size())) {
      error("client %u thread %u: sync reply does not match seq %" PRIu64
            " (CORRUPTED or "
            "misdelivered)",
            client, thread, header.seq);
    }
  }

  void oneway() {
    Header header{client, thread, onewaySeq};
    std::vector<uint8_t> body = randomBody(4096);
    Parcel request;
    if (writePayload(request, header, body) != android::OK) return error("writing a payload");
    const status_t status = service->transact(kOneway, request, nullptr, IBinder::FLAG_ONEWAY);
    if (status == android::FAILED_TRANSACTION) {
      // The service's one-way (async) space is full: the driver's documented limit, not a
      // loss. The call was not sent; its sequence number goes to the next one.
      shared->onewayRefused.fetch_add(1);
      std::this_thread::sleep_for(1ms);
      return;
    }
    if (status != android::OK) {
      return error("client %u thread %u: one-way call failed: %d", client, thread, status);
    }
    ++onewaySeq;
  }

  void nestedCallback() {
    const int32_t value = static_cast<int32_t>(rng.below(1 << 20));
    const int32_t depth = static_cast<int32_t>(rng.below(3));
    Parcel request, reply;
    if (request.writeInt32(value) != android::OK || request.writeInt32(depth) != android::OK ||
        request.writeStrongBinder(callback) != android::OK) {
      return error("writing a callback request");
    }
    call(kCallback, request, &reply, 0, "callback");
    // Each nesting level adds one on the way down; the innermost echoes it back up.
    if (const int32_t answer = reply.readInt32(); answer != value + depth) {
      error("client %u thread %u: callback answered %d, expected %d", client, thread, answer,
            value + depth);
    }
  }

  void passFd() {
    std::vector<uint8_t> body = randomBody();
    body.resize(std::min<size_t>(body.size(), 4096));
    int fd = ::memfd_create("binder_stress", MFD_CLOEXEC);
    if (fd < 0 || ::write(fd, body.data(), body.size()) != static_cast<ssize_t>(body.size())) {
      if (fd >= 0) ::close(fd);
      return error("memfd: %s", std::strerror(errno));
    }
    const uint64_t sum = fnv1a(body.data(), body.size());
    Parcel request, reply;
    if (request.writeUint64(sum) != android::OK ||
        request.writeFileDescriptor(fd, true) != android::OK) {
      ::close(fd);
      return error("writing an fd");
    }
    call(kFd, request, &reply, 0, "fd");
    if (reply.readUint64() != sum)
      error("client %u thread %u: fd checksum reply mismatch", client, thread);
  }

  void passObject() {
    sp<BBinder> token = sp<BBinder>::make();
    Parcel request, reply;
    if (request.writeStrongBinder(token) != android::OK) return error("writing a binder");
    call(kObject, request, &reply, 0, "object");
    sp<IBinder> back = reply.readStrongBinder();
    if (back.get() != token.get()) {
      error("client %u thread %u: the service handed back another object (%p, not %p)", client,
            thread, static_cast<void*>(back.get()), static_cast<void*>(token.get()));
    }
  }

  void run() {
    slot->pid.store(::getpid());
    slot->tid.store(static_cast<pid_t>(::syscall(SYS_gettid)));
    slot->progressNs.store(nowNs());
    while (!shared->stop.load()) {
      const uint64_t roll = rng.below(100);
      const Kind kind = roll < 35   ? kKindSync
                        : roll < 60 ? kKindOneway
                        : roll < 75 ? kKindCallback
                        : roll < 88 ? kKindFd
                                    : kKindObject;
      slot->kind.store(kind);
      slot->busy.store(1);
      switch (kind) {
        case kKindSync:
          sync();
          break;
        case kKindOneway:
          oneway();
          break;
        case kKindCallback:
          nestedCallback();
          break;
        case kKindFd:
          passFd();
          break;
        default:
          passObject();
          break;
      }
      slot->busy.store(0);
      slot->progressNs.store(nowNs());
      shared->done[kind].fetch_add(1);
    }
    // Every one-way call must have arrived (a later synchronous call can overtake queued
    // one-way ones, so this waits for them).
    slot->busy.store(1);
    slot->kind.store(kKindOneway);
    uint64_t received = 0;
    for (auto deadline = Clock::now() + 20s; Clock::now() < deadline;) {
      Parcel request, reply;
      if (request.writeUint32(client) != android::OK || request.writeUint32(thread) != android::OK)
        break;
      call(kOnewayCount, request, &reply, 0, "one-way count");
      received = reply.readUint64();
      if (received >= onewaySeq) break;
      std::this_thread::sleep_for(50ms);
    }
    if (received != onewaySeq) {
      error("client %u thread %u: the service received %" PRIu64 " of %" PRIu64
            " one-way calls (LOST)",
            client, thread, received, onewaySeq);
    }
    slot->busy.store(0);
  }
};

[[noreturn]] void runClient(uint32_t client, int threads, uint64_t seed) {
  sp<ProcessState> process = ProcessState::self();
  process->startThreadPool();
  sp<IBinder> service = process->getContextObject(nullptr);
  if (service == nullptr) {
    error("client %u: no context manager", client);
    ::_exit(1);
  }
  sp<IBinder> callback = sp<Callback>::make(service);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([=] {
      ClientThread worker{
          client,
          static_cast<uint32_t>(t),
          &shared->slots[client * static_cast<uint32_t>(threads) + static_cast<uint32_t>(t)],
          Rng(mixSeed(seed, client * 1000u + static_cast<uint32_t>(t))),
          service,
          callback};
      worker.run();
    });
  }
  for (std::thread& worker : workers) worker.join();
  std::fflush(nullptr);
  ::_exit(0);
}

// ---------------------------------------------------------------------------------------------
// The parent: forks, watches, reports.

struct Options {
  long processes = 4;
  long threads = 4;
  long duration = 30;
  uint64_t seed = 1;
  long stuckSeconds = 30;
  bool expectIdle = false;
};

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
    } else if (arg == "--processes") {
      options.processes = numberArgument(arg, value, 1, 64);
      ++i;
    } else if (arg == "--threads") {
      options.threads = numberArgument(arg, value, 1, 64);
      ++i;
    } else if (arg == "--duration") {
      options.duration = numberArgument(arg, value, 1, 86400);
      ++i;
    } else if (arg == "--seed") {
      options.seed = static_cast<uint64_t>(numberArgument(arg, value, 0, LONG_MAX));
      ++i;
    } else if (arg == "--stuck-timeout") {
      options.stuckSeconds = numberArgument(arg, value, 1, 3600);
      ++i;
    } else if (arg == "--expect-idle") {
      options.expectIdle = true;
    } else {
      usageError("unknown argument '" + arg + "'");
    }
  }
  return options;
}

int stressMain(int argc, char** argv) {
  const Options options = parseOptions(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  void* region =
      ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    std::perror("binder_stress: mmap");
    return 1;
  }
  shared = new (region) Shared();
  std::printf("binder_stress: %ld processes x %ld threads for %ld s (seed %" PRIu64 ")\n",
              options.processes, options.threads, options.duration, options.seed);

  std::fflush(nullptr);
  const pid_t service = ::fork();
  if (service == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    runService(static_cast<int>(options.threads * 2));
  }
  for (auto deadline = Clock::now() + 30s;
       !shared->serviceReady.load() && Clock::now() < deadline;) {
    std::this_thread::sleep_for(10ms);
  }
  if (!shared->serviceReady.load()) {
    std::fprintf(stderr, "binder_stress: the service did not start\n");
    ::kill(service, SIGKILL);
    return 1;
  }
  std::vector<pid_t> clients;
  for (long c = 0; c < options.processes; ++c) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      runClient(static_cast<uint32_t>(c), static_cast<int>(options.threads), options.seed);
    }
    clients.push_back(pid);
  }

  const auto start = Clock::now();
  const int slots = static_cast<int>(options.processes * options.threads);
  bool ok = true;
  size_t running = clients.size();
  std::vector<bool> reaped(clients.size(), false);
  while (running > 0) {
    if (Clock::now() - start >= std::chrono::seconds(options.duration)) shared->stop.store(1);
    // A thread inside an operation for longer than the stuck timeout has hung.
    const int64_t now = nowNs();
    for (int s = 0; s < slots && ok; ++s) {
      ThreadSlot& slot = shared->slots[s];
      if (!slot.busy.load() || now - slot.progressNs.load() < options.stuckSeconds * 1000000000LL)
        continue;
      std::fprintf(stderr,
                   "binder_stress: HANG: client thread %d (pid %d tid %d) has been in a %s "
                   "operation for %ld s\n",
                   s, slot.pid.load(), slot.tid.load(), kKindNames[slot.kind.load()],
                   options.stuckSeconds);
      reportThreads(slot.pid.load(), "the stuck client");
      reportThreads(service, "the service");
      ok = false;
    }
    if (!ok) break;
    for (size_t c = 0; c < clients.size(); ++c) {
      int status;
      if (reaped[c] || ::waitpid(clients[c], &status, WNOHANG) != clients[c]) continue;
      reaped[c] = true;
      --running;
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "binder_stress: client %zu %s %d\n", c,
                     WIFSIGNALED(status) ? "died of signal" : "exited with status",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        ok = false;
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  for (size_t c = 0; c < clients.size(); ++c) {
    if (reaped[c]) continue;
    ::kill(clients[c], SIGKILL);
    ::waitpid(clients[c], nullptr, 0);
  }
  int serviceStatus = 0;
  if (::waitpid(service, &serviceStatus, WNOHANG) == service) {
    std::fprintf(stderr, "binder_stress: the service ended early\n");
    ok = false;
  } else {
    ::kill(service, SIGKILL);
    ::waitpid(service, nullptr, 0);
  }

  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  uint64_t total = 0;
  std::printf("binder_stress:");
  for (int k = 0; k < kKinds; ++k) {
    total += shared->done[k].load();
    std::printf(" %" PRIu64 " %s", shared->done[k].load(), kKindNames[k]);
  }
  std::printf(" (%.0f operations/s); %" PRIu64 " one-way calls refused with the async space full\n",
              static_cast<double>(total) / seconds, shared->onewayRefused.load());
  if (shared->errors.load() > 0) {
    ok = false;
    std::fprintf(stderr, "binder_stress: %" PRIu64 " error(s); the first ones:\n",
                 shared->errors.load());
    for (int m = 0; m < shared->messageCount; ++m)
      std::fprintf(stderr, "  %s\n", shared->messages[m]);
  }
  if (total == 0) {
    std::fprintf(stderr, "binder_stress: no operation completed\n");
    ok = false;
  }
  if (ok && options.expectIdle && !waitForIdleDriver(30s, kProgram)) ok = false;
  std::printf("binder_stress: %s\n", ok ? "PASSED" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace binder_robustness

int main(int argc, char** argv) { return binder_robustness::stressMain(argc, argv); }
