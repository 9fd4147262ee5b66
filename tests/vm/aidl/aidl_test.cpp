// The AIDL example between processes, on whichever driver tools/vm/run loaded: the C++ that
// aidl generates from examples/aidl, unchanged, against libbinder. servicemanager and the
// example's stats_service run from PATH; the test's clients use the generated proxies in child
// processes (this process never opens the driver, so that its children start clean).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <binder/Binder.h>
#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/ProcessState.h>
#include <binder/Status.h>
#include <gtest/gtest.h>
#include <utils/String16.h>
#include <utils/String8.h>

#include <example/stats/BnSampleListener.h>
#include <example/stats/IStatsService.h>

#include "child_process.h"
#include "program_process.h"
#include "vm_test_env.h"

namespace binder_test {
namespace {

using android::ProcessState;
using android::sp;
using android::String16;
using android::binder::Status;
using example::stats::ISampleListener;
using example::stats::IStatsService;
using example::stats::Sample;
using namespace std::chrono_literals;

constexpr char kServiceName[] = "test.stats";

// The example service (stats_service from PATH) registered as NAME; ready once listed.
class StatsServiceProcess : public ProgramProcess {
 public:
  explicit StatsServiceProcess(const std::string& name = kServiceName)
      : ProgramProcess({"stats_service", "--name", name}) {
    EXPECT_TRUE(waitUntil([name] {
      return android::defaultServiceManager()->checkService(String16(name.c_str())) != nullptr;
    })) << "stats_service did not register " << name;
  }
};

// Runs BODY in a client child and waits for it.
void inClient(const std::function<void()>& body) {
  ChildProcess client("client", body);
  EXPECT_TRUE(client.wait());
}

sp<IStatsService> statsService() {
  sp<IStatsService> stats = android::waitForService<IStatsService>(String16(kServiceName));
  EXPECT_NE(stats, nullptr);
  return stats;
}

Sample makeSample(const std::string& sensor, double value, int64_t timestampNs = 0) {
  Sample sample;
  sample.sensor = sensor;
  sample.value = value;
  sample.timestampNs = timestampNs;
  sample.unit = u'C';
  sample.quality = -3;
  sample.calibrated = true;
  return sample;
}

void recordAll(const sp<IStatsService>& stats, const std::string& sensor,
               const std::vector<double>& values) {
  int64_t timestamp = 1000;
  for (double value : values) {
    int32_t count = 0;
    ASSERT_TRUE(stats->record(makeSample(sensor, value, timestamp++), &count).isOk());
  }
}

void expectSameSample(const Sample& actual, const Sample& expected) {
  EXPECT_EQ(actual.sensor, expected.sensor);
  EXPECT_EQ(actual.timestampNs, expected.timestampNs);
  EXPECT_EQ(actual.value, expected.value);
  EXPECT_EQ(actual.unit, expected.unit);
  EXPECT_EQ(actual.quality, expected.quality);
  EXPECT_EQ(actual.calibrated, expected.calibrated);
}

// Remembers the samples it is told about and who called.
class RecordingListener : public example::stats::BnSampleListener {
 public:
  Status onSample(const Sample& sample) override {
    std::lock_guard lock(mutex_);
    samples_.push_back(sample);
    callers_.push_back(android::IPCThreadState::self()->getCallingPid());
    return Status::ok();
  }
  std::vector<Sample> samples() {
    std::lock_guard lock(mutex_);
    return samples_;
  }
  std::vector<pid_t> callers() {
    std::lock_guard lock(mutex_);
    return callers_;
  }

