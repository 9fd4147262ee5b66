#include <binder/BpBinder.h>

#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>

#include "Log.h"

namespace android {

BpBinder* BpBinder::create(int32_t handle) { return new BpBinder(handle); }

BpBinder::BpBinder(int32_t handle) : mHandle(handle) {
    // The proxy lives while anyone holds a weak reference (the handle table, a pending death
    // notification); its strong count only decides whether the kernel ref is strong.
    extendObjectLifetime(OBJECT_LIFETIME_WEAK);
    IPCThreadState::self()->incWeakHandle(mHandle, this);
}

BpBinder::~BpBinder() {
    IPCThreadState* ipc = IPCThreadState::self();
    ipc->process()->expungeHandle(mHandle, this);
    ipc->decWeakHandle(mHandle);
}

void BpBinder::onFirstRef() { IPCThreadState::self()->incStrongHandle(mHandle, this); }

void BpBinder::onLastStrongRef(const void* /*id*/) {
    IPCThreadState* ipc = IPCThreadState::self();
    ipc->decStrongHandle(mHandle);
    std::lock_guard lock(mLock);
    if (mDeathRequested && !mObitsSent) {
        // Nobody can be told any more: the registrations go with the last strong reference.
        ipc->clearDeathNotification(mHandle, this);
        mDeathRequested = false;
    }
    mObituaries.clear();
}

bool BpBinder::onIncStrongAttempted(uint32_t /*flags*/, const void* /*id*/) {
    // The driver cannot revive a strong reference from a weak one (no BC_ATTEMPT_ACQUIRE).
    return false;
}

const String16& BpBinder::getInterfaceDescriptor() const {
    {
        std::lock_guard lock(mLock);
        if (mDescriptorCached) return mDescriptorCache;
    }
    Parcel data;
    Parcel reply;
    String16 descriptor;
    const status_t status =
            const_cast<BpBinder*>(this)->transact(INTERFACE_TRANSACTION, data, &reply);
    std::lock_guard lock(mLock);
    if (status == NO_ERROR && reply.readString16(&descriptor) == NO_ERROR && !mDescriptorCached) {
        mDescriptorCache = descriptor;
        mDescriptorCached = true;
    }
    return mDescriptorCache;
}

bool BpBinder::isBinderAlive() const { return mAlive.load(std::memory_order_relaxed); }

status_t BpBinder::pingBinder() {
    Parcel data;
    Parcel reply;
    return transact(PING_TRANSACTION, data, &reply);
}

status_t BpBinder::dump(int /*fd*/, const std::vector<String16>& /*args*/) {
    return INVALID_OPERATION;
}

status_t BpBinder::transact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) {
    if (!mAlive.load(std::memory_order_relaxed)) return DEAD_OBJECT;
    const status_t status = IPCThreadState::self()->transact(mHandle, code, data, reply, flags);
    if (status == DEAD_OBJECT) mAlive.store(false, std::memory_order_relaxed);
    return status;
}

status_t BpBinder::linkToDeath(const sp<DeathRecipient>& recipient, void* cookie,
                               uint32_t flags) {
    if (recipient == nullptr) return BAD_VALUE;
    IPCThreadState* ipc = IPCThreadState::self();
    {
        std::lock_guard lock(mLock);
        if (mObitsSent) return DEAD_OBJECT;
        if (!mDeathRequested) {
            // The pending notification keeps the proxy alive until the driver confirms it
            // was cleared (BR_CLEAR_DEATH_NOTIFICATION_DONE drops this weak reference).
            getWeakRefs()->incWeak(this);
            ipc->requestDeathNotification(mHandle, this);
            mDeathRequested = true;
        }
        mObituaries.push_back({recipient, cookie, flags});
    }
    ipc->flushCommands();
    return NO_ERROR;
}

status_t BpBinder::unlinkToDeath(const wp<DeathRecipient>& recipient, void* cookie,
                                 uint32_t flags, wp<DeathRecipient>* outRecipient) {
    IPCThreadState* ipc = IPCThreadState::self();
    std::lock_guard lock(mLock);
    if (mObitsSent) return DEAD_OBJECT;
    for (auto it = mObituaries.begin(); it != mObituaries.end(); ++it) {
        if (it->cookie != cookie || it->flags != flags) continue;
        if (recipient != nullptr && it->recipient != recipient) continue;
        if (outRecipient != nullptr) *outRecipient = it->recipient;
        mObituaries.erase(it);
        if (mObituaries.empty() && mDeathRequested) {
            ipc->clearDeathNotification(mHandle, this);
            mDeathRequested = false;
            ipc->flushCommands();
        }
        return NO_ERROR;
    }
    return NAME_NOT_FOUND;
}

BpBinder* BpBinder::remoteBinder() { return this; }

void BpBinder::sendObituary() {
    mAlive.store(false, std::memory_order_relaxed);
    std::vector<Obituary> obituaries;
    {
        std::lock_guard lock(mLock);
        if (mObitsSent) return;
        mObitsSent = true;
        obituaries.swap(mObituaries);
        if (mDeathRequested) {
            IPCThreadState::self()->clearDeathNotification(mHandle, this);
            mDeathRequested = false;
        }
    }
    IPCThreadState::self()->flushCommands();
    const wp<IBinder> who(this);
    for (const Obituary& obituary : obituaries) {
        if (sp<DeathRecipient> recipient = obituary.recipient.promote()) {
            recipient->binderDied(who);
        }
    }
}

}  // namespace android
