#include <binder/IPCThreadState.h>

#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>

#include <binder/Binder.h>
#include <binder/BpBinder.h>

#include "Log.h"
#include "internal/BinderUapi.h"
#include "internal/DriverOps.h"

namespace android {
namespace {

// How much one BINDER_WRITE_READ may return at once; returns are small (the largest is a
// binder_transaction_data_secctx), so this holds several.
constexpr size_t kReadBufferSize = 256;

// Each thread's state, destroyed when the thread exits. A pthread key rather than a
// thread_local object: at process exit the main thread's state stays alive (as in AOSP),
// so static objects released during exit can still talk to the driver.
pthread_key_t gStateKey;
std::once_flag gStateKeyOnce;

IPCThreadState* currentState() {
    std::call_once(gStateKeyOnce, [] {
        pthread_key_create(&gStateKey, [](void* state) { delete static_cast<IPCThreadState*>(state); });
    });
    return static_cast<IPCThreadState*>(pthread_getspecific(gStateKey));
}

template <typename T>
T* fromCookie(binder_uintptr_t value) {
    return reinterpret_cast<T*>(static_cast<uintptr_t>(value));
}

// Whether the driver knows freeze notifications, learnt from the first request (see
// addFrozenStateChangeCallback()). One driver per process, so one answer.
enum class FeatureSupport { Unknown, Supported, Unsupported };
std::atomic<FeatureSupport> gFreezeNotifications{FeatureSupport::Unknown};

// An ioctl on this process's driver, -errno on failure.
status_t driverIoctl(unsigned long request, void* arg) {
    const sp<ProcessState> process = ProcessState::self();
    if (!process->isValid()) return NO_INIT;
    if (process->driverOps().ioctl(process->driverFd(), request, arg) < 0) return -errno;
    return NO_ERROR;
}

}  // namespace

IPCThreadState* IPCThreadState::self() {
    IPCThreadState* state = currentState();
    if (state == nullptr) {
        state = new IPCThreadState();
        pthread_setspecific(gStateKey, state);
    }
    return state;
}

IPCThreadState* IPCThreadState::selfOrNull() { return currentState(); }

IPCThreadState::IPCThreadState()
    : mProcess(ProcessState::self()), mCallingPid(getpid()), mCallingUid(geteuid()) {
    mIn.reserve(kReadBufferSize);
    mOut.reserve(kReadBufferSize);
}

IPCThreadState::~IPCThreadState() {
    if (!mProcess->isValid()) return;
    processPendingDerefs();
    flushCommands();
    mProcess->driverOps().ioctl(mProcess->driverFd(), BINDER_THREAD_EXIT, nullptr);
}

int64_t IPCThreadState::clearCallingIdentity() {
    const int64_t token = (static_cast<int64_t>(mCallingUid) << 32) | static_cast<uint32_t>(mCallingPid);
    mCallingUid = geteuid();
    mCallingPid = getpid();
    mCallingSid = nullptr;
    return token;
}

void IPCThreadState::restoreCallingIdentity(int64_t token) {
    mCallingUid = static_cast<uid_t>(static_cast<uint64_t>(token) >> 32);
    mCallingPid = static_cast<pid_t>(static_cast<uint32_t>(token));
}

template <typename T>
void IPCThreadState::writeCommand(uint32_t cmd, const T& payload) {
    static_assert(std::is_trivially_copyable_v<T>);
    const size_t at = mOut.size();
    mOut.resize(at + sizeof(cmd) + sizeof(T));
    std::memcpy(mOut.data() + at, &cmd, sizeof(cmd));
    std::memcpy(mOut.data() + at + sizeof(cmd), &payload, sizeof(T));
}

void IPCThreadState::writeCommand(uint32_t cmd) {
    const size_t at = mOut.size();
    mOut.resize(at + sizeof(cmd));
    std::memcpy(mOut.data() + at, &cmd, sizeof(cmd));
}

template <typename T>
bool IPCThreadState::readPayload(T* payload) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (mIn.size() - mInPos < sizeof(T)) {
        internal::logError("driver returned a truncated command ({} of {} bytes)",
                           mIn.size() - mInPos, sizeof(T));
        mInPos = mIn.size();
        return false;
    }
    std::memcpy(payload, mIn.data() + mInPos, sizeof(T));
    mInPos += sizeof(T);
    return true;
}

