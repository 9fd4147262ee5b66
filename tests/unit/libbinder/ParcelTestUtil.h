// Helpers for building expected Parcel bytes by hand and for reading a Parcel's raw bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include <binder/Parcel.h>

namespace android::test {

using Bytes = std::vector<uint8_t>;

inline Bytes bytesOf(const Parcel& parcel) {
    return Bytes(parcel.data(), parcel.data() + parcel.dataSize());
}

// Appends little-endian words and UTF-16 units, the way the wire format lays them out.
class ExpectedBytes {
public:
    ExpectedBytes& i32(int32_t value) { return raw(&value, sizeof(value)); }
    ExpectedBytes& u32(uint32_t value) { return raw(&value, sizeof(value)); }
    ExpectedBytes& u64(uint64_t value) { return raw(&value, sizeof(value)); }
    ExpectedBytes& bytes(std::initializer_list<uint8_t> values) {
        mBytes.insert(mBytes.end(), values);
        return *this;
    }
    ExpectedBytes& units(std::u16string_view text) {
        return raw(text.data(), text.size() * sizeof(char16_t));
    }
    ExpectedBytes& raw(const void* data, size_t size) {
        const auto* begin = static_cast<const uint8_t*>(data);
        mBytes.insert(mBytes.end(), begin, begin + size);
        return *this;
    }
    const Bytes& get() const { return mBytes; }

private:
    Bytes mBytes;
};

// A small parcelable with a scalar and a string, as aidl would generate.
struct TestParcelable : public Parcelable {
    int32_t number = 0;
    std::string name;

    TestParcelable() = default;
    TestParcelable(int32_t n, std::string s) : number(n), name(std::move(s)) {}

    status_t writeToParcel(Parcel* parcel) const override {
        if (status_t status = parcel->writeInt32(number); status != OK) return status;
        return parcel->writeUtf8AsUtf16(name);
    }
    status_t readFromParcel(const Parcel* parcel) override {
        if (status_t status = parcel->readInt32(&number); status != OK) return status;
        return parcel->readUtf8FromUtf16(&name);
    }
    bool operator==(const TestParcelable& other) const {
        return number == other.number && name == other.name;
    }
};

}  // namespace android::test
