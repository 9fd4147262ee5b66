#include <binder/IBinder.h>

#include <binder/BpBinder.h>
#include <binder/IInterface.h>

namespace android {

IBinder::IBinder() : RefBase() {}

IBinder::~IBinder() = default;

sp<IInterface> IBinder::queryLocalInterface(const String16& /*descriptor*/) { return nullptr; }

bool IBinder::checkSubclass(const void* /*subclassID*/) const { return false; }

BBinder* IBinder::localBinder() { return nullptr; }

BpBinder* IBinder::remoteBinder() { return nullptr; }

status_t IBinder::addFrozenStateChangeCallback(const wp<FrozenStateChangeCallback>& callback) {
    BpBinder* proxy = remoteBinder();
    return proxy != nullptr ? proxy->addFrozenStateChangeCallback(callback) : INVALID_OPERATION;
}

status_t IBinder::removeFrozenStateChangeCallback(const wp<FrozenStateChangeCallback>& callback) {
    BpBinder* proxy = remoteBinder();
    return proxy != nullptr ? proxy->removeFrozenStateChangeCallback(callback) : INVALID_OPERATION;
}

}  // namespace android