status_t IPCThreadState::transact(int32_t handle, uint32_t code, const Parcel& data,
                                  Parcel* reply, uint32_t flags) {
    flags |= TF_ACCEPT_FDS;
    status_t status = writeTransactionData(BC_TRANSACTION, flags, handle, code, data, nullptr);
    if (status != NO_ERROR) return status;
    if ((flags & TF_ONE_WAY) != 0) return waitForResponse(nullptr, true);
    if (reply != nullptr) return waitForResponse(reply, false);
    Parcel ignored;
    return waitForResponse(&ignored, false);
}

status_t IPCThreadState::writeTransactionData(uint32_t cmd, uint32_t flags, int32_t handle,
                                              uint32_t code, const Parcel& data,
                                              const status_t* statusBuffer) {
    binder_transaction_data tr{};
    tr.target.handle = static_cast<uint32_t>(handle);
    tr.code = code;
    tr.flags = flags;
    if (statusBuffer == nullptr) {
        if (const status_t error = data.errorCheck(); error != NO_ERROR) return error;
        tr.data_size = data.ipcDataSize();
        tr.data.ptr.buffer = data.ipcData();
        tr.offsets_size = data.ipcObjectsCount() * sizeof(binder_size_t);
        tr.data.ptr.offsets = data.ipcObjects();
    } else {
        tr.flags |= TF_STATUS_CODE;
        tr.data_size = sizeof(status_t);
        tr.data.ptr.buffer = reinterpret_cast<uintptr_t>(statusBuffer);
    }
    if (statusBuffer == nullptr && data.ipcBuffersCount() > 0) {
        // Embedded buffers: the kernel must be told how much room they need after the data.
        const binder_transaction_data_sg sg{tr, data.ipcBuffersSize()};
        writeCommand(cmd == BC_REPLY ? BC_REPLY_SG : BC_TRANSACTION_SG, sg);
    } else {
        writeCommand(cmd, tr);
    }
    return NO_ERROR;
}

status_t IPCThreadState::sendReply(const Parcel& reply, uint32_t flags, status_t error) {
    const status_t statusBuffer = error;
    status_t status = writeTransactionData(BC_REPLY, flags, -1, 0, reply,
                                           error < NO_ERROR ? &statusBuffer : nullptr);
    if (status != NO_ERROR) {
        // The reply Parcel is unusable: the caller still gets an answer, the error.
        const status_t failure = status;
        status = writeTransactionData(BC_REPLY, flags, -1, 0, reply, &failure);
        if (status == NO_ERROR) status = waitForResponse(nullptr, true);
        return status;
    }
    return waitForResponse(nullptr, true);
}

