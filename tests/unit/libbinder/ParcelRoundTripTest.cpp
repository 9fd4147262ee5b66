// Every type Parcel writes comes back unchanged, and the read position lands exactly at the end.
#include <binder/Parcel.h>

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android {
namespace {

using test::TestParcelable;

// Writes |value| with the generic vector/element machinery's counterpart and reads it back.
template <typename T>
void expectVectorRoundTrip(const T& value) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeVector(value), OK);
    parcel.setDataPosition(0);
    T out{};
    ASSERT_EQ(parcel.readVector(&out), OK);
    EXPECT_EQ(parcel.dataAvail(), 0u);
    if constexpr (requires { *value; }) {
        ASSERT_EQ(static_cast<bool>(out), static_cast<bool>(value));
        if (value) {
            EXPECT_EQ(*out, *value);
        }
    } else {
        EXPECT_EQ(out, value);
    }
}

TEST(ParcelRoundTripTest, Scalars) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(-123456), OK);
    ASSERT_EQ(parcel.writeUint32(0xFEEDFACEu), OK);
    ASSERT_EQ(parcel.writeInt64(std::numeric_limits<int64_t>::min()), OK);
    ASSERT_EQ(parcel.writeUint64(0x0123456789ABCDEFull), OK);
    ASSERT_EQ(parcel.writeFloat(1.5f), OK);
    ASSERT_EQ(parcel.writeDouble(-2.25e300), OK);
    ASSERT_EQ(parcel.writeBool(true), OK);
    ASSERT_EQ(parcel.writeBool(false), OK);
    ASSERT_EQ(parcel.writeChar(u'\u20AC'), OK);
    ASSERT_EQ(parcel.writeByte(-7), OK);
    ASSERT_EQ(parcel.writeFloat(std::numeric_limits<float>::quiet_NaN()), OK);
    EXPECT_EQ(parcel.dataSize(), 4u + 4 + 8 + 8 + 4 + 8 + 4 + 4 + 4 + 4 + 4);

    parcel.setDataPosition(0);
    int32_t i32;
    uint32_t u32;
    int64_t i64;
    uint64_t u64;
    float f;
    double d;
    bool b1, b2;
    char16_t c;
    int8_t byte;
    ASSERT_EQ(parcel.readInt32(&i32), OK);
    ASSERT_EQ(parcel.readUint32(&u32), OK);
    ASSERT_EQ(parcel.readInt64(&i64), OK);
    ASSERT_EQ(parcel.readUint64(&u64), OK);
    ASSERT_EQ(parcel.readFloat(&f), OK);
    ASSERT_EQ(parcel.readDouble(&d), OK);
    ASSERT_EQ(parcel.readBool(&b1), OK);
    ASSERT_EQ(parcel.readBool(&b2), OK);
    ASSERT_EQ(parcel.readChar(&c), OK);
    ASSERT_EQ(parcel.readByte(&byte), OK);
    EXPECT_TRUE(std::isnan(parcel.readFloat()));
    EXPECT_EQ(i32, -123456);
    EXPECT_EQ(u32, 0xFEEDFACEu);
    EXPECT_EQ(i64, std::numeric_limits<int64_t>::min());
    EXPECT_EQ(u64, 0x0123456789ABCDEFull);
    EXPECT_EQ(f, 1.5f);
    EXPECT_EQ(d, -2.25e300);
    EXPECT_TRUE(b1);
    EXPECT_FALSE(b2);
    EXPECT_EQ(c, u'\u20AC');
    EXPECT_EQ(byte, -7);
    EXPECT_EQ(parcel.dataAvail(), 0u);
}

TEST(ParcelRoundTripTest, ValueFormReadersReturnZeroAtTheEnd) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt64(99), OK);
    parcel.setDataPosition(0);
    EXPECT_EQ(parcel.readInt64(), 99);
    EXPECT_EQ(parcel.readInt64(), 0);
    EXPECT_EQ(parcel.readInt32(), 0);
    EXPECT_FALSE(parcel.readBool());
    EXPECT_EQ(parcel.readDouble(), 0.0);
}

