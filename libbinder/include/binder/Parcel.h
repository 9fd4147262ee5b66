// Parcel: the byte container of a binder transaction, in AOSP's wire format, plus the table of
// object offsets (file descriptors, later binders) that the kernel translates.
//
// Wire format (every item starts and ends on a 4-byte boundary; padding bytes are zero):
//   bool, char16_t, int8_t        int32 (widened, as AOSP)
//   int32/uint32, float           4 bytes;  int64/uint64, double: 8 bytes (4-byte aligned)
//   String16 / UTF-8 as UTF-16    int32 length in UTF-16 units (-1: null), units, u'\0', pad
//   String8                       int32 length in bytes (-1: null), bytes, '\0', pad
//   C string                      bytes, '\0', pad
//   byte array / byte vector      int32 count (-1: null), the bytes packed, pad
//   other vectors                 int32 count (-1: null), then each element as above
//   Parcelable                    int32 1 then its fields; a null one is int32 0
//   file descriptor               a flat_binder_object of BINDER_TYPE_FD; its offset is
//                                 recorded in the objects table
//   ParcelFileDescriptor          int32 0 (no comm channel), then a file descriptor
//   file-descriptor array         int32 count, a binder_buffer_object (BINDER_TYPE_PTR)
//                                 pointing at the descriptors as u32s, then a
//                                 binder_fd_array_object (BINDER_TYPE_FDA) naming it as
//                                 parent; both objects recorded
//   interface token               int32 strict-mode policy, int32 work-source uid, String16
//                                 descriptor (the Android 10 header)
//
// Reading never trusts the data: a read past the end fails with NOT_ENOUGH_DATA (a missing
// scalar or length word) or BAD_VALUE (a truncated or malformed body), a null where a value is
// required with UNEXPECTED_NULL, an object where none was recorded with BAD_TYPE, and a plain
// read over a recorded object with PERMISSION_DENIED. The read position never moves past the
// end of the data. Reads are const (they move the mutable read position), as in AOSP.
//
// A Parcel is used by one thread at a time. It owns the file descriptors written with
// takeOwnership (writeDupFileDescriptor, writeUniqueFileDescriptor, and the array forms) and
// closes them when it is reset or destroyed.
//
// Storage grows geometrically and is not zero-filled: only bytes below dataSize() are ever
// read, and every one of those was written or explicitly zeroed (padding, gaps, setDataSize).
#pragma once

#include <linux/android/binder.h>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <android-base/unique_fd.h>
#include <binder/IInterface.h>
#include <binder/Parcelable.h>
#include <utils/Errors.h>
#include <utils/String16.h>
#include <utils/String8.h>

namespace android {

namespace internal {

// The element type of the three vector shapes Parcel accepts: std::vector<E>, and the nullable
// std::optional<std::vector<E>> and std::unique_ptr<std::vector<E>>.
template <typename V>
struct VectorElement;
template <typename E>
struct VectorElement<std::vector<E>> {
    using type = E;
};
template <typename E>
struct VectorElement<std::optional<std::vector<E>>> {
    using type = E;
};
template <typename E>
struct VectorElement<std::unique_ptr<std::vector<E>>> {
    using type = E;
};
template <typename V>
using VectorElementT = typename VectorElement<V>::type;

// T itself, or the U of a nullable std::optional<U> / std::unique_ptr<U>.
template <typename T>
struct NullableInner {
    using type = T;
    static constexpr bool kNullable = false;
};
template <typename U>
struct NullableInner<std::optional<U>> {
    using type = U;
    static constexpr bool kNullable = true;
};
template <typename U>
struct NullableInner<std::unique_ptr<U>> {
    using type = U;
    static constexpr bool kNullable = true;
};
template <typename T>
using NullableInnerT = typename NullableInner<T>::type;
template <typename T>
inline constexpr bool kIsNullable = NullableInner<T>::kNullable;

template <typename T, typename... Ts>
concept OneOf = (std::same_as<T, Ts> || ...);

template <typename V, typename... Elements>
concept VectorOf = OneOf<VectorElementT<V>, Elements...>;

template <typename V, typename Inner>
concept VectorOfMaybeNull = std::same_as<NullableInnerT<VectorElementT<V>>, Inner>;

template <typename V>
concept ParcelableVector = std::derived_from<NullableInnerT<VectorElementT<V>>, Parcelable>;

template <typename H>
concept NullableParcelable = kIsNullable<H> && std::derived_from<NullableInnerT<H>, Parcelable>;

template <typename U>
void emplaceNullable(std::optional<U>* holder) {
    holder->emplace();
}
template <typename U>
void emplaceNullable(std::unique_ptr<U>* holder) {
    *holder = std::make_unique<U>();
}

}  // namespace internal

class Parcel {
public:
    // Called with the data when a Parcel that refers to a received buffer lets go of it
    // (reset, destroyed, or about to be written to); see ipcSetDataReference().
    using ReleaseFunction = std::function<void()>;

