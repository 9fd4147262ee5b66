#include "IEcho.h"

namespace example {

using android::Parcel;
using android::status_t;
using android::String16;

// The client side: each method is one transaction.
class BpEcho : public android::BpInterface<IEcho> {
public:
    explicit BpEcho(const android::sp<android::IBinder>& remote)
        : android::BpInterface<IEcho>(remote) {}

    status_t echo(const String16& message, String16* answer) override {
        Parcel data;
        Parcel reply;
        status_t status = data.writeInterfaceToken(IEcho::getInterfaceDescriptor());
        if (status == android::OK) status = data.writeString16(message);
        if (status == android::OK) status = remote()->transact(ECHO, data, &reply);
        if (status == android::OK) status = reply.readString16(answer);
        return status;
    }

    status_t callCount(int64_t* count) override {
        Parcel data;
        Parcel reply;
        status_t status = data.writeInterfaceToken(IEcho::getInterfaceDescriptor());
        if (status == android::OK) status = remote()->transact(CALL_COUNT, data, &reply);
        if (status == android::OK) status = reply.readInt64(count);
        return status;
    }
};

IMPLEMENT_META_INTERFACE(Echo, "example.IEcho")

status_t BnEcho::onTransact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) {
    switch (code) {
        case ECHO: {
            if (!data.checkInterface(this)) return android::PERMISSION_DENIED;
            String16 message;
            String16 answer;
            if (status_t status = data.readString16(&message); status != android::OK) return status;
            if (status_t status = echo(message, &answer); status != android::OK) return status;
            return reply->writeString16(answer);
        }
        case CALL_COUNT: {
            if (!data.checkInterface(this)) return android::PERMISSION_DENIED;
            int64_t count = 0;
            if (status_t status = callCount(&count); status != android::OK) return status;
            return reply->writeInt64(count);
        }
        default:
            return BBinder::onTransact(code, data, reply, flags);
    }
}

}  // namespace example
