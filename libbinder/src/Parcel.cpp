#include <binder/Parcel.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <new>

#include <utils/Unicode.h>

#include "Log.h"

namespace android {
namespace {

constexpr size_t kMaxParcelSize = static_cast<size_t>(std::numeric_limits<int32_t>::max());
constexpr size_t kObjectSize = sizeof(flat_binder_object);

// StrictMode's PENALTY_GATHER bit, set in every interface token (android.os.StrictMode).
constexpr int32_t kStrictModePenaltyGather = std::numeric_limits<int32_t>::min();
// IPCThreadState::kUnsetWorkSource: no work-source uid is propagated.
constexpr int32_t kUnsetWorkSource = -1;

// The "fd object" flags AOSP writes: any priority, and the receiver accepts descriptors.
constexpr uint32_t kFdObjectFlags = 0x7f | FLAT_BINDER_FLAG_ACCEPTS_FDS;

constexpr size_t padSize(size_t length) {
    return (length + 3) & ~size_t{3};
}

}  // namespace

Parcel::Parcel() = default;

Parcel::~Parcel() {
    releaseAll();
}

// ---- Storage.

size_t Parcel::dataCapacity() const {
    return isExternal() ? mDataSize : mBuffer.size();
}

status_t Parcel::ensureCapacity(size_t size) {
    if (size <= mBuffer.size()) {
        return OK;
    }
    if (size > kMaxParcelSize) {
        return BAD_VALUE;
    }
    try {
        mBuffer.resize(size);
    } catch (const std::bad_alloc&) {
        mError = NO_MEMORY;
        return NO_MEMORY;
    }
    mData = mBuffer.data();
    return OK;
}

status_t Parcel::adoptExternalData() {
    if (!isExternal()) {
        return OK;
    }
    std::vector<uint8_t> copy;
    try {
        copy.assign(mData, mData + mDataSize);
    } catch (const std::bad_alloc&) {
        mError = NO_MEMORY;
        return NO_MEMORY;
    }
    // The received descriptors belong to whoever frees the buffer, not to this copy.
    for (binder_size_t offset : mObjects) {
        flat_binder_object object = objectAt(offset);
        if (object.hdr.type == BINDER_TYPE_FD) {
            object.cookie = 0;
            std::memcpy(copy.data() + offset, &object, kObjectSize);
        }
    }
    mBuffer = std::move(copy);
    mData = mBuffer.data();
    std::exchange(mRelease, nullptr)();
    return OK;
}

void Parcel::releaseAll() {
    if (isExternal()) {
        std::exchange(mRelease, nullptr)();
    } else {
        for (binder_size_t offset : mObjects) {
            releaseObject(objectAt(offset));
        }
    }
    mObjects.clear();
    std::vector<uint8_t>().swap(mBuffer);
    mData = nullptr;
    mDataSize = 0;
    mDataPos = 0;
    mError = OK;
    mAllowFds = true;
}

void Parcel::freeData() {
    releaseAll();
}

status_t Parcel::setDataSize(size_t size) {
    if (size > kMaxParcelSize) {
        return BAD_VALUE;
    }
    if (status_t status = adoptExternalData(); status != OK) {
        return status;
    }
    if (size < mDataSize) {
        releaseObjectsIn(size, std::numeric_limits<size_t>::max());
    } else if (size > mDataSize) {
        if (status_t status = ensureCapacity(size); status != OK) {
            return status;
        }
        std::fill(mBuffer.begin() + mDataSize, mBuffer.begin() + size, 0);
    }
    mDataSize = size;
    mDataPos = std::min(mDataPos, size);
    return OK;
}

void Parcel::setDataPosition(size_t position) const {
    if (position > kMaxParcelSize) {
        internal::logError("Parcel: refusing data position {} (above INT32_MAX)", position);
        return;
    }
    mDataPos = position;
}

status_t Parcel::setDataCapacity(size_t size) {
    if (size > kMaxParcelSize) {
        return BAD_VALUE;
    }
    if (status_t status = adoptExternalData(); status != OK) {
        return status;
    }
    return ensureCapacity(size);
}

status_t Parcel::setData(const uint8_t* buffer, size_t length) {
    if (length > kMaxParcelSize || (buffer == nullptr && length > 0)) {
        return BAD_VALUE;
    }
    releaseAll();
    if (status_t status = ensureCapacity(length); status != OK) {
        return status;
    }
    if (length > 0) {
        std::memcpy(mBuffer.data(), buffer, length);
    }
    mDataSize = length;
    return OK;
}

void Parcel::ipcSetDataReference(const uint8_t* data, size_t dataSize, const binder_size_t* objects,
                                 size_t objectsCount, ReleaseFunction release) {
    releaseAll();
    mData = data;
    mDataSize = data != nullptr ? dataSize : 0;
    for (size_t i = 0; objects != nullptr && i < objectsCount; ++i) {
        const binder_size_t offset = objects[i];
        if (mDataSize < kObjectSize || offset > mDataSize - kObjectSize || offset % 4 != 0) {
            internal::logError("Parcel: dropping object offset {} of a {}-byte buffer", offset,
                               mDataSize);
            continue;
        }
        mObjects.push_back(offset);
    }
    std::sort(mObjects.begin(), mObjects.end());
    // Overlapping objects cannot come from the kernel; keep the first of any such pair.
    for (size_t i = 1; i < mObjects.size();) {
        if (mObjects[i] < mObjects[i - 1] + kObjectSize) {
            internal::logError("Parcel: dropping overlapping object offset {}", mObjects[i]);
            mObjects.erase(mObjects.begin() + static_cast<ptrdiff_t>(i));
        } else {
            ++i;
        }
    }
    // An empty function would read as "owned storage"; the buffer still is not ours.
    mRelease = release ? std::move(release) : ReleaseFunction([] {});
}

status_t Parcel::prepareWrite(size_t length, uint8_t** out) {
    if (length > kMaxParcelSize) {
        return BAD_VALUE;
    }
    const size_t padded = padSize(length);
    const size_t begin = mDataPos;
    const size_t end = begin + padded;  // both terms <= INT32_MAX + 3: no overflow
    if (end > kMaxParcelSize) {
        return BAD_VALUE;
    }
    if (status_t status = adoptExternalData(); status != OK) {
        return status;
    }
    if (end > mBuffer.size()) {
        // Grow geometrically, as AOSP does, so appending stays amortised O(1).
        const size_t preferred = std::min(kMaxParcelSize, end + end / 2);
        if (ensureCapacity(preferred) != OK) {
            if (status_t status = ensureCapacity(end); status != OK) {
                return status;
            }
            mError = OK;
        }
    }
    if (begin > mDataSize) {
        // The position was set past the end: the gap becomes zeros, not stale bytes.
        std::fill(mBuffer.begin() + mDataSize, mBuffer.begin() + begin, 0);
    }
    releaseObjectsIn(begin, end);
    std::fill(mBuffer.begin() + begin + length, mBuffer.begin() + end, 0);
    *out = mBuffer.data() + begin;
    mDataPos = end;
    mDataSize = std::max(mDataSize, end);
    return OK;
}

status_t Parcel::readBytes(size_t length, const uint8_t** out) const {
    if (length > kMaxParcelSize) {
        return BAD_VALUE;
    }
    const size_t padded = padSize(length);
    if (mDataPos > mDataSize || padded > mDataSize - mDataPos) {
        return NOT_ENOUGH_DATA;
    }
    if (overlapsObject(mDataPos, mDataPos + padded)) {
        internal::logError("Parcel: plain read of {} bytes at {} overlaps an object", length,
                           mDataPos);
        return PERMISSION_DENIED;
    }
    *out = mData + mDataPos;
    mDataPos += padded;
    return OK;
}

status_t Parcel::write(const void* data, size_t length) {
    uint8_t* out = nullptr;
    if (status_t status = prepareWrite(length, &out); status != OK) {
        return status;
    }
    if (length > 0) {
        std::memcpy(out, data, length);
    }
    return OK;
}

void* Parcel::writeInplace(size_t length) {
    uint8_t* out = nullptr;
    return prepareWrite(length, &out) == OK ? out : nullptr;
}

status_t Parcel::read(void* outData, size_t length) const {
    const uint8_t* in = nullptr;
    if (status_t status = readBytes(length, &in); status != OK) {
        return status;
    }
    if (length > 0) {
        std::memcpy(outData, in, length);
    }
    return OK;
}

const void* Parcel::readInplace(size_t length) const {
    const uint8_t* in = nullptr;
    return readBytes(length, &in) == OK ? in : nullptr;
}

// ---- Scalars.

template <typename T>
status_t Parcel::writeAligned(T value) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "wire scalars are 4 or 8 bytes");
    return write(&value, sizeof(T));
}

