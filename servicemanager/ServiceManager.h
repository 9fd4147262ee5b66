// The context manager's object: a registry of service names, served with the classic
// protocol (Android 10 and before) at handle 0.
//
//   GET_SERVICE (1), CHECK_SERVICE (2)  name -> the binder, or an empty reply if absent
//   ADD_SERVICE (3)   name, binder[, int32 allow-isolated[, int32 dump priority]] -> int32 0
//   LIST_SERVICES (4) int32 index[, int32 dump priority] -> the name at that index
//
// Each request opens with the interface token: an int32 strict-mode word, optionally an int32
// work-source uid (our library writes it, AOSP's bctest does not), then the String16
// "android.os.IServiceManager". A refused or malformed request gets a status reply
// (BAD_VALUE, PERMISSION_DENIED, NAME_NOT_FOUND, ...) and is logged with the caller.
//
// It holds a strong reference and a death notification on every registered binder; when
// a service's process dies its names are dropped. All of it runs on one thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include <binder/Binder.h>

#include "Policy.h"

namespace servicemanager {

class ServiceManager : public android::BBinder, public android::IBinder::DeathRecipient {
public:
    explicit ServiceManager(Policy policy);

    size_t serviceCount() const { return mServices.size(); }

protected:
    android::status_t onTransact(uint32_t code, const android::Parcel& data,
                                 android::Parcel* reply, uint32_t flags) override;
    void binderDied(const android::wp<android::IBinder>& who) override;

private:
    struct Service {
        android::sp<android::IBinder> binder;
        uid_t owner;
        pid_t pid;
    };
    struct Caller {
        pid_t pid;
        uid_t uid;
    };

    android::status_t readHeader(const android::Parcel& data, const Caller& caller) const;
    android::status_t readName(const android::Parcel& data, const Caller& caller,
                               std::string* name) const;
    android::status_t find(const android::Parcel& data, android::Parcel* reply,
                           const Caller& caller);
    android::status_t add(const android::Parcel& data, android::Parcel* reply,
                          const Caller& caller);
    android::status_t list(const android::Parcel& data, android::Parcel* reply,
                           const Caller& caller) const;
    // Drops the death notification on |binder| unless another name still uses it.
    void forget(const android::sp<android::IBinder>& binder);

    const Policy mPolicy;
    std::map<std::string, Service> mServices;
};

}  // namespace servicemanager
