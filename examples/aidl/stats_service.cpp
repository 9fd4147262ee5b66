// stats_service: serves example.stats.IStatsService (generated from IStatsService.aidl) and
// registers it with the service manager.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <binder/IPCThreadState.h>
#include <binder/IServiceManager.h>
#include <binder/ProcessState.h>
#include <binder/Status.h>
#include <utils/String8.h>

#include <example/stats/BnStatsService.h>
#include <example/stats/ISampleListener.h>

namespace {

using android::binder::Status;
using example::stats::ISampleListener;
using example::stats::IStatsService;
using example::stats::Sample;

// How many samples each sensor keeps; older ones are dropped.
constexpr size_t kMaxSamplesPerSensor = 1000;

class StatsService : public example::stats::BnStatsService {
public:
    Status record(const Sample& sample, int32_t* count) override {
        if (sample.sensor.empty()) {
            return Status::fromExceptionCode(Status::EX_ILLEGAL_ARGUMENT,
                                             "a sample needs a sensor name");
        }
        std::vector<android::sp<ISampleListener>> listeners;
        {
            std::lock_guard lock(mMutex);
            std::deque<Sample>& samples = mSamples[sample.sensor];
            samples.push_back(sample);
            if (samples.size() > kMaxSamplesPerSensor) samples.pop_front();
            *count = static_cast<int32_t>(samples.size());
            listeners = mListeners;
        }
        // Outside the lock: a listener may call back into this service.
        for (const android::sp<ISampleListener>& listener : listeners) {
            if (listener->onSample(sample).transactionError() == android::DEAD_OBJECT) {
                dropListener(listener);
            }
        }
        return Status::ok();
    }

    Status sensors(std::vector<std::string>* names) override {
        std::lock_guard lock(mMutex);
        names->clear();
        for (const auto& [name, samples] : mSamples) names->push_back(name);
        return Status::ok();
    }

    Status mean(const std::string& sensor, double* mean) override {
        std::lock_guard lock(mMutex);
        const std::deque<Sample>* samples = find(sensor);
        if (samples == nullptr) return unknownSensor(sensor);
        double sum = 0;
        for (const Sample& sample : *samples) sum += sample.value;
        *mean = sum / static_cast<double>(samples->size());
        return Status::ok();
    }

    Status latest(const std::string& sensor, Sample* newest, bool* found) override {
        std::lock_guard lock(mMutex);
        const std::deque<Sample>* samples = find(sensor);
        *found = samples != nullptr;
        *newest = *found ? samples->back() : Sample();
        return Status::ok();
    }

    Status history(const std::string& sensor, int32_t max, std::vector<Sample>* samples) override {
        if (max < 0) {
            return Status::fromExceptionCode(Status::EX_ILLEGAL_ARGUMENT, "max must not be negative");
        }
        std::lock_guard lock(mMutex);
        const std::deque<Sample>* all = find(sensor);
        if (all == nullptr) return unknownSensor(sensor);
        const size_t count = std::min(all->size(), static_cast<size_t>(max));
        samples->assign(all->end() - static_cast<std::ptrdiff_t>(count), all->end());
        return Status::ok();
    }

    Status histogram(const std::string& sensor, const std::vector<float>& bounds,
                     std::vector<int32_t>* counts) override {
        if (!std::is_sorted(bounds.begin(), bounds.end())) {
            return Status::fromExceptionCode(Status::EX_ILLEGAL_ARGUMENT,
                                             "histogram bounds must ascend");
        }
        std::lock_guard lock(mMutex);
        const std::deque<Sample>* samples = find(sensor);
        if (samples == nullptr) return unknownSensor(sensor);
        counts->assign(bounds.size() + 1, 0);
        for (const Sample& sample : *samples) {
            const auto bucket = std::upper_bound(bounds.begin(), bounds.end(), sample.value,
                                                 [](double value, float bound) { return value < bound; });
            ++(*counts)[static_cast<size_t>(bucket - bounds.begin())];
        }
        return Status::ok();
    }

    Status normalize(const std::string& sensor, std::vector<double>* values) override {
        std::lock_guard lock(mMutex);
        const std::deque<Sample>* samples = find(sensor);
        if (samples == nullptr) return unknownSensor(sensor);
        const auto [low, high] = std::minmax_element(
                samples->begin(), samples->end(),
                [](const Sample& a, const Sample& b) { return a.value < b.value; });
        const double range = high->value - low->value;
        for (double& value : *values) {
            value = range > 0 ? (value - low->value) / range : 0.0;
        }
        return Status::ok();
    }

