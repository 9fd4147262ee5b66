#include <binder/Binder.h>

#include <binder/Parcel.h>

#include "Log.h"

namespace android {

BBinder::BBinder() = default;

BBinder::~BBinder() = default;

const String16& BBinder::getInterfaceDescriptor() const {
    static const String16 kEmpty;
    return kEmpty;
}

bool BBinder::isBinderAlive() const { return true; }

status_t BBinder::pingBinder() { return NO_ERROR; }

status_t BBinder::dump(int /*fd*/, const std::vector<String16>& /*args*/) { return NO_ERROR; }

status_t BBinder::transact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) {
    data.setDataPosition(0);
    status_t status;
    if (code == PING_TRANSACTION) {
        status = pingBinder();
    } else {
        status = onTransact(code, data, reply, flags);
    }
    // The caller reads the reply from the start.
    if (reply != nullptr) reply->setDataPosition(0);
    return status;
}

status_t BBinder::linkToDeath(const sp<DeathRecipient>& /*recipient*/, void* /*cookie*/,
                              uint32_t /*flags*/) {
    return INVALID_OPERATION;
}

status_t BBinder::unlinkToDeath(const wp<DeathRecipient>& /*recipient*/, void* /*cookie*/,
                                uint32_t /*flags*/, wp<DeathRecipient>* /*outRecipient*/) {
    return INVALID_OPERATION;
}

BBinder* BBinder::localBinder() { return this; }

void BBinder::setRequestingSid(bool requestSid) {
    if (wasParceled()) {
        internal::logError("setRequestingSid({}) after the object was written to a Parcel: "
                           "the driver has already read its flags; ignored", requestSid);
        return;
    }
    mRequestingSid.store(requestSid, std::memory_order_relaxed);
}

status_t BBinder::onTransact(uint32_t code, const Parcel& /*data*/, Parcel* reply,
                             uint32_t /*flags*/) {
    switch (code) {
        case INTERFACE_TRANSACTION:
            if (reply == nullptr) return BAD_VALUE;
            return reply->writeString16(getInterfaceDescriptor());
        default:
            return UNKNOWN_TRANSACTION;
    }
}

BpRefBase::BpRefBase(const sp<IBinder>& remote) : mRemote(remote) {}

BpRefBase::~BpRefBase() = default;

}  // namespace android