status_t IPCThreadState::waitForResponse(Parcel* reply, bool oneway) {
    ++mWaitDepth;
    status_t err = NO_ERROR;
    while (true) {
        if ((err = talkWithDriver()) < NO_ERROR) break;
        if (mInPos >= mIn.size()) continue;
        uint32_t cmd = 0;
        if (!readPayload(&cmd)) continue;
        // The driver acknowledges a call with one of three: done, done but this process
        // floods the target with one-way calls, or queued for a frozen target.
        if (cmd == BR_TRANSACTION_COMPLETE || cmd == BR_ONEWAY_SPAM_SUSPECT ||
            cmd == internal::uapi::BR_TRANSACTION_PENDING_FROZEN) {
            if (cmd == BR_ONEWAY_SPAM_SUSPECT) {
                internal::logError("process seems to be sending too many oneway calls "
                                   "(BR_ONEWAY_SPAM_SUSPECT)");
            } else if (cmd == internal::uapi::BR_TRANSACTION_PENDING_FROZEN) {
                internal::logWarning("sending oneway calls to frozen process "
                                     "(queued until it is thawed)");
            }
            if (oneway) break;
            continue;
        }
        if (cmd == BR_DEAD_REPLY) {
            err = DEAD_OBJECT;
            break;
        }
        // AOSP's mapping; its newer FROZEN_OBJECT status is behind a feature flag.
        if (cmd == BR_FAILED_REPLY || cmd == BR_FROZEN_REPLY) {
            err = FAILED_TRANSACTION;
            break;
        }
        if (cmd == BR_REPLY) {
            binder_transaction_data tr{};
            if (!readPayload(&tr)) {
                err = FAILED_TRANSACTION;
                break;
            }
            const binder_uintptr_t buffer = tr.data.ptr.buffer;
            if ((tr.flags & TF_STATUS_CODE) != 0) {
                status_t remote = FAILED_TRANSACTION;
                if (tr.data_size >= sizeof(status_t)) {
                    std::memcpy(&remote, fromCookie<const void>(buffer), sizeof(remote));
                }
                freeBuffer(buffer);
                err = remote;
            } else if (reply != nullptr) {
                reply->ipcSetDataReference(fromCookie<const uint8_t>(buffer), tr.data_size,
                                           fromCookie<const binder_size_t>(tr.data.ptr.offsets),
                                           tr.offsets_size / sizeof(binder_size_t),
                                           [reply, buffer] {
                                               reply->closeFileDescriptors();
                                               IPCThreadState::self()->freeBuffer(buffer);
                                           },
                                           mProcess->receiveBufferArea());
                err = NO_ERROR;
            } else {
                freeBuffer(buffer);
                err = NO_ERROR;
            }
            break;
        }
        if ((err = executeCommand(cmd)) != NO_ERROR) break;
    }
    --mWaitDepth;
    // A buffer freed while waiting (a status reply's) would otherwise wait for the next call.
    flushIfNeeded();
    return err;
}

status_t IPCThreadState::talkWithDriver(bool doReceive) {
    if (!mProcess->isValid()) return -EBADF;
    binder_write_read bwr{};
    const bool needRead = mInPos >= mIn.size();
    const size_t outAvail = (!doReceive || needRead) ? mOut.size() : 0;
    bwr.write_size = outAvail;
    bwr.write_buffer = reinterpret_cast<uintptr_t>(mOut.data());
    if (doReceive && needRead) {
        mIn.resize(kReadBufferSize);
        mInPos = 0;
        bwr.read_size = mIn.size();
        bwr.read_buffer = reinterpret_cast<uintptr_t>(mIn.data());
    }
    if (bwr.write_size == 0 && bwr.read_size == 0) return NO_ERROR;

    int result;
    do {
        result = mProcess->driverOps().ioctl(mProcess->driverFd(), BINDER_WRITE_READ, &bwr);
    } while (result < 0 && errno == EINTR);
    if (result < 0) {
        const status_t error = -errno;
        if (bwr.read_size != 0) mIn.clear();
        return error;
    }
    if (bwr.write_consumed > 0) {
        mOut.erase(mOut.begin(), mOut.begin() + static_cast<ptrdiff_t>(
                                         std::min<size_t>(bwr.write_consumed, mOut.size())));
    }
    if (bwr.read_size != 0) {
        mIn.resize(std::min<size_t>(bwr.read_consumed, kReadBufferSize));
        mInPos = 0;
    }
    return NO_ERROR;
}

