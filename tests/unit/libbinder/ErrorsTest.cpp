#include <utils/Errors.h>

#include <cerrno>

#include <gtest/gtest.h>

namespace android {
namespace {

TEST(ErrorsTest, ValuesMatchAosp) {
    EXPECT_EQ(OK, 0);
    EXPECT_EQ(NO_ERROR, OK);
    EXPECT_EQ(UNKNOWN_ERROR, INT32_MIN);
    EXPECT_EQ(NO_MEMORY, -ENOMEM);
    EXPECT_EQ(INVALID_OPERATION, -ENOSYS);
    EXPECT_EQ(BAD_VALUE, -EINVAL);
    EXPECT_EQ(BAD_TYPE, INT32_MIN + 1);
    EXPECT_EQ(NAME_NOT_FOUND, -ENOENT);
    EXPECT_EQ(PERMISSION_DENIED, -EPERM);
    EXPECT_EQ(NO_INIT, -ENODEV);
    EXPECT_EQ(ALREADY_EXISTS, -EEXIST);
    EXPECT_EQ(DEAD_OBJECT, -EPIPE);
    EXPECT_EQ(FAILED_TRANSACTION, INT32_MIN + 2);
    EXPECT_EQ(BAD_INDEX, -EOVERFLOW);
    EXPECT_EQ(NOT_ENOUGH_DATA, -ENODATA);
    EXPECT_EQ(WOULD_BLOCK, -EWOULDBLOCK);
    EXPECT_EQ(TIMED_OUT, -ETIMEDOUT);
    EXPECT_EQ(UNKNOWN_TRANSACTION, -EBADMSG);
    EXPECT_EQ(FDS_NOT_ALLOWED, INT32_MIN + 7);
    EXPECT_EQ(UNEXPECTED_NULL, INT32_MIN + 8);
}

TEST(ErrorsTest, StatusToStringNamesKnownCodes) {
    EXPECT_EQ(statusToString(OK), "OK");
    EXPECT_EQ(statusToString(BAD_VALUE), "BAD_VALUE");
    EXPECT_EQ(statusToString(DEAD_OBJECT), "DEAD_OBJECT");
    EXPECT_EQ(statusToString(UNEXPECTED_NULL), "UNEXPECTED_NULL");
    EXPECT_EQ(statusToString(UNKNOWN_ERROR), "UNKNOWN_ERROR");
}

TEST(ErrorsTest, StatusToStringDescribesOtherErrno) {
    EXPECT_EQ(statusToString(-EBADF), "-9 (Bad file descriptor)");
    EXPECT_EQ(statusToString(12345), "12345 (unknown error)");
}

}  // namespace
}  // namespace android
