#include "Policy.h"

#include <grp.h>
#include <pwd.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace servicemanager {
namespace {

bool parseNumber(const std::string& text, unsigned* value) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, *value);
    return ec == std::errc() && ptr == end && !text.empty();
}

bool userInGroup(uid_t uid, gid_t gid) {
    const passwd* pw = getpwuid(uid);
    if (pw == nullptr) return false;
    if (pw->pw_gid == gid) return true;
    int count = 64;
    std::vector<gid_t> groups(static_cast<size_t>(count));
    if (getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &count) < 0) {
        groups.resize(static_cast<size_t>(count));
        if (getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &count) < 0) return false;
    }
    groups.resize(static_cast<size_t>(count));
    for (gid_t g : groups) {
        if (g == gid) return true;
    }
    return false;
}

}  // namespace

bool isValidServiceName(const std::string& name) {
    if (name.empty() || name.size() > 127) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
                        c == '/' || c == '@';
        if (!ok) return false;
    }
    return true;
}

std::optional<Policy> Policy::load(const std::string& path, std::string* error) {
    std::ifstream in(path);
    if (!in) {
        *error = "cannot read " + path;
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::optional<Policy> policy = parse(text.str(), error);
    if (!policy) *error = path + ":" + *error;
    return policy;
}

std::optional<Policy> Policy::parse(const std::string& text, std::string* error) {
    Policy policy;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
        std::istringstream words(line);
        std::string pattern;
        if (!(words >> pattern)) continue;
        Rule rule{pattern, false, {}};
        if (pattern.back() == '*') {
            rule.prefix = true;
            rule.name.pop_back();
        }
        if (!rule.name.empty() && !isValidServiceName(rule.name)) {
            *error = std::to_string(number) + ": invalid service name '" + pattern + "'";
            return std::nullopt;
        }
        std::string word;
        while (words >> word) {
            const size_t colon = word.find(':');
            const std::string kind = word.substr(0, colon);
            const std::string value = colon == std::string::npos ? "" : word.substr(colon + 1);
            Principal principal{Principal::Kind::Anyone, 0};
            if (word == "*") {
            } else if (kind == "uid" && parseNumber(value, &principal.id)) {
                principal.kind = Principal::Kind::Uid;
            } else if (kind == "gid" && parseNumber(value, &principal.id)) {
                principal.kind = Principal::Kind::Gid;
            } else if (kind == "user" && getpwnam(value.c_str()) != nullptr) {
                principal = {Principal::Kind::Uid, getpwnam(value.c_str())->pw_uid};
            } else if (kind == "group" && getgrnam(value.c_str()) != nullptr) {
                principal = {Principal::Kind::Gid, getgrnam(value.c_str())->gr_gid};
            } else {
                *error = std::to_string(number) + ": bad principal '" + word +
                         "' (uid:N, user:NAME, gid:N, group:NAME or *; users and groups must exist)";
                return std::nullopt;
            }
            rule.principals.push_back(principal);
        }
        if (rule.principals.empty()) {
            *error = std::to_string(number) + ": rule for '" + pattern + "' names no principal";
            return std::nullopt;
        }
        policy.mRules.push_back(std::move(rule));
    }
    return policy;
}

bool Policy::allowsRegistration(const std::string& name, uid_t uid) const {
    if (uid == 0) return true;
    for (const Rule& rule : mRules) {
        const bool matches = rule.prefix ? name.starts_with(rule.name) : name == rule.name;
        if (!matches) continue;
        for (const Principal& principal : rule.principals) {
            switch (principal.kind) {
                case Principal::Kind::Anyone:
                    return true;
                case Principal::Kind::Uid:
                    if (principal.id == uid) return true;
                    break;
                case Principal::Kind::Gid:
                    if (userInGroup(uid, principal.id)) return true;
                    break;
            }
        }
        return false;
    }
    return true;
}

}  // namespace servicemanager