TEST(ParcelRoundTripTest, Strings) {
    const String16 utf16(u"h\u00E9llo \U0001F600");
    const std::string utf8 = "w\xC3\xB6rld \xF0\x9F\x98\x80";
    Parcel parcel;
    ASSERT_EQ(parcel.writeString16(utf16), OK);
    ASSERT_EQ(parcel.writeString16(String16()), OK);
    ASSERT_EQ(parcel.writeString16(std::optional<String16>()), OK);
    ASSERT_EQ(parcel.writeString16(std::make_unique<String16>(u"boxed")), OK);
    ASSERT_EQ(parcel.writeUtf8AsUtf16(utf8), OK);
    ASSERT_EQ(parcel.writeUtf8AsUtf16(std::optional<std::string>("opt")), OK);
    ASSERT_EQ(parcel.writeUtf8AsUtf16(std::unique_ptr<std::string>()), OK);
    ASSERT_EQ(parcel.writeString8(String8("eight")), OK);
    ASSERT_EQ(parcel.writeString8(String8()), OK);
    ASSERT_EQ(parcel.writeCString("cee"), OK);

    parcel.setDataPosition(0);
    String16 s16;
    ASSERT_EQ(parcel.readString16(&s16), OK);
    EXPECT_EQ(s16, utf16);
    EXPECT_EQ(parcel.readString16(), String16());
    std::optional<String16> nullS16 = String16(u"stale");
    ASSERT_EQ(parcel.readString16(&nullS16), OK);
    EXPECT_FALSE(nullS16.has_value());
    std::unique_ptr<String16> boxed;
    ASSERT_EQ(parcel.readString16(&boxed), OK);
    ASSERT_NE(boxed, nullptr);
    EXPECT_EQ(*boxed, String16(u"boxed"));
    std::string s8;
    ASSERT_EQ(parcel.readUtf8FromUtf16(&s8), OK);
    EXPECT_EQ(s8, utf8);
    std::optional<std::string> opt;
    ASSERT_EQ(parcel.readUtf8FromUtf16(&opt), OK);
    EXPECT_EQ(opt, "opt");
    std::unique_ptr<std::string> nullBox = std::make_unique<std::string>("stale");
    ASSERT_EQ(parcel.readUtf8FromUtf16(&nullBox), OK);
    EXPECT_EQ(nullBox, nullptr);
    EXPECT_EQ(parcel.readString8(), String8("eight"));
    String8 empty8("stale");
    ASSERT_EQ(parcel.readString8(&empty8), OK);
    EXPECT_TRUE(empty8.empty());
    EXPECT_STREQ(parcel.readCString(), "cee");
    EXPECT_EQ(parcel.dataAvail(), 0u);
}

TEST(ParcelRoundTripTest, StringInplaceReaders) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeString16(u"in\0place", 8), OK);
    ASSERT_EQ(parcel.writeString8("raw", 3), OK);
    parcel.setDataPosition(0);
    size_t length = 0;
    const char16_t* units = parcel.readString16Inplace(&length);
    ASSERT_NE(units, nullptr);
    EXPECT_EQ(std::u16string_view(units, length), std::u16string_view(u"in\0place", 8));
    const char* bytes = parcel.readString8Inplace(&length);
    ASSERT_NE(bytes, nullptr);
    EXPECT_EQ(std::string_view(bytes, length), "raw");
}

TEST(ParcelRoundTripTest, NullStringReadIntoAValueIsUnexpectedNull) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeString16(std::unique_ptr<String16>()), OK);
    ASSERT_EQ(parcel.writeString8(nullptr, 0), OK);
    parcel.setDataPosition(0);
    String16 s16(u"stale");
    EXPECT_EQ(parcel.readString16(&s16), UNEXPECTED_NULL);
    EXPECT_TRUE(s16.empty());
    String8 s8("stale");
    EXPECT_EQ(parcel.readString8(&s8), UNEXPECTED_NULL);
    EXPECT_TRUE(s8.empty());
}

