// String8: AOSP's 8-bit (UTF-8) string, the type AOSP-style code uses for names and messages.
//
// A thin value type over std::string: cheap to move, compares bytewise, and converts to and from
// String16 through UTF-8/UTF-16 conversion. Any thread may use its own String8 objects; a shared
// one needs external locking, like any standard container.
#pragma once

#include <compare>
#include <cstdarg>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include <utils/Errors.h>

namespace android {

class String16;

class String8 {
public:
    String8() = default;
    // A null pointer gives the empty string.
    explicit String8(const char* text);
    String8(const char* text, size_t length);
    explicit String8(std::string_view text);
    explicit String8(std::string text) : mString(std::move(text)) {}
    // Converts UTF-16 to UTF-8; unpaired surrogates are kept (see utils/Unicode.h).
    explicit String8(const String16& utf16);
    explicit String8(const char16_t* utf16);
    String8(const char16_t* utf16, size_t length);

    // printf-style construction, as AOSP's String8::format.
    static String8 format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
    static String8 formatV(const char* fmt, va_list args) __attribute__((format(printf, 1, 0)));

    const char* c_str() const { return mString.c_str(); }
    // Android 10 spelling of c_str().
    const char* string() const { return mString.c_str(); }
    size_t size() const { return mString.size(); }
    size_t length() const { return mString.size(); }
    size_t bytes() const { return mString.size(); }
    bool empty() const { return mString.empty(); }
    bool isEmpty() const { return mString.empty(); }
    std::string_view view() const { return mString; }
    const std::string& stdString() const { return mString; }

    void clear() { mString.clear(); }
    void setTo(const String8& other) { mString = other.mString; }
    [[nodiscard]] status_t setTo(const char* text);
    [[nodiscard]] status_t setTo(const char* text, size_t length);
    [[nodiscard]] status_t append(const String8& other);
    [[nodiscard]] status_t append(const char* text);
    [[nodiscard]] status_t append(const char* text, size_t length);
    [[nodiscard]] status_t appendFormat(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    [[nodiscard]] status_t appendFormatV(const char* fmt, va_list args)
            __attribute__((format(printf, 2, 0)));

    // Byte offset of the first occurrence of |text| at or after |start|, or -1.
    ssize_t find(const char* text, size_t start = 0) const;
    bool contains(const char* text) const { return find(text) >= 0; }
    bool startsWith(std::string_view prefix) const { return mString.starts_with(prefix); }
    bool endsWith(std::string_view suffix) const { return mString.ends_with(suffix); }

    String8& operator+=(const String8& other);
    String8& operator+=(const char* text);
    String8 operator+(const String8& other) const;

    bool operator==(const String8& other) const = default;
    std::strong_ordering operator<=>(const String8& other) const { return compare(other.mString); }
    bool operator==(const char* text) const { return text != nullptr && mString == text; }
    std::strong_ordering operator<=>(const char* text) const {
        return compare(text != nullptr ? std::string_view(text) : std::string_view());
    }

private:
    std::strong_ordering compare(std::string_view other) const;

    std::string mString;
};

}  // namespace android

template <>
struct std::hash<android::String8> {
    size_t operator()(const android::String8& s) const noexcept {
        return std::hash<std::string_view>()(s.view());
    }
};