status_t IPCThreadState::executeCommand(uint32_t cmd) {
    switch (cmd) {
        case BR_ERROR: {
            int32_t error = 0;
            if (!readPayload(&error)) return UNKNOWN_ERROR;
            return error;
        }
        case BR_OK:
        case BR_NOOP:
            return NO_ERROR;
        case BR_ACQUIRE: {
            binder_ptr_cookie pc{};
            if (!readPayload(&pc)) return UNKNOWN_ERROR;
            if (BBinder* object = fromCookie<BBinder>(pc.cookie)) object->incStrong(mProcess.get());
            writeCommand(BC_ACQUIRE_DONE, pc);
            return NO_ERROR;
        }
        case BR_RELEASE: {
            binder_ptr_cookie pc{};
            if (!readPayload(&pc)) return UNKNOWN_ERROR;
            if (BBinder* object = fromCookie<BBinder>(pc.cookie)) mPendingStrongDerefs.push_back(object);
            return NO_ERROR;
        }
        case BR_INCREFS: {
            binder_ptr_cookie pc{};
            if (!readPayload(&pc)) return UNKNOWN_ERROR;
            if (auto* refs = fromCookie<RefBase::weakref_type>(pc.ptr)) refs->incWeak(mProcess.get());
            writeCommand(BC_INCREFS_DONE, pc);
            return NO_ERROR;
        }
        case BR_DECREFS: {
            binder_ptr_cookie pc{};
            if (!readPayload(&pc)) return UNKNOWN_ERROR;
            if (auto* refs = fromCookie<RefBase::weakref_type>(pc.ptr)) mPendingWeakDerefs.push_back(refs);
            return NO_ERROR;
        }
        case BR_TRANSACTION_SEC_CTX: {
            binder_transaction_data_secctx tr{};
            if (!readPayload(&tr)) return UNKNOWN_ERROR;
            return executeTransaction(tr);
        }
        case BR_TRANSACTION: {
            binder_transaction_data_secctx tr{};
            if (!readPayload(&tr.transaction_data)) return UNKNOWN_ERROR;
            return executeTransaction(tr);
        }
        case BR_DEAD_BINDER: {
            binder_uintptr_t cookie = 0;
            if (!readPayload(&cookie)) return UNKNOWN_ERROR;
            if (BpBinder* proxy = fromCookie<BpBinder>(cookie)) proxy->sendObituary();
            writeCommand(BC_DEAD_BINDER_DONE, cookie);
            return NO_ERROR;
        }
        case BR_CLEAR_DEATH_NOTIFICATION_DONE: {
            binder_uintptr_t cookie = 0;
            if (!readPayload(&cookie)) return UNKNOWN_ERROR;
            // Drops the weak reference linkToDeath() took for the pending notification.
            if (BpBinder* proxy = fromCookie<BpBinder>(cookie)) proxy->getWeakRefs()->decWeak(proxy);
            return NO_ERROR;
        }
        case internal::uapi::BR_FROZEN_BINDER: {
            internal::uapi::FrozenStateInfo info{};
            if (!readPayload(&info)) return UNKNOWN_ERROR;
            if (BpBinder* proxy = fromCookie<BpBinder>(info.cookie)) {
                proxy->onFrozenStateChanged(info.is_frozen != 0);
            }
            // The driver holds back the next change for this proxy until it is acknowledged.
            writeCommand(internal::uapi::BC_FREEZE_NOTIFICATION_DONE, info.cookie);
            return NO_ERROR;
        }
        case internal::uapi::BR_CLEAR_FREEZE_NOTIFICATION_DONE: {
            binder_uintptr_t cookie = 0;
            if (!readPayload(&cookie)) return UNKNOWN_ERROR;
            if (BpBinder* proxy = fromCookie<BpBinder>(cookie)) {
                proxy->onFrozenStateChangeListenerRemoved();
                // Drops the weak reference addFrozenStateChangeCallback() took.
                proxy->getWeakRefs()->decWeak(proxy);
            }
            return NO_ERROR;
        }
        case BR_FINISHED:
            return TIMED_OUT;
        case BR_SPAWN_LOOPER:
            mProcess->spawnPooledThread(false);
            return NO_ERROR;
        default:
            internal::logError("unexpected driver command {:#x}", cmd);
            return UNKNOWN_ERROR;
    }
}