TEST(ParcelRoundTripTest, ScalarVectors) {
    expectVectorRoundTrip(std::vector<int8_t>{-1, 0, 1, 127, -128});
    expectVectorRoundTrip(std::vector<uint8_t>{});
    expectVectorRoundTrip(std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8});
    expectVectorRoundTrip(std::vector<bool>{true, false, true});
    expectVectorRoundTrip(std::vector<char16_t>{u'a', 0xD83D, 0xFFFF});
    expectVectorRoundTrip(std::vector<int32_t>{INT32_MIN, -1, 0, INT32_MAX});
    expectVectorRoundTrip(std::vector<uint32_t>{0, UINT32_MAX});
    expectVectorRoundTrip(std::vector<int64_t>{INT64_MIN, INT64_MAX});
    expectVectorRoundTrip(std::vector<uint64_t>{UINT64_MAX});
    expectVectorRoundTrip(std::vector<float>{0.5f, -1e30f});
    expectVectorRoundTrip(std::vector<double>{1e-300, 3.0});
}

TEST(ParcelRoundTripTest, NullableVectors) {
    expectVectorRoundTrip(std::optional<std::vector<int32_t>>());
    expectVectorRoundTrip(std::optional<std::vector<int32_t>>(std::vector<int32_t>{4, 5}));
    expectVectorRoundTrip(std::unique_ptr<std::vector<uint8_t>>());
    expectVectorRoundTrip(std::make_unique<std::vector<uint8_t>>(std::vector<uint8_t>{9}));
    expectVectorRoundTrip(std::optional<std::vector<bool>>(std::vector<bool>{}));
}

TEST(ParcelRoundTripTest, StringVectors) {
    expectVectorRoundTrip(std::vector<String16>{String16(u"a"), String16(), String16(u"\u00E9")});
    expectVectorRoundTrip(std::vector<std::optional<String16>>{String16(u"x"), std::nullopt});
    expectVectorRoundTrip(std::vector<std::string>{"one", "", "\xE2\x82\xAC"});
    expectVectorRoundTrip(
            std::optional<std::vector<std::optional<std::string>>>({std::nullopt, "two"}));
}

TEST(ParcelRoundTripTest, AospNamedVectorFunctions) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32Vector(std::vector<int32_t>{1, 2}), OK);
    ASSERT_EQ(parcel.writeByteVector(std::optional<std::vector<uint8_t>>()), OK);
    ASSERT_EQ(parcel.writeString16Vector(std::vector<String16>{String16(u"s")}), OK);
    ASSERT_EQ(parcel.writeUtf8VectorAsUtf16Vector(std::vector<std::string>{"u"}), OK);
    ASSERT_EQ(parcel.writeBoolVector(std::vector<bool>{true}), OK);
    parcel.setDataPosition(0);
    std::vector<int32_t> ints;
    std::optional<std::vector<uint8_t>> bytes = std::vector<uint8_t>{1};
    std::vector<String16> strings16;
    std::vector<std::string> strings8;
    std::vector<bool> bools;
    ASSERT_EQ(parcel.readInt32Vector(&ints), OK);
    ASSERT_EQ(parcel.readByteVector(&bytes), OK);
    ASSERT_EQ(parcel.readString16Vector(&strings16), OK);
    ASSERT_EQ(parcel.readUtf8VectorFromUtf16Vector(&strings8), OK);
    ASSERT_EQ(parcel.readBoolVector(&bools), OK);
    EXPECT_EQ(ints, (std::vector<int32_t>{1, 2}));
    EXPECT_FALSE(bytes.has_value());
    EXPECT_EQ(strings16, std::vector<String16>{String16(u"s")});
    EXPECT_EQ(strings8, std::vector<std::string>{"u"});
    EXPECT_EQ(bools, std::vector<bool>{true});
}

TEST(ParcelRoundTripTest, NullVectorIntoAValueIsUnexpectedNull) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeVector(std::unique_ptr<std::vector<int32_t>>()), OK);
    parcel.setDataPosition(0);
    std::vector<int32_t> out{1, 2, 3};
    EXPECT_EQ(parcel.readVector(&out), UNEXPECTED_NULL);
    EXPECT_TRUE(out.empty());
}

