// binder_bench: one benchmark point in the guest. Forks P server/client pairs for a
// transport, runs warm-up and R timed runs of N round trips in every client at once, and
// prints one JSON record with the median run's latency percentiles and throughput.
//
// Transports: raw (BINDER_WRITE_READ by hand; libbinder only finds the server through
// servicemanager), libbinder (BpBinder::transact to BBinder::onTransact), pipe and unix
// (ping-pong over two pipes or a socketpair). Scenarios beyond round trips: oneway (a flood
// of one-way calls into one service) and lookup (servicemanager checkService calls).
// Binder transports need servicemanager running on the device.
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <binder/Binder.h>
#include <binder/BpBinder.h>
#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <fmt/format.h>

namespace {

using android::sp;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string scenario = "roundtrip";  // roundtrip | oneway | lookup
    std::string transport = "raw";       // raw | libbinder | pipe | unix
    std::string label;                   // the JSON "transport" (the driver name for binder)
    std::string device = "/dev/binder";
    size_t payload = 0;
    int pairs = 1;
    int iterations = 1000;
    int warmup = 200;
    int runs = 5;
};

constexpr uint32_t kReplyValue = 0x600d;
// A sync transaction must fit the server's receive mapping (libbinder maps 1 MiB minus two
// pages) with room for the reply: larger payloads are capped, and the record says so.
constexpr size_t kMaxBinderPayload = 1024 * 1024 - 4 * 4096;

// The bytes a request carries: a stream ping-pong needs at least one to mark a request.
size_t wireSize(const Options& options) {
    const bool stream = options.transport == "pipe" || options.transport == "unix";
    return stream ? std::max<size_t>(options.payload, 1) : options.payload;
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "binder_bench: %s\n", message.c_str());
    _exit(1);
}

void pinTo(int cpu) {
    const int cpus = static_cast<int>(std::thread::hardware_concurrency());
    if (cpus <= 1) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % cpus, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

std::string pinning(int pairs) {
    const unsigned cpus = std::thread::hardware_concurrency();
    if (cpus <= 1) return "1 cpu: none";
    return pairs == 1 ? "client cpu0, server cpu1" : "pair i: client cpu 2i, server cpu 2i+1 (mod cpus)";
}

// ---- Pipes between the parent and its children: whole values, blocking.
void writeAll(int fd, const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, bytes, size);
        if (n <= 0) die(fmt::format("write: {}", std::strerror(errno)));
        bytes += n;
        size -= static_cast<size_t>(n);
    }
}
bool readAll(int fd, void* data, size_t size) {
    auto* bytes = static_cast<uint8_t*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, bytes, size);
        if (n <= 0) return false;
        bytes += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

// ---- Binder setup through libbinder and servicemanager.
sp<android::IServiceManager> serviceManager(const Options& options) {
    sp<android::ProcessState> process = android::ProcessState::initWithDriver(options.device.c_str());
    if (process == nullptr || !process->isValid()) die("cannot open " + options.device);
    sp<android::IBinder> context = process->getContextObject(nullptr);
    if (context == nullptr) die("no servicemanager on " + options.device);
    return android::interface_cast<android::IServiceManager>(context);
}

std::string serverName(int pair) { return fmt::format("bench.server.{}", pair); }

class BenchService : public android::BBinder {
public:
    std::atomic<int64_t> oneways{0};

protected:
    android::status_t onTransact(uint32_t code, const android::Parcel& data,
                                 android::Parcel* reply, uint32_t flags) override {
        if (code == 1) return reply->writeUint32(kReplyValue);
        if (code == 2) {  // one-way flood
            ++oneways;
            return android::OK;
        }
        if (code == 3) return reply->writeInt64(oneways.load());
        return BBinder::onTransact(code, data, reply, flags);
    }
};