template <typename T>
status_t Parcel::readAligned(T* value) const {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "wire scalars are 4 or 8 bytes");
    return read(value, sizeof(T));
}

template status_t Parcel::writeAligned<int32_t>(int32_t);
template status_t Parcel::writeAligned<uint32_t>(uint32_t);
template status_t Parcel::writeAligned<int64_t>(int64_t);
template status_t Parcel::writeAligned<uint64_t>(uint64_t);
template status_t Parcel::writeAligned<float>(float);
template status_t Parcel::writeAligned<double>(double);
template status_t Parcel::readAligned<int32_t>(int32_t*) const;
template status_t Parcel::readAligned<uint32_t>(uint32_t*) const;
template status_t Parcel::readAligned<int64_t>(int64_t*) const;
template status_t Parcel::readAligned<uint64_t>(uint64_t*) const;
template status_t Parcel::readAligned<float>(float*) const;
template status_t Parcel::readAligned<double>(double*) const;

status_t Parcel::readBool(bool* value) const {
    int32_t wide = 0;
    const status_t status = readInt32(&wide);
    *value = wide != 0;
    return status;
}

status_t Parcel::readChar(char16_t* value) const {
    int32_t wide = 0;
    const status_t status = readInt32(&wide);
    *value = static_cast<char16_t>(wide);
    return status;
}

