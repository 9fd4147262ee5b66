#include <binder/ParcelFileDescriptor.h>

#include <utility>

#include <binder/Parcel.h>

namespace android::os {

ParcelFileDescriptor::ParcelFileDescriptor() = default;

ParcelFileDescriptor::ParcelFileDescriptor(base::unique_fd fd) : mFd(std::move(fd)) {}

ParcelFileDescriptor::ParcelFileDescriptor(ParcelFileDescriptor&& other) noexcept = default;

ParcelFileDescriptor& ParcelFileDescriptor::operator=(ParcelFileDescriptor&& other) noexcept =
        default;

ParcelFileDescriptor::~ParcelFileDescriptor() = default;

status_t ParcelFileDescriptor::writeToParcel(Parcel* parcel) const {
    if (!mFd.ok()) {
        return BAD_VALUE;
    }
    return parcel->writeDupParcelFileDescriptor(mFd.get());
}

status_t ParcelFileDescriptor::readFromParcel(const Parcel* parcel) {
    return parcel->readUniqueParcelFileDescriptor(&mFd);
}

}  // namespace android::os
