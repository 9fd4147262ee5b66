#include "driver_state.h"

#include <charconv>
#include <sstream>

namespace binder_stat {
namespace {

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && line[pos] == ' ') ++pos;
        const size_t start = pos;
        while (pos < line.size() && line[pos] != ' ') ++pos;
        if (pos > start) out.push_back(line.substr(start, pos - start));
    }
    return out;
}

template <typename T>
T number(std::string_view text, int base = 10) {
    while (!text.empty() && (text.back() == ':' || text.back() == ',')) text.remove_suffix(1);
    T value{};
    std::from_chars(text.data(), text.data() + text.size(), value, base);
    return value;
}

// The value after |key| in a "key value key value" line, or 0.
int field(const std::vector<std::string_view>& w, std::string_view key) {
    for (size_t i = 0; i + 1 < w.size(); ++i) {
        if (w[i] == key) return number<int>(w[i + 1]);
    }
    return 0;
}

NodeInfo parseNode(const std::vector<std::string_view>& w) {
    NodeInfo node;
    node.id = number<int>(w[1]);
    for (size_t i = 2; i < w.size(); ++i) {
        if (w[i].starts_with('u')) node.ptr = number<uint64_t>(w[i].substr(1), 16);
        if (w[i].starts_with('c')) node.cookie = number<uint64_t>(w[i].substr(1), 16);
        if (w[i] == "proc") {
            for (size_t j = i + 1; j < w.size(); ++j) node.holders.push_back(number<int>(w[j]));
            break;
        }
    }
    node.strongRefs = field(w, "is");  // refs from other processes holding it strongly
    node.weakRefs = field(w, "iw");    // refs from other processes
    node.transactions = field(w, "tr");
    return node;
}

}  // namespace

DriverState parseState(std::string_view text) {
    DriverState state;
    bool inDeadNodes = false;
    std::istringstream lines{std::string(text)};
    std::string line;
    while (std::getline(lines, line)) {
        const std::vector<std::string_view> w = words(line);
        if (w.empty()) continue;
        if (line.starts_with("dead nodes:")) {
            inDeadNodes = true;
        } else if (line.starts_with("proc ")) {
            inDeadNodes = false;
            state.procs.push_back({});
            state.procs.back().pid = number<int>(w[1]);
        } else if (inDeadNodes && w[0] == "node" && w.size() > 2) {
            state.deadNodes.push_back(parseNode(w));
        } else if (state.procs.empty()) {
            continue;
        } else if (ProcInfo& proc = state.procs.back(); w[0] == "context" && w.size() > 1) {
            proc.context = std::string(w[1]);
        } else if (line.starts_with("    ") && !proc.threads.empty()) {
            ThreadInfo& thread = proc.threads.back();
            thread.work.push_back(line.substr(4));
            if (line.find("transaction") != std::string::npos) ++thread.transactions;
        } else if (w[0] == "thread" && w.size() > 2) {
            ThreadInfo thread;
            thread.tid = number<int>(w[1]);
            for (size_t i = 2; i + 1 < w.size(); ++i) {
                if (w[i] == "l") thread.looper = number<unsigned>(w[i + 1], 16);
            }
            proc.threads.push_back(std::move(thread));
        } else if (w[0] == "node" && w.size() > 2) {
            proc.nodes.push_back(parseNode(w));
        } else if (w[0] == "ref" && w.size() > 2) {
            RefInfo ref;
            ref.id = number<int>(w[1]);
            ref.handle = static_cast<uint32_t>(field(w, "desc"));
            for (const std::string_view word : w) ref.nodeDead |= word == "dead";
            ref.node = field(w, "node");
            ref.strong = field(w, "s");
            ref.weak = field(w, "w");
            for (size_t i = 0; i + 1 < w.size(); ++i) {
                if (w[i] == "d") ref.deathNotification = number<uint64_t>(w[i + 1], 16) != 0;
            }
            proc.refs.push_back(ref);
        } else if (w[0] == "buffer") {
            proc.buffers.push_back(line.substr(2));
        } else if (w[0] == "pending" || w[0] == "transaction" || w[0] == "has") {
            proc.pending.push_back(line.substr(2));
        }
    }
    return state;
}

std::map<std::string, int> parseLiveCounts(std::string_view text) {
    std::map<std::string, int> counts;
    std::istringstream lines{std::string(text)};
    std::string line;
    while (std::getline(lines, line)) {
        if (line.starts_with(' ')) continue;  // per-process sections are indented
        if (line.starts_with("proc ")) break;  // per-process sections start here
        const std::vector<std::string_view> w = words(line);
        if (w.size() == 5 && w[0].ends_with(':') && w[1] == "active" && w[3] == "total") {
            counts[std::string(w[0].substr(0, w[0].size() - 1))] = number<int>(w[2]);
        }
    }
    return counts;
}

std::string looperFlags(unsigned looper) {
    static constexpr std::pair<unsigned, const char*> kFlags[] = {
            {0x01, "registered"}, {0x02, "entered"}, {0x04, "exited"},
            {0x08, "invalid"},    {0x10, "waiting"}, {0x20, "polling"},
    };
    std::string out;
    for (const auto& [bit, name] : kFlags) {
        if ((looper & bit) == 0) continue;
        if (!out.empty()) out += ',';
        out += name;
    }
    return out.empty() ? "-" : out;
}

}  // namespace binder_stat