status_t Parcel::readByte(int8_t* value) const {
    int32_t wide = 0;
    const status_t status = readInt32(&wide);
    *value = static_cast<int8_t>(wide);
    return status;
}

// ---- Interface token.

status_t Parcel::writeInterfaceToken(const String16& interface) {
    // No strict-mode policy or work source to propagate on Linux: AOSP's defaults.
    if (status_t status = writeInt32(kStrictModePenaltyGather); status != OK) {
        return status;
    }
    if (status_t status = writeInt32(kUnsetWorkSource); status != OK) {
        return status;
    }
    return writeString16(interface);
}

bool Parcel::enforceInterface(const String16& interface) const {
    int32_t strictModePolicy = 0;
    int32_t workSource = 0;
    String16 descriptor;
    if (readInt32(&strictModePolicy) != OK || readInt32(&workSource) != OK ||
        readString16(&descriptor) != OK) {
        internal::logWarning("Parcel: truncated interface token, expected '{}'",
                             String8(interface).view());
        return false;
    }
    if (descriptor != interface) {
        internal::logWarning("Parcel: interface token '{}' does not match '{}'",
                             String8(descriptor).view(), String8(interface).view());
        return false;
    }
    return true;
}

// ---- Strings.

template <typename Char>
status_t Parcel::writeStringUnits(const Char* text, size_t length) {
    if (text == nullptr) {
        return writeInt32(kNullLength);
    }
    if (length >= kMaxParcelSize / sizeof(Char)) {
        return BAD_VALUE;
    }
    if (status_t status = writeInt32(static_cast<int32_t>(length)); status != OK) {
        return status;
    }
    uint8_t* out = nullptr;
    if (status_t status = prepareWrite((length + 1) * sizeof(Char), &out); status != OK) {
        return status;
    }
    std::memcpy(out, text, length * sizeof(Char));
    std::memset(out + length * sizeof(Char), 0, sizeof(Char));
    return OK;
}

template <typename Char>
status_t Parcel::readStringUnits(const Char** text, size_t* length) const {
    int32_t size = 0;
    if (status_t status = readInt32(&size); status != OK) {
        return status;
    }
    if (size < 0) {
        return UNEXPECTED_NULL;
    }
    const size_t units = static_cast<size_t>(size);
    if (units >= kMaxParcelSize / sizeof(Char)) {
        return BAD_VALUE;
    }
    const uint8_t* in = nullptr;
    if (status_t status = readBytes((units + 1) * sizeof(Char), &in); status != OK) {
        return status == NOT_ENOUGH_DATA ? BAD_VALUE : status;
    }
    Char terminator{};
    std::memcpy(&terminator, in + units * sizeof(Char), sizeof(Char));
    if (terminator != Char{}) {
        return BAD_VALUE;
    }
    *text = reinterpret_cast<const Char*>(in);
    *length = units;
    return OK;
}

status_t Parcel::writeCString(const char* text) {
    if (text == nullptr) {
        return BAD_VALUE;
    }
    return write(text, std::strlen(text) + 1);
}

status_t Parcel::writeString8(const String8& text) {
    return writeStringUnits(text.c_str(), text.size());
}

status_t Parcel::writeString8(const char* text, size_t length) {
    return writeStringUnits(text, length);
}

