// IPCThreadState: one thread's conversation with the binder driver. It sends this thread's
// transactions and waits for their replies, runs incoming transactions on binder threads,
// and carries the reference-count and death-notification traffic for proxies and local
// objects. Each thread gets its own through self(); never share one between threads.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

#include <binder/Parcel.h>
#include <binder/ProcessState.h>

namespace android {

class BpBinder;

class IPCThreadState {
public:
    // This thread's state, created on first use and destroyed (telling the driver with
    // BINDER_THREAD_EXIT) when the thread exits.
    static IPCThreadState* self();
    // The state if self() already ran on this thread, else nullptr.
    static IPCThreadState* selfOrNull();

    sp<ProcessState> process() const { return mProcess; }

    // Who sent the transaction this thread is running: the caller's pid (0 for one-way calls,
    // as the driver reports) and euid. Outside a transaction: this process's own.
    pid_t getCallingPid() const { return mCallingPid; }
    uid_t getCallingUid() const { return mCallingUid; }
    // The caller's security context (e.g. "unconfined" under AppArmor), when the object being
    // called asked for it with BBinder::setRequestingSid() and the driver sent it
    // (BR_TRANSACTION_SEC_CTX); nullptr otherwise, and outside a transaction. The string
    // lives in the transaction's buffer: copy it to keep it past the call.
    const char* getCallingSid() const { return mCallingSid; }
    // Makes this thread's identity this process's own for the calls it makes next (the
    // calling sid becomes nullptr and, as in AOSP, is not restored); returns a token for
    // restoreCallingIdentity().
    int64_t clearCallingIdentity();
    void restoreCallingIdentity(int64_t token);

    // Sends a transaction to |handle| and waits for the reply (or, with FLAG_ONEWAY, only for
    // the driver to queue it). Incoming work for this thread (a nested call back into this
    // process) runs meanwhile. DEAD_OBJECT if the target died, FAILED_TRANSACTION if the
    // driver rejected the call or the target is frozen (BR_FROZEN_REPLY), the remote status
    // for TF_STATUS_CODE replies. A one-way call to a frozen process is queued until it thaws
    // and returns OK with a logged warning (BR_TRANSACTION_PENDING_FROZEN), as in AOSP. A
    // Parcel carrying embedded buffers (file-descriptor arrays) goes out as
    // BC_TRANSACTION_SG, any other as BC_TRANSACTION.
    status_t transact(int32_t handle, uint32_t code, const Parcel& data, Parcel* reply,
                      uint32_t flags);

    // Joins the thread pool: runs incoming transactions until the driver tells this thread
    // to leave (only non-main threads) or the driver fails. The main thread never leaves.
    void joinThreadPool(bool isMain = true);
    // Sends every queued command (reference counts, freed buffers) to the driver now.
    void flushCommands();

    // ---- Freezing, for the process that manages others' lifecycles (AOSP's ActivityManager).
    // Freezes (|enable|) or thaws the binder side of process |pid|, which must use the same
    // binder device (BINDER_FREEZE). While it is frozen, synchronous calls to it fail at once
    // (the caller gets FAILED_TRANSACTION) and one-way calls wait in its queue (the sender is
    // told, see transact()). Freezing waits up to |timeout_ms| for the calls |pid| is serving
    // to finish and fails with -EAGAIN if they do not: call again to poll. OK or -errno from
    // the driver (-EINVAL: |pid| has no connection to this device).
    static status_t freeze(pid_t pid, bool enable, uint32_t timeout_ms);
    // What reached |pid| while it was frozen (BINDER_GET_FROZEN_INFO): |sync_received| bit 0,
    // a synchronous call arrived; bit 1, one was still pending when the freeze came; and
    // |async_received| nonzero if a one-way call arrived. Both reset when |pid| is frozen
    // again. OK or -errno from the driver.
    static status_t getProcessFreezeInfo(pid_t pid, uint32_t* sync_received,
                                         uint32_t* async_received);
    // For a single-threaded event loop: makes this thread a looper and gives the driver fd
    // to poll. Call once, then handlePolledCommands() whenever the fd is readable.
    status_t setupPolling(int* fd);
    // Takes and runs the incoming work that is ready, without blocking for more.
    status_t handlePolledCommands();

    // Reference counts on handles, for BpBinder. Strong and weak changes are queued and sent
    // with the next transaction or flush.
    void incStrongHandle(int32_t handle, BpBinder* proxy);
    void decStrongHandle(int32_t handle);
    void incWeakHandle(int32_t handle, BpBinder* proxy);
    void decWeakHandle(int32_t handle);
    // Death notifications, for BpBinder.
    status_t requestDeathNotification(int32_t handle, BpBinder* proxy);
    status_t clearDeathNotification(int32_t handle, BpBinder* proxy);
    // Freeze notifications, for BpBinder: asks the driver to report the state of the process
    // behind |handle| (BC_REQUEST_FREEZE_NOTIFICATION), now and at every change, and takes a
    // weak reference on |proxy| until the request is cleared. INVALID_OPERATION when the
    // driver lacks freeze notifications (Linux before 6.12). The first request of the process
    // is the probe: it goes to the driver alone, and a driver that rejects it as an unknown
    // command (EINVAL) is remembered as lacking them.
    status_t addFrozenStateChangeCallback(int32_t handle, BpBinder* proxy);
    // Clears the request (BC_CLEAR_FREEZE_NOTIFICATION); the driver confirms with
    // BR_CLEAR_FREEZE_NOTIFICATION_DONE, which drops the weak reference.
    status_t removeFrozenStateChangeCallback(int32_t handle, BpBinder* proxy);

    // For the Parcel of a received buffer: gives the buffer back (BC_FREE_BUFFER).
    void freeBuffer(binder_uintptr_t buffer);

    ~IPCThreadState();

private:
    IPCThreadState();

    status_t sendReply(const Parcel& reply, uint32_t flags, status_t error);
    status_t waitForResponse(Parcel* reply, bool oneway);
    status_t talkWithDriver(bool doReceive = true);
    status_t writeTransactionData(uint32_t cmd, uint32_t flags, int32_t handle, uint32_t code,
                                  const Parcel& data, const status_t* statusBuffer);
    status_t getAndExecuteCommand();
    status_t executeCommand(uint32_t cmd);
    status_t executeTransaction(const binder_transaction_data_secctx& tr);
    void processPendingDerefs();
    // Sends queued commands now unless this thread is inside a driver conversation that
    // will send them anyway.
    void flushIfNeeded();

    template <typename T>
    void writeCommand(uint32_t cmd, const T& payload);
    void writeCommand(uint32_t cmd);
    template <typename T>
    bool readPayload(T* payload);

    const sp<ProcessState> mProcess;
    std::vector<uint8_t> mOut;  // commands not yet sent
    std::vector<uint8_t> mIn;   // returns read and not yet consumed
    size_t mInPos = 0;
    std::vector<BBinder*> mPendingStrongDerefs;
    std::vector<RefBase::weakref_type*> mPendingWeakDerefs;
    pid_t mCallingPid;
    uid_t mCallingUid;
    const char* mCallingSid = nullptr;  // in the buffer of the transaction being served
    bool mIsLooper = false;
    int mWaitDepth = 0;  // nested waitForResponse() calls on this thread
};

}  // namespace android
