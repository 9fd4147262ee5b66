// IPCThreadState and ProcessState against the fake driver: the exact commands they write for
// calls, replies, reference counts and freed buffers, and how they read every return.
#include <binder/Binder.h>
#include <binder/BpBinder.h>
#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <gtest/gtest.h>

#include "FakeDriver.h"

namespace binder_test {
namespace {

using android::BBinder;
using android::IBinder;
using android::IPCThreadState;
using android::Parcel;
using android::ProcessState;
using android::sp;
using android::status_t;

class IpcTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sp<ProcessState> process =
                ProcessState::initWithDriverOps("/dev/fake-binder", makeFakeDriverOps());
        ASSERT_NE(process, nullptr);
        ASSERT_TRUE(process->isValid());
    }
    void SetUp() override {
        IPCThreadState::self()->flushCommands();
        fakeDriver().reset();
    }
    static FakeDriverState& driver() { return fakeDriver(); }

    // A BR_REPLY whose data (|payload|) sits in the fake mapping at |offset|.
    static binder_transaction_data replyIn(size_t offset, const void* payload, size_t size,
                                           uint32_t flags = 0) {
        binder_transaction_data tr{};
        tr.flags = flags;
        tr.data_size = size;
        tr.data.ptr.buffer = driver().placeInMapping(offset, payload, size);
        return tr;
    }
};

TEST_F(IpcTest, OpeningSetsFifteenMaxThreadsAsAosp) {
    // The driver was told when it was opened (in SetUpTestSuite).
    EXPECT_EQ(driver().maxThreads, 15U);
    EXPECT_EQ(ProcessState::self()->getThreadPoolMaxThreadCount(), 15U);
}

TEST_F(IpcTest, TransactWritesTheTransactionAndReadsTheReply) {
    const int32_t answer = 42;
    const binder_transaction_data reply = replyIn(0, &answer, sizeof(answer));
    driver().script(FakeDriverState::Batch().add(BR_NOOP).add(BR_TRANSACTION_COMPLETE));
    driver().script(FakeDriverState::Batch().add(BR_REPLY, reply));

    Parcel data;
    ASSERT_EQ(data.writeInt32(7), android::OK);
    {
        Parcel result;
        ASSERT_EQ(IPCThreadState::self()->transact(5, 77, data, &result, 0), android::OK);
        EXPECT_EQ(result.readInt32(), 42);

        const auto commands = driver().takeCommands();
        ASSERT_EQ(commands.size(), 1U);
        ASSERT_EQ(commands[0].cmd, static_cast<uint32_t>(BC_TRANSACTION));
        const auto tr = commands[0].as<binder_transaction_data>();
        EXPECT_EQ(tr.target.handle, 5U);
        EXPECT_EQ(tr.code, 77U);
        EXPECT_EQ(tr.flags, static_cast<uint32_t>(TF_ACCEPT_FDS));
        EXPECT_EQ(tr.data_size, 4U);
        EXPECT_EQ(tr.offsets_size, 0U);
        EXPECT_EQ(tr.data.ptr.buffer, data.ipcData());
    }
    // The reply Parcel gave its buffer back when it went away.
    const auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 1U);
    EXPECT_EQ(commands[0].cmd, static_cast<uint32_t>(BC_FREE_BUFFER));
    EXPECT_EQ(commands[0].as<binder_uintptr_t>(), reply.data.ptr.buffer);
}

TEST_F(IpcTest, OneWayCallReturnsAtTransactionComplete) {
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE));
    Parcel data;
    ASSERT_EQ(IPCThreadState::self()->transact(2, 9, data, nullptr, IBinder::FLAG_ONEWAY),
              android::OK);
    const auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 1U);
    EXPECT_EQ(commands[0].as<binder_transaction_data>().flags,
              static_cast<uint32_t>(TF_ONE_WAY | TF_ACCEPT_FDS));
    EXPECT_TRUE(driver().batches.empty());
}

TEST_F(IpcTest, DeadAndFailedRepliesBecomeStatuses) {
    Parcel data;
    Parcel reply;
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE).add(BR_DEAD_REPLY));
    EXPECT_EQ(IPCThreadState::self()->transact(1, 1, data, &reply, 0), android::DEAD_OBJECT);
    driver().script(FakeDriverState::Batch().add(BR_FAILED_REPLY));
    EXPECT_EQ(IPCThreadState::self()->transact(1, 1, data, &reply, 0),
              android::FAILED_TRANSACTION);
}

TEST_F(IpcTest, StatusCodeReplyIsReturnedAndItsBufferFreed) {
    const status_t remote = android::PERMISSION_DENIED;
    const binder_transaction_data reply = replyIn(64, &remote, sizeof(remote), TF_STATUS_CODE);
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE).add(BR_REPLY, reply));
    Parcel data;
    Parcel result;
    EXPECT_EQ(IPCThreadState::self()->transact(3, 1, data, &result, 0),
              android::PERMISSION_DENIED);
    const auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 2U);
    EXPECT_EQ(commands[1].cmd, static_cast<uint32_t>(BC_FREE_BUFFER));
    EXPECT_EQ(commands[1].as<binder_uintptr_t>(), reply.data.ptr.buffer);
}

TEST_F(IpcTest, TruncatedReturnFailsTheCallWithoutCrashing) {
    driver().script(FakeDriverState::Batch().add(BR_REPLY).append("short", 5));
    Parcel data;
    Parcel reply;
    EXPECT_NE(IPCThreadState::self()->transact(3, 1, data, &reply, 0), android::OK);
}