TEST(ParcelRoundTripTest, Arrays) {
    const uint8_t bytes[] = {1, 2, 3};
    const int32_t ints[] = {-1, 7};
    Parcel parcel;
    ASSERT_EQ(parcel.writeByteArray(sizeof(bytes), bytes), OK);
    ASSERT_EQ(parcel.writeByteArray(0, nullptr), OK);
    ASSERT_EQ(parcel.writeInt32Array(2, ints), OK);
    parcel.setDataPosition(0);
    std::vector<uint8_t> readBytes;
    ASSERT_EQ(parcel.readByteVector(&readBytes), OK);
    EXPECT_EQ(readBytes, (std::vector<uint8_t>{1, 2, 3}));
    std::unique_ptr<std::vector<uint8_t>> nullBytes;
    ASSERT_EQ(parcel.readByteVector(&nullBytes), OK);
    EXPECT_EQ(nullBytes, nullptr);
    std::vector<int32_t> readInts;
    ASSERT_EQ(parcel.readInt32Vector(&readInts), OK);
    EXPECT_EQ(readInts, (std::vector<int32_t>{-1, 7}));
}

TEST(ParcelRoundTripTest, Parcelables) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeParcelable(TestParcelable(5, "five")), OK);
    ASSERT_EQ(parcel.writeNullableParcelable(std::optional<TestParcelable>()), OK);
    ASSERT_EQ(parcel.writeNullableParcelable(std::make_unique<TestParcelable>(6, "six")), OK);
    ASSERT_EQ(parcel.writeParcelableVector(
                      std::vector<TestParcelable>{TestParcelable(1, "a"), TestParcelable(2, "b")}),
              OK);
    std::vector<std::unique_ptr<TestParcelable>> withNull;
    withNull.push_back(nullptr);
    withNull.push_back(std::make_unique<TestParcelable>(3, "c"));
    ASSERT_EQ(parcel.writeParcelableVector(
                      std::make_unique<std::vector<std::unique_ptr<TestParcelable>>>(
                              std::move(withNull))),
              OK);

    parcel.setDataPosition(0);
    TestParcelable plain;
    ASSERT_EQ(parcel.readParcelable(&plain), OK);
    EXPECT_EQ(plain, TestParcelable(5, "five"));
    std::optional<TestParcelable> absent = TestParcelable();
    ASSERT_EQ(parcel.readParcelable(&absent), OK);
    EXPECT_FALSE(absent.has_value());
    std::unique_ptr<TestParcelable> boxed;
    ASSERT_EQ(parcel.readParcelable(&boxed), OK);
    ASSERT_NE(boxed, nullptr);
    EXPECT_EQ(*boxed, TestParcelable(6, "six"));
    std::vector<TestParcelable> list;
    ASSERT_EQ(parcel.readParcelableVector(&list), OK);
    EXPECT_EQ(list, (std::vector<TestParcelable>{TestParcelable(1, "a"), TestParcelable(2, "b")}));
    std::unique_ptr<std::vector<std::unique_ptr<TestParcelable>>> nullableList;
    ASSERT_EQ(parcel.readParcelableVector(&nullableList), OK);
    ASSERT_NE(nullableList, nullptr);
    ASSERT_EQ(nullableList->size(), 2u);
    EXPECT_EQ((*nullableList)[0], nullptr);
    ASSERT_NE((*nullableList)[1], nullptr);
    EXPECT_EQ(*(*nullableList)[1], TestParcelable(3, "c"));
    EXPECT_EQ(parcel.dataAvail(), 0u);
}

TEST(ParcelRoundTripTest, NullParcelableIntoAValueIsUnexpectedNull) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeNullableParcelable(std::unique_ptr<TestParcelable>()), OK);
    parcel.setDataPosition(0);
    TestParcelable value;
    EXPECT_EQ(parcel.readParcelable(&value), UNEXPECTED_NULL);
}

TEST(ParcelRoundTripTest, InterfaceToken) {
    const String16 descriptor(u"android.os.IServiceManager");
    Parcel parcel;
    ASSERT_EQ(parcel.writeInterfaceToken(descriptor), OK);
    ASSERT_EQ(parcel.writeInt32(42), OK);
    parcel.setDataPosition(0);
    EXPECT_TRUE(parcel.enforceInterface(descriptor));
    EXPECT_EQ(parcel.readInt32(), 42);

    parcel.setDataPosition(0);
    EXPECT_FALSE(parcel.enforceInterface(String16(u"android.os.IOther")));
}

