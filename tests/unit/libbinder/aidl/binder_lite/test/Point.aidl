package binder_lite.test;

parcelable Point {
    int x = 0;
    int y = 0;
    @utf8InCpp String label;
    long[] weights;
    @nullable IBinder token;
}