    Parcel();
    ~Parcel();
    Parcel(const Parcel&) = delete;
    Parcel& operator=(const Parcel&) = delete;

    // ---- Data, size and position. Any holder of the Parcel may call these at any time.
    const uint8_t* data() const { return mData; }
    // The larger of the written size and the position (a position set past the end counts).
    size_t dataSize() const { return mDataSize > mDataPos ? mDataSize : mDataPos; }
    // Bytes between the position and the end; 0 when the position is at or past the end.
    size_t dataAvail() const { return mDataSize > mDataPos ? mDataSize - mDataPos : 0; }
    size_t dataPosition() const { return mDataPos; }
    size_t dataCapacity() const;
    // Truncating drops (and releases) the objects that no longer fit; growing zero-fills.
    [[nodiscard]] status_t setDataSize(size_t size);
    // Positions past the end are allowed (a following write zero-fills the gap, a read
    // fails); positions above INT32_MAX are refused with a logged error.
    void setDataPosition(size_t position) const;
    [[nodiscard]] status_t setDataCapacity(size_t size);
    // Replaces the contents with a copy of |buffer|, with no objects (a plain byte buffer
    // cannot carry descriptors or binders). The position goes to 0.
    [[nodiscard]] status_t setData(const uint8_t* buffer, size_t length);
    // Releases everything (closing owned descriptors) and returns to the empty state.
    void freeData();
    // NO_MEMORY after a growth that failed, else OK.
    status_t errorCheck() const { return mError; }

    // Whether descriptors may be written (writes fail with FDS_NOT_ALLOWED when not).
    // pushAllowFds returns the previous value for restoreAllowFds; it can only narrow.
    bool pushAllowFds(bool allowFds);
    void restoreAllowFds(bool lastValue) { mAllowFds = lastValue; }
    bool allowFds() const { return mAllowFds; }
    bool hasFileDescriptors() const;

    // ---- Interface token, written first by a proxy and checked first by a stub.
    [[nodiscard]] status_t writeInterfaceToken(const String16& interface);
    // Reads the header at the position; true if its descriptor equals |interface|.
    bool enforceInterface(const String16& interface) const;
    // enforceInterface() against binder->getInterfaceDescriptor(). A template so Parcel does
    // not depend on IBinder; aidl stubs call checkInterface(this).
    template <typename Binder>
    bool checkInterface(Binder* binder) const {
        return enforceInterface(binder->getInterfaceDescriptor());
    }

    // ---- Raw bytes (padded to 4 bytes).
    [[nodiscard]] status_t write(const void* data, size_t length);
    // Room for |length| bytes at the position, or nullptr; valid until the next write.
    void* writeInplace(size_t length);
    [[nodiscard]] status_t read(void* outData, size_t length) const;
    // The next |length| bytes, or nullptr; valid until the next write.
    const void* readInplace(size_t length) const;

    // ---- Scalars.
    [[nodiscard]] status_t writeInt32(int32_t value) { return writeAligned(value); }
    [[nodiscard]] status_t writeUint32(uint32_t value) { return writeAligned(value); }
    [[nodiscard]] status_t writeInt64(int64_t value) { return writeAligned(value); }
    [[nodiscard]] status_t writeUint64(uint64_t value) { return writeAligned(value); }
    [[nodiscard]] status_t writeFloat(float value) { return writeAligned(value); }
    [[nodiscard]] status_t writeDouble(double value) { return writeAligned(value); }
    [[nodiscard]] status_t writeBool(bool value) { return writeInt32(value ? 1 : 0); }
    [[nodiscard]] status_t writeChar(char16_t value) { return writeInt32(value); }
    [[nodiscard]] status_t writeByte(int8_t value) { return writeInt32(value); }

    [[nodiscard]] status_t readInt32(int32_t* value) const { return readAligned(value); }
    [[nodiscard]] status_t readUint32(uint32_t* value) const { return readAligned(value); }
    [[nodiscard]] status_t readInt64(int64_t* value) const { return readAligned(value); }
    [[nodiscard]] status_t readUint64(uint64_t* value) const { return readAligned(value); }
    [[nodiscard]] status_t readFloat(float* value) const { return readAligned(value); }
    [[nodiscard]] status_t readDouble(double* value) const { return readAligned(value); }
    [[nodiscard]] status_t readBool(bool* value) const;
    [[nodiscard]] status_t readChar(char16_t* value) const;
    [[nodiscard]] status_t readByte(int8_t* value) const;
    // Value forms, as AOSP: 0 (or false) when the read fails.
    int32_t readInt32() const { return readOrZero(&Parcel::readInt32); }
    uint32_t readUint32() const { return readOrZero(&Parcel::readUint32); }
    int64_t readInt64() const { return readOrZero(&Parcel::readInt64); }
    uint64_t readUint64() const { return readOrZero(&Parcel::readUint64); }
    float readFloat() const { return readOrZero(&Parcel::readFloat); }
    double readDouble() const { return readOrZero(&Parcel::readDouble); }
    bool readBool() const { return readOrZero(&Parcel::readBool); }
    char16_t readChar() const { return readOrZero(&Parcel::readChar); }
    int8_t readByte() const { return readOrZero(&Parcel::readByte); }

