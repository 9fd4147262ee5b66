// Malformed and truncated input: every reader fails cleanly, never reads past the end, and
// never moves the position past the end.
#include <binder/Parcel.h>
#include <binder/Status.h>

#include <unistd.h>

#include <functional>

#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android {
namespace {

using test::Bytes;
using test::bytesOf;
using test::ExpectedBytes;
using test::TestParcelable;

struct ReaderCase {
    const char* name;
    std::function<status_t(Parcel&)> write;
    std::function<status_t(const Parcel&)> read;
};

template <typename T>
std::function<status_t(const Parcel&)> readVectorAs() {
    return [](const Parcel& p) {
        T out{};
        return p.readVector(&out);
    };
}

std::vector<ReaderCase> readerCases() {
    return {
            {"int32", [](Parcel& p) { return p.writeInt32(5); },
             [](const Parcel& p) { int32_t v; return p.readInt32(&v); }},
            {"int64", [](Parcel& p) { return p.writeInt64(5); },
             [](const Parcel& p) { int64_t v; return p.readInt64(&v); }},
            {"double", [](Parcel& p) { return p.writeDouble(0.5); },
             [](const Parcel& p) { double v; return p.readDouble(&v); }},
            {"bool", [](Parcel& p) { return p.writeBool(true); },
             [](const Parcel& p) { bool v; return p.readBool(&v); }},
            {"char", [](Parcel& p) { return p.writeChar(u'x'); },
             [](const Parcel& p) { char16_t v; return p.readChar(&v); }},
            {"byte", [](Parcel& p) { return p.writeByte(1); },
             [](const Parcel& p) { int8_t v; return p.readByte(&v); }},
            {"String16", [](Parcel& p) { return p.writeString16(String16(u"hello")); },
             [](const Parcel& p) { String16 v; return p.readString16(&v); }},
            {"optional String16", [](Parcel& p) { return p.writeString16(String16(u"hello")); },
             [](const Parcel& p) { std::optional<String16> v; return p.readString16(&v); }},
            {"String8", [](Parcel& p) { return p.writeString8(String8("hello")); },
             [](const Parcel& p) { String8 v; return p.readString8(&v); }},
            {"C string", [](Parcel& p) { return p.writeCString("hello"); },
             [](const Parcel& p) { return p.readCString() != nullptr ? OK : BAD_VALUE; }},
            {"UTF-8", [](Parcel& p) { return p.writeUtf8AsUtf16("h\xC3\xA9llo"); },
             [](const Parcel& p) { std::string v; return p.readUtf8FromUtf16(&v); }},
            {"byte vector", [](Parcel& p) { return p.writeByteVector(Bytes{1, 2, 3, 4, 5}); },
             readVectorAs<std::vector<uint8_t>>()},
            {"nullable byte vector", [](Parcel& p) { return p.writeByteVector(Bytes{1, 2, 3}); },
             readVectorAs<std::optional<std::vector<uint8_t>>>()},
            {"int32 vector",
             [](Parcel& p) { return p.writeInt32Vector(std::vector<int32_t>{1, 2}); },
             readVectorAs<std::vector<int32_t>>()},
            {"int64 vector",
             [](Parcel& p) { return p.writeInt64Vector(std::vector<int64_t>{1, 2}); },
             readVectorAs<std::vector<int64_t>>()},
            {"bool vector", [](Parcel& p) { return p.writeBoolVector(std::vector<bool>{true}); },
             readVectorAs<std::vector<bool>>()},
            {"String16 vector",
             [](Parcel& p) {
                 return p.writeString16Vector(std::vector<String16>{String16(u"ab")});
             },
             readVectorAs<std::vector<String16>>()},
            {"UTF-8 vector",
             [](Parcel& p) {
                 return p.writeUtf8VectorAsUtf16Vector(std::vector<std::string>{"x", "yz"});
             },
             readVectorAs<std::unique_ptr<std::vector<std::string>>>()},
            {"parcelable", [](Parcel& p) { return p.writeParcelable(TestParcelable(1, "one")); },
             [](const Parcel& p) { TestParcelable v; return p.readParcelable(&v); }},
            {"nullable parcelable",
             [](Parcel& p) { return p.writeParcelable(TestParcelable(1, "one")); },
             [](const Parcel& p) {
                 std::optional<TestParcelable> v;
                 return p.readParcelable(&v);
             }},
            {"parcelable vector",
             [](Parcel& p) {
                 return p.writeParcelableVector(std::vector{TestParcelable(2, "b")});
             },
             readVectorAs<std::vector<TestParcelable>>()},
            {"interface token",
             [](Parcel& p) { return p.writeInterfaceToken(String16(u"a.IFoo")); },
             [](const Parcel& p) {
                 return p.enforceInterface(String16(u"a.IFoo")) ? OK : BAD_TYPE;
             }},
            {"raw bytes", [](Parcel& p) { return p.write("abcdef", 6); },
             [](const Parcel& p) { char v[6]; return p.read(v, sizeof(v)); }},
            {"Status", [](Parcel& p) {
                 return binder::Status::fromServiceSpecificError(3, "boom").writeToParcel(&p);
             },
             [](const Parcel& p) { binder::Status s; return s.readFromParcel(p); }},
    };
}

TEST(ParcelMalformedTest, EveryReaderFailsCleanlyAtEveryTruncationPoint) {
    for (const ReaderCase& c : readerCases()) {
        SCOPED_TRACE(c.name);
        Parcel written;
        ASSERT_EQ(c.write(written), OK);
        const Bytes full = bytesOf(written);
        ASSERT_FALSE(full.empty());
        for (size_t cut = 0; cut < full.size(); ++cut) {
            SCOPED_TRACE(testing::Message() << "cut at " << cut << " of " << full.size());
            Parcel truncated;
            ASSERT_EQ(truncated.setData(full.data(), cut), OK);
            EXPECT_NE(c.read(truncated), OK);
            EXPECT_LE(truncated.dataPosition(), cut);
        }
        Parcel complete;
        ASSERT_EQ(complete.setData(full.data(), full.size()), OK);
        EXPECT_EQ(c.read(complete), OK);
        EXPECT_EQ(complete.dataPosition(), full.size());
    }
}

TEST(ParcelMalformedTest, ScalarPastTheEndIsNotEnoughData) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(1), OK);
    int64_t wide;
    EXPECT_EQ(parcel.readInt64(&wide), NOT_ENOUGH_DATA);  // position is at the end
    parcel.setDataPosition(0);
    EXPECT_EQ(parcel.readInt64(&wide), NOT_ENOUGH_DATA);  // only 4 of 8 bytes
    EXPECT_EQ(parcel.dataPosition(), 0u);
    parcel.setDataPosition(100);
    int32_t narrow;
    EXPECT_EQ(parcel.readInt32(&narrow), NOT_ENOUGH_DATA);
    EXPECT_EQ(parcel.dataAvail(), 0u);
}