// The raw server: answers every BR_TRANSACTION on this thread with a 4-byte reply.
[[noreturn]] void serveRaw(int fd) {
    static const uint32_t replyValue = kReplyValue;
    std::vector<uint8_t> out;
    auto put = [&out](const void* data, size_t size) {
        const auto* bytes = static_cast<const uint8_t*>(data);
        out.insert(out.end(), bytes, bytes + size);
    };
    auto command = [&put](uint32_t cmd) { put(&cmd, sizeof(cmd)); };
    command(BC_ENTER_LOOPER);
    uint8_t in[1024];
    while (true) {
        binder_write_read bwr{};
        bwr.write_buffer = reinterpret_cast<uintptr_t>(out.data());
        bwr.write_size = out.size();
        bwr.read_buffer = reinterpret_cast<uintptr_t>(in);
        bwr.read_size = sizeof(in);
        if (::ioctl(fd, BINDER_WRITE_READ, &bwr) < 0) {
            if (errno == EINTR) continue;
            die(fmt::format("server BINDER_WRITE_READ: {}", std::strerror(errno)));
        }
        out.erase(out.begin(), out.begin() + static_cast<ptrdiff_t>(bwr.write_consumed));
        for (size_t pos = 0; pos + 4 <= bwr.read_consumed;) {
            uint32_t cmd;
            std::memcpy(&cmd, in + pos, 4);
            pos += 4 + _IOC_SIZE(cmd);
            if (cmd == BR_TRANSACTION) {
                binder_transaction_data tr;
                std::memcpy(&tr, in + pos - sizeof(tr), sizeof(tr));
                command(BC_FREE_BUFFER);
                put(&tr.data.ptr.buffer, sizeof(tr.data.ptr.buffer));
                if ((tr.flags & TF_ONE_WAY) == 0) {
                    binder_transaction_data reply{};
                    reply.data_size = sizeof(replyValue);
                    reply.data.ptr.buffer = reinterpret_cast<uintptr_t>(&replyValue);
                    command(BC_REPLY);
                    put(&reply, sizeof(reply));
                }
            } else if (cmd == BR_INCREFS || cmd == BR_ACQUIRE) {
                binder_ptr_cookie pc;
                std::memcpy(&pc, in + pos - sizeof(pc), sizeof(pc));
                command(cmd == BR_INCREFS ? BC_INCREFS_DONE : BC_ACQUIRE_DONE);
                put(&pc, sizeof(pc));
            }
        }
    }
}

// A server process for pair |pair|: registers, then serves until killed.
[[noreturn]] void runServer(const Options& options, int pair, int readyFd) {
    pinTo(2 * pair + 1);
    if (options.transport == "pipe" || options.transport == "unix") die("not a binder transport");
    sp<android::IServiceManager> sm = serviceManager(options);
    auto service = sp<BenchService>::make();
    if (sm->addService(android::String16(serverName(pair).c_str()), service) != android::OK) {
        die("cannot register " + serverName(pair));
    }
    android::IPCThreadState::self()->flushCommands();
    const char ready = 1;
    writeAll(readyFd, &ready, 1);
    if (options.transport == "raw") serveRaw(android::ProcessState::self()->driverFd());
    android::ProcessState::self()->setThreadPoolMaxThreadCount(4);
    android::ProcessState::self()->startThreadPool();
    android::IPCThreadState::self()->joinThreadPool(true);
    _exit(0);
}

// The raw client's round trip: BC_TRANSACTION (and the previous reply's BC_FREE_BUFFER)
// in one write, then reads until BR_REPLY.
class RawClient {
public:
    RawClient(int fd, uint32_t handle, const std::vector<uint8_t>& payload)
        : mFd(fd), mHandle(handle), mPayload(payload) {}

