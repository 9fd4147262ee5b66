// String16: AOSP's UTF-16 string, the type binder uses for interface descriptors and service
// names and the native string encoding of the Parcel wire format.
//
// A thin value type over std::u16string: cheap to move, compares by code unit (as AOSP does,
// which is not code-point order for text outside the BMP). Any thread may use its own String16
// objects; a shared one needs external locking.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include <utils/Errors.h>
#include <utils/String8.h>

namespace android {

class String16 {
public:
    String16() = default;
    // A null pointer gives the empty string.
    explicit String16(const char16_t* text);
    String16(const char16_t* text, size_t length);
    explicit String16(std::u16string_view text) : mString(text) {}
    explicit String16(std::u16string text) : mString(std::move(text)) {}
    // Converts UTF-8 to UTF-16. Malformed UTF-8 gives the empty string, as in AOSP; use
    // setTo() to learn whether the conversion succeeded.
    explicit String16(const char* utf8);
    String16(const char* utf8, size_t length);
    explicit String16(std::string_view utf8);
    explicit String16(const String8& utf8);

    const char16_t* c_str() const { return mString.c_str(); }
    // Android 10 spelling of c_str().
    const char16_t* string() const { return mString.c_str(); }
    // Length in UTF-16 code units.
    size_t size() const { return mString.size(); }
    size_t length() const { return mString.size(); }
    bool empty() const { return mString.empty(); }
    std::u16string_view view() const { return mString; }
    const std::u16string& stdString() const { return mString; }

    void clear() { mString.clear(); }
    void setTo(const String16& other) { mString = other.mString; }
    [[nodiscard]] status_t setTo(const char16_t* text);
    [[nodiscard]] status_t setTo(const char16_t* text, size_t length);
    // Returns BAD_VALUE (and leaves the string unchanged) for malformed UTF-8.
    [[nodiscard]] status_t setTo(std::string_view utf8);
    [[nodiscard]] status_t append(const String16& other);
    [[nodiscard]] status_t append(const char16_t* text, size_t length);

    // Index of the first/last occurrence of |unit|, or -1.
    ssize_t findFirst(char16_t unit) const;
    ssize_t findLast(char16_t unit) const;
    bool contains(const char16_t* text) const;
    bool startsWith(const String16& prefix) const { return mString.starts_with(prefix.mString); }
    bool startsWith(const char16_t* prefix) const;

    String16& operator+=(const String16& other);
    String16 operator+(const String16& other) const;

    bool operator==(const String16& other) const = default;
    std::strong_ordering operator<=>(const String16& other) const { return compare(other.mString); }
    bool operator==(const char16_t* text) const { return text != nullptr && mString == text; }
    std::strong_ordering operator<=>(const char16_t* text) const {
        return compare(text != nullptr ? std::u16string_view(text) : std::u16string_view());
    }

private:
    std::strong_ordering compare(std::u16string_view other) const;

    std::u16string mString;
};

}  // namespace android

template <>
struct std::hash<android::String16> {
    size_t operator()(const android::String16& s) const noexcept {
        return std::hash<std::u16string_view>()(s.view());
    }
};
