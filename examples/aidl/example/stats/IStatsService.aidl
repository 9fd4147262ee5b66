package example.stats;

import example.stats.ISampleListener;
import example.stats.Sample;

// Collects sensor samples and answers questions about them.
interface IStatsService {
    // The service-specific error (binder::Status::EX_SERVICE_SPECIFIC) of the calls that need
    // a sensor with samples.
    const int ERROR_UNKNOWN_SENSOR = 1;

    // Stores |sample|, tells every listener about it, and returns how many samples its sensor
    // now has. EX_ILLEGAL_ARGUMENT for a sample without a sensor name.
    int record(in Sample sample);

    // The names of the sensors that have samples, sorted.
    @utf8InCpp String[] sensors();

    // The mean value of the sensor's samples.
    double mean(@utf8InCpp String sensor);

    // The sensor's newest sample into |newest|, and true; false (and an empty |newest|) when
    // it has none.
    boolean latest(@utf8InCpp String sensor, out Sample newest);

    // The sensor's last |max| samples, oldest first.
    Sample[] history(@utf8InCpp String sensor, int max);

    // How many of the sensor's values fall below bounds[0], between each pair of bounds, and
    // at or above the last: bounds.length + 1 counts. EX_ILLEGAL_ARGUMENT unless |bounds|
    // ascends.
    void histogram(@utf8InCpp String sensor, in float[] bounds, out int[] counts);

    // Maps |values| in place from the sensor's [min, max] range onto [0, 1].
    void normalize(@utf8InCpp String sensor, inout double[] values);

    // A one-line summary of the sensor.
    String describe(String sensor);

    void addListener(ISampleListener listener);
    // False when |listener| was not added.
    boolean removeListener(ISampleListener listener);

    // Forgets the sensor's samples. Returns at once; the service does it afterwards.
    oneway void clear(@utf8InCpp String sensor);
}