status_t Parcel::writeString16(const String16& text) {
    return writeStringUnits(text.c_str(), text.size());
}

status_t Parcel::writeString16(const char16_t* text, size_t length) {
    return writeStringUnits(text, length);
}

status_t Parcel::writeString16(const std::optional<String16>& text) {
    return writeNullable(text, kNullLength, [this](const String16& s) { return writeString16(s); });
}

status_t Parcel::writeString16(const std::unique_ptr<String16>& text) {
    return writeNullable(text, kNullLength, [this](const String16& s) { return writeString16(s); });
}

status_t Parcel::writeUtf8View(std::string_view text) {
    const std::optional<std::u16string> utf16 = utf8ToUtf16(text);
    if (!utf16) {
        return BAD_VALUE;
    }
    return writeStringUnits(utf16->c_str(), utf16->size());
}

status_t Parcel::writeUtf8AsUtf16(const std::string& text) {
    return writeUtf8View(text);
}

status_t Parcel::writeUtf8AsUtf16(const char* text) {
    return text == nullptr ? writeInt32(kNullLength) : writeUtf8View(text);
}

status_t Parcel::writeUtf8AsUtf16(const std::optional<std::string>& text) {
    return writeNullable(text, kNullLength,
                         [this](const std::string& s) { return writeUtf8AsUtf16(s); });
}

status_t Parcel::writeUtf8AsUtf16(const std::unique_ptr<std::string>& text) {
    return writeNullable(text, kNullLength,
                         [this](const std::string& s) { return writeUtf8AsUtf16(s); });
}

const char* Parcel::readCString() const {
    if (mDataPos >= mDataSize) {
        return nullptr;
    }
    const auto* begin = reinterpret_cast<const char*>(mData + mDataPos);
    const void* terminator = std::memchr(begin, 0, mDataSize - mDataPos);
    if (terminator == nullptr) {
        return nullptr;
    }
    const size_t length = static_cast<size_t>(static_cast<const char*>(terminator) - begin);
    const uint8_t* in = nullptr;
    return readBytes(length + 1, &in) == OK ? reinterpret_cast<const char*>(in) : nullptr;
}

status_t Parcel::readString8(String8* text) const {
    const char* units = nullptr;
    size_t length = 0;
    const status_t status = readStringUnits(&units, &length);
    if (status != OK) {
        text->clear();
        return status;
    }
    return text->setTo(units, length);
}

String8 Parcel::readString8() const {
    String8 text;
    (void)readString8(&text);  // the value form returns "" on failure, as AOSP
    return text;
}

const char* Parcel::readString8Inplace(size_t* outLength) const {
    const char* units = nullptr;
    *outLength = 0;
    return readStringUnits(&units, outLength) == OK ? units : nullptr;
}

status_t Parcel::readString16(String16* text) const {
    const char16_t* units = nullptr;
    size_t length = 0;
    const status_t status = readStringUnits(&units, &length);
    if (status != OK) {
        text->clear();
        return status;
    }
    return text->setTo(units, length);
}

status_t Parcel::readString16(std::optional<String16>* text) const {
    return readNullable(text, kNullLength, [this](String16* s) { return readString16(s); });
}

status_t Parcel::readString16(std::unique_ptr<String16>* text) const {
    return readNullable(text, kNullLength, [this](String16* s) { return readString16(s); });
}

String16 Parcel::readString16() const {
    String16 text;
    (void)readString16(&text);  // the value form returns "" on failure, as AOSP
    return text;
}

const char16_t* Parcel::readString16Inplace(size_t* outLength) const {
    const char16_t* units = nullptr;
    *outLength = 0;
    if (readStringUnits(&units, outLength) != OK) {
        *outLength = 0;
        return nullptr;
    }
    return units;
}

status_t Parcel::readUtf8FromUtf16(std::string* text) const {
    const char16_t* units = nullptr;
    size_t length = 0;
    if (status_t status = readStringUnits(&units, &length); status != OK) {
        text->clear();
        return status;
    }
    *text = utf16ToUtf8(std::u16string_view(units, length));
    return OK;
}

status_t Parcel::readUtf8FromUtf16(std::optional<std::string>* text) const {
    return readNullable(text, kNullLength, [this](std::string* s) { return readUtf8FromUtf16(s); });
}

status_t Parcel::readUtf8FromUtf16(std::unique_ptr<std::string>* text) const {
    return readNullable(text, kNullLength, [this](std::string* s) { return readUtf8FromUtf16(s); });
}

// ---- Arrays and vectors.