    // ---- Strings.
    [[nodiscard]] status_t writeCString(const char* text);
    [[nodiscard]] status_t writeString8(const String8& text);
    [[nodiscard]] status_t writeString8(const char* text, size_t length);
    [[nodiscard]] status_t writeString16(const String16& text);
    [[nodiscard]] status_t writeString16(const char16_t* text, size_t length);
    [[nodiscard]] status_t writeString16(const std::optional<String16>& text);
    [[nodiscard]] status_t writeString16(const std::unique_ptr<String16>& text);
    // BAD_VALUE for malformed UTF-8.
    [[nodiscard]] status_t writeUtf8AsUtf16(const std::string& text);
    // A null pointer writes a null string. (Also keeps string literals unambiguous.)
    [[nodiscard]] status_t writeUtf8AsUtf16(const char* text);
    [[nodiscard]] status_t writeUtf8AsUtf16(const std::optional<std::string>& text);
    [[nodiscard]] status_t writeUtf8AsUtf16(const std::unique_ptr<std::string>& text);

    // nullptr on failure; valid until the next write.
    const char* readCString() const;
    [[nodiscard]] status_t readString8(String8* text) const;
    String8 readString8() const;
    const char* readString8Inplace(size_t* outLength) const;
    [[nodiscard]] status_t readString16(String16* text) const;
    [[nodiscard]] status_t readString16(std::optional<String16>* text) const;
    [[nodiscard]] status_t readString16(std::unique_ptr<String16>* text) const;
    String16 readString16() const;
    // nullptr for a null string or on failure; valid until the next write.
    const char16_t* readString16Inplace(size_t* outLength) const;
    [[nodiscard]] status_t readUtf8FromUtf16(std::string* text) const;
    [[nodiscard]] status_t readUtf8FromUtf16(std::optional<std::string>* text) const;
    [[nodiscard]] status_t readUtf8FromUtf16(std::unique_ptr<std::string>* text) const;

    // ---- Arrays. A null pointer writes a null array.
    [[nodiscard]] status_t writeByteArray(size_t length, const uint8_t* bytes);
    [[nodiscard]] status_t writeInt32Array(size_t length, const int32_t* values);

    // ---- Vectors. V is std::vector<E>, std::optional<std::vector<E>> or
    // std::unique_ptr<std::vector<E>> (the last two nullable), where E is any type this class
    // reads and writes: int8_t/uint8_t (packed bytes), bool, char16_t, int32/uint32,
    // int64/uint64, float, double, String16, std::string (as UTF-16), a Parcelable,
    // base::unique_fd, sp<IBinder> (read as readNullableStrongBinder does), or a
    // std::optional / std::unique_ptr of a string or Parcelable.
    template <typename V>
    [[nodiscard]] status_t writeVector(const V& vector);
    template <typename V>
    [[nodiscard]] status_t readVector(V* vector) const;

    // ---- Out-parameter vectors, as aidl proxies and stubs pass them: the proxy sends only
    // the size of the caller's vector (-1 for a null one) and the stub sizes the vector the
    // service fills in from it. The elements travel back in the reply as a whole vector.
    template <typename V>
    [[nodiscard]] status_t writeVectorSize(const V& vector);
    // UNEXPECTED_NULL for a null size into a std::vector (a nullable V becomes null);
    // BAD_VALUE for a size whose elements could never fit in a transaction.
    template <typename V>
    [[nodiscard]] status_t resizeOutVector(V* vector) const;

