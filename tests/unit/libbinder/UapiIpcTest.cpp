// IPCThreadState, ProcessState and BpBinder against the fake driver, for the newer parts of
// the UAPI: scatter-gather sends, freezing, freeze notifications, security contexts and
// one-way spam reports. The fake driver (tests/unit/ipc) records commands and replays scripted
// returns; the ioctls it does not know are answered here.
#include <binder/Binder.h>
#include <binder/BpBinder.h>
#include <binder/IPCThreadState.h>
#include <binder/Parcel.h>
#include <binder/ProcessState.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include "FakeDriver.h"
#include "internal/BinderUapi.h"

namespace binder_test {
namespace {

namespace uapi = android::internal::uapi;
using android::BBinder;
using android::IBinder;
using android::IPCThreadState;
using android::Parcel;
using android::ProcessState;
using android::sp;
using android::status_t;
using android::wp;

// The ioctls beyond the fake driver's: freezing and spam detection, with what was asked
// recorded; and, on request, a driver that rejects freeze notifications as unknown commands.
struct UapiIoctls {
    binder_freeze_info lastFreeze{};
    binder_frozen_status_info frozenInfo{};
    int freezeError = 0;
    uint32_t spamDetection = 2;  // neither 0 nor 1: never set
    bool rejectFreezeNotifications = false;
};

UapiIoctls& uapiIoctls() {
    static UapiIoctls state;
    return state;
}

class UapiDriverOps final : public android::internal::DriverOps {
public:
    int open(const char* path, int flags) override { return fake_->open(path, flags); }
    int close(int fd) override { return fake_->close(fd); }
    void* mmap(size_t length, int prot, int flags, int fd) override {
        return fake_->mmap(length, prot, flags, fd);
    }
    int munmap(void* address, size_t length) override { return fake_->munmap(address, length); }
    int ioctl(int fd, unsigned long request, void* arg) override {
        UapiIoctls& state = uapiIoctls();
        switch (request) {
            case BINDER_FREEZE:
                state.lastFreeze = *static_cast<binder_freeze_info*>(arg);
                return fail(state.freezeError);
            case BINDER_GET_FROZEN_INFO: {
                auto* info = static_cast<binder_frozen_status_info*>(arg);
                if (info->pid != state.frozenInfo.pid) return fail(EINVAL);
                *info = state.frozenInfo;
                return 0;
            }
            case BINDER_ENABLE_ONEWAY_SPAM_DETECTION:
                state.spamDetection = *static_cast<uint32_t*>(arg);
                return 0;
            case BINDER_WRITE_READ:
                if (state.rejectFreezeNotifications && startsWithFreezeRequest(arg)) return fail(EINVAL);
                return fake_->ioctl(fd, request, arg);
            default:
                return fake_->ioctl(fd, request, arg);
        }
    }

private:
    static int fail(int error) {
        if (error == 0) return 0;
        errno = error;
        return -1;
    }
    // As Linux before 6.12 does: BC_REQUEST_FREEZE_NOTIFICATION is an unknown command.
    static bool startsWithFreezeRequest(void* arg) {
        const auto* bwr = static_cast<const binder_write_read*>(arg);
        uint32_t cmd = 0;
        if (bwr->write_size < sizeof(cmd)) return false;
        std::memcpy(&cmd, reinterpret_cast<const void*>(bwr->write_buffer), sizeof(cmd));
        return cmd == uapi::BC_REQUEST_FREEZE_NOTIFICATION;
    }

