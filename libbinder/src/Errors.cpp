#include <utils/Errors.h>

#include <cstring>

#include <fmt/format.h>

namespace android {

std::string statusToString(status_t status) {
#define BINDER_LITE_STATUS_CASE(name) \
    case name:                        \
        return #name
    switch (status) {
        BINDER_LITE_STATUS_CASE(OK);
        BINDER_LITE_STATUS_CASE(UNKNOWN_ERROR);
        BINDER_LITE_STATUS_CASE(NO_MEMORY);
        BINDER_LITE_STATUS_CASE(INVALID_OPERATION);
        BINDER_LITE_STATUS_CASE(BAD_VALUE);
        BINDER_LITE_STATUS_CASE(BAD_TYPE);
        BINDER_LITE_STATUS_CASE(NAME_NOT_FOUND);
        BINDER_LITE_STATUS_CASE(PERMISSION_DENIED);
        BINDER_LITE_STATUS_CASE(NO_INIT);
        BINDER_LITE_STATUS_CASE(ALREADY_EXISTS);
        BINDER_LITE_STATUS_CASE(DEAD_OBJECT);
        BINDER_LITE_STATUS_CASE(FAILED_TRANSACTION);
        BINDER_LITE_STATUS_CASE(BAD_INDEX);
        BINDER_LITE_STATUS_CASE(NOT_ENOUGH_DATA);
        BINDER_LITE_STATUS_CASE(WOULD_BLOCK);
        BINDER_LITE_STATUS_CASE(TIMED_OUT);
        BINDER_LITE_STATUS_CASE(UNKNOWN_TRANSACTION);
        BINDER_LITE_STATUS_CASE(FDS_NOT_ALLOWED);
        BINDER_LITE_STATUS_CASE(UNEXPECTED_NULL);
    }
#undef BINDER_LITE_STATUS_CASE
    // strerror() is not thread-safe; strerrordesc_np() (glibc 2.32+) returns static text.
    const char* description =
            status < 0 && status != INT32_MIN ? strerrordesc_np(-status) : nullptr;
    return fmt::format("{} ({})", status, description != nullptr ? description : "unknown error");
}

}  // namespace android