    // AOSP's names for the same, as aidl-generated code calls them.
    template <internal::VectorOf<int8_t, uint8_t> V>
    [[nodiscard]] status_t writeByteVector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<int8_t, uint8_t> V>
    [[nodiscard]] status_t readByteVector(V* v) const { return readVector(v); }
    template <internal::VectorOf<bool> V>
    [[nodiscard]] status_t writeBoolVector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<bool> V>
    [[nodiscard]] status_t readBoolVector(V* v) const { return readVector(v); }
    template <internal::VectorOf<char16_t> V>
    [[nodiscard]] status_t writeCharVector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<char16_t> V>
    [[nodiscard]] status_t readCharVector(V* v) const { return readVector(v); }
    template <internal::VectorOf<int32_t> V>
    [[nodiscard]] status_t writeInt32Vector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<int32_t> V>
    [[nodiscard]] status_t readInt32Vector(V* v) const { return readVector(v); }
    template <internal::VectorOf<int64_t> V>
    [[nodiscard]] status_t writeInt64Vector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<int64_t> V>
    [[nodiscard]] status_t readInt64Vector(V* v) const { return readVector(v); }
    template <internal::VectorOf<uint64_t> V>
    [[nodiscard]] status_t writeUint64Vector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<uint64_t> V>
    [[nodiscard]] status_t readUint64Vector(V* v) const { return readVector(v); }
    template <internal::VectorOf<float> V>
    [[nodiscard]] status_t writeFloatVector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<float> V>
    [[nodiscard]] status_t readFloatVector(V* v) const { return readVector(v); }
    template <internal::VectorOf<double> V>
    [[nodiscard]] status_t writeDoubleVector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<double> V>
    [[nodiscard]] status_t readDoubleVector(V* v) const { return readVector(v); }
    template <internal::VectorOfMaybeNull<String16> V>
    [[nodiscard]] status_t writeString16Vector(const V& v) { return writeVector(v); }
    template <internal::VectorOfMaybeNull<String16> V>
    [[nodiscard]] status_t readString16Vector(V* v) const { return readVector(v); }
    template <internal::VectorOfMaybeNull<std::string> V>
    [[nodiscard]] status_t writeUtf8VectorAsUtf16Vector(const V& v) { return writeVector(v); }
    template <internal::VectorOfMaybeNull<std::string> V>
    [[nodiscard]] status_t readUtf8VectorFromUtf16Vector(V* v) const { return readVector(v); }
    template <internal::ParcelableVector V>
    [[nodiscard]] status_t writeParcelableVector(const V& v) { return writeVector(v); }
    template <internal::ParcelableVector V>
    [[nodiscard]] status_t readParcelableVector(V* v) const { return readVector(v); }
    template <internal::VectorOf<base::unique_fd> V>
    [[nodiscard]] status_t writeUniqueFileDescriptorVector(const V& v) { return writeVector(v); }
    template <internal::VectorOf<base::unique_fd> V>
    [[nodiscard]] status_t readUniqueFileDescriptorVector(V* v) const { return readVector(v); }
    template <internal::VectorOf<sp<IBinder>> V>
    [[nodiscard]] status_t writeStrongBinderVector(const V& v) { return writeVector(v); }
    // In a std::vector every binder must be present (UNEXPECTED_NULL otherwise, as AOSP reads
    // each with readStrongBinder); a nullable vector may hold null binders.
    template <internal::VectorOf<sp<IBinder>> V>
    [[nodiscard]] status_t readStrongBinderVector(V* v) const;

    // ---- Parcelables, framed with int32 1 (present) or 0 (null).
    [[nodiscard]] status_t writeParcelable(const Parcelable& parcelable);
    // UNEXPECTED_NULL if a null parcelable was written.
    [[nodiscard]] status_t readParcelable(Parcelable* parcelable) const;
    // |parcelable| is a std::optional or std::unique_ptr of a Parcelable.
    template <internal::NullableParcelable Holder>
    [[nodiscard]] status_t writeNullableParcelable(const Holder& parcelable) {
        return writeNullable(parcelable, kNullParcelable,
                             [this](const Parcelable& p) { return writeParcelable(p); });
    }
    template <internal::NullableParcelable Holder>
    [[nodiscard]] status_t readParcelable(Holder* parcelable) const {
        return readNullable(parcelable, kNullParcelable,
                            [this](Parcelable* p) { return readParcelable(p); });
    }

    // ---- Binder objects, as flat_binder_objects the kernel translates (defined in
    // ParcelBinder.cpp). A local object (BBinder) travels as BINDER_TYPE_BINDER, a proxy as
    // BINDER_TYPE_HANDLE; the Parcel holds a reference on each until it lets go of it.
    [[nodiscard]] status_t writeStrongBinder(const sp<IBinder>& binder);
    [[nodiscard]] status_t writeWeakBinder(const wp<IBinder>& binder);
    // UNEXPECTED_NULL when the Parcel holds a null binder; BAD_TYPE when no binder is there.
    [[nodiscard]] status_t readStrongBinder(sp<IBinder>* binder) const;
    // Like readStrongBinder(), but a null binder is OK.
    [[nodiscard]] status_t readNullableStrongBinder(sp<IBinder>* binder) const;
    sp<IBinder> readStrongBinder() const;
    wp<IBinder> readWeakBinder() const;
    // The binder cast to an interface (interface_cast); BAD_TYPE if it is not one.
    template <typename T>
    [[nodiscard]] status_t readStrongBinder(sp<T>* out) const {
        sp<IBinder> binder;
        if (status_t status = readStrongBinder(&binder); status != OK) return status;
        *out = interface_cast<T>(binder);
        return *out != nullptr ? OK : BAD_TYPE;
    }
    template <typename T>
    [[nodiscard]] status_t readNullableStrongBinder(sp<T>* out) const {
        sp<IBinder> binder;
        if (status_t status = readNullableStrongBinder(&binder); status != OK) return status;
        *out = interface_cast<T>(binder);
        return *out != nullptr || binder == nullptr ? OK : BAD_TYPE;
    }