status_t IPCThreadState::executeTransaction(const binder_transaction_data_secctx& secctx) {
    const binder_transaction_data& tr = secctx.transaction_data;
    Parcel buffer;
    const binder_uintptr_t data = tr.data.ptr.buffer;
    buffer.ipcSetDataReference(fromCookie<const uint8_t>(data), tr.data_size,
                               fromCookie<const binder_size_t>(tr.data.ptr.offsets),
                               tr.offsets_size / sizeof(binder_size_t),
                               [&buffer, data] {
                                   buffer.closeFileDescriptors();
                                   IPCThreadState::self()->freeBuffer(data);
                               },
                               mProcess->receiveBufferArea());

    const pid_t savedPid = mCallingPid;
    const uid_t savedUid = mCallingUid;
    const char* savedSid = mCallingSid;
    mCallingPid = tr.sender_pid;
    mCallingUid = tr.sender_euid;
    // Zero for a plain BR_TRANSACTION (the secctx field was never read).
    mCallingSid = fromCookie<const char>(secctx.secctx);

    Parcel reply;
    status_t error;
    if (tr.target.ptr != 0) {
        auto* refs = fromCookie<RefBase::weakref_type>(tr.target.ptr);
        auto* object = fromCookie<BBinder>(tr.cookie);
        if (refs->attemptIncStrong(this)) {
            error = object->transact(tr.code, buffer, &reply, tr.flags);
            object->decStrong(this);
        } else {
            error = UNKNOWN_TRANSACTION;
        }
    } else if (sp<IBinder> context = mProcess->getContextManagerObject()) {
        error = context->transact(tr.code, buffer, &reply, tr.flags);
    } else {
        error = UNKNOWN_TRANSACTION;
    }
    // The context string lives in the buffer, which goes back to the driver below.
    mCallingSid = savedSid;

    if ((tr.flags & TF_ONE_WAY) == 0) {
        // The request's buffer goes back before the reply, so a busy server's mapping does
        // not hold both.
        buffer.freeData();
        sendReply(reply, tr.flags & TF_CLEAR_BUF, error);
    }
    mCallingPid = savedPid;
    mCallingUid = savedUid;
    return NO_ERROR;
}

status_t IPCThreadState::getAndExecuteCommand() {
    status_t result = talkWithDriver();
    if (result < NO_ERROR) return result;
    if (mInPos >= mIn.size()) return NO_ERROR;
    uint32_t cmd = 0;
    if (!readPayload(&cmd)) return NO_ERROR;
    result = executeCommand(cmd);
    return result;
}

void IPCThreadState::processPendingDerefs() {
    if (mInPos < mIn.size()) return;
    while (!mPendingWeakDerefs.empty() || !mPendingStrongDerefs.empty()) {
        while (!mPendingWeakDerefs.empty()) {
            RefBase::weakref_type* refs = mPendingWeakDerefs.back();
            mPendingWeakDerefs.pop_back();
            refs->decWeak(mProcess.get());
        }
        if (!mPendingStrongDerefs.empty()) {
            BBinder* object = mPendingStrongDerefs.back();
            mPendingStrongDerefs.pop_back();
            object->decStrong(mProcess.get());
        }
    }
}

void IPCThreadState::joinThreadPool(bool isMain) {
    writeCommand(isMain ? BC_ENTER_LOOPER : BC_REGISTER_LOOPER);
    mIsLooper = true;
    status_t result;
    while (true) {
        processPendingDerefs();
        result = getAndExecuteCommand();
        if (result == TIMED_OUT && !isMain) break;
        // A failure of the driver conversation itself (a negative errno from the ioctl, the
        // device closed) ends the loop; errors of single commands do not.
        if (result == -EBADF || result == -ECONNREFUSED || result == -EINVAL ||
            result == -EFAULT) {
            internal::logError("binder thread leaving the pool: driver error {}", result);
            break;
        }
    }
    writeCommand(BC_EXIT_LOOPER);
    mIsLooper = false;
    talkWithDriver(false);
}

status_t IPCThreadState::setupPolling(int* fd) {
    if (!mProcess->isValid()) return -EBADF;
    writeCommand(BC_ENTER_LOOPER);
    mIsLooper = true;
    flushCommands();
    *fd = mProcess->driverFd();
    return NO_ERROR;
}

status_t IPCThreadState::handlePolledCommands() {
    status_t result;
    do {
        result = getAndExecuteCommand();
    } while (mInPos < mIn.size());
    processPendingDerefs();
    flushCommands();
    return result;
}

void IPCThreadState::flushCommands() {
    if (!mProcess->isValid()) return;
    talkWithDriver(false);
    // Running the queued decrements may queue more (BC_RELEASE from a destroyed proxy).
    if (!mOut.empty()) talkWithDriver(false);
}

void IPCThreadState::flushIfNeeded() {
    if (mIsLooper || mWaitDepth > 0) return;
    flushCommands();
}

void IPCThreadState::incStrongHandle(int32_t handle, BpBinder* /*proxy*/) {
    writeCommand(BC_ACQUIRE, static_cast<uint32_t>(handle));
}

void IPCThreadState::decStrongHandle(int32_t handle) {
    writeCommand(BC_RELEASE, static_cast<uint32_t>(handle));
    flushIfNeeded();
}

