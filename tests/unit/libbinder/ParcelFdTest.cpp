// File descriptors in a Parcel: the objects table, ownership, and received buffers.
#include <binder/Parcel.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android {
namespace {

bool isOpen(int fd) {
    return ::fcntl(fd, F_GETFD) != -1;
}

// The same open file (not just the same number): compares device and inode.
bool sameFile(int a, int b) {
    struct stat sa {
    }, sb{};
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

base::unique_fd openDevNull() {
    return base::unique_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
}

TEST(ParcelFdTest, BorrowedDescriptorIsNotClosedByTheParcel) {
    base::unique_fd fd = openDevNull();
    ASSERT_TRUE(fd.ok());
    {
        Parcel parcel;
        ASSERT_EQ(parcel.writeFileDescriptor(fd.get()), OK);
        EXPECT_TRUE(parcel.hasFileDescriptors());
        parcel.setDataPosition(0);
        EXPECT_EQ(parcel.readFileDescriptor(), fd.get());
    }
    EXPECT_TRUE(isOpen(fd.get()));
}

TEST(ParcelFdTest, OwnedDescriptorIsClosedOnDestructionAndReset) {
    int owned = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(owned, 0);
    {
        Parcel parcel;
        ASSERT_EQ(parcel.writeFileDescriptor(owned, /*takeOwnership=*/true), OK);
        EXPECT_TRUE(isOpen(owned));
    }
    EXPECT_FALSE(isOpen(owned));

    owned = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(owned, 0);
    Parcel parcel;
    ASSERT_EQ(parcel.writeFileDescriptor(owned, true), OK);
    parcel.freeData();
    EXPECT_FALSE(isOpen(owned));
    EXPECT_EQ(parcel.ipcObjectsCount(), 0u);
}

TEST(ParcelFdTest, DupAndUniqueDescriptorsRoundTrip) {
    base::unique_fd original = openDevNull();
    ASSERT_TRUE(original.ok());
    Parcel parcel;
    ASSERT_EQ(parcel.writeDupFileDescriptor(original.get()), OK);
    ASSERT_EQ(parcel.writeUniqueFileDescriptor(original), OK);
    ASSERT_EQ(parcel.writeUniqueFileDescriptorVector(std::vector<base::unique_fd>()), OK);
    EXPECT_EQ(parcel.ipcObjectsCount(), 2u);

    parcel.setDataPosition(0);
    const int borrowed = parcel.readFileDescriptor();
    ASSERT_GE(borrowed, 0);
    EXPECT_NE(borrowed, original.get());
    EXPECT_TRUE(sameFile(borrowed, original.get()));
    EXPECT_EQ(::fcntl(borrowed, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    base::unique_fd mine;
    ASSERT_EQ(parcel.readUniqueFileDescriptor(&mine), OK);
    EXPECT_TRUE(sameFile(mine.get(), original.get()));
    std::vector<base::unique_fd> none;
    none.push_back(openDevNull());
    ASSERT_EQ(parcel.readUniqueFileDescriptorVector(&none), OK);
    EXPECT_TRUE(none.empty());

    parcel.freeData();
    EXPECT_FALSE(isOpen(borrowed));   // owned by the Parcel
    EXPECT_TRUE(isOpen(mine.get()));  // a duplicate owned by the reader
}

TEST(ParcelFdTest, DescriptorVectorRecordsEveryOffset) {
    std::vector<base::unique_fd> fds;
    fds.push_back(openDevNull());
    fds.push_back(openDevNull());
    Parcel parcel;
    ASSERT_EQ(parcel.writeUniqueFileDescriptorVector(fds), OK);
    ASSERT_EQ(parcel.ipcObjectsCount(), 2u);
    const auto* offsets = reinterpret_cast<const binder_size_t*>(parcel.ipcObjects());
    EXPECT_EQ(offsets[0], 4u);  // after the count
    EXPECT_EQ(offsets[1], 4u + sizeof(flat_binder_object));
    parcel.setDataPosition(0);
    std::vector<base::unique_fd> out;
    ASSERT_EQ(parcel.readUniqueFileDescriptorVector(&out), OK);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_TRUE(sameFile(out[1].get(), fds[1].get()));
}

TEST(ParcelFdTest, FdsNotAllowedIsEnforced) {
    Parcel parcel;
    EXPECT_TRUE(parcel.allowFds());
    const bool previous = parcel.pushAllowFds(false);
    EXPECT_TRUE(previous);
    EXPECT_EQ(parcel.writeFileDescriptor(STDIN_FILENO), FDS_NOT_ALLOWED);
    EXPECT_EQ(parcel.writeDupFileDescriptor(STDIN_FILENO), FDS_NOT_ALLOWED);
    EXPECT_EQ(parcel.dataSize(), 0u);
    EXPECT_FALSE(parcel.pushAllowFds(true));  // cannot widen
    parcel.restoreAllowFds(previous);
    EXPECT_EQ(parcel.writeFileDescriptor(STDIN_FILENO), OK);
}

TEST(ParcelFdTest, NegativeDescriptorIsRefused) {
    Parcel parcel;
    EXPECT_EQ(parcel.writeFileDescriptor(-1), BAD_VALUE);
    EXPECT_EQ(parcel.writeDupFileDescriptor(-1), -EBADF);
}

TEST(ParcelFdTest, TruncationAndOverwriteReleaseTheObjects) {
    int owned = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(owned, 0);
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(1), OK);
    ASSERT_EQ(parcel.writeFileDescriptor(owned, true), OK);
    ASSERT_EQ(parcel.setDataSize(8), OK);  // cuts the object in half
    EXPECT_EQ(parcel.ipcObjectsCount(), 0u);
    EXPECT_FALSE(isOpen(owned));

    owned = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(owned, 0);
    parcel.setDataPosition(4);
    ASSERT_EQ(parcel.writeFileDescriptor(owned, true), OK);
    ASSERT_EQ(parcel.ipcObjectsCount(), 1u);
    parcel.setDataPosition(12);
    ASSERT_EQ(parcel.writeInt32(0), OK);  // scribbles over the object
    EXPECT_EQ(parcel.ipcObjectsCount(), 0u);
    EXPECT_FALSE(isOpen(owned));
}

TEST(ParcelFdTest, ReceivedBufferIsReadInPlaceAndReleasedOnce) {
    // Build what a receiver would get from the kernel: bytes plus object offsets.
    base::unique_fd fd = openDevNull();
    Parcel sender;
    ASSERT_EQ(sender.writeInt32(5), OK);
    ASSERT_EQ(sender.writeFileDescriptor(fd.get()), OK);
    const test::Bytes buffer = test::bytesOf(sender);
    const binder_size_t offsets[] = {4, 1000 /* out of range: dropped */};

    int releases = 0;
    {
        Parcel received;
        received.ipcSetDataReference(buffer.data(), buffer.size(), offsets, 2,
                                     [&releases] { ++releases; });
        EXPECT_EQ(received.data(), buffer.data());  // no copy
        EXPECT_EQ(received.ipcObjectsCount(), 1u);
        EXPECT_EQ(received.readInt32(), 5);
        EXPECT_EQ(received.readFileDescriptor(), fd.get());
        EXPECT_EQ(releases, 0);

        // The first write copies the data and lets go of the buffer.
        ASSERT_EQ(received.writeInt32(6), OK);
        EXPECT_EQ(releases, 1);
        EXPECT_NE(received.data(), buffer.data());
        received.setDataPosition(4);
        EXPECT_EQ(received.readFileDescriptor(), fd.get());
    }
    EXPECT_EQ(releases, 1);
    EXPECT_TRUE(isOpen(fd.get()));  // the copy did not take ownership

    Parcel again;
    again.ipcSetDataReference(buffer.data(), buffer.size(), offsets, 1,
                              [&releases] { ++releases; });
    again.freeData();
    EXPECT_EQ(releases, 2);
}

TEST(ParcelFdTest, CloseFileDescriptorsClosesReceivedDescriptors) {
    const int received = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(received, 0);
    Parcel sender;
    ASSERT_EQ(sender.writeFileDescriptor(received), OK);
    const test::Bytes buffer = test::bytesOf(sender);
    const binder_size_t offsets[] = {0};
    Parcel parcel;
    parcel.ipcSetDataReference(buffer.data(), buffer.size(), offsets, 1, nullptr);
    parcel.closeFileDescriptors();
    EXPECT_FALSE(isOpen(received));
}

TEST(ParcelFdTest, ReleaseFunctionMayCloseTheReceivedDescriptors) {
    // How IPCThreadState frees a received buffer: close its descriptors, then give it back.
    const int first = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int second = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(first, 0);
    ASSERT_GE(second, 0);
    Parcel sender;
    ASSERT_EQ(sender.writeFileDescriptor(first), OK);
    ASSERT_EQ(sender.writeFileDescriptor(second), OK);
    const test::Bytes buffer = test::bytesOf(sender);
    const binder_size_t offsets[] = {0, sizeof(flat_binder_object)};
    int releases = 0;
    {
        Parcel received;
        received.ipcSetDataReference(buffer.data(), buffer.size(), offsets, 2, [&] {
            received.closeFileDescriptors();
            ++releases;
        });
        EXPECT_TRUE(isOpen(first));
    }
    EXPECT_EQ(releases, 1);
    EXPECT_FALSE(isOpen(first));
    EXPECT_FALSE(isOpen(second));
    EXPECT_EQ(test::bytesOf(sender), buffer);  // the received bytes were never written
}

TEST(ParcelFdTest, ReleaseFunctionRunsBeforeTheFirstWriteToAReceivedBuffer) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    Parcel sender;
    ASSERT_EQ(sender.writeFileDescriptor(fd), OK);
    const test::Bytes buffer = test::bytesOf(sender);
    const binder_size_t offsets[] = {0};
    Parcel received;
    received.ipcSetDataReference(buffer.data(), buffer.size(), offsets, 1,
                                 [&received] { received.closeFileDescriptors(); });
    ASSERT_EQ(received.setDataSize(buffer.size()), OK);  // any change copies the data first
    EXPECT_FALSE(isOpen(fd));
    received.freeData();  // nothing owned is left to close twice
    EXPECT_EQ(received.dataSize(), 0u);
}

}  // namespace
}  // namespace android