    // ---- File descriptors, as BINDER_TYPE_FD objects. The kernel installs a new descriptor
    // in the receiving process.
    // With takeOwnership the Parcel closes |fd| when it is reset or destroyed.
    [[nodiscard]] status_t writeFileDescriptor(int fd, bool takeOwnership = false);
    // Writes (and owns) a close-on-exec duplicate of |fd|; the caller keeps |fd|.
    [[nodiscard]] status_t writeDupFileDescriptor(int fd);
    [[nodiscard]] status_t writeUniqueFileDescriptor(const base::unique_fd& fd);
    // The descriptor, still owned by the Parcel (valid until it is reset or destroyed), or
    // BAD_TYPE if no descriptor object was recorded at the position.
    int readFileDescriptor() const;
    // A duplicate the caller owns.
    [[nodiscard]] status_t readUniqueFileDescriptor(base::unique_fd* fd) const;
    // Java's ParcelFileDescriptor layout: int32 "has a comm channel" (always 0 when written),
    // the descriptor, then the comm channel's descriptor when there is one (skipped when
    // read: nothing here listens on it). android::os::ParcelFileDescriptor uses these.
    [[nodiscard]] status_t writeParcelFileDescriptor(int fd, bool takeOwnership = false);
    // Writes (and owns) a close-on-exec duplicate of |fd|; the caller keeps |fd|.
    [[nodiscard]] status_t writeDupParcelFileDescriptor(int fd);
    // The descriptor, still owned by the Parcel, or BAD_TYPE.
    int readParcelFileDescriptor() const;
    // A duplicate the caller owns.
    [[nodiscard]] status_t readUniqueParcelFileDescriptor(base::unique_fd* fd) const;
    // Closes every single descriptor (BINDER_TYPE_FD) in the objects table, owned or not.
    // For the receiver of a kernel buffer, whose descriptors were installed for it, before
    // the buffer is freed; may be called from the ReleaseFunction given to
    // ipcSetDataReference(). Descriptor arrays are left alone: the driver closes those
    // itself when the buffer is freed.
    void closeFileDescriptors();

    // ---- File-descriptor arrays: the descriptors travel in one buffer the kernel copies
    // (BINDER_TYPE_PTR), described by a BINDER_TYPE_FDA object, the layout libhwbinder uses
    // for a native_handle's descriptors. (AOSP libbinder's writeUniqueFileDescriptorVector
    // writes one object per descriptor instead; both are available here.) A Parcel holding
    // an array goes out with BC_TRANSACTION_SG / BC_REPLY_SG.
    //
    // In the receiver the kernel installs a new descriptor for each element and, unlike a
    // single descriptor, closes them all itself when the buffer is freed (BC_FREE_BUFFER):
    // a received array belongs to the received Parcel. Keep a descriptor past the Parcel with
    // readUniqueFileDescriptorArray(), which duplicates, as AOSP's readUnique* calls do.
    //
    // FDS_NOT_ALLOWED when descriptors are not allowed, BAD_VALUE for a negative descriptor;
    // a failed write leaves nothing behind and closes nothing of the caller's. With
    // takeOwnership the Parcel closes the descriptors when it is reset or destroyed.
    [[nodiscard]] status_t writeFileDescriptorArray(std::span<const int> fds,
                                                    bool takeOwnership = false);
    // Writes (and owns) close-on-exec duplicates; the caller keeps its descriptors.
    [[nodiscard]] status_t writeDupFileDescriptorArray(std::span<const int> fds);
    [[nodiscard]] status_t writeUniqueFileDescriptorArray(const std::vector<base::unique_fd>& fds);
    // The descriptors at the position, still owned by the Parcel (or by the received buffer:
    // valid until the Parcel lets go of it). BAD_TYPE if no array was recorded at the
    // position, BAD_VALUE if the objects there do not describe one.
    [[nodiscard]] status_t readFileDescriptorArray(std::vector<int>* fds) const;
    // Close-on-exec duplicates the caller owns.
    [[nodiscard]] status_t readUniqueFileDescriptorArray(std::vector<base::unique_fd>* fds) const;

