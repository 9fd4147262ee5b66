// IEcho: the example interface. A service echoes messages back and counts the calls it served.
// Written by hand to show the classic pattern (interface, Bp proxy, Bn stub); see the AIDL
// example for the generated kind.
#pragma once

#include <binder/IInterface.h>
#include <binder/Parcel.h>
#include <utils/String16.h>

namespace example {

class IEcho : public android::IInterface {
public:
    DECLARE_META_INTERFACE(Echo)

    enum : uint32_t {
        ECHO = android::IBinder::FIRST_CALL_TRANSACTION,
        CALL_COUNT,
    };

    // The message, back; FAILED_TRANSACTION and friends when the service cannot be reached.
    virtual android::status_t echo(const android::String16& message,
                                   android::String16* reply) = 0;
    // How many echo() calls the service has served.
    virtual android::status_t callCount(int64_t* count) = 0;
};

// The service side: implement IEcho's methods, BnEcho decodes the calls.
class BnEcho : public android::BnInterface<IEcho> {
protected:
    android::status_t onTransact(uint32_t code, const android::Parcel& data,
                                 android::Parcel* reply, uint32_t flags) override;
};

}  // namespace example