    Status describe(const android::String16& sensor, android::String16* summary) override {
        const std::string name = android::String8(sensor).c_str();
        std::lock_guard lock(mMutex);
        const std::deque<Sample>* samples = find(name);
        if (samples == nullptr) return unknownSensor(name);
        const Sample& newest = samples->back();
        const std::string text = name + ": " + std::to_string(samples->size()) + " samples, latest " +
                                 std::to_string(newest.value) + " " +
                                 static_cast<char>(newest.unit);
        *summary = android::String16(text.c_str());
        return Status::ok();
    }

    Status addListener(const android::sp<ISampleListener>& listener) override {
        std::lock_guard lock(mMutex);
        mListeners.push_back(listener);
        return Status::ok();
    }

    Status removeListener(const android::sp<ISampleListener>& listener, bool* removed) override {
        *removed = dropListener(listener);
        return Status::ok();
    }

    Status clear(const std::string& sensor) override {
        std::lock_guard lock(mMutex);
        mSamples.erase(sensor);
        return Status::ok();
    }

private:
    // Callers hold mMutex. Sensors without samples are not kept, so a found one has some.
    const std::deque<Sample>* find(const std::string& sensor) const {
        const auto it = mSamples.find(sensor);
        return it != mSamples.end() ? &it->second : nullptr;
    }

    static Status unknownSensor(const std::string& sensor) {
        return Status::fromServiceSpecificError(IStatsService::ERROR_UNKNOWN_SENSOR,
                                                ("no samples from '" + sensor + "'").c_str());
    }

    // Listeners are the same object when their binders are: a client's listener arrives as
    // the same proxy each time.
    bool dropListener(const android::sp<ISampleListener>& listener) {
        const android::sp<android::IBinder> binder = android::IInterface::asBinder(listener);
        std::lock_guard lock(mMutex);
        const auto it = std::find_if(mListeners.begin(), mListeners.end(),
                                     [&](const android::sp<ISampleListener>& known) {
                                         return android::IInterface::asBinder(known) == binder;
                                     });
        if (it == mListeners.end()) return false;
        mListeners.erase(it);
        return true;
    }

    std::mutex mMutex;
    std::map<std::string, std::deque<Sample>> mSamples;  // protected by mMutex
    std::vector<android::sp<ISampleListener>> mListeners;  // protected by mMutex
};

void usage(FILE* out) {
    std::fputs(
            "Usage: stats_service [--device PATH] [--name NAME]\n"
            "\n"
            "Register the example IStatsService (defined in AIDL) with the service manager\n"
            "under NAME (default example.stats) and serve calls until killed.\n"
            "\n"
            "  --device PATH  binder device (default /dev/binder)\n"
            "  --name NAME    service name (default example.stats)\n"
            "  -h, --help     show this help\n",
            out);
}

}  // namespace

int main(int argc, char** argv) {
    std::string device = "/dev/binder";
    std::string name = "example.stats";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--device" || arg == "--name") && i + 1 < argc) {
            (arg == "--device" ? device : name) = argv[++i];
        } else if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else {
            std::fprintf(stderr, "stats_service: unknown argument '%s'\n", arg.c_str());
            usage(stderr);
            return 2;
        }
    }
    android::sp<android::ProcessState> process = android::ProcessState::initWithDriver(device.c_str());
    if (process == nullptr || !process->isValid()) {
        std::fprintf(stderr, "stats_service: cannot use %s\n", device.c_str());
        return 1;
    }
    android::sp<android::IServiceManager> sm = android::defaultServiceManager();
    if (sm == nullptr) {
        std::fprintf(stderr, "stats_service: no service manager on %s\n", device.c_str());
        return 1;
    }
    const android::status_t status =
            sm->addService(android::String16(name.c_str()), android::sp<StatsService>::make());
    if (status != android::OK) {
        std::fprintf(stderr, "stats_service: cannot register '%s': %s\n", name.c_str(),
                     android::statusToString(status).c_str());
        return 1;
    }
    std::printf("stats_service: serving '%s' (pid %d)\n", name.c_str(), getpid());
    std::fflush(stdout);
    process->startThreadPool();
    android::IPCThreadState::self()->joinThreadPool(true);
    return 0;
}