    std::unique_ptr<android::internal::DriverOps> fake_ = makeFakeDriverOps();
};

// Captures this process's stderr (libbinder's log) while alive.
class CapturedStderr {
public:
    CapturedStderr() : saved_(::dup(STDERR_FILENO)) {
        std::fflush(stderr);
        file_ = std::tmpfile();
        ::dup2(::fileno(file_), STDERR_FILENO);
    }
    ~CapturedStderr() {
        restore();
        std::fclose(file_);
    }
    std::string restore() {
        if (saved_ >= 0) {
            std::fflush(stderr);
            ::dup2(saved_, STDERR_FILENO);
            ::close(saved_);
            saved_ = -1;
        }
        std::string text;
        std::rewind(file_);
        for (int c; (c = std::fgetc(file_)) != EOF;) text.push_back(static_cast<char>(c));
        return text;
    }

private:
    int saved_;
    FILE* file_;
};

class UapiIpcTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sp<ProcessState> process = ProcessState::initWithDriverOps(
                "/dev/fake-binder", std::make_unique<UapiDriverOps>());
        ASSERT_NE(process, nullptr);
        ASSERT_TRUE(process->isValid());
    }
    void SetUp() override {
        IPCThreadState::self()->flushCommands();
        fakeDriver().reset();
        uapiIoctls() = UapiIoctls{};
    }
    static FakeDriverState& driver() { return fakeDriver(); }

    // A BR_TRANSACTION(_SEC_CTX) for |target| with no data.
    static binder_transaction_data transactionFor(const sp<BBinder>& target, uint32_t code) {
        binder_transaction_data tr{};
        tr.target.ptr = reinterpret_cast<uintptr_t>(target->getWeakRefs());
        tr.cookie = reinterpret_cast<uintptr_t>(target.get());
        tr.code = code;
        tr.data.ptr.buffer = driver().placeInMapping(0, "", 0);
        return tr;
    }
};

TEST_F(UapiIpcTest, ParcelWithAnFdArrayGoesOutScatterGather) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    Parcel data;
    ASSERT_EQ(data.writeInt32(1), android::OK);
    ASSERT_EQ(data.writeFileDescriptorArray(std::vector<int>{fd, fd, fd}), android::OK);
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE));
    ASSERT_EQ(IPCThreadState::self()->transact(4, 9, data, nullptr, IBinder::FLAG_ONEWAY),
              android::OK);
    const auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 1U);
    ASSERT_EQ(commands[0].cmd, static_cast<uint32_t>(BC_TRANSACTION_SG));
    const auto sg = commands[0].as<binder_transaction_data_sg>();
    EXPECT_EQ(sg.transaction_data.target.handle, 4U);
    EXPECT_EQ(sg.transaction_data.data_size, data.dataSize());
    EXPECT_EQ(sg.transaction_data.offsets_size, 2 * sizeof(binder_size_t));
    EXPECT_EQ(sg.buffers_size, 16U);  // three u32s, rounded up to 8
    ::close(fd);
}

// A local object that records the calling sid, and answers with a reply carrying an fd array.
class SidRecorder : public BBinder {
public:
    bool called = false;
    std::string sid;
    bool sidWasNull = true;
    int fdForReply = -1;

protected:
    status_t onTransact(uint32_t, const Parcel&, Parcel* reply, uint32_t) override {
        called = true;
        const char* context = IPCThreadState::self()->getCallingSid();
        sidWasNull = context == nullptr;
        if (context != nullptr) sid = context;
        if (fdForReply >= 0) return reply->writeFileDescriptorArray(std::vector<int>{fdForReply});
        return android::OK;
    }
};

TEST_F(UapiIpcTest, SecurityContextIsTheCallingSidDuringTheCallOnly) {
    auto target = sp<SidRecorder>::make();
    static const char kContext[] = "u:r:test_client:s0";
    binder_transaction_data_secctx tr{};
    tr.transaction_data = transactionFor(target, 1);
    tr.secctx = driver().placeInMapping(64, kContext, sizeof(kContext));
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_SEC_CTX, tr));
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    ASSERT_TRUE(target->called);
    EXPECT_FALSE(target->sidWasNull);
    EXPECT_EQ(target->sid, kContext);
    EXPECT_EQ(IPCThreadState::self()->getCallingSid(), nullptr);
    const auto commands = driver().takeCommands();
    ASSERT_FALSE(commands.empty());
    EXPECT_EQ(commands.back().cmd, static_cast<uint32_t>(BC_REPLY));

    // A plain BR_TRANSACTION has no context.
    auto plain = sp<SidRecorder>::make();
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION, transactionFor(plain, 1)));
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    ASSERT_TRUE(plain->called);
    EXPECT_TRUE(plain->sidWasNull);
}

