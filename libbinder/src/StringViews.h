// Null-tolerant views over the C strings String8 and String16 accept: AOSP-style callers pass
// nullptr for "no string", which both classes treat as the empty string.
#pragma once

#include <cstddef>
#include <string_view>

namespace android::internal {

template <typename Char>
std::basic_string_view<Char> viewOrEmpty(const Char* text) {
    return text != nullptr ? std::basic_string_view<Char>(text) : std::basic_string_view<Char>();
}

template <typename Char>
std::basic_string_view<Char> viewOrEmpty(const Char* text, size_t length) {
    return text != nullptr ? std::basic_string_view<Char>(text, length)
                           : std::basic_string_view<Char>();
}

}  // namespace android::internal
