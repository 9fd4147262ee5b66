// IServiceManager: the name service every binder process reaches at handle 0. Services
// register under a name (addService) and clients look them up (getService, checkService).
//
// It speaks the classic protocol (Android 10 and before): GET_SERVICE=1, CHECK_SERVICE=2,
// ADD_SERVICE=3, LIST_SERVICES=4, each request opening with the interface token for
// "android.os.IServiceManager". servicemanager/ in this project serves it.
#pragma once

#include <vector>

#include <binder/IInterface.h>
#include <utils/String16.h>

namespace android {

class IServiceManager : public IInterface {
public:
    DECLARE_META_INTERFACE(ServiceManager)

    enum : uint32_t {
        GET_SERVICE_TRANSACTION = IBinder::FIRST_CALL_TRANSACTION,
        CHECK_SERVICE_TRANSACTION,
        ADD_SERVICE_TRANSACTION,
        LIST_SERVICES_TRANSACTION,
    };

    // dumpsys priorities carried with addService() and listServices(), as AOSP.
    enum : int {
        DUMP_FLAG_PRIORITY_CRITICAL = 1 << 0,
        DUMP_FLAG_PRIORITY_HIGH = 1 << 1,
        DUMP_FLAG_PRIORITY_NORMAL = 1 << 2,
        DUMP_FLAG_PRIORITY_DEFAULT = 1 << 3,
        DUMP_FLAG_PRIORITY_ALL = DUMP_FLAG_PRIORITY_CRITICAL | DUMP_FLAG_PRIORITY_HIGH |
                                 DUMP_FLAG_PRIORITY_NORMAL | DUMP_FLAG_PRIORITY_DEFAULT,
        DUMP_FLAG_PROTO = 1 << 4,
    };

    // The service registered as |name|, waiting up to about 5 seconds for it to appear;
    // nullptr if it does not.
    virtual sp<IBinder> getService(const String16& name) const = 0;
    // The service registered as |name| right now, or nullptr; never waits.
    virtual sp<IBinder> checkService(const String16& name) const = 0;
    // Registers |service| as |name|. OK, or the service manager's refusal (e.g.
    // PERMISSION_DENIED when another user holds the name), or a transport error.
    virtual status_t addService(const String16& name, const sp<IBinder>& service,
                                bool allowIsolated = false,
                                int dumpsysFlags = DUMP_FLAG_PRIORITY_DEFAULT) = 0;
    // The registered names, in the service manager's order.
    virtual std::vector<String16> listServices(int dumpsysFlags = DUMP_FLAG_PRIORITY_ALL) = 0;
    // The service registered as |name|, waiting as long as it takes; nullptr only when the
    // service manager itself cannot be reached.
    virtual sp<IBinder> waitForService(const String16& name) = 0;
};

// The process's proxy for the service manager, created on first use (waiting for it to
// come up, as AOSP does). Thread-safe.
sp<IServiceManager> defaultServiceManager();

// Looks |name| up with getService() and casts it to INTERFACE.
template <typename INTERFACE>
status_t getService(const String16& name, sp<INTERFACE>* outService) {
    const sp<IServiceManager> sm = defaultServiceManager();
    if (sm == nullptr) return NAME_NOT_FOUND;
    *outService = interface_cast<INTERFACE>(sm->getService(name));
    return *outService != nullptr ? NO_ERROR : NAME_NOT_FOUND;
}

// Looks |name| up with waitForService() and casts it to INTERFACE.
template <typename INTERFACE>
sp<INTERFACE> waitForService(const String16& name) {
    const sp<IServiceManager> sm = defaultServiceManager();
    if (sm == nullptr) return nullptr;
    return interface_cast<INTERFACE>(sm->waitForService(name));
}

}  // namespace android
