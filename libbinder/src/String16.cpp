#include <utils/String16.h>

#include <optional>

#include <utils/Unicode.h>

#include "Log.h"
#include "StringViews.h"

namespace android {
namespace {

std::u16string fromUtf8OrEmpty(std::string_view utf8) {
    std::optional<std::u16string> converted = utf8ToUtf16(utf8);
    if (!converted) {
        internal::logError("String16: malformed UTF-8 input of {} bytes", utf8.size());
        return {};
    }
    return std::move(*converted);
}

}  // namespace

String16::String16(const char16_t* text) : mString(internal::viewOrEmpty(text)) {}

String16::String16(const char16_t* text, size_t length)
    : mString(internal::viewOrEmpty(text, length)) {}

String16::String16(const char* utf8) : mString(fromUtf8OrEmpty(internal::viewOrEmpty(utf8))) {}

String16::String16(const char* utf8, size_t length)
    : mString(fromUtf8OrEmpty(internal::viewOrEmpty(utf8, length))) {}

String16::String16(std::string_view utf8) : mString(fromUtf8OrEmpty(utf8)) {}

String16::String16(const String8& utf8) : mString(fromUtf8OrEmpty(utf8.view())) {}

status_t String16::setTo(const char16_t* text) {
    mString = internal::viewOrEmpty(text);
    return OK;
}

status_t String16::setTo(const char16_t* text, size_t length) {
    mString = internal::viewOrEmpty(text, length);
    return OK;
}

status_t String16::setTo(std::string_view utf8) {
    std::optional<std::u16string> converted = utf8ToUtf16(utf8);
    if (!converted) {
        return BAD_VALUE;
    }
    mString = std::move(*converted);
    return OK;
}

status_t String16::append(const String16& other) {
    mString += other.mString;
    return OK;
}

status_t String16::append(const char16_t* text, size_t length) {
    mString += internal::viewOrEmpty(text, length);
    return OK;
}

ssize_t String16::findFirst(char16_t unit) const {
    const size_t index = mString.find(unit);
    return index == std::u16string::npos ? -1 : static_cast<ssize_t>(index);
}

ssize_t String16::findLast(char16_t unit) const {
    const size_t index = mString.rfind(unit);
    return index == std::u16string::npos ? -1 : static_cast<ssize_t>(index);
}

bool String16::contains(const char16_t* text) const {
    return mString.find(internal::viewOrEmpty(text)) != std::u16string::npos;
}

bool String16::startsWith(const char16_t* prefix) const {
    return mString.starts_with(internal::viewOrEmpty(prefix));
}

String16& String16::operator+=(const String16& other) {
    mString += other.mString;
    return *this;
}

String16 String16::operator+(const String16& other) const {
    return String16(mString + other.mString);
}

std::strong_ordering String16::compare(std::u16string_view other) const {
    return std::u16string_view(mString).compare(other) <=> 0;
}

}  // namespace android