TEST_F(IpcTest, ProxyReferenceCountsFollowItsLifetime) {
    {
        sp<IBinder> proxy = ProcessState::self()->getStrongProxyForHandle(6);
        ASSERT_NE(proxy, nullptr);
        ASSERT_NE(proxy->remoteBinder(), nullptr);
        EXPECT_EQ(proxy->remoteBinder()->handle(), 6);
        IPCThreadState::self()->flushCommands();
        const auto commands = driver().takeCommands();
        ASSERT_EQ(commands.size(), 2U);
        EXPECT_EQ(commands[0].cmd, static_cast<uint32_t>(BC_INCREFS));
        EXPECT_EQ(commands[0].as<uint32_t>(), 6U);
        EXPECT_EQ(commands[1].cmd, static_cast<uint32_t>(BC_ACQUIRE));
        EXPECT_EQ(commands[1].as<uint32_t>(), 6U);
        // The same handle gives the same proxy.
        EXPECT_EQ(ProcessState::self()->getStrongProxyForHandle(6), proxy);
    }
    const auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 2U);
    EXPECT_EQ(commands[0].cmd, static_cast<uint32_t>(BC_RELEASE));
    EXPECT_EQ(commands[1].cmd, static_cast<uint32_t>(BC_DECREFS));
    EXPECT_EQ(commands[1].as<uint32_t>(), 6U);
}

// A local object that doubles the int32 it is sent.
class Doubler : public BBinder {
public:
    int calls = 0;

protected:
    status_t onTransact(uint32_t code, const Parcel& data, Parcel* reply, uint32_t flags) override {
        if (code != 1) return BBinder::onTransact(code, data, reply, flags);
        ++calls;
        return reply->writeInt32(data.readInt32() * 2);
    }
};

TEST_F(IpcTest, IncomingTransactionRunsAndIsAnswered) {
    auto target = sp<Doubler>::make();
    const int32_t value = 5;
    binder_transaction_data tr{};
    tr.target.ptr = reinterpret_cast<uintptr_t>(target->getWeakRefs());
    tr.cookie = reinterpret_cast<uintptr_t>(target.get());
    tr.code = 1;
    tr.sender_pid = 1234;
    tr.sender_euid = 1000;
    tr.data_size = sizeof(value);
    tr.data.ptr.buffer = driver().placeInMapping(128, &value, sizeof(value));
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION, tr));
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE));

    EXPECT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    EXPECT_EQ(target->calls, 1);
    const auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 2U);
    // The request's buffer goes back before the reply is sent.
    EXPECT_EQ(commands[0].cmd, static_cast<uint32_t>(BC_FREE_BUFFER));
    EXPECT_EQ(commands[0].as<binder_uintptr_t>(), tr.data.ptr.buffer);
    ASSERT_EQ(commands[1].cmd, static_cast<uint32_t>(BC_REPLY));
    const auto reply = commands[1].as<binder_transaction_data>();
    EXPECT_EQ(reply.flags & TF_STATUS_CODE, 0U);
    ASSERT_EQ(reply.data_size, 4U);
    // After the call, the thread's identity is its own again.
    EXPECT_EQ(IPCThreadState::self()->getCallingPid(), getpid());
}

TEST_F(IpcTest, UnknownCodeIsAnsweredWithAStatusReply) {
    auto target = sp<Doubler>::make();
    binder_transaction_data tr{};
    tr.target.ptr = reinterpret_cast<uintptr_t>(target->getWeakRefs());
    tr.cookie = reinterpret_cast<uintptr_t>(target.get());
    tr.code = 99;
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION, tr));
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE));
    EXPECT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    const auto commands = driver().takeCommands();
    ASSERT_FALSE(commands.empty());
    const auto reply = commands.back().as<binder_transaction_data>();
    EXPECT_EQ(commands.back().cmd, static_cast<uint32_t>(BC_REPLY));
    EXPECT_EQ(reply.flags & TF_STATUS_CODE, static_cast<uint32_t>(TF_STATUS_CODE));
    EXPECT_EQ(reply.data_size, sizeof(status_t));
}

TEST_F(IpcTest, DriverRefCountRequestsAreAcknowledgedAndApplied) {
    auto target = sp<Doubler>::make();
    const int32_t strongBefore = target->getStrongCount();
    const int32_t weakBefore = target->getWeakRefs()->getWeakCount();
    binder_ptr_cookie pc{reinterpret_cast<uintptr_t>(target->getWeakRefs()),
                         reinterpret_cast<uintptr_t>(target.get())};
    driver().script(FakeDriverState::Batch().add(BR_INCREFS, pc).add(BR_ACQUIRE, pc));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    EXPECT_EQ(target->getStrongCount(), strongBefore + 1);
    EXPECT_EQ(target->getWeakRefs()->getWeakCount(), weakBefore + 2);  // incWeak + incStrong
    auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 2U);
    EXPECT_EQ(commands[0].cmd, static_cast<uint32_t>(BC_INCREFS_DONE));
    EXPECT_EQ(commands[0].as<binder_ptr_cookie>().cookie, pc.cookie);
    EXPECT_EQ(commands[1].cmd, static_cast<uint32_t>(BC_ACQUIRE_DONE));

    driver().script(FakeDriverState::Batch().add(BR_RELEASE, pc).add(BR_DECREFS, pc));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    EXPECT_EQ(target->getStrongCount(), strongBefore);
    EXPECT_EQ(target->getWeakRefs()->getWeakCount(), weakBefore);
}

TEST_F(IpcTest, UnknownReturnCommandIsAnErrorNotACrash) {
    driver().script(FakeDriverState::Batch().add(0xdeadbeef));
    EXPECT_EQ(IPCThreadState::self()->handlePolledCommands(), android::UNKNOWN_ERROR);
}

}  // namespace
}  // namespace binder_test
