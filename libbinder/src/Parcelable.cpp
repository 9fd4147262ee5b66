#include <binder/Parcelable.h>

namespace android {

// Out of line so the vtable has one home, in libbinder.
Parcelable::~Parcelable() = default;

}  // namespace android
