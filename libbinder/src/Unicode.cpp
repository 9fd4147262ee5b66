#include <utils/Unicode.h>

#include <cstdint>

namespace android {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

bool isLeadSurrogate(char16_t unit) {
    return (unit & 0xFC00) == 0xD800;
}

bool isTrailSurrogate(char16_t unit) {
    return (unit & 0xFC00) == 0xDC00;
}

void appendUtf8(std::string& out, char32_t codePoint) {
    auto byte = [](char32_t bits) { return static_cast<char>(static_cast<uint8_t>(bits)); };
    if (codePoint < 0x80) {
        out += byte(codePoint);
    } else if (codePoint < 0x800) {
        out += byte(0xC0 | (codePoint >> 6));
        out += byte(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += byte(0xE0 | (codePoint >> 12));
        out += byte(0x80 | ((codePoint >> 6) & 0x3F));
        out += byte(0x80 | (codePoint & 0x3F));
    } else {
        out += byte(0xF0 | (codePoint >> 18));
        out += byte(0x80 | ((codePoint >> 12) & 0x3F));
        out += byte(0x80 | ((codePoint >> 6) & 0x3F));
        out += byte(0x80 | (codePoint & 0x3F));
    }
}

void appendUtf16(std::u16string& out, char32_t codePoint) {
    if (codePoint < 0x10000) {
        out += static_cast<char16_t>(codePoint);
        return;
    }
    const char32_t offset = codePoint - 0x10000;
    out += static_cast<char16_t>(0xD800 + (offset >> 10));
    out += static_cast<char16_t>(0xDC00 + (offset & 0x3FF));
}

// Decodes the sequence starting at utf8[pos]; on success advances pos past it.
std::optional<char32_t> decodeUtf8(std::string_view utf8, size_t& pos) {
    const auto lead = static_cast<uint8_t>(utf8[pos]);
    size_t length;
    char32_t codePoint;
    char32_t minimum;
    if (lead < 0x80) {
        ++pos;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2, codePoint = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, codePoint = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, codePoint = lead & 0x07, minimum = 0x10000;
    } else {
        return std::nullopt;
    }
    if (utf8.size() - pos < length) {
        return std::nullopt;
    }
    for (size_t i = 1; i < length; ++i) {
        const auto next = static_cast<uint8_t>(utf8[pos + i]);
        if ((next & 0xC0) != 0x80) {
            return std::nullopt;
        }
        codePoint = (codePoint << 6) | (next & 0x3F);
    }
    if (codePoint < minimum || codePoint > kMaxCodePoint) {
        return std::nullopt;
    }
    pos += length;
    return codePoint;
}

}  // namespace

std::optional<std::u16string> utf8ToUtf16(std::string_view utf8) {
    std::u16string out;
    out.reserve(utf8.size());
    for (size_t pos = 0; pos < utf8.size();) {
        const std::optional<char32_t> codePoint = decodeUtf8(utf8, pos);
        if (!codePoint) {
            return std::nullopt;
        }
        appendUtf16(out, *codePoint);
    }
    return out;
}

std::string utf16ToUtf8(std::u16string_view utf16) {
    std::string out;
    out.reserve(utf16.size());
    for (size_t i = 0; i < utf16.size(); ++i) {
        const char16_t unit = utf16[i];
        if (isLeadSurrogate(unit) && i + 1 < utf16.size() && isTrailSurrogate(utf16[i + 1])) {
            const char16_t trail = utf16[++i];
            appendUtf8(out,
                       0x10000 + ((char32_t{unit} - 0xD800) << 10) + (char32_t{trail} - 0xDC00));
        } else {
            appendUtf8(out, unit);
        }
    }
    return out;
}

}  // namespace android
