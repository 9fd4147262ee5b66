// The binder driver's debugfs files, parsed: `state` (processes with their threads, nodes,
// refs, buffers and pending work) and `stats` (live and total object counts). Both our
// driver and the upstream one write the same format, so one parser serves both.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace binder_stat {

struct ThreadInfo {
    int tid = 0;
    unsigned looper = 0;       // BINDER_LOOPER_STATE_* bits
    int transactions = 0;      // transactions listed below it (its stack and pending ones)
    std::vector<std::string> work;  // the indented lines below it: transactions, work items
};

struct NodeInfo {
    int id = 0;
    uint64_t ptr = 0;
    uint64_t cookie = 0;
    int strongRefs = 0;        // is: refs from other processes holding it strongly
    int weakRefs = 0;          // iw: refs from other processes
    int transactions = 0;
    std::vector<int> holders;  // pids of the processes holding refs
};

struct RefInfo {
    int id = 0;
    uint32_t handle = 0;
    int node = 0;
    bool nodeDead = false;
    int strong = 0;
    int weak = 0;
    bool deathNotification = false;
};

struct ProcInfo {
    int pid = 0;
    std::string context;
    std::vector<ThreadInfo> threads;
    std::vector<NodeInfo> nodes;
    std::vector<RefInfo> refs;
    std::vector<std::string> buffers;
    std::vector<std::string> pending;
};

struct DriverState {
    std::vector<ProcInfo> procs;
    std::vector<NodeInfo> deadNodes;
};

// Unknown lines are skipped: newer drivers print more than this knows.
DriverState parseState(std::string_view text);

// "proc: active 2 total 3" lines of `stats`: object kind -> live (active) count.
std::map<std::string, int> parseLiveCounts(std::string_view text);

// "registered,entered,waiting" for a looper word.
std::string looperFlags(unsigned looper);

}  // namespace binder_stat