    // ---- The kernel's view: the buffer and the offsets of its objects. For IPCThreadState.
    uintptr_t ipcData() const { return reinterpret_cast<uintptr_t>(mData); }
    size_t ipcDataSize() const { return dataSize(); }
    uintptr_t ipcObjects() const { return reinterpret_cast<uintptr_t>(mObjects.data()); }
    size_t ipcObjectsCount() const { return mObjects.size(); }
    size_t objectsCount() const { return mObjects.size(); }
    // The embedded buffers (BINDER_TYPE_PTR objects) the kernel copies along with the data:
    // how many, and their total size with each rounded up to 8 bytes as the kernel lays them
    // out (binder_transaction_data_sg.buffers_size).
    size_t ipcBuffersCount() const;
    size_t ipcBuffersSize() const;
    // Makes this Parcel a read-only view of a received buffer (previous contents are
    // released). |release| runs once, when the Parcel lets go of the buffer: on reset, on
    // destruction, or before the first write (which copies the data, and the embedded buffers,
    // into the Parcel's own storage; the descriptors in the copy stay unowned). Offsets that do
    // not fit the data, or name an object of unknown type, are dropped with a logged error.
    // |bufferArea| is the memory embedded buffers may point into (the receive mapping): a
    // BINDER_TYPE_PTR object pointing elsewhere is never dereferenced.
    void ipcSetDataReference(const uint8_t* data, size_t dataSize, const binder_size_t* objects,
                             size_t objectsCount, ReleaseFunction release,
                             std::span<const uint8_t> bufferArea = {});

private:
    static constexpr int32_t kNullParcelable = 0;
    static constexpr int32_t kNullLength = -1;
    // The first word of a ParcelFileDescriptor written here: no comm channel follows.
    static constexpr int32_t kNoCommChannel = 0;
    // The binder driver maps at most 4 MiB of receive buffer per process, so no transaction
    // or reply is larger.
    static constexpr size_t kMaxTransactionSize = 4 * 1024 * 1024;
    // The fewest bytes an element of a vector of E takes on the wire: packed bytes take one,
    // everything else at least an int32.
    template <typename E>
    static constexpr size_t kMinimumWireSize = internal::OneOf<E, int8_t, uint8_t> ? 1 : 4;

    template <typename T>
    [[nodiscard]] status_t writeAligned(T value);
    template <typename T>
    [[nodiscard]] status_t readAligned(T* value) const;
    template <typename T>
    T readOrZero(status_t (Parcel::*reader)(T*) const) const {
        T value{};
        return (this->*reader)(&value) == OK ? value : T{};
    }

    // Strings as int32 length, units, terminator, padding (String8 and String16 alike).
    template <typename Char>
    [[nodiscard]] status_t writeStringUnits(const Char* text, size_t length);
    template <typename Char>
    [[nodiscard]] status_t readStringUnits(const Char** text, size_t* length) const;
    [[nodiscard]] status_t writeUtf8View(std::string_view text);

    // Nullable values: |nullMarker| stands for null; a present value is written by |writeValue|,
    // which writes its own leading int32 (a length or the parcelable frame).
    template <typename Holder, typename WriteValue>
    status_t writeNullable(const Holder& holder, int32_t nullMarker, WriteValue&& writeValue) {
        return holder ? writeValue(*holder) : writeInt32(nullMarker);
    }
    // Peeks the leading int32: the null marker (or any negative length, when the marker is
    // negative) gives null; otherwise rewinds and lets |readValue| parse the value.
    template <typename Holder, typename ReadValue>
    status_t readNullable(Holder* holder, int32_t nullMarker, ReadValue&& readValue) const;

    template <typename E>
    [[nodiscard]] status_t writeElement(const E& element);
    template <typename E>
    [[nodiscard]] status_t readElement(E* element) const;
    template <typename E>
    [[nodiscard]] status_t writeVectorBody(const std::vector<E>& vector);
    template <typename E>
    [[nodiscard]] status_t readVectorBody(std::vector<E>* vector) const;
    [[nodiscard]] status_t readVectorCount(size_t minimumElementSize, size_t* count) const;
    // A non-null byte array: count, then the bytes packed and padded.
    [[nodiscard]] status_t writeBytes(size_t length, const uint8_t* bytes);

    // Objects: the hooks that writeStrongBinder/readStrongBinder will build on. An object is
    // recorded in the table unless it is a null binder (nullMetaData false, no binder).
    [[nodiscard]] status_t writeObject(const flat_binder_object& object, bool nullMetaData);
    // The object at the position if the table records one there (or, without nullMetaData,
    // a null binder); moves past it either way.
    [[nodiscard]] status_t readObject(bool nullMetaData, flat_binder_object* object) const;
    // Writes a close-on-exec duplicate of |fd| with |writeOwned| (which takes ownership of
    // it), closing the duplicate if the write fails.
    [[nodiscard]] status_t writeDuplicate(int fd, status_t (Parcel::*writeOwned)(int, bool));
    // A close-on-exec duplicate of a descriptor the Parcel owns (BAD_TYPE when |borrowed|
    // is negative: no descriptor was read).
    [[nodiscard]] static status_t duplicateInto(int borrowed, base::unique_fd* fd);
    // Drops the reference or descriptor an object in the table holds, as its owner.
    void releaseObject(const flat_binder_object& object);
    // The binder part of releaseObject() (ParcelBinder.cpp).
    static void releaseBinderObject(const flat_binder_object& object);
    [[nodiscard]] status_t unflattenBinder(const flat_binder_object& object,
                                           sp<IBinder>* binder) const;

