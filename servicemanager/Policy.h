// Who may register which service names.
//
// Built in: root may register any name; any other uid may register a name unless another uid
// holds it now (no hijacking a live service). A policy file adds restrictions for non-root
// callers, one rule per line:
//
//   # comment
//   NAME-OR-PREFIX  PRINCIPAL [PRINCIPAL...]
//
// NAME-OR-PREFIX is a service name, or a prefix ending in '*' ("vendor.*"). PRINCIPAL is
// uid:N, user:NAME, gid:N, group:NAME (primary or supplementary group, from the user
// database) or '*' (anyone). The first rule whose name matches decides: the caller must
// match one of its principals. Names no rule matches keep the built-in behaviour.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace servicemanager {

class Policy {
public:
    // Parses a policy file; on error returns nullopt and says where in |error|.
    static std::optional<Policy> load(const std::string& path, std::string* error);
    static std::optional<Policy> parse(const std::string& text, std::string* error);

    // Whether |uid| may register |name| by the file's rules (root always may). The
    // no-hijack rule is checked separately by the service manager.
    bool allowsRegistration(const std::string& name, uid_t uid) const;

    size_t ruleCount() const { return mRules.size(); }

private:
    struct Principal {
        enum class Kind { Anyone, Uid, Gid } kind;
        unsigned id;
    };
    struct Rule {
        std::string name;  // without the trailing '*' for a prefix
        bool prefix;
        std::vector<Principal> principals;
    };
    std::vector<Rule> mRules;
};

// Whether |name| is a valid service name: 1 to 127 characters from [A-Za-z0-9._-/@].
bool isValidServiceName(const std::string& name);

}  // namespace servicemanager
