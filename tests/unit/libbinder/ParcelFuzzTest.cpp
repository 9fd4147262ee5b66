// Random input against every reader: nothing may crash, read out of bounds (run this under
// BINDER_LITE_SANITIZE=ON to check that), or move the position past the end.
#include <binder/Parcel.h>
#include <binder/Status.h>

#include <functional>
#include <random>

#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android {
namespace {

using test::TestParcelable;

template <typename T>
status_t readVectorAs(const Parcel& p) {
    T out{};
    return p.readVector(&out);
}

const std::vector<std::function<status_t(const Parcel&)>>& allReaders() {
    static const std::vector<std::function<status_t(const Parcel&)>> readers = {
            [](const Parcel& p) { int32_t v; return p.readInt32(&v); },
            [](const Parcel& p) { uint32_t v; return p.readUint32(&v); },
            [](const Parcel& p) { int64_t v; return p.readInt64(&v); },
            [](const Parcel& p) { uint64_t v; return p.readUint64(&v); },
            [](const Parcel& p) { float v; return p.readFloat(&v); },
            [](const Parcel& p) { double v; return p.readDouble(&v); },
            [](const Parcel& p) { bool v; return p.readBool(&v); },
            [](const Parcel& p) { char16_t v; return p.readChar(&v); },
            [](const Parcel& p) { int8_t v; return p.readByte(&v); },
            [](const Parcel& p) { String16 v; return p.readString16(&v); },
            [](const Parcel& p) { std::optional<String16> v; return p.readString16(&v); },
            [](const Parcel& p) { std::unique_ptr<String16> v; return p.readString16(&v); },
            [](const Parcel& p) { size_t n; return p.readString16Inplace(&n) ? OK : BAD_VALUE; },
            [](const Parcel& p) { String8 v; return p.readString8(&v); },
            [](const Parcel& p) { size_t n; return p.readString8Inplace(&n) ? OK : BAD_VALUE; },
            [](const Parcel& p) { return p.readCString() ? OK : BAD_VALUE; },
            [](const Parcel& p) { std::string v; return p.readUtf8FromUtf16(&v); },
            [](const Parcel& p) { std::optional<std::string> v; return p.readUtf8FromUtf16(&v); },
            [](const Parcel& p) { char v[13]; return p.read(v, sizeof(v)); },
            [](const Parcel& p) { return p.readInplace(7) ? OK : BAD_VALUE; },
            readVectorAs<std::vector<int8_t>>,
            readVectorAs<std::optional<std::vector<uint8_t>>>,
            readVectorAs<std::vector<bool>>,
            readVectorAs<std::vector<char16_t>>,
            readVectorAs<std::vector<int32_t>>,
            readVectorAs<std::unique_ptr<std::vector<int64_t>>>,
            readVectorAs<std::vector<double>>,
            readVectorAs<std::vector<String16>>,
            readVectorAs<std::vector<std::optional<String16>>>,
            readVectorAs<std::vector<std::string>>,
            readVectorAs<std::vector<std::unique_ptr<std::string>>>,
            readVectorAs<std::vector<TestParcelable>>,
            readVectorAs<std::optional<std::vector<std::optional<TestParcelable>>>>,
            readVectorAs<std::vector<base::unique_fd>>,
            [](const Parcel& p) { TestParcelable v; return p.readParcelable(&v); },
            [](const Parcel& p) { std::unique_ptr<TestParcelable> v; return p.readParcelable(&v); },
            [](const Parcel& p) { return p.readFileDescriptor() >= 0 ? OK : BAD_TYPE; },
            [](const Parcel& p) { base::unique_fd v; return p.readUniqueFileDescriptor(&v); },
            [](const Parcel& p) { return p.enforceInterface(String16(u"x")) ? OK : BAD_TYPE; },
            [](const Parcel& p) { binder::Status s; return s.readFromParcel(p); },
    };
    return readers;
}

// Random words biased towards the small and special values that length fields use, so the
// input gets past the first length check often enough to exercise the bodies.
std::vector<uint8_t> randomInput(std::mt19937& rng) {
    std::uniform_int_distribution<int> words(0, 48);
    std::uniform_int_distribution<int> kind(0, 9);
    std::uniform_int_distribution<int32_t> small(-3, 12);
    std::uniform_int_distribution<uint32_t> any;
    const int32_t special[] = {-1, 0, 1, INT32_MAX, INT32_MIN, -128, -129, 0x7fffffff / 2};
    std::vector<uint8_t> bytes;
    const int count = words(rng);
    for (int i = 0; i < count; ++i) {
        const int k = kind(rng);
        uint32_t word;
        if (k < 4) {
            word = static_cast<uint32_t>(small(rng));
        } else if (k < 5) {
            word = static_cast<uint32_t>(special[any(rng) % std::size(special)]);
        } else {
            word = any(rng);
        }
        const auto* p = reinterpret_cast<const uint8_t*>(&word);
        bytes.insert(bytes.end(), p, p + 4);
    }
    // Sometimes an unaligned tail.
    const uint32_t tail = any(rng) % 4;
    for (uint32_t i = 0; i < tail; ++i) bytes.push_back(static_cast<uint8_t>(any(rng)));
    return bytes;
}

TEST(ParcelFuzzTest, RandomBytesNeverCrashAnyReader) {
    std::mt19937 rng(0xB1DE5);
    constexpr int kInputs = 3000;
    int successes = 0;
    int failures = 0;
    for (int input = 0; input < kInputs; ++input) {
        const std::vector<uint8_t> bytes = randomInput(rng);
        Parcel parcel;
        ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
        // Each reader from the start...
        for (const auto& reader : allReaders()) {
            parcel.setDataPosition(0);
            (reader(parcel) == OK ? successes : failures)++;
            ASSERT_LE(parcel.dataPosition(), bytes.size());
        }
        // ...and a random sequence of readers through the whole input.
        parcel.setDataPosition(0);
        for (int step = 0; step < 16; ++step) {
            const auto& reader = allReaders()[rng() % allReaders().size()];
            (reader(parcel) == OK ? successes : failures)++;
            ASSERT_LE(parcel.dataPosition(), bytes.size());
        }
        EXPECT_EQ(parcel.dataSize(), bytes.size());
    }
    // The input mix must reach both outcomes, or the test is not exercising the parsers.
    EXPECT_GT(successes, kInputs);
    EXPECT_GT(failures, kInputs);
}

}  // namespace
}  // namespace android