    // File-descriptor arrays.
    // What the BINDER_TYPE_PTR object of an array in owned data points to: its own allocation,
    // so the address in the data stays valid however the Parcel grows.
    struct FdArrayStorage {
        std::unique_ptr<uint32_t[]> fds;
        size_t count = 0;
        bool owned = false;  // written with takeOwnership: closed on release
    };
    // The u32s a BINDER_TYPE_PTR object points to, if it points at an array of this Parcel
    // (owned storage, or the received buffer area) at least |count| long; else nullptr.
    const uint32_t* embeddedFds(const binder_buffer_object& buffer, size_t count) const;
    // Frees the storage |address| points to, closing its descriptors if owned.
    void releaseFdArrayStorage(binder_uintptr_t address);
    // Sets each FDA's parent to the index of the PTR written just before it, after the
    // objects table changed shape.
    void renumberFdArrayParents();
    // Copies the embedded buffers of adopted data into owned storage and repoints them.
    [[nodiscard]] status_t adoptEmbeddedBuffers(uint8_t* copy);

    // Storage helpers.
    // Reserves |length| bytes (plus zeroed padding) at the position and moves past them.
    [[nodiscard]] status_t prepareWrite(size_t length, uint8_t** out);
    // The next |length| bytes (plus padding) if they hold no object; moves past them.
    [[nodiscard]] status_t readBytes(size_t length, const uint8_t** out) const;
    [[nodiscard]] status_t ensureCapacity(size_t size);
    // Copies a received buffer into owned storage before the first change to it.
    [[nodiscard]] status_t adoptExternalData();
    bool isExternal() const { return static_cast<bool>(mRelease); }
    // Releases and forgets the objects that overlap [begin, end).
    void releaseObjectsIn(size_t begin, size_t end);
    bool overlapsObject(size_t begin, size_t end) const;
    flat_binder_object objectAt(size_t offset) const;
    // The size of the recorded object at |offset|, from its type.
    size_t objectSizeAt(size_t offset) const;
    void releaseAll();

