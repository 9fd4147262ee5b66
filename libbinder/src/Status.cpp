#include <binder/Status.h>

#include <binder/Parcel.h>
#include <utils/String16.h>

#include "Log.h"

namespace android::binder {

Status::Status(int32_t exceptionCode, int32_t errorCode)
    : mException(exceptionCode), mErrorCode(errorCode) {}

Status::Status(int32_t exceptionCode, int32_t errorCode, const String8& message)
    : mException(exceptionCode), mErrorCode(errorCode), mMessage(message) {}

Status Status::fromStatusT(status_t status) {
    Status result;
    result.setFromStatusT(status);
    return result;
}

Status Status::fromExceptionCode(int32_t exceptionCode) {
    return fromExceptionCode(exceptionCode, String8());
}

Status Status::fromExceptionCode(int32_t exceptionCode, const String8& message) {
    const status_t error = exceptionCode == EX_TRANSACTION_FAILED ? FAILED_TRANSACTION : OK;
    return Status(exceptionCode, error, message);
}

Status Status::fromExceptionCode(int32_t exceptionCode, const char* message) {
    return fromExceptionCode(exceptionCode, String8(message));
}

Status Status::fromServiceSpecificError(int32_t serviceSpecificErrorCode) {
    return Status(EX_SERVICE_SPECIFIC, serviceSpecificErrorCode);
}

Status Status::fromServiceSpecificError(int32_t serviceSpecificErrorCode, const String8& message) {
    return Status(EX_SERVICE_SPECIFIC, serviceSpecificErrorCode, message);
}

Status Status::fromServiceSpecificError(int32_t serviceSpecificErrorCode, const char* message) {
    return Status(EX_SERVICE_SPECIFIC, serviceSpecificErrorCode, String8(message));
}

std::string Status::exceptionToString(int32_t exceptionCode) {
#define BINDER_LITE_EXCEPTION_CASE(name) \
    case name:                           \
        return #name
    switch (exceptionCode) {
        BINDER_LITE_EXCEPTION_CASE(EX_NONE);
        BINDER_LITE_EXCEPTION_CASE(EX_SECURITY);
        BINDER_LITE_EXCEPTION_CASE(EX_BAD_PARCELABLE);
        BINDER_LITE_EXCEPTION_CASE(EX_ILLEGAL_ARGUMENT);
        BINDER_LITE_EXCEPTION_CASE(EX_NULL_POINTER);
        BINDER_LITE_EXCEPTION_CASE(EX_ILLEGAL_STATE);
        BINDER_LITE_EXCEPTION_CASE(EX_NETWORK_MAIN_THREAD);
        BINDER_LITE_EXCEPTION_CASE(EX_UNSUPPORTED_OPERATION);
        BINDER_LITE_EXCEPTION_CASE(EX_SERVICE_SPECIFIC);
        BINDER_LITE_EXCEPTION_CASE(EX_PARCELABLE);
        BINDER_LITE_EXCEPTION_CASE(EX_HAS_REPLY_HEADER);
        BINDER_LITE_EXCEPTION_CASE(EX_TRANSACTION_FAILED);
    }
#undef BINDER_LITE_EXCEPTION_CASE
    return std::to_string(exceptionCode);
}

namespace {

// Skips a block that starts with its own int32 size (the size counts the size word itself),
// as Java writes reply headers and parcelable exception blobs.
//
// A size of 0 is the empty block that writeToParcel (and Java) write for "no parcelable". AOSP's
// reader rewinds onto that size word, so the caller's next read returns the 0 instead of its
// payload; here the block is the size word alone.
status_t skipSizedBlock(const Parcel& parcel) {
    const size_t start = parcel.dataPosition();
    const size_t available = parcel.dataAvail();
    int32_t size = 0;
    if (status_t status = parcel.readInt32(&size); status != OK) {
        return status;
    }
    if (size == 0) {
        return OK;
    }
    if (size < static_cast<int32_t>(sizeof(int32_t)) || static_cast<size_t>(size) > available) {
        internal::logError("Status: sized block of {} bytes with {} available", size, available);
        return UNKNOWN_ERROR;  // as AOSP
    }
    parcel.setDataPosition(start + static_cast<size_t>(size));
    return OK;
}

}  // namespace

status_t Status::readFromParcel(const Parcel& parcel) {
    // Any failure below leaves this Status as the failure itself.
    auto fail = [this](status_t status) {
        setFromStatusT(status);
        return status;
    };
    int32_t exception = EX_NONE;
    if (status_t status = parcel.readInt32(&exception); status != OK) {
        return fail(status);
    }
    if (exception == EX_HAS_REPLY_HEADER) {
        // Java only sends the header on success, so what follows is a normal reply.
        if (status_t status = skipSizedBlock(parcel); status != OK) {
            return fail(status);
        }
        exception = EX_NONE;
    }
    if (exception == EX_NONE) {
        *this = Status();
        return OK;
    }

    String16 message;
    if (status_t status = parcel.readString16(&message); status != OK) {
        return fail(status);
    }
    int32_t stackTraceSize = 0;
    if (status_t status = parcel.readInt32(&stackTraceSize); status != OK) {
        return fail(status);
    }
    if (stackTraceSize < 0 || static_cast<size_t>(stackTraceSize) > parcel.dataAvail()) {
        return fail(UNKNOWN_ERROR);
    }
    parcel.setDataPosition(parcel.dataPosition() + static_cast<size_t>(stackTraceSize));

    int32_t errorCode = OK;
    if (exception == EX_SERVICE_SPECIFIC) {
        if (status_t status = parcel.readInt32(&errorCode); status != OK) {
            return fail(status);
        }
    } else if (exception == EX_PARCELABLE) {
        if (status_t status = skipSizedBlock(parcel); status != OK) {
            return fail(status);
        }
    }
    *this = Status(exception, errorCode, String8(message));
    return OK;
}

status_t Status::writeToParcel(Parcel* parcel) const {
    if (mException == EX_TRANSACTION_FAILED) {
        // Nothing rich to report: the binder call itself returns the error.
        return mErrorCode;
    }
    if (status_t status = parcel->writeInt32(mException); status != OK || mException == EX_NONE) {
        return status;
    }
    if (status_t status = parcel->writeString16(String16(mMessage)); status != OK) {
        return status;
    }
    if (status_t status = parcel->writeInt32(0); status != OK) {  // no remote stack trace
        return status;
    }
    if (mException == EX_SERVICE_SPECIFIC) {
        return parcel->writeInt32(mErrorCode);
    }
    if (mException == EX_PARCELABLE) {
        // An empty blob; sending parcelable exceptions from native code is not supported.
        return parcel->writeInt32(0);
    }
    return OK;
}

void Status::setException(int32_t exceptionCode, const String8& message) {
    *this = fromExceptionCode(exceptionCode, message);
}

void Status::setServiceSpecificError(int32_t errorCode, const String8& message) {
    *this = fromServiceSpecificError(errorCode, message);
}

void Status::setFromStatusT(status_t status) {
    mException = status == OK ? EX_NONE : EX_TRANSACTION_FAILED;
    mErrorCode = status;
    mMessage.clear();
}

String8 Status::toString8() const {
    if (mException == EX_NONE) {
        return String8("No error");
    }
    std::string text = fmt::format("Status({}, {}): '", mException, exceptionToString(mException));
    if (mException == EX_SERVICE_SPECIFIC) {
        text += fmt::format("{}: ", mErrorCode);
    } else if (mException == EX_TRANSACTION_FAILED) {
        text += fmt::format("{}: ", statusToString(mErrorCode));
    }
    text += mMessage.view();
    text += '\'';
    return String8(std::move(text));
}

std::ostream& operator<<(std::ostream& stream, const Status& status) {
    return stream << status.toString8().view();
}

}  // namespace android::binder
