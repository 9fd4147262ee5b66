// What aidl-generated C++ needs from Parcel beyond the basic types: out-parameter vectors
// (writeVectorSize / resizeOutVector), vectors of binders, ParcelFileDescriptor, and the
// android-base macros the generated proxies use.
#include <binder/Parcel.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <android-base/macros.h>
#include <binder/Binder.h>
#include <binder/ParcelFileDescriptor.h>
#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android {
namespace {

using os::ParcelFileDescriptor;
using test::Bytes;
using test::bytesOf;
using test::ExpectedBytes;

base::unique_fd openDevNull() {
    return base::unique_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
}

// The same open file (not just the same number): compares device and inode.
bool sameFile(int a, int b) {
    struct stat sa {
    }, sb{};
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

// ---- Out-parameter vectors.

TEST(ParcelAidlTest, WriteVectorSizeSendsOnlyTheCount) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeVectorSize(std::vector<int32_t>{7, 8, 9}), OK);
    ASSERT_EQ(parcel.writeVectorSize(std::vector<std::string>{"not", "sent"}), OK);
    ASSERT_EQ(parcel.writeVectorSize(std::unique_ptr<std::vector<double>>()), OK);
    ASSERT_EQ(parcel.writeVectorSize(std::optional<std::vector<bool>>(std::vector<bool>(5))), OK);
    ASSERT_EQ(parcel.writeVectorSize(std::optional<std::vector<bool>>()), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes().i32(3).i32(2).i32(-1).i32(5).i32(-1).get());
}

TEST(ParcelAidlTest, ResizeOutVectorGivesDefaultElementsOfTheSentSize) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(3), OK);
    ASSERT_EQ(parcel.writeInt32(2), OK);
    ASSERT_EQ(parcel.writeInt32(0), OK);
    parcel.setDataPosition(0);

    std::vector<int32_t> numbers{42, 43, 44, 45, 46};
    ASSERT_EQ(parcel.resizeOutVector(&numbers), OK);
    EXPECT_EQ(numbers, (std::vector<int32_t>{42, 43, 44}));  // resized, as AOSP; the stub's starts empty
    std::vector<std::string> strings;
    ASSERT_EQ(parcel.resizeOutVector(&strings), OK);
    EXPECT_EQ(strings, (std::vector<std::string>{"", ""}));
    std::vector<test::TestParcelable> parcelables{test::TestParcelable(1, "x")};
    ASSERT_EQ(parcel.resizeOutVector(&parcelables), OK);
    EXPECT_TRUE(parcelables.empty());
    EXPECT_EQ(parcel.dataAvail(), 0u);
}

TEST(ParcelAidlTest, ResizeOutVectorOfANullSize) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeVectorSize(std::unique_ptr<std::vector<int64_t>>()), OK);
    ASSERT_EQ(parcel.writeVectorSize(std::unique_ptr<std::vector<int64_t>>()), OK);
    ASSERT_EQ(parcel.writeVectorSize(std::optional<std::vector<int64_t>>()), OK);
    ASSERT_EQ(parcel.writeVectorSize(std::make_unique<std::vector<int64_t>>(4)), OK);
    parcel.setDataPosition(0);

    std::vector<int64_t> plain{1};
    EXPECT_EQ(parcel.resizeOutVector(&plain), UNEXPECTED_NULL);
    auto unique = std::make_unique<std::vector<int64_t>>(3);
    ASSERT_EQ(parcel.resizeOutVector(&unique), OK);
    EXPECT_EQ(unique, nullptr);
    std::optional<std::vector<int64_t>> optional(std::vector<int64_t>{1, 2});
    ASSERT_EQ(parcel.resizeOutVector(&optional), OK);
    EXPECT_FALSE(optional.has_value());
    ASSERT_EQ(parcel.resizeOutVector(&unique), OK);
    ASSERT_NE(unique, nullptr);
    EXPECT_EQ(*unique, std::vector<int64_t>(4));
}

