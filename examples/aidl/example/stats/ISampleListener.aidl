package example.stats;

import example.stats.Sample;

// Told about each sample the service records, while the record() call that brought it runs.
interface ISampleListener {
    void onSample(in Sample sample);
}
