package example.stats;

// One reading of a sensor.
parcelable Sample {
    @utf8InCpp String sensor;
    long timestampNs = 0;
    double value = 0.0;
    // The unit's symbol, e.g. 'C' or '%'.
    char unit = '?';
    // 0 (unknown) to 100.
    byte quality = 0;
    boolean calibrated = false;
}