void IPCThreadState::incWeakHandle(int32_t handle, BpBinder* /*proxy*/) {
    writeCommand(BC_INCREFS, static_cast<uint32_t>(handle));
}

void IPCThreadState::decWeakHandle(int32_t handle) {
    writeCommand(BC_DECREFS, static_cast<uint32_t>(handle));
    flushIfNeeded();
}

status_t IPCThreadState::requestDeathNotification(int32_t handle, BpBinder* proxy) {
    writeCommand(BC_REQUEST_DEATH_NOTIFICATION,
                 binder_handle_cookie{static_cast<uint32_t>(handle), reinterpret_cast<uintptr_t>(proxy)});
    return NO_ERROR;
}

status_t IPCThreadState::clearDeathNotification(int32_t handle, BpBinder* proxy) {
    writeCommand(BC_CLEAR_DEATH_NOTIFICATION,
                 binder_handle_cookie{static_cast<uint32_t>(handle), reinterpret_cast<uintptr_t>(proxy)});
    return NO_ERROR;
}

status_t IPCThreadState::addFrozenStateChangeCallback(int32_t handle, BpBinder* proxy) {
    if (gFreezeNotifications.load() == FeatureSupport::Unsupported) return INVALID_OPERATION;
    if (!mProcess->isValid()) return NO_INIT;
    // Alone in its BINDER_WRITE_READ, so that a driver that rejects it rejects nothing else:
    // a failed write leaves the commands from the failing one on in mOut.
    if (status_t status = talkWithDriver(false); status != NO_ERROR) return status;
    if (!mOut.empty()) return UNKNOWN_ERROR;  // the driver took only part of the queue
    writeCommand(internal::uapi::BC_REQUEST_FREEZE_NOTIFICATION,
                 binder_handle_cookie{static_cast<uint32_t>(handle), reinterpret_cast<uintptr_t>(proxy)});
    // A notification may reach a binder thread as soon as the command is in: take the
    // reference first.
    proxy->getWeakRefs()->incWeak(proxy);
    const status_t status = talkWithDriver(false);
    if (status == NO_ERROR && mOut.empty()) {
        gFreezeNotifications.store(FeatureSupport::Supported);
        return NO_ERROR;
    }
    mOut.clear();
    proxy->getWeakRefs()->decWeak(proxy);
    // A valid handle is only refused as an unknown command: the driver predates the feature.
    if (status == -EINVAL && gFreezeNotifications.load() == FeatureSupport::Unknown) {
        gFreezeNotifications.store(FeatureSupport::Unsupported);
        return INVALID_OPERATION;
    }
    return status != NO_ERROR ? status : UNKNOWN_ERROR;
}

status_t IPCThreadState::removeFrozenStateChangeCallback(int32_t handle, BpBinder* proxy) {
    if (gFreezeNotifications.load() != FeatureSupport::Supported) return INVALID_OPERATION;
    writeCommand(internal::uapi::BC_CLEAR_FREEZE_NOTIFICATION,
                 binder_handle_cookie{static_cast<uint32_t>(handle), reinterpret_cast<uintptr_t>(proxy)});
    flushIfNeeded();
    return NO_ERROR;
}

status_t IPCThreadState::freeze(pid_t pid, bool enable, uint32_t timeout_ms) {
    binder_freeze_info info{};
    info.pid = static_cast<__u32>(pid);
    info.enable = enable ? 1 : 0;
    info.timeout_ms = timeout_ms;
    return driverIoctl(BINDER_FREEZE, &info);
}

status_t IPCThreadState::getProcessFreezeInfo(pid_t pid, uint32_t* sync_received,
                                              uint32_t* async_received) {
    binder_frozen_status_info info{};
    info.pid = static_cast<__u32>(pid);
    const status_t status = driverIoctl(BINDER_GET_FROZEN_INFO, &info);
    *sync_received = info.sync_recv;
    *async_received = info.async_recv;
    return status;
}

void IPCThreadState::freeBuffer(binder_uintptr_t buffer) {
    writeCommand(BC_FREE_BUFFER, buffer);
    flushIfNeeded();
}

}  // namespace android
