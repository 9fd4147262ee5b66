// Parcel's binder objects: how strong and weak binders are flattened into
// flat_binder_objects and read back. Kept apart from Parcel.cpp, which knows nothing of
// IBinder, ProcessState or the kernel's reference counting.
#include <binder/Parcel.h>

#include <binder/Binder.h>
#include <binder/BpBinder.h>
#include <binder/ProcessState.h>

namespace android {
namespace {

// The lowest scheduling priority (nice 19) as the node's floor, and fds accepted: AOSP's
// flags for a local object.
constexpr __u32 kLocalBinderFlags = 0x13 | FLAT_BINDER_FLAG_ACCEPTS_FDS;

flat_binder_object flatten(IBinder* binder, bool strong) {
    flat_binder_object object{};
    object.hdr.type = strong ? BINDER_TYPE_BINDER : BINDER_TYPE_WEAK_BINDER;
    if (binder == nullptr) return object;  // null: BINDER type with binder and cookie 0
    if (BBinder* local = binder->localBinder()) {
        object.flags = kLocalBinderFlags;
        if (local->isRequestingSid()) object.flags |= FLAT_BINDER_FLAG_TXN_SECURITY_CTX;
        local->setParceled();
        object.binder = reinterpret_cast<uintptr_t>(local->getWeakRefs());
        object.cookie = reinterpret_cast<uintptr_t>(local);
    } else if (BpBinder* proxy = binder->remoteBinder()) {
        object.hdr.type = strong ? BINDER_TYPE_HANDLE : BINDER_TYPE_WEAK_HANDLE;
        object.handle = static_cast<__u32>(proxy->handle());
    }
    return object;
}

}  // namespace

status_t Parcel::writeStrongBinder(const sp<IBinder>& binder) {
    const flat_binder_object object = flatten(binder.get(), true);
    const status_t status = writeObject(object, false);
    // The Parcel keeps the object alive until the kernel holds its own reference; dropped
    // in releaseBinderObject().
    if (status == OK && binder != nullptr && object.binder != 0) binder->incStrong(this);
    return status;
}

status_t Parcel::writeWeakBinder(const wp<IBinder>& binder) {
    const sp<IBinder> strong = binder.promote();
    const flat_binder_object object = flatten(strong.get(), false);
    const status_t status = writeObject(object, false);
    if (status == OK && strong != nullptr && object.binder != 0) strong->incStrong(this);
    return status;
}

void Parcel::releaseBinderObject(const flat_binder_object& object) {
    switch (object.hdr.type) {
        case BINDER_TYPE_BINDER:
        case BINDER_TYPE_WEAK_BINDER:
            if (object.cookie != 0) {
                static_cast<IBinder*>(reinterpret_cast<BBinder*>(object.cookie))->decStrong(nullptr);
            }
            break;
        case BINDER_TYPE_HANDLE:
        case BINDER_TYPE_WEAK_HANDLE:
            if (sp<IBinder> proxy =
                        ProcessState::self()->getStrongProxyForHandle(static_cast<int32_t>(object.handle))) {
                proxy->decStrong(nullptr);
            }
            break;
        default:
            break;
    }
}

status_t Parcel::unflattenBinder(const flat_binder_object& object, sp<IBinder>* binder) const {
    switch (object.hdr.type) {
        case BINDER_TYPE_BINDER:
        case BINDER_TYPE_WEAK_BINDER:
            // Our own object came back: the cookie is the BBinder we sent.
            *binder = object.cookie != 0
                              ? static_cast<IBinder*>(reinterpret_cast<BBinder*>(object.cookie))
                              : nullptr;
            return OK;
        case BINDER_TYPE_HANDLE:
        case BINDER_TYPE_WEAK_HANDLE:
            *binder = ProcessState::self()->getStrongProxyForHandle(
                    static_cast<int32_t>(object.handle));
            return OK;
        default:
            return BAD_TYPE;
    }
}

status_t Parcel::readNullableStrongBinder(sp<IBinder>* binder) const {
    flat_binder_object object{};
    if (status_t status = readObject(false, &object); status != OK) return status;
    return unflattenBinder(object, binder);
}

status_t Parcel::readStrongBinder(sp<IBinder>* binder) const {
    if (status_t status = readNullableStrongBinder(binder); status != OK) return status;
    return *binder != nullptr ? OK : UNEXPECTED_NULL;
}

sp<IBinder> Parcel::readStrongBinder() const {
    sp<IBinder> binder;
    (void)readNullableStrongBinder(&binder);
    return binder;
}

wp<IBinder> Parcel::readWeakBinder() const {
    sp<IBinder> binder;
    (void)readNullableStrongBinder(&binder);
    return binder;
}

}  // namespace android