 private:
  std::mutex mutex_;
  std::vector<Sample> samples_;
  std::vector<pid_t> callers_;
};

class AidlTest : public ::testing::Test {
 protected:
  ServiceManagerProcess daemon_;
  StatsServiceProcess service_;
};

TEST_F(AidlTest, RecordCountsPerSensorAndKeepsEveryField) {
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    int32_t count = 0;
    ASSERT_TRUE(stats->record(makeSample("b.pressure", 1013.25, 10), &count).isOk());
    EXPECT_EQ(count, 1);
    ASSERT_TRUE(stats->record(makeSample("a.temp", -4.5, 11), &count).isOk());
    EXPECT_EQ(count, 1);
    const Sample newest = makeSample("b.pressure", 1009.5, 12);
    ASSERT_TRUE(stats->record(newest, &count).isOk());
    EXPECT_EQ(count, 2);

    std::vector<std::string> names;
    ASSERT_TRUE(stats->sensors(&names).isOk());
    EXPECT_EQ(names, (std::vector<std::string>{"a.temp", "b.pressure"}));
    Sample latest;
    bool found = false;
    ASSERT_TRUE(stats->latest("b.pressure", &latest, &found).isOk());
    EXPECT_TRUE(found);
    expectSameSample(latest, newest);
  });
}

TEST_F(AidlTest, MeanHistoryAndDescribe) {
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    recordAll(stats, "t", {1.0, 2.0, 6.0});
    double mean = 0;
    ASSERT_TRUE(stats->mean("t", &mean).isOk());
    EXPECT_DOUBLE_EQ(mean, 3.0);

    std::vector<Sample> history;
    ASSERT_TRUE(stats->history("t", 2, &history).isOk());
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].value, 2.0);
    EXPECT_EQ(history[1].value, 6.0);
    EXPECT_EQ(history[1].timestampNs, 1002);
    ASSERT_TRUE(stats->history("t", 100, &history).isOk());
    EXPECT_EQ(history.size(), 3u);
    ASSERT_TRUE(stats->history("t", 0, &history).isOk());
    EXPECT_TRUE(history.empty());

    // String (UTF-16 on the wire) both ways, with characters beyond ASCII.
    recordAll(stats, "température", {21.5});
    String16 summary;
    ASSERT_TRUE(stats->describe(String16(u"température"), &summary).isOk());
    EXPECT_EQ(std::string(android::String8(summary).c_str()),
              "température: 1 samples, latest 21.500000 C");
  });
}

TEST_F(AidlTest, InOutAndInoutParameters) {
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    recordAll(stats, "h", {-1.0, 0.5, 1.0, 2.5, 7.0});

    // out array: the caller's contents are not sent (only its size); the service's come back.
    std::vector<int32_t> counts{99, 99, 99, 99, 99, 99};
    ASSERT_TRUE(stats->histogram("h", {0.0f, 2.5f}, &counts).isOk());
    EXPECT_EQ(counts, (std::vector<int32_t>{1, 2, 2}));
    counts.clear();
    ASSERT_TRUE(stats->histogram("h", {}, &counts).isOk());
    EXPECT_EQ(counts, (std::vector<int32_t>{5}));

    // inout array: the service reads the values and its changes come back.
    std::vector<double> values{-1.0, 3.0, 7.0, 11.0};
    ASSERT_TRUE(stats->normalize("h", &values).isOk());
    EXPECT_EQ(values, (std::vector<double>{0.0, 0.5, 1.0, 1.5}));

    // out parcelable: replaced by the service's value, even when that is an empty one.
    Sample newest = makeSample("stale", 42.0, 42);
    bool found = true;
    ASSERT_TRUE(stats->latest("nothing.here", &newest, &found).isOk());
    EXPECT_FALSE(found);
    expectSameSample(newest, Sample());

    // in parcelable: the service stores what was sent, and the caller's copy is its own.
    const Sample sent = makeSample("h", 3.0, 77);
    int32_t count = 0;
    ASSERT_TRUE(stats->record(sent, &count).isOk());
    EXPECT_EQ(count, 6);
    ASSERT_TRUE(stats->latest("h", &newest, &found).isOk());
    EXPECT_TRUE(found);
    expectSameSample(newest, sent);
  });
}

