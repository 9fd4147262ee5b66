package binder_lite.test;

interface ICallback {
    int twice(int value);
}
