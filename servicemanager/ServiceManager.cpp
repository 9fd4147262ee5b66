#include "ServiceManager.h"

#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/Parcel.h>
#include <utils/String8.h>

#include "Logger.h"

namespace servicemanager {

using android::IBinder;
using android::IServiceManager;
using android::Parcel;
using android::sp;
using android::status_t;
using android::String16;
using android::String8;

ServiceManager::ServiceManager(Policy policy) : mPolicy(std::move(policy)) {}

status_t ServiceManager::onTransact(uint32_t code, const Parcel& data, Parcel* reply,
                                    uint32_t flags) {
    const android::IPCThreadState* ipc = android::IPCThreadState::self();
    const Caller caller{ipc->getCallingPid(), ipc->getCallingUid()};
    switch (code) {
        case IServiceManager::GET_SERVICE_TRANSACTION:
        case IServiceManager::CHECK_SERVICE_TRANSACTION:
            return find(data, reply, caller);
        case IServiceManager::ADD_SERVICE_TRANSACTION:
            return add(data, reply, caller);
        case IServiceManager::LIST_SERVICES_TRANSACTION:
            return list(data, reply, caller);
        default:
            // Ping and interface queries are answered by BBinder.
            return BBinder::onTransact(code, data, reply, flags);
    }
}

status_t ServiceManager::readHeader(const Parcel& data, const Caller& caller) const {
    // The descriptor follows the strict-mode word (AOSP's bctest) or the strict-mode and
    // work-source words (Android 10's header): accept either.
    for (size_t offset : {size_t{4}, size_t{8}}) {
        data.setDataPosition(offset);
        String16 descriptor;
        if (data.readString16(&descriptor) == android::OK &&
            descriptor == IServiceManager::descriptor) {
            return android::OK;
        }
    }
    logWarning("request from pid {} uid {} without the \"android.os.IServiceManager\" token",
               caller.pid, caller.uid);
    return android::BAD_TYPE;
}

status_t ServiceManager::readName(const Parcel& data, const Caller& caller,
                                  std::string* name) const {
    String16 name16;
    if (data.readString16(&name16) != android::OK) {
        logWarning("request from pid {} uid {} without a readable name", caller.pid, caller.uid);
        return android::BAD_VALUE;
    }
    *name = String8(name16).c_str();
    if (!isValidServiceName(*name) || name->size() != String8(name16).size()) {
        logWarning("pid {} uid {} used an invalid service name ({} characters)", caller.pid,
                   caller.uid, name16.size());
        return android::BAD_VALUE;
    }
    return android::OK;
}

status_t ServiceManager::find(const Parcel& data, Parcel* reply, const Caller& caller) {
    std::string name;
    if (status_t status = readHeader(data, caller); status != android::OK) return status;
    if (status_t status = readName(data, caller, &name); status != android::OK) return status;
    const auto it = mServices.find(name);
    if (it == mServices.end()) return android::OK;  // absent: an empty reply
    return reply->writeStrongBinder(it->second.binder);
}

status_t ServiceManager::add(const Parcel& data, Parcel* reply, const Caller& caller) {
    std::string name;
    if (status_t status = readHeader(data, caller); status != android::OK) return status;
    if (status_t status = readName(data, caller, &name); status != android::OK) return status;
    sp<IBinder> binder;
    if (data.readStrongBinder(&binder) != android::OK) {
        logWarning("pid {} uid {} tried to register '{}' without a binder", caller.pid,
                   caller.uid, name);
        return android::BAD_VALUE;
    }
    if (!mPolicy.allowsRegistration(name, caller.uid)) {
        logWarning("refused: pid {} uid {} may not register '{}' (policy)", caller.pid,
                   caller.uid, name);
        return android::PERMISSION_DENIED;
    }
    const auto it = mServices.find(name);
    if (it != mServices.end() && caller.uid != 0 && it->second.owner != caller.uid) {
        logWarning("refused: pid {} uid {} may not replace '{}', held by uid {}", caller.pid,
                   caller.uid, name, it->second.owner);
        return android::PERMISSION_DENIED;
    }
    // A local object (our own) cannot die apart from us: only proxies get a notification.
    if (binder->remoteBinder() != nullptr) {
        if (status_t status = binder->linkToDeath(sp<IBinder::DeathRecipient>(this)); status != android::OK) {
            logWarning("refused: '{}' from pid {} uid {} is already dead", name, caller.pid,
                       caller.uid);
            return status;
        }
    }
    if (it != mServices.end()) {
        const sp<IBinder> old = it->second.binder;
        it->second = Service{binder, caller.uid, caller.pid};
        forget(old);
        logInfo("'{}' replaced by pid {} uid {}", name, caller.pid, caller.uid);
    } else {
        mServices.emplace(name, Service{binder, caller.uid, caller.pid});
        logInfo("'{}' registered by pid {} uid {}", name, caller.pid, caller.uid);
    }
    return reply->writeInt32(0);
}

status_t ServiceManager::list(const Parcel& data, Parcel* reply, const Caller& caller) const {
    if (status_t status = readHeader(data, caller); status != android::OK) return status;
    int32_t index = -1;
    if (data.readInt32(&index) != android::OK || index < 0) return android::BAD_VALUE;
    if (static_cast<size_t>(index) >= mServices.size()) return android::NAME_NOT_FOUND;
    auto it = mServices.begin();
    std::advance(it, index);
    return reply->writeString16(String16(it->first.c_str()));
}

void ServiceManager::binderDied(const android::wp<IBinder>& who) {
    const IBinder* dead = who.unsafe_get();
    for (auto it = mServices.begin(); it != mServices.end();) {
        if (it->second.binder.get() == dead) {
            logInfo("'{}' died (it was registered by pid {} uid {})", it->first, it->second.pid,
                    it->second.owner);
            it = mServices.erase(it);
        } else {
            ++it;
        }
    }
}

void ServiceManager::forget(const sp<IBinder>& binder) {
    for (const auto& [name, service] : mServices) {
        if (service.binder == binder) return;
    }
    if (binder->remoteBinder() != nullptr) {
        (void)binder->unlinkToDeath(android::wp<IBinder::DeathRecipient>(sp<IBinder::DeathRecipient>(this)));
    }
}

}  // namespace servicemanager
