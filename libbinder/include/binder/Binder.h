// BBinder: the base class of a local binder object, one that this process implements and
// others call. Subclass it (usually through BnInterface<>) and override onTransact().
//
// BpRefBase: the base class of interface proxies (BpInterface<>), holding the remote IBinder.
#pragma once

#include <atomic>
#include <mutex>

#include <binder/IBinder.h>

namespace android {

class BBinder : public IBinder {
public:
    BBinder();

    const String16& getInterfaceDescriptor() const override;
    bool isBinderAlive() const override;
    status_t pingBinder() override;
    status_t dump(int fd, const std::vector<String16>& args) override;

    // Runs the transaction in this process: the reserved codes (ping, interface) are answered
    // here, everything else goes to onTransact(). Binder threads call it for incoming calls.
    status_t transact(uint32_t code, const Parcel& data, Parcel* reply,
                      uint32_t flags = 0) final;

    // A local object cannot die apart from this process: these return INVALID_OPERATION.
    status_t linkToDeath(const sp<DeathRecipient>& recipient, void* cookie = nullptr,
                         uint32_t flags = 0) override;
    status_t unlinkToDeath(const wp<DeathRecipient>& recipient, void* cookie = nullptr,
                           uint32_t flags = 0,
                           wp<DeathRecipient>* outRecipient = nullptr) override;

    BBinder* localBinder() override;

    // Asks the driver to send the caller's security context with every call to this object
    // (FLAT_BINDER_FLAG_TXN_SECURITY_CTX); IPCThreadState::getCallingSid() then gives it. The
    // driver reads the flag once, when the object first crosses to another process: call
    // this before writing the object to any Parcel. Later calls are refused with a logged
    // error (AOSP aborts). With no security module that provides contexts, calls to such an
    // object fail (the driver cannot build the context).
    void setRequestingSid(bool requestSid);
    bool isRequestingSid() const { return mRequestingSid.load(std::memory_order_relaxed); }
    // Whether the object was written to a Parcel; for Parcel, which marks it.
    bool wasParceled() const { return mParceled.load(std::memory_order_relaxed); }
    void setParceled() { mParceled.store(true, std::memory_order_relaxed); }

protected:
    ~BBinder() override;

    // Handles one call. The default answers INTERFACE_TRANSACTION with the descriptor and
    // returns UNKNOWN_TRANSACTION for anything else. Runs on a binder thread (or on the
    // caller's thread for an in-process call); IPCThreadState::getCallingPid()/Uid() tell who
    // called. A non-OK result becomes the caller's status.
    virtual status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply,
                                uint32_t flags = 0);

private:
    std::atomic<bool> mRequestingSid{false};
    std::atomic<bool> mParceled{false};
};

class BpRefBase : public virtual RefBase {
protected:
    explicit BpRefBase(const sp<IBinder>& remote);
    ~BpRefBase() override;

    IBinder* remote() const { return mRemote.get(); }

private:
    BpRefBase(const BpRefBase&) = delete;
    BpRefBase& operator=(const BpRefBase&) = delete;

    const sp<IBinder> mRemote;
};

}  // namespace android