TEST(ParcelAidlTest, ResizeOutVectorRefusesSizesNoReplyCouldCarry) {
    // A reply is at most 4 MiB: that many packed bytes, or a quarter as many other elements.
    constexpr int32_t kMaxBytes = 4 * 1024 * 1024;
    Parcel parcel;
    for (int32_t size : {kMaxBytes, kMaxBytes + 1, kMaxBytes / 4, kMaxBytes / 4 + 1, INT32_MAX}) {
        ASSERT_EQ(parcel.writeInt32(size), OK);
    }
    parcel.setDataPosition(0);
    std::vector<uint8_t> bytes;
    ASSERT_EQ(parcel.resizeOutVector(&bytes), OK);
    EXPECT_EQ(bytes.size(), static_cast<size_t>(kMaxBytes));
    EXPECT_EQ(parcel.resizeOutVector(&bytes), BAD_VALUE);
    std::vector<int32_t> ints;
    ASSERT_EQ(parcel.resizeOutVector(&ints), OK);
    EXPECT_EQ(ints.size(), static_cast<size_t>(kMaxBytes / 4));
    std::unique_ptr<std::vector<int32_t>> nullable;
    EXPECT_EQ(parcel.resizeOutVector(&nullable), BAD_VALUE);
    EXPECT_EQ(nullable, nullptr);
    std::vector<std::string> strings;
    EXPECT_EQ(parcel.resizeOutVector(&strings), BAD_VALUE);
    EXPECT_TRUE(strings.empty());
    EXPECT_EQ(parcel.resizeOutVector(&strings), NOT_ENOUGH_DATA);
}

// ---- Binder vectors.

TEST(ParcelAidlTest, StrongBinderVectorRoundTripsLocalObjects) {
    const sp<IBinder> first = sp<BBinder>::make();
    const sp<IBinder> second = sp<BBinder>::make();
    Parcel parcel;
    ASSERT_EQ(parcel.writeStrongBinderVector(std::vector<sp<IBinder>>{first, second, first}), OK);
    EXPECT_EQ(parcel.ipcObjectsCount(), 3u);
    parcel.setDataPosition(0);
    std::vector<sp<IBinder>> out;
    ASSERT_EQ(parcel.readStrongBinderVector(&out), OK);
    EXPECT_EQ(out, (std::vector<sp<IBinder>>{first, second, first}));
    EXPECT_EQ(parcel.dataAvail(), 0u);
}

TEST(ParcelAidlTest, NullBindersOnlyInANullableVector) {
    const sp<IBinder> binder = sp<BBinder>::make();
    Parcel parcel;
    const auto withNull = std::make_unique<std::vector<sp<IBinder>>>(
            std::vector<sp<IBinder>>{binder, nullptr});
    ASSERT_EQ(parcel.writeStrongBinderVector(withNull), OK);
    ASSERT_EQ(parcel.writeStrongBinderVector(withNull), OK);
    ASSERT_EQ(parcel.writeStrongBinderVector(std::optional<std::vector<sp<IBinder>>>()), OK);
    parcel.setDataPosition(0);

    std::vector<sp<IBinder>> strict{binder};
    EXPECT_EQ(parcel.readStrongBinderVector(&strict), UNEXPECTED_NULL);
    EXPECT_TRUE(strict.empty());
    std::optional<std::vector<sp<IBinder>>> nullable;
    ASSERT_EQ(parcel.readStrongBinderVector(&nullable), OK);
    ASSERT_TRUE(nullable.has_value());
    EXPECT_EQ(*nullable, (std::vector<sp<IBinder>>{binder, nullptr}));
    ASSERT_EQ(parcel.readStrongBinderVector(&nullable), OK);
    EXPECT_FALSE(nullable.has_value());
}

// ---- ParcelFileDescriptor.

