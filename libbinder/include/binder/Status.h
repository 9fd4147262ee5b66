// android::binder::Status: the result of an aidl-style binder call, either success, an
// exception the service reported (with Java's exception codes and a message), a
// service-specific error code, or a transport failure (a status_t).
//
// readFromParcel / writeToParcel use AOSP's reply layout, which aidl-generated C++ relies on:
//   int32 exception code; for EX_NONE nothing more, otherwise String16 message, int32 size of
//   a remote stack trace (always 0 when written, skipped when read), then for
//   EX_SERVICE_SPECIFIC an int32 error code and for EX_PARCELABLE an int32-sized blob
//   (written empty, skipped when read). A leading EX_HAS_REPLY_HEADER block from Java
//   services is skipped. EX_TRANSACTION_FAILED never goes on the wire: writeToParcel returns
//   its status_t instead.
//
// A Status is a plain value; each thread uses its own.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include <utils/Errors.h>
#include <utils/String8.h>

namespace android {

class Parcel;

namespace binder {

class Status final {
public:
    enum Exception : int32_t {
        EX_NONE = 0,
        EX_SECURITY = -1,
        EX_BAD_PARCELABLE = -2,
        EX_ILLEGAL_ARGUMENT = -3,
        EX_NULL_POINTER = -4,
        EX_ILLEGAL_STATE = -5,
        EX_NETWORK_MAIN_THREAD = -6,
        EX_UNSUPPORTED_OPERATION = -7,
        EX_SERVICE_SPECIFIC = -8,
        EX_PARCELABLE = -9,
        // Java's Parcel marks a "fat" reply header with this; native code skips it.
        EX_HAS_REPLY_HEADER = -128,
        // Local only: the transaction itself failed; transactionError() says how.
        EX_TRANSACTION_FAILED = -129,
    };

    // Success.
    static Status ok() { return Status(); }
    // EX_NONE for OK, otherwise EX_TRANSACTION_FAILED carrying |status|.
    static Status fromStatusT(status_t status);
    static Status fromExceptionCode(int32_t exceptionCode);
    static Status fromExceptionCode(int32_t exceptionCode, const String8& message);
    static Status fromExceptionCode(int32_t exceptionCode, const char* message);
    static Status fromServiceSpecificError(int32_t serviceSpecificErrorCode);
    static Status fromServiceSpecificError(int32_t serviceSpecificErrorCode,
                                           const String8& message);
    static Status fromServiceSpecificError(int32_t serviceSpecificErrorCode, const char* message);

    // "EX_SECURITY", ..., or the number for an unknown code.
    static std::string exceptionToString(int32_t exceptionCode);

    Status() = default;

    // The reply-parcel layout described above. Both are called by generated proxies and stubs
    // on the calling thread. readFromParcel sets this Status to the parsed value, or to
    // fromStatusT(error) and returns the error when the reply is malformed.
    [[nodiscard]] status_t readFromParcel(const Parcel& parcel);
    [[nodiscard]] status_t writeToParcel(Parcel* parcel) const;

    void setException(int32_t exceptionCode, const String8& message);
    void setServiceSpecificError(int32_t errorCode, const String8& message);
    void setFromStatusT(status_t status);

    bool isOk() const { return mException == EX_NONE; }
    int32_t exceptionCode() const { return mException; }
    const String8& exceptionMessage() const { return mMessage; }
    // The service's error code for EX_SERVICE_SPECIFIC, else 0.
    int32_t serviceSpecificErrorCode() const {
        return mException == EX_SERVICE_SPECIFIC ? mErrorCode : 0;
    }
    // The transport error for EX_TRANSACTION_FAILED, else OK.
    status_t transactionError() const {
        return mException == EX_TRANSACTION_FAILED ? mErrorCode : OK;
    }

    // "No error", or "Status(<code>, <name>): '[<detail>: ]<message>'".
    String8 toString8() const;

private:
    Status(int32_t exceptionCode, int32_t errorCode);
    Status(int32_t exceptionCode, int32_t errorCode, const String8& message);

    int32_t mException = EX_NONE;
    // The service-specific code or the status_t, depending on mException.
    int32_t mErrorCode = OK;
    String8 mMessage;
};

std::ostream& operator<<(std::ostream& stream, const Status& status);

}  // namespace binder
}  // namespace android