TEST_F(UapiIpcTest, ReplyWithAnFdArrayGoesOutScatterGather) {
    auto target = sp<SidRecorder>::make();
    target->fdForReply = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(target->fdForReply, 0);
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION, transactionFor(target, 1)));
    driver().script(FakeDriverState::Batch().add(BR_TRANSACTION_COMPLETE));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    const auto commands = driver().takeCommands();
    ASSERT_FALSE(commands.empty());
    ASSERT_EQ(commands.back().cmd, static_cast<uint32_t>(BC_REPLY_SG));
    EXPECT_EQ(commands.back().as<binder_transaction_data_sg>().buffers_size, 8U);
    ::close(target->fdForReply);
}

TEST_F(UapiIpcTest, RequestingSidSetsTheFlagWhenFlattenedAndOnlyBefore) {
    auto requesting = sp<BBinder>::make();
    requesting->setRequestingSid(true);
    auto plain = sp<BBinder>::make();
    Parcel parcel;
    ASSERT_EQ(parcel.writeStrongBinder(requesting), android::OK);
    ASSERT_EQ(parcel.writeStrongBinder(plain), android::OK);
    flat_binder_object object{};
    std::memcpy(&object, parcel.data(), sizeof(object));
    EXPECT_EQ(object.flags & FLAT_BINDER_FLAG_TXN_SECURITY_CTX,
              static_cast<uint32_t>(FLAT_BINDER_FLAG_TXN_SECURITY_CTX));
    std::memcpy(&object, parcel.data() + sizeof(object), sizeof(object));
    EXPECT_EQ(object.flags & FLAT_BINDER_FLAG_TXN_SECURITY_CTX, 0U);
    // The driver has seen the flags: a late change is refused.
    CapturedStderr log;
    plain->setRequestingSid(true);
    EXPECT_NE(log.restore().find("setRequestingSid"), std::string::npos);
    EXPECT_FALSE(plain->isRequestingSid());
}

TEST_F(UapiIpcTest, FrozenReplyIsAFailedTransaction) {
    driver().script(FakeDriverState::Batch().add(BR_FROZEN_REPLY));
    Parcel data;
    Parcel reply;
    EXPECT_EQ(IPCThreadState::self()->transact(1, 1, data, &reply, 0), android::FAILED_TRANSACTION);
}

TEST_F(UapiIpcTest, OneWayToAFrozenProcessIsQueuedWithAWarning) {
    driver().script(FakeDriverState::Batch().add(uapi::BR_TRANSACTION_PENDING_FROZEN));
    Parcel data;
    CapturedStderr log;
    EXPECT_EQ(IPCThreadState::self()->transact(1, 1, data, nullptr, IBinder::FLAG_ONEWAY),
              android::OK);
    EXPECT_NE(log.restore().find("sending oneway calls to frozen process"), std::string::npos);
    EXPECT_TRUE(driver().batches.empty());
}

TEST_F(UapiIpcTest, OneWaySpamSuspectCompletesTheCallAndIsLogged) {
    ASSERT_EQ(ProcessState::self()->enableOnewaySpamDetection(true), android::OK);
    EXPECT_EQ(uapiIoctls().spamDetection, 1U);
    driver().script(FakeDriverState::Batch().add(BR_ONEWAY_SPAM_SUSPECT));
    Parcel data;
    CapturedStderr log;
    EXPECT_EQ(IPCThreadState::self()->transact(1, 1, data, nullptr, IBinder::FLAG_ONEWAY),
              android::OK);
    EXPECT_NE(log.restore().find("too many oneway calls"), std::string::npos);
    // In a synchronous call it is only the acknowledgement; the reply follows.
    const int32_t answer = 3;
    binder_transaction_data reply{};
    reply.data_size = sizeof(answer);
    reply.data.ptr.buffer = driver().placeInMapping(0, &answer, sizeof(answer));
    driver().script(FakeDriverState::Batch().add(BR_ONEWAY_SPAM_SUSPECT).add(BR_REPLY, reply));
    Parcel result;
    EXPECT_EQ(IPCThreadState::self()->transact(1, 1, data, &result, 0), android::OK);
    EXPECT_EQ(result.readInt32(), 3);
    ASSERT_EQ(ProcessState::self()->enableOnewaySpamDetection(false), android::OK);
    EXPECT_EQ(uapiIoctls().spamDetection, 0U);
}

