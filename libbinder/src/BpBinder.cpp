#include <binder/BpBinder.h>

#include <algorithm>

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
    mFrozen.callbacks.clear();
    clearFreezeNotificationLocked();
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

status_t BpBinder::addFrozenStateChangeCallback(const wp<FrozenStateChangeCallback>& callback) {
    const sp<FrozenStateChangeCallback> strong = callback.promote();
    if (strong == nullptr) return BAD_VALUE;
    bool tellNow;
    bool isFrozen;
    {
        std::lock_guard lock(mLock);
        // Held across the request, so the first report (which may reach a binder thread at
        // once) waits for this registration.
        if (!mFrozen.requested && !mFrozen.pendingClear) {
            const status_t status =
                    IPCThreadState::self()->addFrozenStateChangeCallback(mHandle, this);
            if (status != NO_ERROR) {
                // A driver without the feature is not worth a log line: callers check.
                if (status != INVALID_OPERATION) {
                    internal::logError("freeze notification for handle {} failed: {}", mHandle,
                                       statusToString(status));
                }
                return status;
            }
            mFrozen.requested = true;
        }
        mFrozen.callbacks.push_back(callback);
        tellNow = mFrozen.requested && mFrozen.stateKnown;
        isFrozen = mFrozen.isFrozen;
    }
    // The driver reported the state before this callback came: it hears it now.
    if (tellNow) {
        strong->onStateChanged(wp<IBinder>(this), isFrozen ? FrozenStateChangeCallback::State::FROZEN
                                                          : FrozenStateChangeCallback::State::UNFROZEN);
    }
    return NO_ERROR;
}

status_t BpBinder::removeFrozenStateChangeCallback(const wp<FrozenStateChangeCallback>& callback) {
    std::lock_guard lock(mLock);
    auto it = std::find(mFrozen.callbacks.begin(), mFrozen.callbacks.end(), callback);
    if (it == mFrozen.callbacks.end()) return NAME_NOT_FOUND;
    mFrozen.callbacks.erase(it);
    if (mFrozen.callbacks.empty()) clearFreezeNotificationLocked();
    return NO_ERROR;
}

void BpBinder::clearFreezeNotificationLocked() {
    if (!mFrozen.requested) return;
    const status_t status = IPCThreadState::self()->removeFrozenStateChangeCallback(mHandle, this);
    if (status != NO_ERROR) {
        internal::logError("clearing the freeze notification for handle {} failed: {}", mHandle,
                           statusToString(status));
    }
    mFrozen.requested = false;
    mFrozen.pendingClear = true;
    mFrozen.stateKnown = false;
}

void BpBinder::onFrozenStateChanged(bool isFrozen) {
    std::vector<sp<FrozenStateChangeCallback>> callbacks;
    {
        std::lock_guard lock(mLock);
        // A report for a request being cleared, or a repeat of the known state, is dropped.
        if (!mFrozen.requested) return;
        if (mFrozen.stateKnown && mFrozen.isFrozen == isFrozen) return;
        mFrozen.stateKnown = true;
        mFrozen.isFrozen = isFrozen;
        for (auto it = mFrozen.callbacks.begin(); it != mFrozen.callbacks.end();) {
            if (sp<FrozenStateChangeCallback> callback = it->promote()) {
                callbacks.push_back(std::move(callback));
                ++it;
            } else {
                it = mFrozen.callbacks.erase(it);  // its owner let it go
            }
        }
    }
    const wp<IBinder> who(this);
    const auto state = isFrozen ? FrozenStateChangeCallback::State::FROZEN
                                : FrozenStateChangeCallback::State::UNFROZEN;
    for (const sp<FrozenStateChangeCallback>& callback : callbacks) {
        callback->onStateChanged(who, state);
    }
}

void BpBinder::onFrozenStateChangeListenerRemoved() {
    std::lock_guard lock(mLock);
    mFrozen.pendingClear = false;
    if (mFrozen.callbacks.empty()) return;
    // Callbacks came while the clear was in flight: ask again.
    const status_t status = IPCThreadState::self()->addFrozenStateChangeCallback(mHandle, this);
    if (status != NO_ERROR) {
        internal::logError("renewing the freeze notification for handle {} failed: {}", mHandle,
                           statusToString(status));
        return;
    }
    mFrozen.requested = true;
}

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
