// BpBinder: a proxy for a binder object in another process, named by a handle the driver gave
// this process. ProcessState creates proxies (one per handle); you get them from Parcels,
// from the service manager, or from ProcessState::getContextObject().
//
// The proxy's lifetime drives the kernel's reference counts: a strong reference is taken
// on the handle (BC_ACQUIRE) when the first sp<> appears and dropped (BC_RELEASE) when the
// last one goes; a weak one (BC_INCREFS/BC_DECREFS) follows the proxy's own lifetime.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

#include <binder/IBinder.h>

namespace android {

class BpBinder : public IBinder {
public:
    // For ProcessState: a new proxy for |handle|. Use ProcessState::getStrongProxyForHandle().
    static BpBinder* create(int32_t handle);

    int32_t handle() const { return mHandle; }

    const String16& getInterfaceDescriptor() const override;
    bool isBinderAlive() const override;
    status_t pingBinder() override;
    status_t dump(int fd, const std::vector<String16>& args) override;

    // Sends the transaction to the remote object through this thread's IPCThreadState.
    // DEAD_OBJECT once the remote process is known to be gone.
    status_t transact(uint32_t code, const Parcel& data, Parcel* reply,
                      uint32_t flags = 0) final;

    status_t linkToDeath(const sp<DeathRecipient>& recipient, void* cookie = nullptr,
                         uint32_t flags = 0) override;
    status_t unlinkToDeath(const wp<DeathRecipient>& recipient, void* cookie = nullptr,
                           uint32_t flags = 0,
                           wp<DeathRecipient>* outRecipient = nullptr) override;

    BpBinder* remoteBinder() override;

    // IBinder::addFrozenStateChangeCallback() and removeFrozenStateChangeCallback() for a
    // proxy. The first callback makes the driver report the remote process's state (one
    // freeze notification per proxy); the last one removed clears it.
    status_t addFrozenStateChangeCallback(const wp<FrozenStateChangeCallback>& callback);
    status_t removeFrozenStateChangeCallback(const wp<FrozenStateChangeCallback>& callback);

    // For IPCThreadState, on BR_DEAD_BINDER: marks the proxy dead and tells every recipient.
    void sendObituary();
    // For IPCThreadState, on BR_FROZEN_BINDER: tells every callback of a change (or of the
    // first state the driver reports).
    void onFrozenStateChanged(bool isFrozen);
    // For IPCThreadState, on BR_CLEAR_FREEZE_NOTIFICATION_DONE: the driver forgot the
    // request; if callbacks were added meanwhile, a new one is made.
    void onFrozenStateChangeListenerRemoved();

protected:
    explicit BpBinder(int32_t handle);
    ~BpBinder() override;

    void onFirstRef() override;
    void onLastStrongRef(const void* id) override;
    bool onIncStrongAttempted(uint32_t flags, const void* id) override;

private:
    struct Obituary {
        wp<DeathRecipient> recipient;
        void* cookie;
        uint32_t flags;
    };
    // The freeze notification. The driver keeps one per handle and process, and a cleared one
    // is only gone at BR_CLEAR_FREEZE_NOTIFICATION_DONE: a new request waits for that, so the
    // driver never holds two with this proxy as cookie.
    struct FrozenState {
        std::vector<wp<FrozenStateChangeCallback>> callbacks;
        bool requested = false;     // the driver reports to this proxy
        bool pendingClear = false;  // cleared, BR_CLEAR_FREEZE_NOTIFICATION_DONE not yet in
        bool stateKnown = false;    // a BR_FROZEN_BINDER arrived since the request
        bool isFrozen = false;
    };
    // Clears the driver's request if it is active; callers hold mLock.
    void clearFreezeNotificationLocked();

    const int32_t mHandle;
    std::atomic<bool> mAlive{true};

    mutable std::mutex mLock;
    std::vector<Obituary> mObituaries;      // guarded by mLock
    bool mObitsSent = false;                // guarded by mLock
    bool mDeathRequested = false;           // guarded by mLock: the driver was asked
    FrozenState mFrozen;                    // guarded by mLock
    mutable String16 mDescriptorCache;      // guarded by mLock
    mutable bool mDescriptorCached = false; // guarded by mLock
};

}  // namespace android