TEST_F(UapiIpcTest, FreezeAndFreezeInfoAreTheIoctls) {
    EXPECT_EQ(IPCThreadState::freeze(321, true, 250), android::OK);
    EXPECT_EQ(uapiIoctls().lastFreeze.pid, 321U);
    EXPECT_EQ(uapiIoctls().lastFreeze.enable, 1U);
    EXPECT_EQ(uapiIoctls().lastFreeze.timeout_ms, 250U);
    uapiIoctls().freezeError = EAGAIN;
    EXPECT_EQ(IPCThreadState::freeze(321, false, 0), -EAGAIN);
    EXPECT_EQ(uapiIoctls().lastFreeze.enable, 0U);

    uapiIoctls().frozenInfo = {321, 3, 1};
    uint32_t sync = 0;
    uint32_t async = 0;
    EXPECT_EQ(IPCThreadState::getProcessFreezeInfo(321, &sync, &async), android::OK);
    EXPECT_EQ(sync, 3U);
    EXPECT_EQ(async, 1U);
    EXPECT_EQ(IPCThreadState::getProcessFreezeInfo(999, &sync, &async), -EINVAL);
}

class FrozenStates : public IBinder::FrozenStateChangeCallback {
public:
    std::vector<State> states;
    void onStateChanged(const wp<IBinder>& who, State state) override {
        EXPECT_NE(who.promote(), nullptr);
        states.push_back(state);
    }
};