    void roundTrip() {
        std::vector<uint8_t> out;
        auto put = [&out](const void* data, size_t size) {
            const auto* bytes = static_cast<const uint8_t*>(data);
            out.insert(out.end(), bytes, bytes + size);
        };
        uint32_t cmd;
        if (mPendingFree != 0) {
            cmd = BC_FREE_BUFFER;
            put(&cmd, 4);
            put(&mPendingFree, sizeof(mPendingFree));
            mPendingFree = 0;
        }
        binder_transaction_data tr{};
        tr.target.handle = mHandle;
        tr.code = 1;
        tr.data_size = mPayload.size();
        tr.data.ptr.buffer = reinterpret_cast<uintptr_t>(mPayload.data());
        cmd = BC_TRANSACTION;
        put(&cmd, 4);
        put(&tr, sizeof(tr));
        bool sent = false;
        while (true) {
            binder_write_read bwr{};
            if (!sent) {
                bwr.write_buffer = reinterpret_cast<uintptr_t>(out.data());
                bwr.write_size = out.size();
            }
            bwr.read_buffer = reinterpret_cast<uintptr_t>(mIn);
            bwr.read_size = sizeof(mIn);
            if (::ioctl(mFd, BINDER_WRITE_READ, &bwr) < 0) {
                if (errno == EINTR) continue;
                die(fmt::format("client BINDER_WRITE_READ: {}", std::strerror(errno)));
            }
            sent = true;
            for (size_t pos = 0; pos + 4 <= bwr.read_consumed;) {
                std::memcpy(&cmd, mIn + pos, 4);
                pos += 4 + _IOC_SIZE(cmd);
                if (cmd == BR_REPLY) {
                    binder_transaction_data reply;
                    std::memcpy(&reply, mIn + pos - sizeof(reply), sizeof(reply));
                    mPendingFree = reply.data.ptr.buffer;
                    return;
                }
                if (cmd == BR_DEAD_REPLY || cmd == BR_FAILED_REPLY) die("raw call failed");
            }
        }
    }

private:
    const int mFd;
    const uint32_t mHandle;
    const std::vector<uint8_t>& mPayload;
    binder_uintptr_t mPendingFree = 0;
    uint8_t mIn[512];
};

// Returns the client's round trip for the pair's transport.
std::function<void()> makeClient(const Options& options, int pair, const std::vector<uint8_t>& payload,
                                 int sendFd, int recvFd) {
    if (options.transport == "pipe" || options.transport == "unix") {
        return [sendFd, recvFd, &payload] {
            writeAll(sendFd, payload.data(), payload.size());
            uint32_t reply;
            if (!readAll(recvFd, &reply, sizeof(reply))) die("server closed");
        };
    }
    sp<android::IServiceManager> sm = serviceManager(options);
    if (options.scenario == "lookup") {
        return [sm, name = android::String16(serverName(pair).c_str())] {
            if (sm->checkService(name) == nullptr) die("lookup failed");
        };
    }
    sp<android::IBinder> server = sm->checkService(android::String16(serverName(pair).c_str()));
    if (server == nullptr || server->remoteBinder() == nullptr) die("no " + serverName(pair));
    if (options.scenario == "oneway") {
        return [server, &payload] {
            android::Parcel data;
            if (data.write(payload.data(), payload.size()) != android::OK ||
                server->transact(2, data, nullptr, android::IBinder::FLAG_ONEWAY) != android::OK) {
                die("one-way call failed");
            }
        };
    }
    if (options.transport == "raw") {
        android::IPCThreadState::self()->flushCommands();
        auto client = std::make_shared<RawClient>(android::ProcessState::self()->driverFd(),
                                                  static_cast<uint32_t>(server->remoteBinder()->handle()),
                                                  payload);
        return [client, server] { client->roundTrip(); };
    }
    return [server, &payload] {
        android::Parcel data;
        android::Parcel reply;
        if (data.write(payload.data(), payload.size()) != android::OK ||
            server->transact(1, data, &reply) != android::OK || reply.readUint32() != kReplyValue) {
            die("libbinder call failed");
        }
    };
}

// The pipe/unix server: reads a payload, answers 4 bytes, until the client closes.
[[noreturn]] void runStreamServer(const Options& options, int pair, int recvFd, int sendFd, int readyFd) {
    pinTo(2 * pair + 1);
    const char ready = 1;
    writeAll(readyFd, &ready, 1);
    std::vector<uint8_t> buffer(wireSize(options));
    while (readAll(recvFd, buffer.data(), buffer.size())) {
        const uint32_t reply = kReplyValue;
        writeAll(sendFd, &reply, sizeof(reply));
    }
    _exit(0);
}

