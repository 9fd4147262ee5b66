// status_t: the error codes every libbinder call returns, with AOSP's names and values.
//
// Values are negated errno codes where AOSP uses them, so a status_t can be returned straight
// from a failing system call as -errno. The remaining codes sit just above INT32_MIN where no
// errno can reach.
#pragma once

#include <cerrno>
#include <cstdint>
#include <string>

namespace android {

using status_t = int32_t;

enum : status_t {
    OK = 0,
    NO_ERROR = OK,

    UNKNOWN_ERROR = INT32_MIN,

    NO_MEMORY = -ENOMEM,
    INVALID_OPERATION = -ENOSYS,
    BAD_VALUE = -EINVAL,
    BAD_TYPE = UNKNOWN_ERROR + 1,
    NAME_NOT_FOUND = -ENOENT,
    PERMISSION_DENIED = -EPERM,
    NO_INIT = -ENODEV,
    ALREADY_EXISTS = -EEXIST,
    DEAD_OBJECT = -EPIPE,
    FAILED_TRANSACTION = UNKNOWN_ERROR + 2,
    BAD_INDEX = -EOVERFLOW,
    NOT_ENOUGH_DATA = -ENODATA,
    WOULD_BLOCK = -EWOULDBLOCK,
    TIMED_OUT = -ETIMEDOUT,
    UNKNOWN_TRANSACTION = -EBADMSG,
    FDS_NOT_ALLOWED = UNKNOWN_ERROR + 7,
    UNEXPECTED_NULL = UNKNOWN_ERROR + 8,
};

// The constant's name ("BAD_VALUE"), or "<number> (<strerror text>)" for any other value.
// Any thread may call it at any time.
std::string statusToString(status_t status);

}  // namespace android