status_t Parcel::writeBytes(size_t length, const uint8_t* bytes) {
    if (length > kMaxParcelSize) {
        return BAD_VALUE;
    }
    if (status_t status = writeInt32(static_cast<int32_t>(length)); status != OK) {
        return status;
    }
    return write(bytes, length);
}

status_t Parcel::writeByteArray(size_t length, const uint8_t* bytes) {
    return bytes == nullptr ? writeInt32(kNullLength) : writeBytes(length, bytes);
}

status_t Parcel::writeInt32Array(size_t length, const int32_t* values) {
    if (values == nullptr) {
        return writeInt32(kNullLength);
    }
    if (length > kMaxParcelSize / sizeof(int32_t)) {
        return BAD_VALUE;
    }
    if (status_t status = writeInt32(static_cast<int32_t>(length)); status != OK) {
        return status;
    }
    return write(values, length * sizeof(int32_t));
}

status_t Parcel::readVectorCount(size_t minimumElementSize, size_t* count) const {
    int32_t size = 0;
    if (status_t status = readInt32(&size); status != OK) {
        return status;
    }
    if (size < 0) {
        return UNEXPECTED_NULL;
    }
    if (static_cast<size_t>(size) > dataAvail() / minimumElementSize) {
        return BAD_VALUE;
    }
    *count = static_cast<size_t>(size);
    return OK;
}

// ---- Parcelables.

status_t Parcel::writeParcelable(const Parcelable& parcelable) {
    if (status_t status = writeInt32(1); status != OK) {
        return status;
    }
    return parcelable.writeToParcel(this);
}

status_t Parcel::readParcelable(Parcelable* parcelable) const {
    int32_t present = 0;
    if (status_t status = readInt32(&present); status != OK) {
        return status;
    }
    if (present == kNullParcelable) {
        return UNEXPECTED_NULL;
    }
    return parcelable->readFromParcel(this);
}

// ---- Objects and file descriptors.

flat_binder_object Parcel::objectAt(size_t offset) const {
    flat_binder_object object;
    std::memcpy(&object, mData + offset, kObjectSize);
    return object;
}

bool Parcel::overlapsObject(size_t begin, size_t end) const {
    // Objects are sorted and disjoint, so their ends are sorted too.
    auto first = std::upper_bound(
            mObjects.begin(), mObjects.end(), begin,
            [](size_t b, binder_size_t offset) { return b < offset + kObjectSize; });
    return first != mObjects.end() && *first < end;
}

void Parcel::releaseObjectsIn(size_t begin, size_t end) {
    auto first = std::upper_bound(
            mObjects.begin(), mObjects.end(), begin,
            [](size_t b, binder_size_t offset) { return b < offset + kObjectSize; });
    auto last = std::lower_bound(first, mObjects.end(), end);
    for (auto it = first; it != last; ++it) {
        releaseObject(objectAt(*it));
    }
    mObjects.erase(first, last);
}

void Parcel::releaseObject(const flat_binder_object& object) {
    switch (object.hdr.type) {
        case BINDER_TYPE_FD:
            if (object.cookie != 0) {  // written with takeOwnership
                ::close(static_cast<int>(object.handle));
            }
            break;
        default:
            releaseBinderObject(object);
            break;
    }
}

status_t Parcel::writeObject(const flat_binder_object& object, bool nullMetaData) {
    if (object.hdr.type == BINDER_TYPE_FD && !mAllowFds) {
        return FDS_NOT_ALLOWED;
    }
    const size_t offset = mDataPos;
    uint8_t* out = nullptr;
    if (status_t status = prepareWrite(kObjectSize, &out); status != OK) {
        return status;
    }
    std::memcpy(out, &object, kObjectSize);
    if (!nullMetaData && object.binder == 0) {
        return OK;  // a null binder: plain data, nothing for the kernel to translate
    }
    try {
        mObjects.insert(std::upper_bound(mObjects.begin(), mObjects.end(), offset), offset);
    } catch (const std::bad_alloc&) {
        // Unrecorded, the object must not stay in the data either.
        mDataPos = offset;
        std::memset(out, 0, kObjectSize);
        mError = NO_MEMORY;
        return NO_MEMORY;
    }
    return OK;
}

