#include <binder/IServiceManager.h>

#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>

#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>

#include "Log.h"

namespace android {
namespace {

using namespace std::chrono_literals;

constexpr auto kPollInterval = 100ms;
constexpr auto kGetServiceTimeout = 5s;

}  // namespace

class BpServiceManager : public BpInterface<IServiceManager> {
public:
    explicit BpServiceManager(const sp<IBinder>& remote) : BpInterface<IServiceManager>(remote) {}

    sp<IBinder> getService(const String16& name) const override {
        return pollFor(name, std::chrono::steady_clock::now() + kGetServiceTimeout);
    }

    sp<IBinder> checkService(const String16& name) const override {
        sp<IBinder> service;
        (void)lookup(CHECK_SERVICE_TRANSACTION, name, &service);
        return service;
    }

    status_t addService(const String16& name, const sp<IBinder>& service, bool allowIsolated,
                        int dumpsysFlags) override {
        Parcel data;
        Parcel reply;
        status_t status = writeHeader(&data);
        if (status == NO_ERROR) status = data.writeString16(name);
        if (status == NO_ERROR) status = data.writeStrongBinder(service);
        if (status == NO_ERROR) status = data.writeInt32(allowIsolated ? 1 : 0);
        if (status == NO_ERROR) status = data.writeInt32(dumpsysFlags);
        if (status != NO_ERROR) return status;
        status = remote()->transact(ADD_SERVICE_TRANSACTION, data, &reply);
        if (status != NO_ERROR) return status;
        // The service manager answers a registration with an int32 status.
        int32_t result = UNKNOWN_ERROR;
        if (reply.readInt32(&result) != NO_ERROR) return BAD_VALUE;
        return result;
    }

    std::vector<String16> listServices(int dumpsysFlags) override {
        std::vector<String16> names;
        for (int32_t index = 0;; ++index) {
            Parcel data;
            Parcel reply;
            if (writeHeader(&data) != NO_ERROR || data.writeInt32(index) != NO_ERROR ||
                data.writeInt32(dumpsysFlags) != NO_ERROR) {
                break;
            }
            if (remote()->transact(LIST_SERVICES_TRANSACTION, data, &reply) != NO_ERROR) break;
            String16 name;
            if (reply.readString16(&name) != NO_ERROR) break;
            names.push_back(std::move(name));
        }
        return names;
    }

    sp<IBinder> waitForService(const String16& name) override {
        return pollFor(name, std::chrono::steady_clock::time_point::max());
    }

private:
    // Looks |name| up until it is registered or |deadline| passes; nullptr then, or at once
    // when the service manager cannot be asked.
    sp<IBinder> pollFor(const String16& name, std::chrono::steady_clock::time_point deadline) const {
        while (true) {
            sp<IBinder> service;
            const status_t status = lookup(CHECK_SERVICE_TRANSACTION, name, &service);
            if (service != nullptr || status != NO_ERROR) return service;
            if (std::chrono::steady_clock::now() >= deadline) return nullptr;
            std::this_thread::sleep_for(kPollInterval);
        }
    }

    status_t writeHeader(Parcel* data) const {
        return data->writeInterfaceToken(IServiceManager::getInterfaceDescriptor());
    }

    // NO_ERROR with |out| set, or left null when the name is not registered; an error when
    // the service manager could not be asked.
    status_t lookup(uint32_t code, const String16& name, sp<IBinder>* out) const {
        Parcel data;
        Parcel reply;
        status_t status = writeHeader(&data);
        if (status == NO_ERROR) status = data.writeString16(name);
        if (status != NO_ERROR) return status;
        status = remote()->transact(code, data, &reply);
        if (status != NO_ERROR) return status;
        // An absent name gets an empty reply (or a null binder).
        if (reply.dataAvail() > 0) (void)reply.readNullableStrongBinder(out);
        return NO_ERROR;
    }
};

IMPLEMENT_META_INTERFACE(ServiceManager, "android.os.IServiceManager")

sp<IServiceManager> defaultServiceManager() {
    static std::mutex lock;
    // Never destroyed (see gProcess in ProcessState.cpp).
    static sp<IServiceManager>& manager = *new sp<IServiceManager>();
    std::lock_guard guard(lock);
    const sp<ProcessState> process = ProcessState::self();
    if (!process->isValid()) return nullptr;
    auto waited = 0ms;
    while (manager == nullptr) {
        manager = interface_cast<IServiceManager>(process->getContextObject(nullptr));
        if (manager != nullptr) break;
        if (waited % 5s == 0ms) {
            internal::logWarning("waiting for the service manager on {}",
                                 process->getDriverName());
        }
        std::this_thread::sleep_for(kPollInterval);
        waited += kPollInterval;
    }
    return manager;
}

}  // namespace android
