// Parcelable: the interface of structured values that flatten themselves into a Parcel, the
// base of aidl-generated parcelable classes and of hand-written ones.
//
// Parcel frames every parcelable it writes: an int32 1 before a present value, an int32 0 for a
// null one (see Parcel::writeParcelable / writeNullableParcelable). writeToParcel and
// readFromParcel only handle the fields that follow the frame.
#pragma once

#include <utils/Errors.h>

namespace android {

class Parcel;

class Parcelable {
public:
    virtual ~Parcelable();

    // Called by Parcel on the writing thread; appends the fields at the data position.
    [[nodiscard]] virtual status_t writeToParcel(Parcel* parcel) const = 0;
    // Called by Parcel on the reading thread; reads the fields at the data position. Must
    // fail (not crash) on malformed or truncated input and may leave the object partly set.
    [[nodiscard]] virtual status_t readFromParcel(const Parcel* parcel) = 0;

protected:
    Parcelable() = default;
    Parcelable(const Parcelable&) = default;
    Parcelable(Parcelable&&) = default;
    Parcelable& operator=(const Parcelable&) = default;
    Parcelable& operator=(Parcelable&&) = default;
};

}  // namespace android