TEST(ParcelMalformedTest, StringLengthsLargerThanTheDataAreBadValue) {
    Parcel parcel;
    const Bytes bytes = ExpectedBytes().i32(1000).bytes({'a', 0, 0, 0}).get();
    ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
    String16 s;
    EXPECT_EQ(parcel.readString16(&s), BAD_VALUE);
    EXPECT_LE(parcel.dataPosition(), parcel.dataSize());

    const Bytes huge = ExpectedBytes().i32(INT32_MAX).get();
    ASSERT_EQ(parcel.setData(huge.data(), huge.size()), OK);
    EXPECT_EQ(parcel.readString16(&s), BAD_VALUE);
    ASSERT_EQ(parcel.setData(huge.data(), huge.size()), OK);
    String8 s8;
    EXPECT_EQ(parcel.readString8(&s8), BAD_VALUE);
}

TEST(ParcelMalformedTest, StringWithoutTerminatorIsBadValue) {
    Parcel parcel;
    const Bytes bytes = ExpectedBytes().i32(1).bytes({'a', 0, 'b', 0}).get();
    ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
    String16 s;
    EXPECT_EQ(parcel.readString16(&s), BAD_VALUE);
    parcel.setDataPosition(0);
    size_t length = 99;
    EXPECT_EQ(parcel.readString16Inplace(&length), nullptr);
    EXPECT_EQ(length, 0u);
}