TEST_F(AidlTest, ServiceSpecificErrorArrivesWithCodeAndMessage) {
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    double mean = 123;
    const Status status = stats->mean("missing", &mean);
    EXPECT_FALSE(status.isOk());
    EXPECT_EQ(status.exceptionCode(), Status::EX_SERVICE_SPECIFIC);
    EXPECT_EQ(status.serviceSpecificErrorCode(), IStatsService::ERROR_UNKNOWN_SENSOR);
    EXPECT_STREQ(status.exceptionMessage().c_str(), "no samples from 'missing'");
    EXPECT_EQ(mean, 123);  // no return value is read after an error

    std::vector<Sample> history;
    EXPECT_EQ(stats->history("missing", 1, &history).serviceSpecificErrorCode(),
              IStatsService::ERROR_UNKNOWN_SENSOR);
    std::vector<int32_t> counts;
    EXPECT_EQ(stats->histogram("missing", {}, &counts).serviceSpecificErrorCode(),
              IStatsService::ERROR_UNKNOWN_SENSOR);
    std::vector<double> values{1.0};
    EXPECT_EQ(stats->normalize("missing", &values).serviceSpecificErrorCode(),
              IStatsService::ERROR_UNKNOWN_SENSOR);
    EXPECT_EQ(values, std::vector<double>{1.0});
    String16 summary;
    EXPECT_EQ(stats->describe(String16("missing"), &summary).serviceSpecificErrorCode(),
              IStatsService::ERROR_UNKNOWN_SENSOR);
  });
}

TEST_F(AidlTest, ExceptionCodesArrive) {
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    int32_t count = 0;
    Status status = stats->record(makeSample("", 1.0), &count);
    EXPECT_EQ(status.exceptionCode(), Status::EX_ILLEGAL_ARGUMENT);
    EXPECT_EQ(status.serviceSpecificErrorCode(), 0);
    EXPECT_STREQ(status.exceptionMessage().c_str(), "a sample needs a sensor name");

    recordAll(stats, "x", {1.0});
    std::vector<int32_t> counts;
    status = stats->histogram("x", {3.0f, 1.0f}, &counts);
    EXPECT_EQ(status.exceptionCode(), Status::EX_ILLEGAL_ARGUMENT);
    EXPECT_STREQ(status.exceptionMessage().c_str(), "histogram bounds must ascend");
    std::vector<Sample> history;
    EXPECT_EQ(stats->history("x", -1, &history).exceptionCode(), Status::EX_ILLEGAL_ARGUMENT);

    // A null where the interface takes a listener: the generated stub answers
    // EX_NULL_POINTER without calling the service.
    status = stats->addListener(nullptr);
    EXPECT_EQ(status.exceptionCode(), Status::EX_NULL_POINTER);
  });
}

TEST_F(AidlTest, ListenerIsCalledBackFromTheService) {
  const pid_t servicePid = service_.pid();
  inClient([servicePid] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    const sp<RecordingListener> listener = sp<RecordingListener>::make();
    ASSERT_TRUE(stats->addListener(listener).isOk());
    const Sample first = makeSample("cb", 5.0, 1);
    int32_t count = 0;
    ASSERT_TRUE(stats->record(first, &count).isOk());
    // Told while record() ran, by the service process, on this thread (no thread pool here).
    ASSERT_EQ(listener->samples().size(), 1u);
    expectSameSample(listener->samples()[0], first);
    EXPECT_EQ(listener->callers(), std::vector<pid_t>{servicePid});

    bool removed = false;
    ASSERT_TRUE(stats->removeListener(listener, &removed).isOk());
    EXPECT_TRUE(removed);
    ASSERT_TRUE(stats->record(makeSample("cb", 6.0), &count).isOk());
    EXPECT_EQ(listener->samples().size(), 1u);
    ASSERT_TRUE(stats->removeListener(listener, &removed).isOk());
    EXPECT_FALSE(removed);
  });
}