    // The data: mStorage for owned storage, or a received buffer (mRelease set).
    const uint8_t* mData = nullptr;
    // Owned storage from malloc/realloc, mCapacity bytes; only the first mDataSize are
    // initialised.
    uint8_t* mStorage = nullptr;
    size_t mCapacity = 0;
    size_t mDataSize = 0;
    mutable size_t mDataPos = 0;
    // Offsets of the recorded objects, ascending and non-overlapping.
    std::vector<binder_size_t> mObjects;
    // The arrays the PTR objects of owned data point to.
    std::vector<FdArrayStorage> mFdArrays;
    // Received data only: where its PTR objects may point (see ipcSetDataReference()).
    std::span<const uint8_t> mBufferArea;
    ReleaseFunction mRelease;
    status_t mError = OK;
    bool mAllowFds = true;
};

// ---- Template definitions.

template <typename Holder, typename ReadValue>
status_t Parcel::readNullable(Holder* holder, int32_t nullMarker, ReadValue&& readValue) const {
    const size_t start = dataPosition();
    int32_t marker = 0;
    if (status_t status = readInt32(&marker); status != OK) {
        return status;
    }
    holder->reset();
    if (marker == nullMarker || (nullMarker < 0 && marker < 0)) {
        return OK;
    }
    setDataPosition(start);
    internal::emplaceNullable(holder);
    status_t status = readValue(&**holder);
    if (status != OK) {
        holder->reset();
    }
    return status;
}

template <typename E>
status_t Parcel::writeElement(const E& element) {
    using Inner = internal::NullableInnerT<E>;
    if constexpr (std::same_as<E, bool>) {
        return writeBool(element);
    } else if constexpr (std::same_as<E, char16_t>) {
        return writeChar(element);
    } else if constexpr (internal::OneOf<E, int32_t, uint32_t, int64_t, uint64_t, float, double>) {
        return writeAligned(element);
    } else if constexpr (std::same_as<Inner, String16>) {
        return writeString16(element);
    } else if constexpr (std::same_as<Inner, std::string>) {
        return writeUtf8AsUtf16(element);
    } else if constexpr (std::derived_from<E, Parcelable>) {
        return writeParcelable(element);
    } else if constexpr (std::derived_from<Inner, Parcelable>) {
        return writeNullableParcelable(element);
    } else if constexpr (std::same_as<E, base::unique_fd>) {
        return writeUniqueFileDescriptor(element);
    } else if constexpr (std::same_as<E, sp<IBinder>>) {
        return writeStrongBinder(element);
    } else {
        static_assert(sizeof(E) == 0, "Parcel cannot write this vector element type");
    }
}

template <typename E>
status_t Parcel::readElement(E* element) const {
    using Inner = internal::NullableInnerT<E>;
    if constexpr (std::same_as<E, bool>) {
        return readBool(element);
    } else if constexpr (std::same_as<E, char16_t>) {
        return readChar(element);
    } else if constexpr (internal::OneOf<E, int32_t, uint32_t, int64_t, uint64_t, float, double>) {
        return readAligned(element);
    } else if constexpr (std::same_as<Inner, String16>) {
        return readString16(element);
    } else if constexpr (std::same_as<Inner, std::string>) {
        return readUtf8FromUtf16(element);
    } else if constexpr (std::derived_from<Inner, Parcelable>) {
        return readParcelable(element);
    } else if constexpr (std::same_as<E, base::unique_fd>) {
        return readUniqueFileDescriptor(element);
    } else if constexpr (std::same_as<E, sp<IBinder>>) {
        return readNullableStrongBinder(element);
    } else {
        static_assert(sizeof(E) == 0, "Parcel cannot read this vector element type");
    }
}

template <typename E>
status_t Parcel::writeVectorBody(const std::vector<E>& vector) {
    if constexpr (internal::OneOf<E, int8_t, uint8_t>) {
        return writeBytes(vector.size(), reinterpret_cast<const uint8_t*>(vector.data()));
    } else {
        if (vector.size() > static_cast<size_t>(INT32_MAX)) {
            return BAD_VALUE;
        }
        if (status_t status = writeInt32(static_cast<int32_t>(vector.size())); status != OK) {
            return status;
        }
        for (const E& element : vector) {
            if (status_t status = writeElement(element); status != OK) {
                return status;
            }
        }
        return OK;
    }
}

template <typename E>
status_t Parcel::readVectorBody(std::vector<E>* vector) const {
    vector->clear();
    // Bounds the allocation by the data actually present.
    size_t count = 0;
    if (status_t status = readVectorCount(kMinimumWireSize<E>, &count); status != OK) {
        return status;
    }
    if constexpr (internal::OneOf<E, int8_t, uint8_t>) {
        const auto* bytes = static_cast<const E*>(readInplace(count));
        if (bytes == nullptr) {
            return BAD_VALUE;
        }
        vector->assign(bytes, bytes + count);
        return OK;
    } else {
        vector->reserve(count);
        for (size_t i = 0; i < count; ++i) {
            E element{};
            if (status_t status = readElement(&element); status != OK) {
                vector->clear();
                return status;
            }
            vector->push_back(std::move(element));
        }
        return OK;
    }
}

template <typename V>
status_t Parcel::writeVector(const V& vector) {
    if constexpr (internal::kIsNullable<V>) {
        return writeNullable(vector, kNullLength,
                             [this](const auto& present) { return writeVectorBody(present); });
    } else {
        return writeVectorBody(vector);
    }
}

template <typename V>
status_t Parcel::readVector(V* vector) const {
    if constexpr (internal::kIsNullable<V>) {
        return readNullable(vector, kNullLength,
                            [this](auto* present) { return readVectorBody(present); });
    } else {
        return readVectorBody(vector);
    }
}

template <internal::VectorOf<sp<IBinder>> V>
status_t Parcel::readStrongBinderVector(V* vector) const {
    if (status_t status = readVector(vector); status != OK) {
        return status;
    }
    if constexpr (!internal::kIsNullable<V>) {
        if (std::find(vector->begin(), vector->end(), nullptr) != vector->end()) {
            vector->clear();
            return UNEXPECTED_NULL;
        }
    }
    return OK;
}

template <typename V>
status_t Parcel::writeVectorSize(const V& vector) {
    if constexpr (internal::kIsNullable<V>) {
        if (!vector) {
            return writeInt32(kNullLength);
        }
        return writeVectorSize(*vector);
    } else {
        if (vector.size() > static_cast<size_t>(INT32_MAX)) {
            return BAD_VALUE;
        }
        return writeInt32(static_cast<int32_t>(vector.size()));
    }
}

template <typename V>
status_t Parcel::resizeOutVector(V* vector) const {
    using E = internal::VectorElementT<V>;
    int32_t size = 0;
    if (status_t status = readInt32(&size); status != OK) {
        return status;
    }
    if (size < 0) {
        if constexpr (internal::kIsNullable<V>) {
            vector->reset();
            return OK;
        } else {
            return UNEXPECTED_NULL;
        }
    }
    // The size comes from the sender and nothing in this Parcel backs it; refuse one whose
    // reply could never be sent rather than allocate for it.
    if (static_cast<size_t>(size) > kMaxTransactionSize / kMinimumWireSize<E>) {
        return BAD_VALUE;
    }
    if constexpr (internal::kIsNullable<V>) {
        internal::emplaceNullable(vector);
        (*vector)->resize(static_cast<size_t>(size));
    } else {
        vector->resize(static_cast<size_t>(size));
    }
    return OK;
}

}  // namespace android
