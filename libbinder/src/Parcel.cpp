#include <binder/Parcel.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
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

// The kernel places each embedded buffer at an 8-byte boundary after the data and offsets.
constexpr size_t embeddedBufferSize(size_t length) {
    return (length + 7) & ~size_t{7};
}

// The first allocation of owned storage: a typical call (interface token, a few arguments)
// fits, so small Parcels allocate once.
constexpr size_t kMinimumCapacity = 128;

// A file-descriptor array on the wire: its length, the buffer object, then the array object.
// The leading int32 also keeps the buffer object off offset 0, where the kernel would not
// accept it as a parent (binder_validate_fixup() takes object offset 0 to mean "none").
constexpr size_t kFdArrayHeaderSize = sizeof(int32_t);
constexpr size_t kFdArraySize =
        kFdArrayHeaderSize + sizeof(binder_buffer_object) + sizeof(binder_fd_array_object);

// The size of an object of |type|, or 0 for a type Parcel does not know.
constexpr size_t objectSizeOf(uint32_t type) {
    switch (type) {
        case BINDER_TYPE_BINDER:
        case BINDER_TYPE_WEAK_BINDER:
        case BINDER_TYPE_HANDLE:
        case BINDER_TYPE_WEAK_HANDLE:
        case BINDER_TYPE_FD:
            return sizeof(flat_binder_object);
        case BINDER_TYPE_PTR:
            return sizeof(binder_buffer_object);
        case BINDER_TYPE_FDA:
            return sizeof(binder_fd_array_object);
        default:
            return 0;
    }
}
static_assert(sizeof(binder_fd_object) == sizeof(flat_binder_object));

template <typename Object>
Object loadObject(const uint8_t* data, size_t offset) {
    Object object;
    std::memcpy(&object, data + offset, sizeof(object));
    return object;
}

uint32_t typeAt(const uint8_t* data, size_t offset) {
    return loadObject<binder_object_header>(data, offset).type;
}

}  // namespace

Parcel::Parcel() = default;

Parcel::~Parcel() {
    releaseAll();
}

// ---- Storage.

size_t Parcel::dataCapacity() const {
    return isExternal() ? mDataSize : mCapacity;
}

status_t Parcel::ensureCapacity(size_t size) {
    if (size <= mCapacity) {
        return OK;
    }
    if (size > kMaxParcelSize) {
        return BAD_VALUE;
    }
    // realloc moves only what is there and may grow in place; the new bytes stay
    // uninitialised (see the class comment).
    auto* grown = static_cast<uint8_t*>(std::realloc(mStorage, size));
    if (grown == nullptr) {
        mError = NO_MEMORY;
        return NO_MEMORY;
    }
    mStorage = grown;
    mCapacity = size;
    mData = mStorage;
    return OK;
}

status_t Parcel::adoptExternalData() {
    if (!isExternal()) {
        return OK;
    }
    auto* copy = static_cast<uint8_t*>(std::malloc(std::max<size_t>(mDataSize, 1)));
    if (copy == nullptr) {
        mError = NO_MEMORY;
        return NO_MEMORY;
    }
    if (mDataSize > 0) {
        std::memcpy(copy, mData, mDataSize);
    }
    // The received descriptors belong to whoever frees the buffer, not to this copy.
    for (binder_size_t offset : mObjects) {
        flat_binder_object object = objectAt(offset);
        if (object.hdr.type == BINDER_TYPE_FD) {
            object.cookie = 0;
            std::memcpy(copy + offset, &object, kObjectSize);
        }
    }
    // The embedded buffers live in the received buffer too.
    if (status_t status = adoptEmbeddedBuffers(copy); status != OK) {
        std::free(copy);
        return status;
    }
    std::free(mStorage);
    mStorage = copy;
    mCapacity = std::max<size_t>(mDataSize, 1);
    mData = mStorage;
    mBufferArea = {};
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
    mFdArrays.clear();
    mBufferArea = {};
    std::free(mStorage);
    mStorage = nullptr;
    mCapacity = 0;
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
        std::memset(mStorage + mDataSize, 0, size - mDataSize);
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
        std::memcpy(mStorage, buffer, length);
    }
    mDataSize = length;
    return OK;
}

