// ProcessState: this process's connection to the binder driver. There is one per process:
// it opens the device, maps the receive buffer (1 MiB minus two pages, like AOSP), owns the
// table of proxies (one BpBinder per handle) and starts binder threads.
//
// self() opens /dev/binder on first use; call initWithDriver() first to use another device.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <binder/IBinder.h>

namespace android {

namespace internal {
class DriverOps;
}

class ProcessState : public virtual RefBase {
public:
    // The process's state, opening /dev/binder (or the device initWithDriver() chose) on the
    // first call. If the device cannot be opened or speaks another protocol version, the
    // state is still returned but every call on it fails (isValid() is false) and the reason
    // is logged once.
    static sp<ProcessState> self();
    // Chooses the device, e.g. "/dev/binder2". Call before anything calls self(); a later
    // call with another path is refused (returns nullptr) and logged.
    static sp<ProcessState> initWithDriver(const char* driver);
    // For tests: like initWithDriver(), with |ops| standing in for the system calls.
    static sp<ProcessState> initWithDriverOps(const char* driver,
                                              std::unique_ptr<internal::DriverOps> ops);
    // The state if self() or initWithDriver() already ran, else nullptr.
    static sp<ProcessState> selfOrNull();

    // Whether the driver is open and mapped.
    bool isValid() const { return mDriverFd >= 0; }
    const std::string& getDriverName() const { return mDriverName; }

    // The context manager (handle 0): normally the service manager. nullptr when none has
    // registered.
    sp<IBinder> getContextObject(const sp<IBinder>& caller);

    // Makes this process the context manager (BINDER_SET_CONTEXT_MGR_EXT, falling back to
    // BINDER_SET_CONTEXT_MGR). Calls to handle 0 go to |object|, with the caller's security
    // context if it is a BBinder that asked for it (BBinder::setRequestingSid()). Call once,
    // before the thread pool runs. False if another process holds the role or the driver
    // refused. A manager that just died keeps the role until the driver has released it: a
    // claim that finds the role taken (EBUSY) is retried for up to a second.
    bool becomeContextManager(const sp<IBinder>& object);
    // The object registered with becomeContextManager(), for IPCThreadState.
    sp<IBinder> getContextManagerObject() const;

    // Starts the thread pool: one thread that joins it at once; the driver asks for more
    // (BR_SPAWN_LOOPER) up to the maximum. Call once the process's services are ready; later
    // calls do nothing.
    void startThreadPool();
    // The most threads the driver may ask this process to start (default 15, as AOSP).
    // Call before startThreadPool().
    status_t setThreadPoolMaxThreadCount(size_t maxThreads);
    // For IPCThreadState on BR_SPAWN_LOOPER: starts one more pool thread.
    void spawnPooledThread(bool isMain);
    size_t getThreadPoolMaxThreadCount() const { return mMaxThreads; }

    // Asks the driver to flag this process when its one-way calls fill up a target's
    // asynchronous buffer space (BINDER_ENABLE_ONEWAY_SPAM_DETECTION): the call that crosses
    // the line then completes with BR_ONEWAY_SPAM_SUSPECT, which IPCThreadState logs as an
    // error ("process seems to be sending too many oneway calls"); the call itself succeeds.
    // AOSP turns this on when it opens the driver; here it is off until asked for. Any
    // thread, any time. OK, NO_INIT without a driver, or -errno from the driver.
    status_t enableOnewaySpamDetection(bool enable);

    // The proxy for |handle|, created on first use. nullptr for handle 0 when no context
    // manager exists.
    sp<IBinder> getStrongProxyForHandle(int32_t handle);
    wp<IBinder> getWeakProxyForHandle(int32_t handle);
    // For BpBinder's destructor: forgets |binder| as the proxy of |handle|.
    void expungeHandle(int32_t handle, IBinder* binder);

    // For IPCThreadState: the driver's file descriptor and the system-call seam.
    int driverFd() const { return mDriverFd; }
    internal::DriverOps& driverOps() const { return *mOps; }
    // The receive mapping: every received buffer, and the buffers embedded in it, lie inside.
    std::span<const uint8_t> receiveBufferArea() const {
        return {static_cast<const uint8_t*>(mMapping), mMappingSize};
    }

    ~ProcessState() override;

private:
    ProcessState(const char* driver, std::unique_ptr<internal::DriverOps> ops);
    static sp<ProcessState> init(const char* driver, std::unique_ptr<internal::DriverOps> ops);
    void openDriver();

    struct HandleEntry {
        IBinder* binder = nullptr;
        RefBase::weakref_type* refs = nullptr;
    };
    HandleEntry* lookupHandleLocked(int32_t handle);
    bool hasProxy(int32_t handle);
    // The proxy for |handle| with a weak reference taken for the caller, created if none is
    // alive; nullptr for a negative handle.
    IBinder* weakProxyLocked(int32_t handle);

    const std::string mDriverName;
    const std::unique_ptr<internal::DriverOps> mOps;
    int mDriverFd = -1;
    void* mMapping = nullptr;
    size_t mMappingSize = 0;
    size_t mMaxThreads = 15;

    mutable std::mutex mLock;
    std::vector<HandleEntry> mHandles;  // guarded by mLock, indexed by handle
    sp<IBinder> mContextManager;        // guarded by mLock
    bool mThreadPoolStarted = false;    // guarded by mLock
    size_t mThreadsStarted = 0;         // guarded by mLock
};

}  // namespace android