TEST_F(UapiIpcTest, FreezeNotificationsAreRequestedDeliveredAcknowledgedAndCleared) {
    using State = IBinder::FrozenStateChangeCallback::State;
    sp<IBinder> proxy = ProcessState::self()->getStrongProxyForHandle(7);
    ASSERT_NE(proxy, nullptr);
    IPCThreadState::self()->flushCommands();
    (void)driver().takeCommands();
    const auto cookie = reinterpret_cast<binder_uintptr_t>(proxy->remoteBinder());

    auto first = sp<FrozenStates>::make();
    ASSERT_EQ(proxy->addFrozenStateChangeCallback(first), android::OK);
    auto commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 1U);  // sent at once, alone
    ASSERT_EQ(commands[0].cmd, uapi::BC_REQUEST_FREEZE_NOTIFICATION);
    EXPECT_EQ(commands[0].as<binder_handle_cookie>().handle, 7U);
    EXPECT_EQ(commands[0].as<binder_handle_cookie>().cookie, cookie);
    // One request per proxy, however many callbacks.
    auto second = sp<FrozenStates>::make();
    ASSERT_EQ(proxy->addFrozenStateChangeCallback(second), android::OK);
    EXPECT_TRUE(driver().takeCommands().empty());

    // The driver reports; each report is acknowledged; a repeat of the state is not news.
    driver().script(FakeDriverState::Batch()
                            .add(uapi::BR_FROZEN_BINDER, uapi::FrozenStateInfo{cookie, 0, 0})
                            .add(uapi::BR_FROZEN_BINDER, uapi::FrozenStateInfo{cookie, 1, 0})
                            .add(uapi::BR_FROZEN_BINDER, uapi::FrozenStateInfo{cookie, 1, 0}));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    EXPECT_EQ(first->states, (std::vector<State>{State::UNFROZEN, State::FROZEN}));
    EXPECT_EQ(second->states, first->states);
    commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 3U);
    for (const RecordedCommand& command : commands) {
        EXPECT_EQ(command.cmd, uapi::BC_FREEZE_NOTIFICATION_DONE);
        EXPECT_EQ(command.as<binder_uintptr_t>(), cookie);
    }
    // A callback added now hears the known state at once.
    auto late = sp<FrozenStates>::make();
    ASSERT_EQ(proxy->addFrozenStateChangeCallback(late), android::OK);
    EXPECT_EQ(late->states, std::vector<State>{State::FROZEN});

    EXPECT_EQ(proxy->removeFrozenStateChangeCallback(first), android::OK);
    EXPECT_EQ(proxy->removeFrozenStateChangeCallback(first), android::NAME_NOT_FOUND);
    EXPECT_EQ(proxy->removeFrozenStateChangeCallback(second), android::OK);
    EXPECT_TRUE(driver().takeCommands().empty());
    EXPECT_EQ(proxy->removeFrozenStateChangeCallback(late), android::OK);
    commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 1U);
    EXPECT_EQ(commands[0].cmd, uapi::BC_CLEAR_FREEZE_NOTIFICATION);
    EXPECT_EQ(commands[0].as<binder_handle_cookie>().cookie, cookie);

    // Added again before the driver confirmed the clear: the new request waits for it.
    ASSERT_EQ(proxy->addFrozenStateChangeCallback(first), android::OK);
    EXPECT_TRUE(driver().takeCommands().empty());
    driver().script(FakeDriverState::Batch().add(uapi::BR_CLEAR_FREEZE_NOTIFICATION_DONE, cookie));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    commands = driver().takeCommands();
    ASSERT_EQ(commands.size(), 1U);
    EXPECT_EQ(commands[0].cmd, uapi::BC_REQUEST_FREEZE_NOTIFICATION);

    // The last strong reference clears the request too.
    proxy.clear();
    IPCThreadState::self()->flushCommands();
    commands = driver().takeCommands();
    EXPECT_TRUE(std::any_of(commands.begin(), commands.end(), [](const RecordedCommand& c) {
        return c.cmd == uapi::BC_CLEAR_FREEZE_NOTIFICATION;
    }));
    // The proxy lives until the driver confirms (its weak reference); then it goes.
    driver().script(FakeDriverState::Batch().add(uapi::BR_CLEAR_FREEZE_NOTIFICATION_DONE, cookie));
    ASSERT_EQ(IPCThreadState::self()->handlePolledCommands(), android::OK);
    commands = driver().takeCommands();
    EXPECT_TRUE(std::any_of(commands.begin(), commands.end(), [](const RecordedCommand& c) {
        return c.cmd == static_cast<uint32_t>(BC_DECREFS);
    }));
}

TEST_F(UapiIpcTest, DriverWithoutFreezeNotificationsIsDetectedOnce) {
    // The answer is remembered for the process: find it in a child that runs this test from
    // a fresh start ("threadsafe" re-executes the binary), whatever ran here before.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
            {
                uapiIoctls().rejectFreezeNotifications = true;
                sp<IBinder> proxy = ProcessState::self()->getStrongProxyForHandle(8);
                auto callback = sp<FrozenStates>::make();
                if (proxy->addFrozenStateChangeCallback(callback) != android::INVALID_OPERATION) {
                    std::_Exit(1);
                }
                // The rejected command did not stay queued to poison the next write.
                IPCThreadState::self()->flushCommands();
                for (const RecordedCommand& c : driver().takeCommands()) {
                    if (c.cmd == uapi::BC_REQUEST_FREEZE_NOTIFICATION) std::_Exit(2);
                }
                // Known now: no second attempt reaches the driver.
                uapiIoctls().rejectFreezeNotifications = false;
                if (proxy->addFrozenStateChangeCallback(callback) != android::INVALID_OPERATION) {
                    std::_Exit(3);
                }
                if (!driver().takeCommands().empty()) std::_Exit(4);
                if (sp<BBinder>::make()->addFrozenStateChangeCallback(callback) !=
                    android::INVALID_OPERATION) {
                    std::_Exit(5);
                }
                std::_Exit(0);
            },
            ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace binder_test
