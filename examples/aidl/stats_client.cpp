// stats_client: finds the example IStatsService through the service manager, records a few
// samples (with a listener that the service calls back) and prints what the service makes of
// them, including the service-specific error for a sensor it does not know.
#include <cstdio>
#include <string>
#include <vector>

#include <binder/IServiceManager.h>
#include <binder/ProcessState.h>
#include <binder/Status.h>
#include <utils/String8.h>

#include <example/stats/BnSampleListener.h>
#include <example/stats/IStatsService.h>

namespace {

using android::binder::Status;
using example::stats::IStatsService;
using example::stats::Sample;

class PrintingListener : public example::stats::BnSampleListener {
public:
    Status onSample(const Sample& sample) override {
        std::printf("  listener: %s = %g %c\n", sample.sensor.c_str(), sample.value,
                    static_cast<char>(sample.unit));
        return Status::ok();
    }
};

// Prints a failed call's status; true when it succeeded.
bool check(const char* call, const Status& status) {
    if (!status.isOk()) std::fprintf(stderr, "stats_client: %s: %s\n", call, status.toString8().c_str());
    return status.isOk();
}

void usage(FILE* out) {
    std::fputs(
            "Usage: stats_client [--device PATH] [--name NAME] [--sensor SENSOR]\n"
            "\n"
            "Wait for the example IStatsService NAME (default example.stats), record three\n"
            "samples of SENSOR (default demo.temperature) and print the service's statistics.\n"
            "\n"
            "  --device PATH    binder device (default /dev/binder)\n"
            "  --name NAME      service name (default example.stats)\n"
            "  --sensor SENSOR  sensor name (default demo.temperature)\n"
            "  -h, --help       show this help\n",
            out);
}

}  // namespace

int main(int argc, char** argv) {
    std::string device = "/dev/binder";
    std::string name = "example.stats";
    std::string sensor = "demo.temperature";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--device" || arg == "--name" || arg == "--sensor") && i + 1 < argc) {
            (arg == "--device" ? device : arg == "--name" ? name : sensor) = argv[++i];
        } else if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else {
            std::fprintf(stderr, "stats_client: unknown argument '%s'\n", arg.c_str());
            usage(stderr);
            return 2;
        }
    }
    android::sp<android::ProcessState> process = android::ProcessState::initWithDriver(device.c_str());
    if (process == nullptr || !process->isValid()) {
        std::fprintf(stderr, "stats_client: cannot use %s\n", device.c_str());
        return 1;
    }
    android::sp<IStatsService> stats =
            android::waitForService<IStatsService>(android::String16(name.c_str()));
    if (stats == nullptr) {
        std::fprintf(stderr, "stats_client: no service '%s'\n", name.c_str());
        return 1;
    }

    const android::sp<PrintingListener> listener = android::sp<PrintingListener>::make();
    if (!check("addListener", stats->addListener(listener))) return 1;
    int32_t count = 0;
    for (double value : {19.5, 21.0, 23.5}) {
        Sample sample;
        sample.sensor = sensor;
        sample.value = value;
        sample.unit = u'C';
        sample.quality = 90;
        sample.calibrated = true;
        if (!check("record", stats->record(sample, &count))) return 1;
    }
    bool removed = false;
    if (!check("removeListener", stats->removeListener(listener, &removed))) return 1;

    double mean = 0;
    std::vector<int32_t> counts;
    android::String16 summary;
    if (!check("mean", stats->mean(sensor, &mean)) ||
        !check("histogram", stats->histogram(sensor, {20.0f, 22.0f}, &counts)) ||
        !check("describe", stats->describe(android::String16(sensor.c_str()), &summary))) {
        return 1;
    }
    std::printf("%s: %d samples, mean %g, histogram [<20: %d, 20-22: %d, >=22: %d]\n",
                sensor.c_str(), count, mean, counts.at(0), counts.at(1), counts.at(2));
    std::printf("%s\n", android::String8(summary).c_str());

    // A sensor nobody recorded: the service answers with its own error code.
    const Status unknown = stats->mean("no.such.sensor", &mean);
    std::printf("unknown sensor: %s\n", unknown.toString8().c_str());
    return unknown.serviceSpecificErrorCode() == IStatsService::ERROR_UNKNOWN_SENSOR ? 0 : 1;
}