status_t Parcel::readObject(bool nullMetaData, flat_binder_object* object) const {
    const size_t offset = mDataPos;
    if (offset > mDataSize || mDataSize - offset < kObjectSize) {
        return NOT_ENOUGH_DATA;
    }
    *object = objectAt(offset);
    mDataPos = offset + kObjectSize;
    if (!nullMetaData && object->cookie == 0 && object->binder == 0) {
        return OK;  // a null binder is never recorded
    }
    if (std::binary_search(mObjects.begin(), mObjects.end(), offset)) {
        return OK;
    }
    internal::logWarning("Parcel: no object recorded at offset {}", offset);
    return BAD_TYPE;
}

bool Parcel::pushAllowFds(bool allowFds) {
    const bool previous = mAllowFds;
    if (!allowFds) {
        mAllowFds = false;
    }
    return previous;
}

bool Parcel::hasFileDescriptors() const {
    return std::any_of(mObjects.begin(), mObjects.end(), [this](binder_size_t offset) {
        return objectAt(offset).hdr.type == BINDER_TYPE_FD;
    });
}

status_t Parcel::writeFileDescriptor(int fd, bool takeOwnership) {
    if (fd < 0) {
        return BAD_VALUE;
    }
    flat_binder_object object{};
    object.hdr.type = BINDER_TYPE_FD;
    object.flags = kFdObjectFlags;
    object.binder = 0;  // clears the upper half of the union; no stack garbage on the wire
    object.handle = static_cast<__u32>(fd);
    object.cookie = takeOwnership ? 1 : 0;
    return writeObject(object, true);
}

status_t Parcel::writeDupFileDescriptor(int fd) {
    return writeDuplicate(fd, &Parcel::writeFileDescriptor);
}

status_t Parcel::writeDuplicate(int fd, status_t (Parcel::*writeOwned)(int, bool)) {
    const int duplicate = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (duplicate < 0) {
        return -errno;
    }
    const status_t status = (this->*writeOwned)(duplicate, true);
    if (status != OK) {
        ::close(duplicate);
    }
    return status;
}

status_t Parcel::writeUniqueFileDescriptor(const base::unique_fd& fd) {
    return writeDupFileDescriptor(fd.get());
}

int Parcel::readFileDescriptor() const {
    flat_binder_object object;
    if (readObject(true, &object) != OK || object.hdr.type != BINDER_TYPE_FD ||
        object.handle > static_cast<__u32>(std::numeric_limits<int>::max())) {
        return BAD_TYPE;
    }
    return static_cast<int>(object.handle);
}

status_t Parcel::readUniqueFileDescriptor(base::unique_fd* fd) const {
    return duplicateInto(readFileDescriptor(), fd);
}

status_t Parcel::writeParcelFileDescriptor(int fd, bool takeOwnership) {
    if (fd < 0) {
        return BAD_VALUE;  // before the flag word, so nothing is left half-written
    }
    if (status_t status = writeInt32(kNoCommChannel); status != OK) {
        return status;
    }
    return writeFileDescriptor(fd, takeOwnership);
}

status_t Parcel::writeDupParcelFileDescriptor(int fd) {
    return writeDuplicate(fd, &Parcel::writeParcelFileDescriptor);
}

int Parcel::readParcelFileDescriptor() const {
    int32_t hasCommChannel = 0;
    if (readInt32(&hasCommChannel) != OK) {
        return BAD_TYPE;
    }
    const int fd = readFileDescriptor();
    if (fd >= 0 && hasCommChannel != 0 && readFileDescriptor() < 0) {
        return BAD_TYPE;
    }
    return fd;
}

status_t Parcel::readUniqueParcelFileDescriptor(base::unique_fd* fd) const {
    return duplicateInto(readParcelFileDescriptor(), fd);
}

status_t Parcel::duplicateInto(int borrowed, base::unique_fd* fd) {
    if (borrowed < 0) {
        return BAD_TYPE;
    }
    const int duplicate = ::fcntl(borrowed, F_DUPFD_CLOEXEC, 0);
    if (duplicate < 0) {
        return BAD_VALUE;
    }
    fd->reset(duplicate);
    return OK;
}

void Parcel::closeFileDescriptors() {
    for (binder_size_t offset : mObjects) {
        flat_binder_object object = objectAt(offset);
        if (object.hdr.type != BINDER_TYPE_FD) {
            continue;
        }
        ::close(static_cast<int>(object.handle));
        // Also runs from a release function, while the Parcel still views the received
        // buffer (never written to) or right after copying it into owned storage.
        if (!mBuffer.empty() && mData == mBuffer.data()) {
            // Closed now: releasing the Parcel must not close the number again.
            object.cookie = 0;
            std::memcpy(mBuffer.data() + offset, &object, kObjectSize);
        }
    }
}

}  // namespace android