void Parcel::ipcSetDataReference(const uint8_t* data, size_t dataSize, const binder_size_t* objects,
                                 size_t objectsCount, ReleaseFunction release,
                                 std::span<const uint8_t> bufferArea) {
    releaseAll();
    mData = data;
    mDataSize = data != nullptr ? dataSize : 0;
    mBufferArea = bufferArea;
    for (size_t i = 0; objects != nullptr && i < objectsCount; ++i) {
        const binder_size_t offset = objects[i];
        const size_t size = mDataSize >= sizeof(binder_object_header) &&
                                            offset <= mDataSize - sizeof(binder_object_header)
                                    ? objectSizeOf(typeAt(mData, offset))
                                    : 0;
        if (size == 0 || offset > mDataSize - size || offset % 4 != 0) {
            internal::logError("Parcel: dropping object offset {} of a {}-byte buffer", offset,
                               mDataSize);
            continue;
        }
        mObjects.push_back(offset);
    }
    std::sort(mObjects.begin(), mObjects.end());
    // Overlapping objects cannot come from the kernel; keep the first of any such pair.
    for (size_t i = 1; i < mObjects.size();) {
        if (mObjects[i] < mObjects[i - 1] + objectSizeAt(mObjects[i - 1])) {
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
    if (end > mCapacity) {
        // Grow geometrically, as AOSP does, so appending stays amortised O(1).
        const size_t preferred = std::min(kMaxParcelSize, std::max(kMinimumCapacity, end + end / 2));
        if (ensureCapacity(preferred) != OK) {
            if (status_t status = ensureCapacity(end); status != OK) {
                return status;
            }
            mError = OK;
        }
    }
    if (begin > mDataSize) {
        // The position was set past the end: the gap becomes zeros, not stale bytes.
        std::memset(mStorage + mDataSize, 0, begin - mDataSize);
    }
    releaseObjectsIn(begin, end);
    std::memset(mStorage + begin + length, 0, end - begin - length);
    *out = mStorage + begin;
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
    // Every object starts with the header; a PTR or FDA object is read whole by the code that
    // handles it, so the first sizeof(flat_binder_object) bytes are always inside it.
    static_assert(sizeof(binder_buffer_object) >= kObjectSize &&
                  sizeof(binder_fd_array_object) >= kObjectSize);
    return loadObject<flat_binder_object>(mData, offset);
}

size_t Parcel::objectSizeAt(size_t offset) const {
    return objectSizeOf(typeAt(mData, offset));
}

bool Parcel::overlapsObject(size_t begin, size_t end) const {
    // Objects are sorted and disjoint, so their ends are sorted too.
    auto first = std::upper_bound(
            mObjects.begin(), mObjects.end(), begin,
            [this](size_t b, binder_size_t offset) { return b < offset + objectSizeAt(offset); });
    return first != mObjects.end() && *first < end;
}

void Parcel::releaseObjectsIn(size_t begin, size_t end) {
    auto first = std::upper_bound(
            mObjects.begin(), mObjects.end(), begin,
            [this](size_t b, binder_size_t offset) { return b < offset + objectSizeAt(offset); });
    auto last = std::lower_bound(first, mObjects.end(), end);
    if (first == last) {
        return;
    }
    // A file-descriptor array is one unit: touching either of its objects drops both.
    auto isArrayPair = [this](binder_size_t ptr, binder_size_t fda) {
        return typeAt(mData, ptr) == BINDER_TYPE_PTR && typeAt(mData, fda) == BINDER_TYPE_FDA &&
               fda == ptr + sizeof(binder_buffer_object);
    };
    if (first != mObjects.begin() && isArrayPair(*(first - 1), *first)) {
        --first;
    }
    if (last != mObjects.end() && isArrayPair(*(last - 1), *last)) {
        ++last;
    }
    for (auto it = first; it != last; ++it) {
        releaseObject(objectAt(*it));
    }
    const bool shifted = last != mObjects.end();
    mObjects.erase(first, last);
    if (shifted) {
        renumberFdArrayParents();
    }
}

void Parcel::releaseObject(const flat_binder_object& object) {
    switch (object.hdr.type) {
        case BINDER_TYPE_FD:
            if (object.cookie != 0) {  // written with takeOwnership
                ::close(static_cast<int>(object.handle));
            }
            break;
        case BINDER_TYPE_PTR:
            // flat_binder_object's binder field overlays the buffer object's buffer address.
            static_assert(offsetof(flat_binder_object, binder) == offsetof(binder_buffer_object, buffer));
            releaseFdArrayStorage(object.binder);
            break;
        case BINDER_TYPE_FDA:
            break;  // its descriptors are released with the PTR object's storage
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
        auto at = mObjects.insert(std::upper_bound(mObjects.begin(), mObjects.end(), offset), offset);
        if (at + 1 != mObjects.end()) {
            renumberFdArrayParents();
        }
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
        const uint32_t type = typeAt(mData, offset);
        return type == BINDER_TYPE_FD || type == BINDER_TYPE_FDA;
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
        if (mStorage != nullptr && mData == mStorage) {
            // Closed now: releasing the Parcel must not close the number again.
            object.cookie = 0;
            std::memcpy(mStorage + offset, &object, kObjectSize);
        }
    }
}

}  // namespace android

// ---- File-descriptor arrays.

namespace android {

status_t Parcel::writeFileDescriptorArray(std::span<const int> fds, bool takeOwnership) {
    if (!mAllowFds) {
        return FDS_NOT_ALLOWED;
    }
    if (fds.size() > kMaxTransactionSize / sizeof(uint32_t)) {
        return BAD_VALUE;
    }
    if (std::any_of(fds.begin(), fds.end(), [](int fd) { return fd < 0; })) {
        return BAD_VALUE;
    }
    FdArrayStorage storage;
    storage.fds.reset(new (std::nothrow) uint32_t[std::max<size_t>(fds.size(), 1)]);
    if (storage.fds == nullptr) {
        mError = NO_MEMORY;
        return NO_MEMORY;
    }
    std::copy(fds.begin(), fds.end(), storage.fds.get());
    storage.count = fds.size();
    storage.owned = takeOwnership;

    binder_buffer_object buffer{};
    buffer.hdr.type = BINDER_TYPE_PTR;
    buffer.buffer = reinterpret_cast<uintptr_t>(storage.fds.get());
    buffer.length = fds.size() * sizeof(uint32_t);
    binder_fd_array_object array{};
    array.hdr.type = BINDER_TYPE_FDA;
    array.num_fds = fds.size();
    array.parent_offset = 0;  // the descriptors fill the buffer; parent is set below

    const size_t start = mDataPos;
    const size_t offset = start + kFdArrayHeaderSize;  // of the buffer object
    uint8_t* out = nullptr;
    if (status_t status = prepareWrite(kFdArraySize, &out); status != OK) {
        return status;
    }
    const auto length = static_cast<int32_t>(fds.size());
    std::memcpy(out, &length, sizeof(length));
    std::memcpy(out + kFdArrayHeaderSize, &buffer, sizeof(buffer));
    std::memcpy(out + kFdArrayHeaderSize + sizeof(buffer), &array, sizeof(array));
    try {
        mFdArrays.reserve(mFdArrays.size() + 1);
        mObjects.insert(std::upper_bound(mObjects.begin(), mObjects.end(), offset),
                        {offset, offset + sizeof(buffer)});
    } catch (const std::bad_alloc&) {
        mDataPos = start;
        std::memset(out, 0, kFdArraySize);
        mError = NO_MEMORY;
        return NO_MEMORY;
    }
    mFdArrays.push_back(std::move(storage));  // cannot throw: reserved above
    renumberFdArrayParents();
    return OK;
}

status_t Parcel::writeDupFileDescriptorArray(std::span<const int> fds) {
    if (std::any_of(fds.begin(), fds.end(), [](int fd) { return fd < 0; })) {
        return BAD_VALUE;
    }
    std::vector<int> duplicates;
    duplicates.reserve(fds.size());
    auto closeAll = [&duplicates] {
        for (int fd : duplicates) {
            ::close(fd);
        }
    };
    for (int fd : fds) {
        const int duplicate = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (duplicate < 0) {
            const status_t status = -errno;
            closeAll();
            return status;
        }
        duplicates.push_back(duplicate);
    }
    const status_t status = writeFileDescriptorArray(duplicates, true);
    if (status != OK) {
        closeAll();
    }
    return status;
}

status_t Parcel::writeUniqueFileDescriptorArray(const std::vector<base::unique_fd>& fds) {
    std::vector<int> raw;
    raw.reserve(fds.size());
    for (const base::unique_fd& fd : fds) {
        raw.push_back(fd.get());
    }
    return writeDupFileDescriptorArray(raw);
}

status_t Parcel::readFileDescriptorArray(std::vector<int>* fds) const {
    fds->clear();
    const size_t start = mDataPos;
    if (start > mDataSize || mDataSize - start < kFdArraySize) {
        return NOT_ENOUGH_DATA;
    }
    const size_t offset = start + kFdArrayHeaderSize;
    const auto it = std::lower_bound(mObjects.begin(), mObjects.end(), offset);
    if (it == mObjects.end() || *it != offset || it + 1 == mObjects.end() ||
        *(it + 1) != offset + sizeof(binder_buffer_object)) {
        internal::logWarning("Parcel: no file-descriptor array recorded at offset {}", offset);
        return BAD_TYPE;
    }
    const auto buffer = loadObject<binder_buffer_object>(mData, offset);
    const auto array = loadObject<binder_fd_array_object>(mData, offset + sizeof(buffer));
    if (buffer.hdr.type != BINDER_TYPE_PTR || array.hdr.type != BINDER_TYPE_FDA) {
        return BAD_TYPE;
    }
    // The array must describe exactly this buffer, as writeFileDescriptorArray() lays it out.
    const auto index = static_cast<binder_size_t>(it - mObjects.begin());
    const auto length = loadObject<int32_t>(mData, start);
    if (array.parent != index || array.parent_offset != 0 || length < 0 ||
        static_cast<binder_size_t>(length) != array.num_fds ||
        array.num_fds > buffer.length / sizeof(uint32_t)) {
        internal::logError("Parcel: malformed file-descriptor array at offset {}", offset);
        return BAD_VALUE;
    }
    const size_t count = static_cast<size_t>(array.num_fds);
    const uint32_t* values = embeddedFds(buffer, count);
    if (values == nullptr) {
        internal::logError("Parcel: file-descriptor array at offset {} points outside the buffer",
                           offset);
        return BAD_VALUE;
    }
    fds->reserve(count);
    for (size_t i = 0; i < count; ++i) {
        if (values[i] > static_cast<uint32_t>(std::numeric_limits<int>::max())) {
            fds->clear();
            return BAD_VALUE;
        }
        fds->push_back(static_cast<int>(values[i]));
    }
    mDataPos = start + kFdArraySize;
    return OK;
}

status_t Parcel::readUniqueFileDescriptorArray(std::vector<base::unique_fd>* fds) const {
    fds->clear();
    std::vector<int> borrowed;
    if (status_t status = readFileDescriptorArray(&borrowed); status != OK) {
        return status;
    }
    fds->reserve(borrowed.size());
    for (int fd : borrowed) {
        base::unique_fd duplicate;
        if (status_t status = duplicateInto(fd, &duplicate); status != OK) {
            fds->clear();
            return status;
        }
        fds->push_back(std::move(duplicate));
    }
    return OK;
}

const uint32_t* Parcel::embeddedFds(const binder_buffer_object& buffer, size_t count) const {
    static const uint32_t kNone = 0;
    if (count == 0) {
        return &kNone;  // nothing will be read through it
    }
    if (count > buffer.length / sizeof(uint32_t)) {
        return nullptr;
    }
    if (isExternal()) {
        // The kernel points received buffers into the receive mapping; check it is so.
        const auto begin = reinterpret_cast<uintptr_t>(mBufferArea.data());
        const uintptr_t address = buffer.buffer;
        if (mBufferArea.empty() || address < begin || address % alignof(uint32_t) != 0 ||
            buffer.length > mBufferArea.size() || address - begin > mBufferArea.size() - buffer.length) {
            return nullptr;
        }
        return reinterpret_cast<const uint32_t*>(address);
    }
    for (const FdArrayStorage& storage : mFdArrays) {
        if (reinterpret_cast<uintptr_t>(storage.fds.get()) == buffer.buffer) {
            return storage.count >= count ? storage.fds.get() : nullptr;
        }
    }
    return nullptr;
}

void Parcel::releaseFdArrayStorage(binder_uintptr_t address) {
    auto it = std::find_if(mFdArrays.begin(), mFdArrays.end(), [address](const FdArrayStorage& s) {
        return reinterpret_cast<uintptr_t>(s.fds.get()) == address;
    });
    if (it == mFdArrays.end()) {
        return;
    }
    if (it->owned) {
        for (size_t i = 0; i < it->count; ++i) {
            ::close(static_cast<int>(it->fds[i]));
        }
    }
    mFdArrays.erase(it);
}

void Parcel::renumberFdArrayParents() {
    if (isExternal() || mStorage == nullptr) {
        return;  // received data is never reshaped without being adopted first
    }
    for (size_t i = 1; i < mObjects.size(); ++i) {
        const binder_size_t offset = mObjects[i];
        const binder_size_t previous = mObjects[i - 1];
        if (typeAt(mData, offset) != BINDER_TYPE_FDA || typeAt(mData, previous) != BINDER_TYPE_PTR ||
            offset != previous + sizeof(binder_buffer_object)) {
            continue;
        }
        const binder_size_t parent = i - 1;
        std::memcpy(mStorage + offset + offsetof(binder_fd_array_object, parent), &parent,
                    sizeof(parent));
    }
}

status_t Parcel::adoptEmbeddedBuffers(uint8_t* copy) {
    for (binder_size_t offset : mObjects) {
        if (typeAt(mData, offset) != BINDER_TYPE_PTR) {
            continue;
        }
        auto buffer = loadObject<binder_buffer_object>(mData, offset);
        const size_t count = static_cast<size_t>(buffer.length / sizeof(uint32_t));
        const uint32_t* source = embeddedFds(buffer, count);
        FdArrayStorage storage;
        storage.fds.reset(new (std::nothrow) uint32_t[std::max<size_t>(count, 1)]);
        if (storage.fds == nullptr) {
            mFdArrays.clear();
            mError = NO_MEMORY;
            return NO_MEMORY;
        }
        // File-descriptor arrays are the only embedded buffers this Parcel writes or reads; a
        // buffer pointing outside the received area is not followed: it becomes empty.
        storage.count = source != nullptr ? count : 0;
        std::copy(source, source + storage.count, storage.fds.get());
        buffer.buffer = reinterpret_cast<uintptr_t>(storage.fds.get());
        buffer.length = storage.count * sizeof(uint32_t);
        std::memcpy(copy + offset, &buffer, sizeof(buffer));
        try {
            mFdArrays.push_back(std::move(storage));
        } catch (const std::bad_alloc&) {
            mFdArrays.clear();
            mError = NO_MEMORY;
            return NO_MEMORY;
        }
    }
    return OK;
}

size_t Parcel::ipcBuffersCount() const {
    return static_cast<size_t>(std::count_if(mObjects.begin(), mObjects.end(), [this](binder_size_t offset) {
        return typeAt(mData, offset) == BINDER_TYPE_PTR;
    }));
}

size_t Parcel::ipcBuffersSize() const {
    size_t total = 0;
    for (binder_size_t offset : mObjects) {
        if (typeAt(mData, offset) == BINDER_TYPE_PTR) {
            total += embeddedBufferSize(loadObject<binder_buffer_object>(mData, offset).length);
        }
    }
    return total;
}

}  // namespace android
