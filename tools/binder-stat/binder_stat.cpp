// binder-stat: the binder driver's state (processes, threads, nodes, refs, buffers,
// pending transactions) from debugfs, as readable tables.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "driver_state.h"

namespace {

constexpr const char* kUsage = R"(Usage: binder-stat [--device PATH] [--debugfs DIR] [--raw]

Show what the binder driver holds right now: for each process that has the device open,
its threads (looper state, transaction stack depth), nodes (objects it implements, with
the processes that hold references to them), refs (handles it holds), buffers and pending
work; then the live object counts.

It reads the driver's debugfs files (state and stats), so it needs root and debugfs
mounted. Our driver's are in /sys/kernel/debug/binder_lite, the upstream driver's in
/sys/kernel/debug/binder; both write the same format, and the first found is used.

Options:
  --device PATH   only the processes of this device's context (its name, e.g. binder)
  --debugfs DIR   read DIR/state and DIR/stats
  --raw           print the state file as the driver wrote it
  -h, --help      show this help

Exit status: 0 on success, 1 when the files cannot be read, 2 on bad arguments.
)";

bool readFile(const std::string& path, std::string* out) {
    std::ifstream in(path);
    if (!in) return false;
    std::stringstream text;
    text << in.rdbuf();
    *out = text.str();
    return true;
}

std::string processName(int pid) {
    std::string name;
    if (!readFile(fmt::format("/proc/{}/comm", pid), &name)) return "?";
    while (!name.empty() && name.back() == '\n') name.pop_back();
    return name;
}

std::string joinPids(const std::vector<int>& pids) {
    std::string out;
    for (int pid : pids) out += (out.empty() ? "" : ",") + std::to_string(pid);
    return out.empty() ? "-" : out;
}

void printProc(const binder_stat::ProcInfo& proc) {
    fmt::print("PROCESS {} {} (context {})\n", proc.pid, processName(proc.pid), proc.context);
    fmt::print("  threads {}  nodes {}  refs {}  buffers {}  pending {}\n", proc.threads.size(),
               proc.nodes.size(), proc.refs.size(), proc.buffers.size(), proc.pending.size());
    if (!proc.threads.empty()) {
        fmt::print("  {:<8} {:<28} {}\n", "THREAD", "LOOPER", "TRANSACTIONS");
        for (const auto& thread : proc.threads) {
            fmt::print("  {:<8} {:<28} {}\n", thread.tid, binder_stat::looperFlags(thread.looper),
                       thread.transactions);
            for (const auto& work : thread.work) fmt::print("           {}\n", work);
        }
    }
    if (!proc.nodes.empty()) {
        fmt::print("  {:<8} {:<20} {:<8} {:<6} {}\n", "NODE", "PTR", "STRONG", "WEAK", "HELD BY");
        for (const auto& node : proc.nodes) {
            fmt::print("  {:<8} {:<#20x} {:<8} {:<6} {}\n", node.id, node.ptr, node.strongRefs,
                       node.weakRefs, joinPids(node.holders));
        }
    }
    if (!proc.refs.empty()) {
        fmt::print("  {:<8} {:<8} {:<8} {:<8} {:<6} {}\n", "REF", "HANDLE", "NODE", "STRONG",
                   "WEAK", "DEATH-NOTIFICATION");
        for (const auto& ref : proc.refs) {
            fmt::print("  {:<8} {:<8} {:<8} {:<8} {:<6} {}{}\n", ref.id, ref.handle, ref.node,
                       ref.strong, ref.weak, ref.deathNotification ? "yes" : "no",
                       ref.nodeDead ? " (node dead)" : "");
        }
    }
    for (const auto& buffer : proc.buffers) fmt::print("  {}\n", buffer);
    for (const auto& pending : proc.pending) fmt::print("  {}\n", pending);
    fmt::print("\n");
}

int usageError(const std::string& message) {
    std::fprintf(stderr, "binder-stat: %s\nTry 'binder-stat --help'.\n", message.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string context;
    std::string dir;
    bool raw = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (arg == "--raw") {
            raw = true;
        } else if (arg == "--device" || arg == "--debugfs") {
            if (i + 1 >= argc) return usageError(arg + " needs a value");
            const std::string value = argv[++i];
            if (arg == "--device") {
                context = value.substr(value.find_last_of('/') + 1);
            } else {
                dir = value;
            }
        } else {
            return usageError("unknown argument '" + arg + "'");
        }
    }
    if (dir.empty()) {
        for (const char* candidate : {"/sys/kernel/debug/binder_lite", "/sys/kernel/debug/binder"}) {
            struct stat st {};
            if (stat(candidate, &st) == 0 && S_ISDIR(st.st_mode)) {
                dir = candidate;
                break;
            }
        }
        if (dir.empty()) {
            std::fprintf(stderr, "binder-stat: no binder debugfs folder found (is debugfs mounted, "
                                 "a binder driver loaded, and are you root?)\n");
            return 1;
        }
    }
    std::string stateText;
    std::string statsText;
    if (!readFile(dir + "/state", &stateText) || !readFile(dir + "/stats", &statsText)) {
        std::fprintf(stderr, "binder-stat: cannot read %s/state and %s/stats\n", dir.c_str(), dir.c_str());
        return 1;
    }
    if (raw) {
        std::fputs(stateText.c_str(), stdout);
        return 0;
    }
    const binder_stat::DriverState state = binder_stat::parseState(stateText);
    size_t shown = 0;
    for (const auto& proc : state.procs) {
        if (!context.empty() && proc.context != context) continue;
        printProc(proc);
        ++shown;
    }
    if (shown == 0) fmt::print("no process has the device open\n\n");
    if (!state.deadNodes.empty()) {
        fmt::print("dead nodes still referenced: {}\n", state.deadNodes.size());
    }
    std::string live;
    for (const auto& [kind, count] : binder_stat::parseLiveCounts(statsText)) {
        live += fmt::format("{}{} {}", live.empty() ? "" : ", ", kind, count);
    }
    fmt::print("live objects ({}): {}\n", dir, live.empty() ? "none reported" : live);
    return 0;
}
