// The exact bytes Parcel produces, computed by hand from AOSP's wire format.
#include <binder/Parcel.h>

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android {
namespace {

using test::bytesOf;
using test::ExpectedBytes;

TEST(ParcelWireFormatTest, String16WithOddLengthIsTerminatedAndPadded) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeString16(String16(u"abc")), OK);
    // length 3, 'a' 'b' 'c' NUL = 8 bytes, already aligned.
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes().i32(3).bytes({'a', 0, 'b', 0, 'c', 0, 0, 0}).get());
}

TEST(ParcelWireFormatTest, String16WithEvenLengthGetsTwoBytesOfPadding) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeString16(String16(u"ab")), OK);
    // length 2, 'a' 'b' NUL = 6 bytes, padded to 8.
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes().i32(2).bytes({'a', 0, 'b', 0, 0, 0, 0, 0}).get());
}

TEST(ParcelWireFormatTest, EmptyAndNullString16) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeString16(String16()), OK);
    ASSERT_EQ(parcel.writeString16(std::optional<String16>()), OK);
    // Empty: length 0, then the terminator padded to 4. Null: just -1.
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes().i32(0).bytes({0, 0, 0, 0}).i32(-1).get());
}

TEST(ParcelWireFormatTest, Utf8IsSentAsUtf16WithSurrogatePairs) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeUtf8AsUtf16("\xC3\xA9\xF0\x9F\x98\x80"), OK);  // é U+1F600
    EXPECT_EQ(bytesOf(parcel),
              ExpectedBytes().i32(3).bytes({0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 0, 0}).get());
}

TEST(ParcelWireFormatTest, MalformedUtf8IsNotWritten) {
    Parcel parcel;
    EXPECT_EQ(parcel.writeUtf8AsUtf16("\xC3"), BAD_VALUE);
    EXPECT_EQ(parcel.dataSize(), 0u);
}

TEST(ParcelWireFormatTest, String8AndCString) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeString8(String8("abcd")), OK);
    ASSERT_EQ(parcel.writeCString("xy"), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .i32(4)
                                       .bytes({'a', 'b', 'c', 'd', 0, 0, 0, 0})
                                       .bytes({'x', 'y', 0, 0})
                                       .get());
}

TEST(ParcelWireFormatTest, InterfaceTokenIsTheAndroid10Header) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInterfaceToken(String16(u"a.IB")), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .u32(0x80000000u)  // strict mode: PENALTY_GATHER
                                       .i32(-1)           // work source: unset
                                       .i32(4)
                                       .units(u"a.IB")
                                       .bytes({0, 0, 0, 0})  // terminator + padding
                                       .get());
}

TEST(ParcelWireFormatTest, SmallScalarsAreWidenedToInt32) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeByte(-2), OK);
    ASSERT_EQ(parcel.writeBool(true), OK);
    ASSERT_EQ(parcel.writeChar(u'\u20AC'), OK);
    ASSERT_EQ(parcel.writeBoolVector(std::vector<bool>{false, true}), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .bytes({0xFE, 0xFF, 0xFF, 0xFF})
                                       .i32(1)
                                       .i32(0x20AC)
                                       .i32(2)
                                       .i32(0)
                                       .i32(1)
                                       .get());
}

TEST(ParcelWireFormatTest, SixtyFourBitValuesAreFourByteAligned) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(1), OK);
    ASSERT_EQ(parcel.writeInt64(0x1122334455667788), OK);
    ASSERT_EQ(parcel.writeDouble(1.0), OK);
    EXPECT_EQ(bytesOf(parcel),
              ExpectedBytes().i32(1).u64(0x1122334455667788).u64(0x3FF0000000000000).get());
}

TEST(ParcelWireFormatTest, ByteArraysArePackedAndPadded) {
    const uint8_t five[] = {1, 2, 3, 4, 5};
    Parcel parcel;
    ASSERT_EQ(parcel.writeByteArray(sizeof(five), five), OK);
    ASSERT_EQ(parcel.writeByteVector(std::vector<int8_t>{-1}), OK);
    ASSERT_EQ(parcel.writeByteVector(std::vector<uint8_t>{}), OK);
    ASSERT_EQ(parcel.writeByteVector(std::unique_ptr<std::vector<uint8_t>>()), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .i32(5)
                                       .bytes({1, 2, 3, 4, 5, 0, 0, 0})
                                       .i32(1)
                                       .bytes({0xFF, 0, 0, 0})
                                       .i32(0)
                                       .i32(-1)
                                       .get());
}

TEST(ParcelWireFormatTest, RawWritesArePaddedWithZeros) {
    Parcel parcel;
    ASSERT_EQ(parcel.write("\xAA\xBB\xCC", 3), OK);
    EXPECT_EQ(bytesOf(parcel), (test::Bytes{0xAA, 0xBB, 0xCC, 0}));
}

TEST(ParcelWireFormatTest, ParcelablesAreFramed) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeParcelable(test::TestParcelable(9, "")), OK);
    ASSERT_EQ(parcel.writeNullableParcelable(std::unique_ptr<test::TestParcelable>()), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .i32(1)  // present
                                       .i32(9)
                                       .i32(0)  // empty name
                                       .bytes({0, 0, 0, 0})
                                       .i32(0)  // null
                                       .get());
}

TEST(ParcelWireFormatTest, FileDescriptorIsAFlatObjectWithItsOffsetRecorded) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(7), OK);
    ASSERT_EQ(parcel.writeFileDescriptor(fd), OK);
    ASSERT_EQ(parcel.writeInt32(8), OK);

    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .i32(7)
                                       .u32(0x66642a85)  // BINDER_TYPE_FD = 'f' 'd' '*' 0x85
                                       .u32(0x17f)       // 0x7f | FLAT_BINDER_FLAG_ACCEPTS_FDS
                                       .u64(static_cast<uint64_t>(fd))  // handle, upper half 0
                                       .u64(0)                          // cookie: not owned
                                       .i32(8)
                                       .get());
    ASSERT_EQ(parcel.ipcObjectsCount(), 1u);
    const auto* offsets = reinterpret_cast<const binder_size_t*>(parcel.ipcObjects());
    EXPECT_EQ(offsets[0], 4u);
    EXPECT_EQ(parcel.ipcData(), reinterpret_cast<uintptr_t>(parcel.data()));
    EXPECT_EQ(parcel.ipcDataSize(), 4u + 24u + 4u);
    ::close(fd);
}

TEST(ParcelWireFormatTest, DupFileDescriptorIsMarkedOwnedInTheCookie) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeDupFileDescriptor(STDIN_FILENO), OK);
    flat_binder_object object;
    ASSERT_EQ(parcel.dataSize(), sizeof(object));
    std::memcpy(&object, parcel.data(), sizeof(object));
    EXPECT_EQ(object.hdr.type, BINDER_TYPE_FD);
    EXPECT_NE(object.handle, static_cast<__u32>(STDIN_FILENO));
    EXPECT_EQ(object.cookie, 1u);
}

}  // namespace
}  // namespace android
