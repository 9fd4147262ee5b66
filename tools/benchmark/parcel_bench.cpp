// Parcel encode and decode on the host, for typical messages: a small call (interface token,
// a few scalars and a string), a string-heavy one, and a 4 KiB byte vector.
#include <benchmark/benchmark.h>

#include <vector>

#include <binder/Parcel.h>
#include <utils/String16.h>

namespace {

using android::Parcel;
using android::String16;

const String16 kDescriptor(u"binder_lite.bench.IService");

void writeSmallCall(Parcel* p) {
    (void)p->writeInterfaceToken(kDescriptor);
    (void)p->writeInt32(42);
    (void)p->writeInt64(1234567890123);
    (void)p->writeBool(true);
    (void)p->writeString16(String16(u"a short argument"));
}

void BM_EncodeSmallCall(benchmark::State& state) {
    for (auto _ : state) {
        Parcel p;
        writeSmallCall(&p);
        benchmark::DoNotOptimize(p.data());
    }
}
BENCHMARK(BM_EncodeSmallCall);

void BM_DecodeSmallCall(benchmark::State& state) {
    Parcel p;
    writeSmallCall(&p);
    for (auto _ : state) {
        p.setDataPosition(0);
        bool ok = p.enforceInterface(kDescriptor);
        int32_t i = 0;
        int64_t l = 0;
        bool b = false;
        String16 s;
        ok &= p.readInt32(&i) == android::OK && p.readInt64(&l) == android::OK &&
              p.readBool(&b) == android::OK && p.readString16(&s) == android::OK;
        benchmark::DoNotOptimize(ok);
    }
}
BENCHMARK(BM_DecodeSmallCall);

void BM_EncodeStringVector(benchmark::State& state) {
    const std::vector<String16> names(32, String16(u"vendor.example.service/instance"));
    for (auto _ : state) {
        Parcel p;
        (void)p.writeString16Vector(names);
        benchmark::DoNotOptimize(p.data());
    }
}
BENCHMARK(BM_EncodeStringVector);

void BM_DecodeStringVector(benchmark::State& state) {
    const std::vector<String16> names(32, String16(u"vendor.example.service/instance"));
    Parcel p;
    (void)p.writeString16Vector(names);
    for (auto _ : state) {
        p.setDataPosition(0);
        std::vector<String16> out;
        benchmark::DoNotOptimize(p.readString16Vector(&out));
    }
}
BENCHMARK(BM_DecodeStringVector);

void BM_ByteVectorRoundTrip4KiB(benchmark::State& state) {
    const std::vector<uint8_t> bytes(4096, 0x5a);
    for (auto _ : state) {
        Parcel p;
        (void)p.writeByteVector(bytes);
        p.setDataPosition(0);
        std::vector<uint8_t> out;
        benchmark::DoNotOptimize(p.readByteVector(&out));
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 4096);
}
BENCHMARK(BM_ByteVectorRoundTrip4KiB);

}  // namespace

BENCHMARK_MAIN();