TEST(ParcelRoundTripTest, CheckInterfaceAsksTheBinderForItsDescriptor) {
    struct FakeBinder {
        String16 getInterfaceDescriptor() const { return String16(u"my.IFoo"); }
    } binder;
    Parcel parcel;
    ASSERT_EQ(parcel.writeInterfaceToken(String16(u"my.IFoo")), OK);
    parcel.setDataPosition(0);
    EXPECT_TRUE(parcel.checkInterface(&binder));
    parcel.setDataPosition(0);
    ASSERT_EQ(parcel.setDataSize(8), OK);  // header without the descriptor
    EXPECT_FALSE(parcel.checkInterface(&binder));
}

TEST(ParcelRoundTripTest, RawWriteReadAndInplace) {
    Parcel parcel;
    const char text[] = "abcde";
    ASSERT_EQ(parcel.write(text, 5), OK);
    void* room = parcel.writeInplace(3);
    ASSERT_NE(room, nullptr);
    std::memcpy(room, "xyz", 3);
    EXPECT_EQ(parcel.dataSize(), 12u);
    parcel.setDataPosition(0);
    char out[5];
    ASSERT_EQ(parcel.read(out, 5), OK);
    EXPECT_EQ(std::string_view(out, 5), "abcde");
    EXPECT_EQ(parcel.dataPosition(), 8u);
    const void* in = parcel.readInplace(3);
    ASSERT_NE(in, nullptr);
    EXPECT_EQ(std::string_view(static_cast<const char*>(in), 3), "xyz");
}

TEST(ParcelRoundTripTest, SizePositionAndCapacity) {
    Parcel parcel;
    EXPECT_EQ(parcel.dataSize(), 0u);
    ASSERT_EQ(parcel.setDataCapacity(100), OK);
    EXPECT_GE(parcel.dataCapacity(), 100u);
    EXPECT_EQ(parcel.dataSize(), 0u);
    for (int32_t i = 0; i < 10; ++i) ASSERT_EQ(parcel.writeInt32(i), OK);
    EXPECT_EQ(parcel.dataSize(), 40u);
    EXPECT_EQ(parcel.dataPosition(), 40u);
    parcel.setDataPosition(8);
    EXPECT_EQ(parcel.dataAvail(), 32u);
    EXPECT_EQ(parcel.readInt32(), 2);
    ASSERT_EQ(parcel.setDataSize(16), OK);
    EXPECT_EQ(parcel.dataSize(), 16u);
    EXPECT_EQ(parcel.dataPosition(), 12u);
    ASSERT_EQ(parcel.setDataSize(24), OK);  // grows with zeros
    parcel.setDataPosition(16);
    EXPECT_EQ(parcel.readInt64(), 0);

    // Writing past the end zero-fills the gap.
    parcel.setDataPosition(32);
    EXPECT_EQ(parcel.dataSize(), 32u);
    EXPECT_EQ(parcel.dataAvail(), 0u);
    ASSERT_EQ(parcel.writeInt32(-1), OK);
    EXPECT_EQ(parcel.dataSize(), 36u);
    parcel.setDataPosition(24);
    EXPECT_EQ(parcel.readInt64(), 0);
    EXPECT_EQ(parcel.readInt32(), -1);

    const uint8_t raw[] = {1, 0, 0, 0, 2, 0, 0, 0};
    ASSERT_EQ(parcel.setData(raw, sizeof(raw)), OK);
    EXPECT_EQ(parcel.dataPosition(), 0u);
    EXPECT_EQ(parcel.readInt32(), 1);
    EXPECT_EQ(parcel.readInt32(), 2);

    parcel.freeData();
    EXPECT_EQ(parcel.dataSize(), 0u);
    EXPECT_EQ(parcel.dataPosition(), 0u);
    EXPECT_EQ(parcel.errorCheck(), OK);
}

TEST(ParcelRoundTripTest, AbsurdSizesAreRefused) {
    Parcel parcel;
    EXPECT_EQ(parcel.setDataCapacity(size_t{1} << 40), BAD_VALUE);
    EXPECT_EQ(parcel.setDataSize(size_t{1} << 40), BAD_VALUE);
    EXPECT_EQ(parcel.writeInplace(size_t{1} << 40), nullptr);
    EXPECT_EQ(parcel.write("x", size_t{1} << 33), BAD_VALUE);
    parcel.setDataPosition(size_t{1} << 40);  // refused, position unchanged
    EXPECT_EQ(parcel.dataPosition(), 0u);
    EXPECT_EQ(parcel.dataSize(), 0u);
}

}  // namespace
}  // namespace android
