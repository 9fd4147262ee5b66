// Conversion between UTF-8 and UTF-16, the two encodings String8 and String16 hold.
//
// UTF-16 text from other processes may carry unpaired surrogates (Java strings can). Such a
// surrogate is encoded as its own three-byte sequence, as AOSP does, and decoded back, so every
// UTF-16 string survives a round trip through UTF-8. Any other malformed UTF-8 (stray
// continuation bytes, truncated or overlong sequences, code points above U+10FFFF) is rejected.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace android {

// Any thread may call these at any time; they keep no state.
std::optional<std::u16string> utf8ToUtf16(std::string_view utf8);
std::string utf16ToUtf8(std::u16string_view utf16);

}  // namespace android