TEST(ParcelAidlTest, ParcelFileDescriptorIsAFlagWordAndADescriptor) {
    ParcelFileDescriptor pfd(openDevNull());
    ASSERT_GE(pfd.get(), 0);
    Parcel parcel;
    ASSERT_EQ(parcel.writeParcelable(pfd), OK);
    // Present, no comm channel, then the fd object (recorded in the objects table).
    ASSERT_EQ(parcel.dataSize(), 8u + sizeof(flat_binder_object));
    EXPECT_EQ(Bytes(parcel.data(), parcel.data() + 8), ExpectedBytes().i32(1).i32(0).get());
    ASSERT_EQ(parcel.ipcObjectsCount(), 1u);
    EXPECT_EQ(reinterpret_cast<const binder_size_t*>(parcel.ipcObjects())[0], 8u);
    EXPECT_NE(::fcntl(pfd.get(), F_GETFD), -1);  // the writer keeps its own descriptor

    parcel.setDataPosition(0);
    ParcelFileDescriptor received;
    ASSERT_EQ(parcel.readParcelable(&received), OK);
    EXPECT_NE(received.get(), pfd.get());
    EXPECT_TRUE(sameFile(received.get(), pfd.get()));
    EXPECT_EQ(::fcntl(received.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(ParcelAidlTest, EmptyAndNullParcelFileDescriptors) {
    Parcel parcel;
    EXPECT_EQ(parcel.writeParcelable(ParcelFileDescriptor()), BAD_VALUE);
    parcel.freeData();
    ASSERT_EQ(parcel.writeNullableParcelable(std::unique_ptr<ParcelFileDescriptor>()), OK);
    parcel.setDataPosition(0);
    auto out = std::make_unique<ParcelFileDescriptor>(openDevNull());
    ASSERT_EQ(parcel.readParcelable(&out), OK);
    EXPECT_EQ(out, nullptr);
}

TEST(ParcelAidlTest, ParcelFileDescriptorVectorRoundTrips) {
    std::vector<ParcelFileDescriptor> pfds;
    pfds.emplace_back(openDevNull());
    pfds.emplace_back(base::unique_fd(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)));
    Parcel parcel;
    ASSERT_EQ(parcel.writeParcelableVector(pfds), OK);
    EXPECT_EQ(parcel.ipcObjectsCount(), 2u);
    parcel.setDataPosition(0);
    std::vector<ParcelFileDescriptor> out;
    ASSERT_EQ(parcel.readParcelableVector(&out), OK);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_TRUE(sameFile(out[0].get(), pfds[0].get()));
    EXPECT_TRUE(sameFile(out[1].get(), pfds[1].get()));
    EXPECT_FALSE(sameFile(out[0].get(), pfds[1].get()));
}

TEST(ParcelAidlTest, ReadingSkipsAJavaCommChannel) {
    base::unique_fd file = openDevNull();
    base::unique_fd comm(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(1), OK);  // has a comm channel, as Java may write
    ASSERT_EQ(parcel.writeFileDescriptor(file.get()), OK);
    ASSERT_EQ(parcel.writeFileDescriptor(comm.get()), OK);
    ASSERT_EQ(parcel.writeInt32(77), OK);
    parcel.setDataPosition(0);
    base::unique_fd out;
    ASSERT_EQ(parcel.readUniqueParcelFileDescriptor(&out), OK);
    EXPECT_TRUE(sameFile(out.get(), file.get()));
    EXPECT_EQ(parcel.readInt32(), 77);
}

TEST(ParcelAidlTest, ParcelFileDescriptorWithoutADescriptorIsBadType) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(0), OK);
    ASSERT_EQ(parcel.writeInt32(5), OK);  // a plain number where the fd object should be
    parcel.setDataPosition(0);
    base::unique_fd out;
    EXPECT_EQ(parcel.readUniqueParcelFileDescriptor(&out), BAD_TYPE);
    EXPECT_FALSE(out.ok());
}

TEST(ParcelAidlTest, ParcelFileDescriptorOwnsAndMoves) {
    base::unique_fd fd = openDevNull();
    const int number = fd.get();
    ParcelFileDescriptor first(std::move(fd));
    ParcelFileDescriptor second(std::move(first));
    EXPECT_EQ(first.get(), -1);
    EXPECT_EQ(second.get(), number);
    EXPECT_LT(first, second);
    base::unique_fd released = second.release();
    EXPECT_EQ(released.get(), number);
    EXPECT_EQ(second, first);  // both empty
    second.reset(std::move(released));
    second.reset();
    EXPECT_EQ(::fcntl(number, F_GETFD), -1);  // closed by reset()
}

// ---- android-base/macros.h.

class NoCopies {
public:
    NoCopies() = default;

private:
    DISALLOW_COPY_AND_ASSIGN(NoCopies);
};
static_assert(!std::is_copy_constructible_v<NoCopies> && !std::is_copy_assignable_v<NoCopies>);
static_assert(std::is_default_constructible_v<NoCopies>);

class StaticsOnly {
    DISALLOW_IMPLICIT_CONSTRUCTORS(StaticsOnly);
};
static_assert(!std::is_default_constructible_v<StaticsOnly>);

TEST(ParcelAidlTest, BaseMacrosKeepTheirMeaning) {
    const int values[7] = {};
    static_assert(arraysize(values) == 7);
    EXPECT_TRUE(UNLIKELY(2));
    EXPECT_FALSE(UNLIKELY(0));
    EXPECT_TRUE(LIKELY(-1));
    EXPECT_FALSE(LIKELY(nullptr));
}

}  // namespace
}  // namespace android