// One client process: waits for "go", runs warm-up and the runs, sends every latency (us)
// and every run's duration back to the parent.
[[noreturn]] void runClient(const Options& options, const std::function<void()>& roundTrip,
                            int pair, int goFd, int resultFd, int readyFd) {
    pinTo(2 * pair);
    const char ready = 1;
    writeAll(readyFd, &ready, 1);
    char go;
    if (!readAll(goFd, &go, 1)) _exit(1);
    for (int i = 0; i < options.warmup; ++i) roundTrip();
    std::vector<double> latencies(static_cast<size_t>(options.iterations));
    for (int run = 0; run < options.runs; ++run) {
        const auto runStart = Clock::now();
        for (auto& latency : latencies) {
            const auto start = Clock::now();
            roundTrip();
            latency = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
        }
        double seconds = std::chrono::duration<double>(Clock::now() - runStart).count();
        if (options.scenario == "oneway") {
            // The flood counts once the service has handled every call: a sync call behind
            // them (one-way calls to a node run in order) marks the end.
            sp<android::IServiceManager> sm = serviceManager(options);
            sp<android::IBinder> server = sm->checkService(android::String16(serverName(pair).c_str()));
            android::Parcel data;
            android::Parcel reply;
            if (server == nullptr || server->transact(3, data, &reply) != android::OK) die("flood end");
            seconds = std::chrono::duration<double>(Clock::now() - runStart).count();
        }
        writeAll(resultFd, &seconds, sizeof(seconds));
        writeAll(resultFd, latencies.data(), latencies.size() * sizeof(double));
    }
    _exit(0);
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
    std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(index), values.end());
    return values[index];
}

