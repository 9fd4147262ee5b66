// IBinder: the interface of every binder object, local (BBinder, in this process) or remote
// (BpBinder, a proxy for an object in another process). A transaction is a call on an IBinder:
// a code, a Parcel of arguments and, unless the call is one-way, a Parcel for the reply.
//
// Objects are reference counted (sp<IBinder>); a proxy's kernel reference follows its strong
// count, so the remote object stays alive while anyone here holds an sp to the proxy.
#pragma once

#include <linux/android/binder.h>  // B_PACK_CHARS, the kernel's own spelling of packed codes

#include <cstdint>
#include <vector>

#include <utils/Errors.h>
#include <utils/RefBase.h>
#include <utils/String16.h>

namespace android {

class BBinder;
class BpBinder;
class IInterface;
class Parcel;

class IBinder : public virtual RefBase {
public:
    enum : uint32_t {
        FIRST_CALL_TRANSACTION = 0x00000001,
        LAST_CALL_TRANSACTION = 0x00ffffff,

        PING_TRANSACTION = B_PACK_CHARS('_', 'P', 'N', 'G'),
        DUMP_TRANSACTION = B_PACK_CHARS('_', 'D', 'M', 'P'),
        SHELL_COMMAND_TRANSACTION = B_PACK_CHARS('_', 'C', 'M', 'D'),
        INTERFACE_TRANSACTION = B_PACK_CHARS('_', 'N', 'T', 'F'),
        SYSPROPS_TRANSACTION = B_PACK_CHARS('_', 'S', 'P', 'R'),

        // transact() flags.
        FLAG_ONEWAY = 0x00000001,     // do not wait for a reply; the call is queued in order
        FLAG_CLEAR_BUF = 0x00000020,  // the driver zeroes the buffer when it is freed
        FLAG_PRIVATE_VENDOR = 0x10000000,
    };

    IBinder();

    // The interface object this binder implements, if it is local and implements
    // |descriptor|; nullptr otherwise (for proxies always: use interface_cast).
    virtual sp<IInterface> queryLocalInterface(const String16& descriptor);

    // The interface descriptor; a proxy asks the remote object once (INTERFACE_TRANSACTION)
    // and caches the answer. Empty when the object has none or cannot be reached.
    virtual const String16& getInterfaceDescriptor() const = 0;

    virtual bool isBinderAlive() const = 0;
    // OK when the object answers PING_TRANSACTION; DEAD_OBJECT when its process is gone.
    virtual status_t pingBinder() = 0;
    virtual status_t dump(int fd, const std::vector<String16>& args) = 0;

    // Runs a transaction. With FLAG_ONEWAY, |reply| may be nullptr and the call returns once
    // the driver has queued it. Any thread may call it, any number of times at once.
    virtual status_t transact(uint32_t code, const Parcel& data, Parcel* reply,
                              uint32_t flags = 0) = 0;

    // Told when the process that hosts a remote object dies.
    class DeathRecipient : public virtual RefBase {
    public:
        virtual void binderDied(const wp<IBinder>& who) = 0;
    };

    // Registers |recipient| to be told, on a binder thread of this process, when the remote
    // object dies. Needs a thread pool (or a thread in joinThreadPool) to deliver it.
    // INVALID_OPERATION on a local object; DEAD_OBJECT if it is already dead.
    virtual status_t linkToDeath(const sp<DeathRecipient>& recipient, void* cookie = nullptr,
                                 uint32_t flags = 0) = 0;
    // Removes a registration made with the same recipient and cookie; NAME_NOT_FOUND if there
    // is none, DEAD_OBJECT if the object died (the recipient was or will be told).
    virtual status_t unlinkToDeath(const wp<DeathRecipient>& recipient, void* cookie = nullptr,
                                   uint32_t flags = 0,
                                   wp<DeathRecipient>* outRecipient = nullptr) = 0;

    // Told when the process that hosts a remote object is frozen or thawed (see
    // IPCThreadState::freeze()), as the driver reports it.
    class FrozenStateChangeCallback : public virtual RefBase {
    public:
        enum class State { FROZEN, UNFROZEN };
        // Runs on a binder thread of this process, without libbinder locks held: it may add
        // or remove callbacks. Called once with the current state soon after the callback is
        // added, then at each change.
        virtual void onStateChanged(const wp<IBinder>& who, State state) = 0;
    };

    // Registers |callback| (held weakly: keep your own strong reference) to hear of the
    // remote process's frozen state, through freeze notifications (Linux 6.12 and later).
    // Needs a thread pool (or a thread in joinThreadPool) to deliver them. BAD_VALUE for a
    // callback already gone; INVALID_OPERATION on a local object and when the driver has no
    // freeze notifications, as in AOSP.
    [[nodiscard]] status_t addFrozenStateChangeCallback(
            const wp<FrozenStateChangeCallback>& callback);
    // Removes a registration; NAME_NOT_FOUND if |callback| is not registered,
    // INVALID_OPERATION on a local object. Deliveries already under way may still arrive.
    [[nodiscard]] status_t removeFrozenStateChangeCallback(
            const wp<FrozenStateChangeCallback>& callback);

    virtual bool checkSubclass(const void* subclassID) const;

    // This object as a BBinder if it is local, else nullptr.
    virtual BBinder* localBinder();
    // This object as a BpBinder if it is a proxy, else nullptr.
    virtual BpBinder* remoteBinder();

protected:
    ~IBinder() override;
};

}  // namespace android
