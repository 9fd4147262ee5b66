#include <binder/ProcessState.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <binder/Binder.h>
#include <binder/BpBinder.h>
#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>

#include "Log.h"
#include "internal/DriverOps.h"

namespace android {
namespace {

constexpr const char* kDefaultDriver = "/dev/binder";
constexpr size_t kDefaultMaxThreads = 15;

// 1 MiB minus two pages, as AOSP maps: the kernel's per-process receive buffer.
size_t receiveBufferSize() { return 1024 * 1024 - 2 * static_cast<size_t>(sysconf(_SC_PAGE_SIZE)); }

std::mutex gProcessLock;
// Never destroyed, as in AOSP: objects released during exit (a static sp<> to a proxy) still
// reach a live ProcessState and driver.
sp<ProcessState>& gProcess = *new sp<ProcessState>();  // guarded by gProcessLock

}  // namespace

sp<ProcessState> ProcessState::self() {
    std::lock_guard lock(gProcessLock);
    if (gProcess == nullptr) {
        gProcess = new ProcessState(kDefaultDriver, internal::makeSystemDriverOps());
    }
    return gProcess;
}

sp<ProcessState> ProcessState::selfOrNull() {
    std::lock_guard lock(gProcessLock);
    return gProcess;
}

sp<ProcessState> ProcessState::initWithDriver(const char* driver) {
    return init(driver, internal::makeSystemDriverOps());
}

sp<ProcessState> ProcessState::initWithDriverOps(const char* driver,
                                                 std::unique_ptr<internal::DriverOps> ops) {
    return init(driver, std::move(ops));
}

sp<ProcessState> ProcessState::init(const char* driver, std::unique_ptr<internal::DriverOps> ops) {
    std::lock_guard lock(gProcessLock);
    if (gProcess != nullptr) {
        if (gProcess->mDriverName == driver) return gProcess;
        internal::logError("ProcessState already uses {}; cannot switch to {}",
                           gProcess->mDriverName, driver);
        return nullptr;
    }
    gProcess = new ProcessState(driver, std::move(ops));
    return gProcess;
}

ProcessState::ProcessState(const char* driver, std::unique_ptr<internal::DriverOps> ops)
    : mDriverName(driver), mOps(std::move(ops)) {
    openDriver();
}

void ProcessState::openDriver() {
    const int fd = mOps->open(mDriverName.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        internal::logError("cannot open {}: {}", mDriverName, std::strerror(errno));
        return;
    }
    binder_version version{};
    if (mOps->ioctl(fd, BINDER_VERSION, &version) < 0) {
        internal::logError("{}: BINDER_VERSION failed: {}", mDriverName, std::strerror(errno));
        mOps->close(fd);
        return;
    }
    if (version.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) {
        internal::logError("{} speaks binder protocol {}, this library {}", mDriverName,
                           version.protocol_version, BINDER_CURRENT_PROTOCOL_VERSION);
        mOps->close(fd);
        return;
    }
    uint32_t maxThreads = kDefaultMaxThreads;
    if (mOps->ioctl(fd, BINDER_SET_MAX_THREADS, &maxThreads) < 0) {
        internal::logWarning("{}: BINDER_SET_MAX_THREADS failed: {}", mDriverName,
                             std::strerror(errno));
    }
    const size_t size = receiveBufferSize();
    void* mapping = mOps->mmap(size, PROT_READ, MAP_PRIVATE | MAP_NORESERVE, fd);
    if (mapping == MAP_FAILED) {
        internal::logError("{}: cannot map the receive buffer: {}", mDriverName,
                           std::strerror(errno));
        mOps->close(fd);
        return;
    }
    mDriverFd = fd;
    mMapping = mapping;
    mMappingSize = size;
}

ProcessState::~ProcessState() {
    if (mMapping != nullptr) mOps->munmap(mMapping, mMappingSize);
    if (mDriverFd >= 0) mOps->close(mDriverFd);
}

sp<IBinder> ProcessState::getContextObject(const sp<IBinder>& /*caller*/) {
    return getStrongProxyForHandle(0);
}

bool ProcessState::becomeContextManager(const sp<IBinder>& object) {
    if (!isValid()) return false;
    std::lock_guard lock(mLock);
    flat_binder_object obj{};
    obj.flags = FLAT_BINDER_FLAG_ACCEPTS_FDS;
    // The driver makes the context manager's node here, not from a Parcel: its flags too.
    if (BBinder* local = object != nullptr ? object->localBinder() : nullptr;
        local != nullptr && local->isRequestingSid()) {
        obj.flags |= FLAT_BINDER_FLAG_TXN_SECURITY_CTX;
    }
    // A manager that just died is released by the driver from deferred work: until then the
    // claim is EBUSY. Give that a second before calling it a refusal.
    int ret = mOps->ioctl(mDriverFd, BINDER_SET_CONTEXT_MGR_EXT, &obj);
    for (int retry = 0; ret < 0 && errno == EBUSY && retry < 10; ++retry) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ret = mOps->ioctl(mDriverFd, BINDER_SET_CONTEXT_MGR_EXT, &obj);
    }
    if (ret < 0) {
        const int extError = errno;
        // Drivers without the _EXT variant answer EINVAL; anything else is a real refusal.
        if (extError != EINVAL) {
            internal::logError("{}: cannot become the context manager: {}", mDriverName,
                               std::strerror(extError));
            return false;
        }
        int unused = 0;
        if (mOps->ioctl(mDriverFd, BINDER_SET_CONTEXT_MGR, &unused) < 0) {
            internal::logError("{}: cannot become the context manager: {}", mDriverName,
                               std::strerror(errno));
            return false;
        }
    }
    mContextManager = object;
    return true;
}

