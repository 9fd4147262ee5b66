#include <binder/Status.h>

#include <binder/Parcel.h>

#include <sstream>

#include <gtest/gtest.h>

#include "ParcelTestUtil.h"

namespace android::binder {
namespace {

using test::bytesOf;
using test::ExpectedBytes;

TEST(StatusTest, ExceptionCodesMatchAosp) {
    EXPECT_EQ(Status::EX_NONE, 0);
    EXPECT_EQ(Status::EX_SECURITY, -1);
    EXPECT_EQ(Status::EX_BAD_PARCELABLE, -2);
    EXPECT_EQ(Status::EX_ILLEGAL_ARGUMENT, -3);
    EXPECT_EQ(Status::EX_NULL_POINTER, -4);
    EXPECT_EQ(Status::EX_ILLEGAL_STATE, -5);
    EXPECT_EQ(Status::EX_NETWORK_MAIN_THREAD, -6);
    EXPECT_EQ(Status::EX_UNSUPPORTED_OPERATION, -7);
    EXPECT_EQ(Status::EX_SERVICE_SPECIFIC, -8);
    EXPECT_EQ(Status::EX_PARCELABLE, -9);
    EXPECT_EQ(Status::EX_HAS_REPLY_HEADER, -128);
    EXPECT_EQ(Status::EX_TRANSACTION_FAILED, -129);
}

TEST(StatusTest, Factories) {
    EXPECT_TRUE(Status::ok().isOk());
    EXPECT_TRUE(Status::fromStatusT(OK).isOk());

    const Status failed = Status::fromStatusT(DEAD_OBJECT);
    EXPECT_FALSE(failed.isOk());
    EXPECT_EQ(failed.exceptionCode(), Status::EX_TRANSACTION_FAILED);
    EXPECT_EQ(failed.transactionError(), DEAD_OBJECT);
    EXPECT_EQ(failed.serviceSpecificErrorCode(), 0);

    const Status specific = Status::fromServiceSpecificError(42, "no quota");
    EXPECT_EQ(specific.exceptionCode(), Status::EX_SERVICE_SPECIFIC);
    EXPECT_EQ(specific.serviceSpecificErrorCode(), 42);
    EXPECT_EQ(specific.transactionError(), OK);
    EXPECT_EQ(specific.exceptionMessage(), String8("no quota"));

    const Status security = Status::fromExceptionCode(Status::EX_SECURITY, String8("denied"));
    EXPECT_EQ(security.exceptionCode(), Status::EX_SECURITY);
    EXPECT_EQ(security.exceptionMessage(), "denied");
    EXPECT_EQ(Status::fromExceptionCode(Status::EX_TRANSACTION_FAILED).transactionError(),
              FAILED_TRANSACTION);
}

TEST(StatusTest, ToString) {
    EXPECT_EQ(Status::ok().toString8(), "No error");
    EXPECT_EQ(Status::fromServiceSpecificError(7, "bad").toString8(),
              "Status(-8, EX_SERVICE_SPECIFIC): '7: bad'");
    EXPECT_EQ(Status::fromStatusT(DEAD_OBJECT).toString8(),
              "Status(-129, EX_TRANSACTION_FAILED): 'DEAD_OBJECT: '");
    EXPECT_EQ(Status::fromExceptionCode(Status::EX_NULL_POINTER, "npe").toString8(),
              "Status(-4, EX_NULL_POINTER): 'npe'");
    std::ostringstream stream;
    stream << Status::fromExceptionCode(-77);
    EXPECT_EQ(stream.str(), "Status(-77, -77): ''");
}

TEST(StatusTest, OkIsOneWord) {
    Parcel parcel;
    ASSERT_EQ(Status::ok().writeToParcel(&parcel), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes().i32(0).get());
}

TEST(StatusTest, ExceptionLayout) {
    Parcel parcel;
    ASSERT_EQ(Status::fromExceptionCode(Status::EX_ILLEGAL_STATE, "ab").writeToParcel(&parcel), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .i32(-5)
                                       .i32(2)
                                       .bytes({'a', 0, 'b', 0, 0, 0, 0, 0})
                                       .i32(0)  // remote stack trace size
                                       .get());
}

TEST(StatusTest, ServiceSpecificLayout) {
    Parcel parcel;
    ASSERT_EQ(Status::fromServiceSpecificError(-3, "x").writeToParcel(&parcel), OK);
    EXPECT_EQ(bytesOf(parcel), ExpectedBytes()
                                       .i32(-8)
                                       .i32(1)
                                       .bytes({'x', 0, 0, 0})
                                       .i32(0)
                                       .i32(-3)  // the service's code
                                       .get());
}

TEST(StatusTest, ParcelableExceptionLayoutHasAnEmptyBlob) {
    Parcel parcel;
    ASSERT_EQ(Status::fromExceptionCode(Status::EX_PARCELABLE).writeToParcel(&parcel), OK);
    EXPECT_EQ(bytesOf(parcel),
              ExpectedBytes().i32(-9).i32(0).bytes({0, 0, 0, 0}).i32(0).i32(0).get());
}

TEST(StatusTest, TransactionFailureIsReturnedNotWritten) {
    Parcel parcel;
    EXPECT_EQ(Status::fromStatusT(UNKNOWN_TRANSACTION).writeToParcel(&parcel), UNKNOWN_TRANSACTION);
    EXPECT_EQ(parcel.dataSize(), 0u);
}

TEST(StatusTest, RoundTrips) {
    for (const Status& original :
         {Status::ok(), Status::fromExceptionCode(Status::EX_SECURITY, "who are you"),
          Status::fromServiceSpecificError(99, "\xC3\xA9"),
          Status::fromExceptionCode(Status::EX_PARCELABLE, "p")}) {
        SCOPED_TRACE(original.toString8().c_str());
        Parcel parcel;
        ASSERT_EQ(original.writeToParcel(&parcel), OK);
        ASSERT_EQ(parcel.writeInt32(1234), OK);  // the reply payload after the status
        parcel.setDataPosition(0);
        Status read = Status::fromStatusT(UNKNOWN_ERROR);
        ASSERT_EQ(read.readFromParcel(parcel), OK);
        EXPECT_EQ(read.exceptionCode(), original.exceptionCode());
        EXPECT_EQ(read.serviceSpecificErrorCode(), original.serviceSpecificErrorCode());
        EXPECT_EQ(read.exceptionMessage(), original.exceptionMessage());
        EXPECT_EQ(parcel.readInt32(), 1234);
    }
}

TEST(StatusTest, ReadSkipsJavaReplyHeaderAndStackTrace) {
    Parcel parcel;
    const test::Bytes bytes = ExpectedBytes()
                                      .i32(Status::EX_HAS_REPLY_HEADER)
                                      .i32(12)  // header size, counting this word
                                      .i32(111)
                                      .i32(222)
                                      .i32(77)  // the payload
                                      .get();
    ASSERT_EQ(parcel.setData(bytes.data(), bytes.size()), OK);
    Status status;
    ASSERT_EQ(status.readFromParcel(parcel), OK);
    EXPECT_TRUE(status.isOk());
    EXPECT_EQ(parcel.readInt32(), 77);

    const test::Bytes withTrace = ExpectedBytes()
                                          .i32(Status::EX_SERVICE_SPECIFIC)
                                          .i32(-1)  // null message
                                          .i32(8)   // stack trace bytes
                                          .i32(0)
                                          .i32(0)
                                          .i32(5)  // the service's code
                                          .get();
    ASSERT_EQ(parcel.setData(withTrace.data(), withTrace.size()), OK);
    // A null message is not accepted where AOSP reads a String16 either.
    EXPECT_EQ(status.readFromParcel(parcel), UNEXPECTED_NULL);
    EXPECT_EQ(status.transactionError(), UNEXPECTED_NULL);
}

TEST(StatusTest, ReadSkipsStackTrace) {
    Parcel parcel;
    ASSERT_EQ(parcel.writeInt32(Status::EX_SERVICE_SPECIFIC), OK);
    ASSERT_EQ(parcel.writeString16(String16(u"m")), OK);
    ASSERT_EQ(parcel.writeInt32(8), OK);
    ASSERT_EQ(parcel.writeInt64(-1), OK);  // the "stack trace"
    ASSERT_EQ(parcel.writeInt32(5), OK);
    parcel.setDataPosition(0);
    Status status;
    ASSERT_EQ(status.readFromParcel(parcel), OK);
    EXPECT_EQ(status.serviceSpecificErrorCode(), 5);
    EXPECT_EQ(status.exceptionMessage(), "m");
}

TEST(StatusTest, EmptyParcelableBlobIsJustItsSizeWord) {
    // AOSP's reader would rewind onto the 0 and hand it to the caller as payload.
    Parcel parcel;
    ASSERT_EQ(Status::fromExceptionCode(Status::EX_PARCELABLE).writeToParcel(&parcel), OK);
    ASSERT_EQ(parcel.writeInt32(55), OK);
    parcel.setDataPosition(0);
    Status status;
    ASSERT_EQ(status.readFromParcel(parcel), OK);
    EXPECT_EQ(status.exceptionCode(), Status::EX_PARCELABLE);
    EXPECT_EQ(parcel.readInt32(), 55);
}

TEST(StatusTest, BadSizesBecomeATransactionFailure) {
    for (int32_t badSize : {-4, 2, 1000}) {
        SCOPED_TRACE(badSize);
        Parcel parcel;
        ASSERT_EQ(parcel.writeInt32(Status::EX_HAS_REPLY_HEADER), OK);
        ASSERT_EQ(parcel.writeInt32(badSize), OK);
        parcel.setDataPosition(0);
        Status status;
        EXPECT_EQ(status.readFromParcel(parcel), UNKNOWN_ERROR);
        EXPECT_EQ(status.exceptionCode(), Status::EX_TRANSACTION_FAILED);
        EXPECT_EQ(status.transactionError(), UNKNOWN_ERROR);
        EXPECT_LE(parcel.dataPosition(), parcel.dataSize());

        Parcel trace;
        ASSERT_EQ(trace.writeInt32(Status::EX_SECURITY), OK);
        ASSERT_EQ(trace.writeString16(String16(u"m")), OK);
        ASSERT_EQ(trace.writeInt32(badSize), OK);
        trace.setDataPosition(0);
        EXPECT_EQ(status.readFromParcel(trace), UNKNOWN_ERROR);
    }
}

TEST(StatusTest, Setters) {
    Status status;
    status.setServiceSpecificError(3, String8("s"));
    EXPECT_EQ(status.serviceSpecificErrorCode(), 3);
    status.setException(Status::EX_ILLEGAL_ARGUMENT, String8("arg"));
    EXPECT_EQ(status.exceptionCode(), Status::EX_ILLEGAL_ARGUMENT);
    EXPECT_EQ(status.serviceSpecificErrorCode(), 0);
    status.setFromStatusT(OK);
    EXPECT_TRUE(status.isOk());
    EXPECT_TRUE(status.exceptionMessage().empty());
}

}  // namespace
}  // namespace android::binder
