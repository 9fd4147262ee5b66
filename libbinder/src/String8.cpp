#include <utils/String8.h>

#include <cstdio>

#include <utils/String16.h>
#include <utils/Unicode.h>

#include "StringViews.h"

namespace android {

String8::String8(const char* text) : mString(internal::viewOrEmpty(text)) {}

String8::String8(const char* text, size_t length) : mString(internal::viewOrEmpty(text, length)) {}

String8::String8(std::string_view text) : mString(text) {}

String8::String8(const String16& utf16) : mString(utf16ToUtf8(utf16.view())) {}

String8::String8(const char16_t* utf16) : mString(utf16ToUtf8(internal::viewOrEmpty(utf16))) {}

String8::String8(const char16_t* utf16, size_t length)
    : mString(utf16ToUtf8(internal::viewOrEmpty(utf16, length))) {}

String8 String8::format(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    String8 result = formatV(fmt, args);
    va_end(args);
    return result;
}

String8 String8::formatV(const char* fmt, va_list args) {
    String8 result;
    if (result.appendFormatV(fmt, args) != OK) {
        result.clear();
    }
    return result;
}

status_t String8::setTo(const char* text) {
    mString = internal::viewOrEmpty(text);
    return OK;
}

status_t String8::setTo(const char* text, size_t length) {
    mString = internal::viewOrEmpty(text, length);
    return OK;
}

status_t String8::append(const String8& other) {
    mString += other.mString;
    return OK;
}

status_t String8::append(const char* text) {
    mString += internal::viewOrEmpty(text);
    return OK;
}

status_t String8::append(const char* text, size_t length) {
    mString += internal::viewOrEmpty(text, length);
    return OK;
}

status_t String8::appendFormat(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const status_t status = appendFormatV(fmt, args);
    va_end(args);
    return status;
}

status_t String8::appendFormatV(const char* fmt, va_list args) {
    va_list measureArgs;
    va_copy(measureArgs, args);
    const int length = vsnprintf(nullptr, 0, fmt, measureArgs);
    va_end(measureArgs);
    if (length < 0) {
        return BAD_VALUE;
    }
    const size_t oldSize = mString.size();
    // vsnprintf writes a terminating NUL; the string's own terminator slot takes it.
    mString.resize(oldSize + static_cast<size_t>(length));
    vsnprintf(mString.data() + oldSize, static_cast<size_t>(length) + 1, fmt, args);
    return OK;
}

ssize_t String8::find(const char* text, size_t start) const {
    const size_t index = mString.find(internal::viewOrEmpty(text), start);
    return index == std::string::npos ? -1 : static_cast<ssize_t>(index);
}

String8& String8::operator+=(const String8& other) {
    mString += other.mString;
    return *this;
}

String8& String8::operator+=(const char* text) {
    mString += internal::viewOrEmpty(text);
    return *this;
}

String8 String8::operator+(const String8& other) const {
    return String8(mString + other.mString);
}

std::strong_ordering String8::compare(std::string_view other) const {
    // char_traits<char>::compare orders bytes as unsigned char, so UTF-8 sorts by code point.
    return std::string_view(mString).compare(other) <=> 0;
}

}  // namespace android