sp<IBinder> ProcessState::getContextManagerObject() const {
    std::lock_guard lock(mLock);
    return mContextManager;
}

void ProcessState::startThreadPool() {
    {
        std::lock_guard lock(mLock);
        if (mThreadPoolStarted) return;
        mThreadPoolStarted = true;
    }
    spawnPooledThread(true);
}

status_t ProcessState::setThreadPoolMaxThreadCount(size_t maxThreads) {
    if (!isValid()) return NO_INIT;
    if (maxThreads > UINT32_MAX) return BAD_VALUE;
    uint32_t count = static_cast<uint32_t>(maxThreads);
    if (mOps->ioctl(mDriverFd, BINDER_SET_MAX_THREADS, &count) < 0) return -errno;
    mMaxThreads = maxThreads;
    return NO_ERROR;
}

status_t ProcessState::enableOnewaySpamDetection(bool enable) {
    if (!isValid()) return NO_INIT;
    uint32_t value = enable ? 1 : 0;
    if (mOps->ioctl(mDriverFd, BINDER_ENABLE_ONEWAY_SPAM_DETECTION, &value) < 0) {
        const status_t error = -errno;
        internal::logError("{}: cannot {} oneway spam detection: {}", mDriverName,
                           enable ? "enable" : "disable", std::strerror(-error));
        return error;
    }
    return NO_ERROR;
}

void ProcessState::spawnPooledThread(bool isMain) {
    size_t index;
    {
        std::lock_guard lock(mLock);
        if (!mThreadPoolStarted) return;
        index = ++mThreadsStarted;
    }
    std::thread([isMain, index] {
        // Thread names are limited to 15 characters.
        const std::string name = fmt::format("Binder:{}_{}", getpid() % 100000, index);
        pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
        IPCThreadState::self()->joinThreadPool(isMain);
    }).detach();
}

ProcessState::HandleEntry* ProcessState::lookupHandleLocked(int32_t handle) {
    if (handle < 0) return nullptr;
    const auto index = static_cast<size_t>(handle);
    if (index >= mHandles.size()) mHandles.resize(index + 1);
    return &mHandles[index];
}

sp<IBinder> ProcessState::getStrongProxyForHandle(int32_t handle) {
    if (handle == 0 && !hasProxy(0)) {
        // As AOSP: make sure a context manager exists before making a proxy for it, so that
        // callers see nullptr (not a dead proxy) while none is registered.
        Parcel data;
        const status_t status =
                IPCThreadState::self()->transact(0, IBinder::PING_TRANSACTION, data, nullptr, 0);
        if (status == DEAD_OBJECT || status == -EBADF) return nullptr;
    }
    std::lock_guard lock(mLock);
    IBinder* proxy = weakProxyLocked(handle);
    if (proxy == nullptr) return nullptr;
    // The proxy's strong count may be zero: force_set revives it (and takes a new strong
    // kernel reference through onFirstRef).
    sp<IBinder> result;
    result.force_set(proxy);
    proxy->getWeakRefs()->decWeak(this);
    return result;
}

bool ProcessState::hasProxy(int32_t handle) {
    std::lock_guard lock(mLock);
    const HandleEntry* entry = lookupHandleLocked(handle);
    return entry != nullptr && entry->binder != nullptr;
}

wp<IBinder> ProcessState::getWeakProxyForHandle(int32_t handle) {
    std::lock_guard lock(mLock);
    IBinder* proxy = weakProxyLocked(handle);
    if (proxy == nullptr) return nullptr;
    wp<IBinder> result(proxy);
    proxy->getWeakRefs()->decWeak(this);
    return result;
}

IBinder* ProcessState::weakProxyLocked(int32_t handle) {
    HandleEntry* entry = lookupHandleLocked(handle);
    if (entry == nullptr) return nullptr;
    if (entry->binder != nullptr && entry->refs->attemptIncWeak(this)) return entry->binder;
    // None, or one whose last weak reference is going away right now: a new proxy. The old
    // one's destructor leaves this entry alone (expungeHandle compares the pointer).
    BpBinder* proxy = BpBinder::create(handle);
    entry->binder = proxy;
    entry->refs = proxy->getWeakRefs();
    entry->refs->incWeak(this);
    return proxy;
}

void ProcessState::expungeHandle(int32_t handle, IBinder* binder) {
    std::lock_guard lock(mLock);
    HandleEntry* entry = lookupHandleLocked(handle);
    if (entry != nullptr && entry->binder == binder) {
        entry->binder = nullptr;
        entry->refs = nullptr;
    }
}

}  // namespace android