TEST_F(AidlTest, ListenerOfADeadClientIsDropped) {
  // A client adds a listener and dies; the next record() must still succeed.
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    ASSERT_TRUE(stats->addListener(sp<RecordingListener>::make()).isOk());
  });
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    const sp<RecordingListener> listener = sp<RecordingListener>::make();
    ASSERT_TRUE(stats->addListener(listener).isOk());
    int32_t count = 0;
    ASSERT_TRUE(stats->record(makeSample("after", 1.0), &count).isOk());
    EXPECT_EQ(listener->samples().size(), 1u);
  });
}

TEST_F(AidlTest, OnewayCallReturnsAndTakesEffect) {
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    recordAll(stats, "gone", {1.0, 2.0});
    recordAll(stats, "kept", {3.0});
    ASSERT_TRUE(stats->clear("gone").isOk());
    // One-way: the call returned before the service ran it, so wait for its effect.
    std::vector<std::string> names;
    for (int attempt = 0; attempt < 100; ++attempt) {
      ASSERT_TRUE(stats->sensors(&names).isOk());
      if (names.size() == 1) break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(names, std::vector<std::string>{"kept"});
    double mean = 0;
    EXPECT_EQ(stats->mean("gone", &mean).serviceSpecificErrorCode(),
              IStatsService::ERROR_UNKNOWN_SENSOR);
    // A one-way call to an unknown sensor has no error to report.
    EXPECT_TRUE(stats->clear("never.recorded").isOk());
  });
}

TEST(AidlServiceLookupTest, ClientWaitsForTheServiceByName) {
  ServiceManagerProcess daemon;
  // The client asks before the service exists; waitForService returns once it registers.
  ChildProcess client("client", [] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    int32_t count = 0;
    ASSERT_TRUE(stats->record(makeSample("late", 1.0), &count).isOk());
    EXPECT_EQ(count, 1);
  });
  std::this_thread::sleep_for(500ms);
  StatsServiceProcess service;
  EXPECT_TRUE(client.wait());
}

TEST(AidlServiceLookupTest, ExampleClientRunsAgainstTheExampleService) {
  ServiceManagerProcess daemon;
  StatsServiceProcess service("example.stats");
  ProgramProcess client({"stats_client"});
  EXPECT_EQ(client.wait(30s), 0);
}

// Not an IStatsService: every call is an unknown transaction, which the generated proxy hands
// to the default implementation once one is set (the hook for talking to older services).
TEST(AidlServiceLookupTest, UnknownTransactionsGoToTheDefaultImplementation) {
  ServiceManagerProcess daemon;
  Pipe registered;
  ChildProcess plain("plain service", [&registered] {
    ASSERT_EQ(android::defaultServiceManager()->addService(String16(kServiceName),
                                                            sp<android::BBinder>::make()),
              android::OK);
    registered.send(1);
    ProcessState::self()->startThreadPool();
    android::IPCThreadState::self()->joinThreadPool(true);
  });
  ASSERT_TRUE(registered.receive(30s).has_value());
  inClient([] {
    sp<IStatsService> stats = statsService();
    ASSERT_NE(stats, nullptr);
    double mean = 0;
    Status status = stats->mean("any", &mean);
    EXPECT_EQ(status.exceptionCode(), Status::EX_TRANSACTION_FAILED);
    EXPECT_EQ(status.transactionError(), android::UNKNOWN_TRANSACTION);

    class Fallback : public example::stats::IStatsServiceDefault {
     public:
      Status mean(const std::string& sensor, double* mean) override {
        *mean = static_cast<double>(sensor.size());
        return Status::ok();
      }
    };
    EXPECT_TRUE(IStatsService::setDefaultImpl(std::make_unique<Fallback>()));
    EXPECT_FALSE(IStatsService::setDefaultImpl(std::make_unique<Fallback>()));  // only once
    status = stats->mean("four", &mean);
    EXPECT_TRUE(status.isOk());
    EXPECT_EQ(mean, 4.0);
    // Methods the fallback does not override answer as the generated default does.
    int32_t count = 0;
    EXPECT_EQ(stats->record(makeSample("s", 1.0), &count).transactionError(),
              android::UNKNOWN_TRANSACTION);
  });
}

}  // namespace
}  // namespace binder_test