TEST(ParcelMalformedTest, CStringWithoutNulIsRejected) {
    Parcel parcel;
    const Bytes bytes{'a', 'b', 'c', 'd'};
    ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
    EXPECT_EQ(parcel.readCString(), nullptr);
    EXPECT_EQ(parcel.dataPosition(), 0u);
}

TEST(ParcelMalformedTest, NegativeLengthsOtherThanMinusOneAreNull) {
    Parcel parcel;
    const Bytes bytes = ExpectedBytes().i32(-5).get();
    ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
    std::optional<String16> nullable = String16(u"stale");
    EXPECT_EQ(parcel.readString16(&nullable), OK);
    EXPECT_FALSE(nullable.has_value());
    parcel.setDataPosition(0);
    std::vector<int32_t> values;
    EXPECT_EQ(parcel.readVector(&values), UNEXPECTED_NULL);
}

TEST(ParcelMalformedTest, HugeVectorCountsFailWithoutAllocating) {
    Parcel parcel;
    for (int32_t count : {INT32_MAX, 3, 2}) {  // 8 bytes of data follow the count
        SCOPED_TRACE(count);
        const Bytes bytes = ExpectedBytes().i32(count).i32(1).i32(2).get();
        ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
        std::vector<int64_t> wide;
        EXPECT_NE(parcel.readVector(&wide), OK);
        EXPECT_TRUE(wide.empty());
        parcel.setDataPosition(0);
        std::vector<std::string> strings;
        EXPECT_NE(parcel.readVector(&strings), OK);
        parcel.setDataPosition(0);
        std::vector<uint8_t> bytesOut;
        // Packed bytes: 2 or 3 of them fit in the 8 bytes present.
        EXPECT_EQ(parcel.readVector(&bytesOut), count == INT32_MAX ? BAD_VALUE : OK);
    }
}

TEST(ParcelMalformedTest, FileDescriptorReadFromPlainDataIsBadType) {
    // A perfectly shaped fd object in plain data (not in the objects table) must not be
    // trusted: that would let a sender name any descriptor number of the receiver.
    const Bytes bytes = ExpectedBytes().u32(BINDER_TYPE_FD).u32(0x17f).u64(0).u64(0).get();
    Parcel parcel;
    ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
    EXPECT_EQ(parcel.readFileDescriptor(), BAD_TYPE);
    parcel.setDataPosition(0);
    base::unique_fd fd;
    EXPECT_EQ(parcel.readUniqueFileDescriptor(&fd), BAD_TYPE);
    EXPECT_FALSE(fd.ok());
    EXPECT_EQ(parcel.ipcObjectsCount(), 0u);
}

TEST(ParcelMalformedTest, PlainReadsOverAnObjectArePermissionDenied) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeDupFileDescriptor(STDIN_FILENO), OK);
    parcel.setDataPosition(0);
    int32_t word;
    EXPECT_EQ(parcel.readInt32(&word), PERMISSION_DENIED);
    parcel.setDataPosition(8);
    String16 s;
    EXPECT_NE(parcel.readString16(&s), OK);
    parcel.setDataPosition(20);
    EXPECT_EQ(parcel.readInt32(&word), PERMISSION_DENIED);
    parcel.setDataPosition(0);
    EXPECT_GE(parcel.readFileDescriptor(), 0);
}

TEST(ParcelMalformedTest, MisplacedFileDescriptorReadIsBadType) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(0), OK);
    ASSERT_EQ(parcel.writeDupFileDescriptor(STDIN_FILENO), OK);
    parcel.setDataPosition(0);  // 4 bytes before the object
    EXPECT_EQ(parcel.readFileDescriptor(), BAD_TYPE);
    EXPECT_LE(parcel.dataPosition(), parcel.dataSize());
}

}  // namespace
}  // namespace android
