// File-descriptor arrays in a Parcel: the PTR + FDA layout, ownership, the objects table, and
// received buffers (whose arrays the kernel owns).
#include <binder/Parcel.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android {
namespace {

bool isOpen(int fd) {
    return ::fcntl(fd, F_GETFD) != -1;
}

ino_t inodeOf(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

std::vector<int> openDevNulls(size_t count) {
    std::vector<int> fds;
    for (size_t i = 0; i < count; ++i) fds.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    return fds;
}

void closeAll(const std::vector<int>& fds) {
    for (int fd : fds) ::close(fd);
}

constexpr size_t kPtrAt = sizeof(int32_t);  // after the count word
constexpr size_t kFdaAt = kPtrAt + sizeof(binder_buffer_object);
constexpr size_t kArraySize = kFdaAt + sizeof(binder_fd_array_object);

TEST(ParcelFdArrayTest, WireLayoutIsCountThenPtrThenFda) {
    const std::vector<int> fds = openDevNulls(3);
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(99), OK);
    ASSERT_EQ(parcel.writeFileDescriptorArray(fds), OK);
    ASSERT_EQ(parcel.dataSize(), 4 + kArraySize);
    ASSERT_EQ(parcel.ipcObjectsCount(), 2U);
    const auto* offsets = reinterpret_cast<const binder_size_t*>(parcel.ipcObjects());
    EXPECT_EQ(offsets[0], 4 + kPtrAt);
    EXPECT_EQ(offsets[1], 4 + kFdaAt);

    int32_t count = 0;
    std::memcpy(&count, parcel.data() + 4, sizeof(count));
    EXPECT_EQ(count, 3);
    binder_buffer_object buffer{};
    std::memcpy(&buffer, parcel.data() + 4 + kPtrAt, sizeof(buffer));
    EXPECT_EQ(buffer.hdr.type, static_cast<uint32_t>(BINDER_TYPE_PTR));
    EXPECT_EQ(buffer.flags, 0U);
    EXPECT_EQ(buffer.length, 3 * sizeof(uint32_t));
    ASSERT_NE(buffer.buffer, 0U);
    const auto* embedded = reinterpret_cast<const uint32_t*>(buffer.buffer);
    for (size_t i = 0; i < fds.size(); ++i) EXPECT_EQ(embedded[i], static_cast<uint32_t>(fds[i]));
    binder_fd_array_object array{};
    std::memcpy(&array, parcel.data() + 4 + kFdaAt, sizeof(array));
    EXPECT_EQ(array.hdr.type, static_cast<uint32_t>(BINDER_TYPE_FDA));
    EXPECT_EQ(array.num_fds, 3U);
    EXPECT_EQ(array.parent, 0U);  // the PTR's index in the objects table
    EXPECT_EQ(array.parent_offset, 0U);

    EXPECT_EQ(parcel.ipcBuffersCount(), 1U);
    EXPECT_EQ(parcel.ipcBuffersSize(), 16U);  // 12 bytes, rounded up to 8
    EXPECT_TRUE(parcel.hasFileDescriptors());
    closeAll(fds);
}

TEST(ParcelFdArrayTest, RoundTripsInPlaceAndDuplicates) {
    const std::vector<int> fds = openDevNulls(2);
    Parcel parcel;
    ASSERT_EQ(parcel.writeFileDescriptorArray(fds), OK);
    ASSERT_EQ(parcel.writeFileDescriptorArray({}), OK);
    ASSERT_EQ(parcel.writeInt32(5), OK);
    parcel.setDataPosition(0);
    std::vector<int> borrowed;
    ASSERT_EQ(parcel.readFileDescriptorArray(&borrowed), OK);
    EXPECT_EQ(borrowed, fds);
    std::vector<base::unique_fd> empty{};
    ASSERT_EQ(parcel.readUniqueFileDescriptorArray(&empty), OK);
    EXPECT_TRUE(empty.empty());
    EXPECT_EQ(parcel.readInt32(), 5);

    parcel.setDataPosition(0);
    std::vector<base::unique_fd> mine;
    ASSERT_EQ(parcel.readUniqueFileDescriptorArray(&mine), OK);
    ASSERT_EQ(mine.size(), 2U);
    for (size_t i = 0; i < mine.size(); ++i) {
        EXPECT_NE(mine[i].get(), fds[i]);
        EXPECT_EQ(inodeOf(mine[i].get()), inodeOf(fds[i]));
        EXPECT_EQ(::fcntl(mine[i].get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    }
    // Two PTRs now, each parented by its own FDA.
    EXPECT_EQ(parcel.ipcBuffersCount(), 2U);
    EXPECT_EQ(parcel.ipcBuffersSize(), 8U);
    closeAll(fds);
}

TEST(ParcelFdArrayTest, OwnershipFollowsTakeOwnershipAndDup) {
    const std::vector<int> borrowed = openDevNulls(2);
    const std::vector<int> owned = openDevNulls(2);
    {
        Parcel parcel;
        ASSERT_EQ(parcel.writeFileDescriptorArray(borrowed), OK);
        ASSERT_EQ(parcel.writeFileDescriptorArray(owned, /*takeOwnership=*/true), OK);
        ASSERT_EQ(parcel.writeDupFileDescriptorArray(borrowed), OK);
        EXPECT_EQ(parcel.ipcObjectsCount(), 6U);
    }
    for (int fd : borrowed) EXPECT_TRUE(isOpen(fd));
    for (int fd : owned) EXPECT_FALSE(isOpen(fd));
    closeAll(borrowed);
}

TEST(ParcelFdArrayTest, RefusedWritesLeaveNothingBehind) {
    const std::vector<int> fds = openDevNulls(1);
    Parcel parcel;
    EXPECT_EQ(parcel.writeFileDescriptorArray(std::vector<int>{fds[0], -1}), BAD_VALUE);
    EXPECT_EQ(parcel.writeDupFileDescriptorArray(std::vector<int>{-5}), BAD_VALUE);
    EXPECT_EQ(parcel.dataSize(), 0U);
    (void)parcel.pushAllowFds(false);
    EXPECT_EQ(parcel.writeFileDescriptorArray(fds, true), FDS_NOT_ALLOWED);
    EXPECT_EQ(parcel.dataSize(), 0U);
    EXPECT_EQ(parcel.ipcObjectsCount(), 0U);
    EXPECT_TRUE(isOpen(fds[0]));  // a failed write closes nothing of the caller's
    closeAll(fds);
}

TEST(ParcelFdArrayTest, OverwritingEitherObjectDropsTheWholeArray) {
    const std::vector<int> owned = openDevNulls(2);
    Parcel parcel;
    ASSERT_EQ(parcel.writeFileDescriptorArray(owned, true), OK);
    ASSERT_EQ(parcel.ipcObjectsCount(), 2U);
    parcel.setDataPosition(kFdaAt + 8);  // inside the FDA only
    ASSERT_EQ(parcel.writeInt32(0), OK);
    EXPECT_EQ(parcel.ipcObjectsCount(), 0U);
    EXPECT_EQ(parcel.ipcBuffersCount(), 0U);
    for (int fd : owned) EXPECT_FALSE(isOpen(fd));
    parcel.setDataPosition(0);
    std::vector<int> read;
    EXPECT_EQ(parcel.readFileDescriptorArray(&read), BAD_TYPE);
}

TEST(ParcelFdArrayTest, ObjectWrittenBeforeAnArrayRenumbersItsParent) {
    const std::vector<int> fds = openDevNulls(1);
    const base::unique_fd single(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(0), OK);
    ASSERT_EQ(parcel.writeInt32(0), OK);
    ASSERT_EQ(parcel.writeInt32(0), OK);
    ASSERT_EQ(parcel.writeInt32(0), OK);
    ASSERT_EQ(parcel.writeInt32(0), OK);
    ASSERT_EQ(parcel.writeInt32(0), OK);
    const size_t arrayAt = parcel.dataPosition();
    ASSERT_EQ(parcel.writeFileDescriptorArray(fds), OK);
    // A descriptor object now goes in front of the array, over the placeholder words.
    parcel.setDataPosition(0);
    ASSERT_EQ(parcel.writeFileDescriptor(single.get()), OK);
    ASSERT_EQ(parcel.ipcObjectsCount(), 3U);
    binder_fd_array_object array{};
    std::memcpy(&array, parcel.data() + arrayAt + kFdaAt, sizeof(array));
    EXPECT_EQ(array.parent, 1U);
    parcel.setDataPosition(arrayAt);
    std::vector<int> read;
    ASSERT_EQ(parcel.readFileDescriptorArray(&read), OK);
    EXPECT_EQ(read, fds);
    closeAll(fds);
}

TEST(ParcelFdArrayTest, PlainReadsCannotSeeIntoTheObjects) {
    const std::vector<int> fds = openDevNulls(1);
    Parcel parcel;
    ASSERT_EQ(parcel.writeFileDescriptorArray(fds), OK);
    parcel.setDataPosition(kPtrAt);
    int32_t word = 0;
    EXPECT_EQ(parcel.readInt32(&word), PERMISSION_DENIED);
    parcel.setDataPosition(0);
    EXPECT_EQ(parcel.readFileDescriptor(), BAD_TYPE);  // an array is not a single descriptor
    closeAll(fds);
}

// A received buffer as the kernel lays it out: data, then the embedded buffer it points to,
// all inside one receive area.
struct ReceivedArray {
    std::vector<uint8_t> area = std::vector<uint8_t>(512, 0);
    binder_size_t offsets[2] = {kPtrAt, kFdaAt};
    size_t dataSize = kArraySize;

    explicit ReceivedArray(const std::vector<int>& fds) {
        const int32_t count = static_cast<int32_t>(fds.size());
        std::memcpy(area.data(), &count, sizeof(count));
        uint8_t* embedded = area.data() + 256;
        for (size_t i = 0; i < fds.size(); ++i) {
            const auto fd = static_cast<uint32_t>(fds[i]);
            std::memcpy(embedded + i * sizeof(fd), &fd, sizeof(fd));
        }
        binder_buffer_object buffer{};
        buffer.hdr.type = BINDER_TYPE_PTR;
        buffer.buffer = reinterpret_cast<uintptr_t>(embedded);
        buffer.length = fds.size() * sizeof(uint32_t);
        std::memcpy(area.data() + kPtrAt, &buffer, sizeof(buffer));
        binder_fd_array_object array{};
        array.hdr.type = BINDER_TYPE_FDA;
        array.num_fds = fds.size();
        std::memcpy(area.data() + kFdaAt, &array, sizeof(array));
    }
    void pointAt(uintptr_t address) {
        binder_buffer_object buffer{};
        std::memcpy(&buffer, area.data() + kPtrAt, sizeof(buffer));
        buffer.buffer = address;
        std::memcpy(area.data() + kPtrAt, &buffer, sizeof(buffer));
    }
};

TEST(ParcelFdArrayTest, ReceivedArrayIsReadFromTheReceiveAreaAndNeverClosedByTheParcel) {
    const std::vector<int> fds = openDevNulls(2);
    ReceivedArray received(fds);
    int releases = 0;
    {
        Parcel parcel;
        parcel.ipcSetDataReference(received.area.data(), received.dataSize, received.offsets, 2,
                                   [&] {
                                       parcel.closeFileDescriptors();  // as IPCThreadState does
                                       ++releases;
                                   },
                                   received.area);
        EXPECT_EQ(parcel.ipcObjectsCount(), 2U);
        EXPECT_TRUE(parcel.hasFileDescriptors());
        std::vector<int> read;
        ASSERT_EQ(parcel.readFileDescriptorArray(&read), OK);
        EXPECT_EQ(read, fds);
    }
    EXPECT_EQ(releases, 1);
    // The driver closes a received array when the buffer is freed; the Parcel must not.
    for (int fd : fds) EXPECT_TRUE(isOpen(fd));
    closeAll(fds);
}

TEST(ParcelFdArrayTest, ReceivedPointerOutsideTheAreaIsNotFollowed) {
    const std::vector<int> fds = openDevNulls(1);
    ReceivedArray received(fds);
    const uint32_t elsewhere[1] = {static_cast<uint32_t>(fds[0])};
    received.pointAt(reinterpret_cast<uintptr_t>(elsewhere));
    Parcel parcel;
    parcel.ipcSetDataReference(received.area.data(), received.dataSize, received.offsets, 2,
                               nullptr, received.area);
    std::vector<int> read;
    EXPECT_EQ(parcel.readFileDescriptorArray(&read), BAD_VALUE);
    EXPECT_TRUE(read.empty());
    // Without an area, no received pointer is followed at all.
    ReceivedArray plain(fds);
    Parcel noArea;
    noArea.ipcSetDataReference(plain.area.data(), plain.dataSize, plain.offsets, 2, nullptr);
    EXPECT_EQ(noArea.readFileDescriptorArray(&read), BAD_VALUE);
    closeAll(fds);
}

TEST(ParcelFdArrayTest, MalformedReceivedArraysAreRejected) {
    const std::vector<int> fds = openDevNulls(2);
    {
        ReceivedArray received(fds);
        int32_t wrongCount = 3;
        std::memcpy(received.area.data(), &wrongCount, sizeof(wrongCount));
        Parcel parcel;
        parcel.ipcSetDataReference(received.area.data(), received.dataSize, received.offsets, 2,
                                   nullptr, received.area);
        std::vector<int> read;
        EXPECT_EQ(parcel.readFileDescriptorArray(&read), BAD_VALUE);
    }
    {
        ReceivedArray received(fds);
        binder_fd_array_object array{};
        std::memcpy(&array, received.area.data() + kFdaAt, sizeof(array));
        array.parent = 5;  // not the buffer before it
        std::memcpy(received.area.data() + kFdaAt, &array, sizeof(array));
        Parcel parcel;
        parcel.ipcSetDataReference(received.area.data(), received.dataSize, received.offsets, 2,
                                   nullptr, received.area);
        std::vector<int> read;
        EXPECT_EQ(parcel.readFileDescriptorArray(&read), BAD_VALUE);
    }
    {
        // An FDA whose size does not fit the data is dropped from the table.
        ReceivedArray received(fds);
        Parcel parcel;
        parcel.ipcSetDataReference(received.area.data(), kFdaAt + 8, received.offsets, 2, nullptr,
                                   received.area);
        EXPECT_EQ(parcel.ipcObjectsCount(), 1U);
    }
    closeAll(fds);
}

TEST(ParcelFdArrayTest, WritingToAReceivedParcelCopiesTheArrayUnowned) {
    const std::vector<int> fds = openDevNulls(2);
    ReceivedArray received(fds);
    int releases = 0;
    Parcel parcel;
    parcel.ipcSetDataReference(received.area.data(), received.dataSize, received.offsets, 2,
                               [&] { ++releases; }, received.area);
    parcel.setDataPosition(parcel.dataSize());
    ASSERT_EQ(parcel.writeInt32(1), OK);  // copies data and embedded buffer, lets go
    EXPECT_EQ(releases, 1);
    std::memset(received.area.data(), 0xff, received.area.size());  // the buffer is gone
    parcel.setDataPosition(0);
    std::vector<int> read;
    ASSERT_EQ(parcel.readFileDescriptorArray(&read), OK);
    EXPECT_EQ(read, fds);
    EXPECT_EQ(parcel.ipcBuffersSize(), 8U);
    parcel.freeData();
    for (int fd : fds) EXPECT_TRUE(isOpen(fd));  // the copy owned nothing
    closeAll(fds);
}

}  // namespace
}  // namespace android
