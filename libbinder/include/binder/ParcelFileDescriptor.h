// android::os::ParcelFileDescriptor: a file descriptor as a Parcelable, in the layout of Java's
// android.os.ParcelFileDescriptor. aidl-generated C++ uses it for the ParcelFileDescriptor type
// (FileDescriptor maps to base::unique_fd instead; the two differ only on the wire).
//
// Move-only; it owns its descriptor and closes it when destroyed. Writing sends a duplicate, so
// the object keeps its descriptor; reading replaces it with a duplicate of the received one.
#pragma once

#include <compare>
#include <utility>

#include <android-base/unique_fd.h>
#include <binder/Parcelable.h>
#include <utils/Errors.h>

namespace android::os {

class ParcelFileDescriptor final : public Parcelable {
public:
    ParcelFileDescriptor();
    explicit ParcelFileDescriptor(base::unique_fd fd);
    ParcelFileDescriptor(ParcelFileDescriptor&& other) noexcept;
    ParcelFileDescriptor& operator=(ParcelFileDescriptor&& other) noexcept;
    ~ParcelFileDescriptor() override;

    // The descriptor, still owned by this object; -1 when empty.
    int get() const { return mFd.get(); }
    // Gives the descriptor to the caller; this object becomes empty.
    base::unique_fd release() { return std::move(mFd); }
    // Closes the current descriptor and owns |fd|.
    void reset(base::unique_fd fd = base::unique_fd()) { mFd = std::move(fd); }

    // Ordered by descriptor number, as AOSP's.
    friend bool operator==(const ParcelFileDescriptor& a, const ParcelFileDescriptor& b) {
        return a.get() == b.get();
    }
    friend std::strong_ordering operator<=>(const ParcelFileDescriptor& a,
                                            const ParcelFileDescriptor& b) {
        return a.get() <=> b.get();
    }

    // BAD_VALUE when empty (a null ParcelFileDescriptor is written as a null parcelable).
    [[nodiscard]] status_t writeToParcel(Parcel* parcel) const override;
    [[nodiscard]] status_t readFromParcel(const Parcel* parcel) override;

private:
    base::unique_fd mFd;
};

}  // namespace android::os