int usage(FILE* out, int status) {
    std::fputs(R"(Usage: binder_bench [OPTIONS]

Measure one point: P client/server pairs, warm-up, then R runs of N operations in every
client at once. Prints one JSON record (the median run by throughput) on stdout.

  --scenario roundtrip|oneway|lookup   (default roundtrip)
  --transport raw|libbinder|pipe|unix  (default raw; oneway and lookup use libbinder)
  --label NAME        the record's "transport" (default: the transport; for binder
                      transports give the driver name, e.g. lite or reference)
  --device PATH       binder device (default /dev/binder); servicemanager must serve it
  --payload BYTES     request size (default 0); binder payloads are capped to fit the
                      server's mapping
  --pairs P           client/server pairs at once (default 1)
  --iterations N      operations per run and client (default 1000)
  --warmup N          untimed operations first (default 200)
  --runs R            timed runs (default 5)
)", out);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") return usage(stdout, 0);
        if (i + 1 >= argc) return usage(stderr, 2);
        const std::string value = argv[++i];
        try {
            if (arg == "--scenario") options.scenario = value;
            else if (arg == "--transport") options.transport = value;
            else if (arg == "--label") options.label = value;
            else if (arg == "--device") options.device = value;
            else if (arg == "--payload") options.payload = std::stoul(value);
            else if (arg == "--pairs") options.pairs = std::stoi(value);
            else if (arg == "--iterations") options.iterations = std::stoi(value);
            else if (arg == "--warmup") options.warmup = std::stoi(value);
            else if (arg == "--runs") options.runs = std::stoi(value);
            else return usage(stderr, 2);
        } catch (const std::exception&) {
            return usage(stderr, 2);
        }
    }
    if (options.scenario != "roundtrip") options.transport = "libbinder";
    if (options.label.empty()) options.label = options.transport;
    const bool stream = options.transport == "pipe" || options.transport == "unix";
    if (!stream && options.transport != "raw" && options.transport != "libbinder") return usage(stderr, 2);
    if (options.pairs < 1 || options.iterations < 1 || options.runs < 1 || options.warmup < 0) return usage(stderr, 2);
    // The record keeps the requested size, so rows of every transport line up; a binder
    // payload too large for the mapping is capped, and the record says to what.
    const size_t requested = options.payload;
    if (!stream) options.payload = std::min(options.payload, kMaxBinderPayload);

    int ready[2];
    int results[2];
    if (::pipe(ready) != 0 || ::pipe(results) != 0) die("pipe");
    std::vector<pid_t> servers;
    std::vector<pid_t> clients;
    std::vector<int> goFds;
    for (int pair = 0; pair < options.pairs; ++pair) {
        // Stream transports: the client's and server's ends of two pipes or one socketpair.
        int clientSend = -1, clientRecv = -1, serverSend = -1, serverRecv = -1;
        if (options.transport == "unix") {
            int sv[2];
            if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) die("socketpair");
            clientSend = clientRecv = sv[0];
            serverSend = serverRecv = sv[1];
        } else if (options.transport == "pipe") {
            int request[2];
            int reply[2];
            if (::pipe(request) != 0 || ::pipe(reply) != 0) die("pipe");
            clientSend = request[1];
            serverRecv = request[0];
            serverSend = reply[1];
            clientRecv = reply[0];
        }
        const pid_t server = fork();
        if (server == 0) {
            // Only clients report results: a dead client must read as EOF.
            ::close(results[0]);
            ::close(results[1]);
            if (stream) runStreamServer(options, pair, serverRecv, serverSend, ready[1]);
            runServer(options, pair, ready[1]);
        }
        servers.push_back(server);
        char byte;
        if (!readAll(ready[0], &byte, 1)) die("a server failed to start");
        int go[2];
        if (::pipe(go) != 0) die("pipe");
        const pid_t client = fork();
        if (client == 0) {
            ::close(results[0]);
            std::vector<uint8_t> payload(wireSize(options), 0x5a);
            const std::function<void()> roundTrip = makeClient(options, pair, payload, clientSend, clientRecv);
            runClient(options, roundTrip, pair, go[0], results[1], ready[1]);
        }
        clients.push_back(client);
        goFds.push_back(go[1]);
        if (!readAll(ready[0], &byte, 1)) die("a client failed to start");
    }
    ::close(results[1]);
    for (int fd : goFds) writeAll(fd, "g", 1);

    // Each client sends, per run, its duration and its latencies; runs are merged by index.
    std::vector<double> runOps(static_cast<size_t>(options.runs), 0.0);
    std::vector<std::vector<double>> runLatencies(static_cast<size_t>(options.runs));
    std::vector<double> latencies(static_cast<size_t>(options.iterations));
    for (int received = 0; received < options.pairs * options.runs; ++received) {
        double seconds;
        if (!readAll(results[0], &seconds, sizeof(seconds)) ||
            !readAll(results[0], latencies.data(), latencies.size() * sizeof(double))) {
            die("a client died");
        }
        const size_t run = static_cast<size_t>(received / options.pairs);
        runOps[run] += options.iterations / seconds;
        runLatencies[run].insert(runLatencies[run].end(), latencies.begin(), latencies.end());
    }
    for (pid_t client : clients) waitpid(client, nullptr, 0);
    for (pid_t server : servers) {
        ::kill(server, SIGKILL);
        waitpid(server, nullptr, 0);
    }

    std::vector<size_t> order(runOps.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return runOps[a] < runOps[b]; });
    const size_t median = order[order.size() / 2];
    const std::string scenario = options.scenario == "roundtrip"
                                         ? (options.transport == "libbinder" ? "libbinder_roundtrip"
                                                                             : "raw_roundtrip")
                                         : options.scenario == "oneway" ? "oneway_flood" : "sm_lookup";
    std::printf("{\"scenario\": \"%s\", \"transport\": \"%s\", \"payload_bytes\": %zu, \"pairs\": %d, "
                "\"p50_us\": %.3f, \"p99_us\": %.3f, \"ops_per_s\": %.1f, \"runs\": %d, "
                "\"iterations\": %d, \"pinning\": \"%s\", \"payload_sent\": %zu}\n",
                scenario.c_str(), options.label.c_str(), requested, options.pairs,
                percentile(runLatencies[median], 0.50), percentile(runLatencies[median], 0.99),
                runOps[median], options.runs, options.iterations, pinning(options.pairs).c_str(),
                wireSize(options));
    return 0;
}
