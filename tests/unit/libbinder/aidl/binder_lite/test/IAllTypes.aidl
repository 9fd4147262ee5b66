package binder_lite.test;

import binder_lite.test.ICallback;
import binder_lite.test.Point;

// Every type the Android 10 C++ backend emits. Each method returns its input; an array method
// returns |in| reversed, copies |in| into |copy| (out) and appends |in| to |io| (inout).
interface IAllTypes {
    boolean echoBool(boolean v);
    byte echoByte(byte v);
    char echoChar(char v);
    int echoInt(int v);
    long echoLong(long v);
    float echoFloat(float v);
    double echoDouble(double v);
    String echoString(String v);
    @utf8InCpp String echoUtf8(@utf8InCpp String v);
    @nullable String echoNullableString(@nullable String v);
    @nullable @utf8InCpp String echoNullableUtf8(@nullable @utf8InCpp String v);

    boolean[] bools(in boolean[] v, out boolean[] copy, inout boolean[] io);
    byte[] bytes(in byte[] v, out byte[] copy, inout byte[] io);
    char[] chars(in char[] v, out char[] copy, inout char[] io);
    int[] ints(in int[] v, out int[] copy, inout int[] io);
    long[] longs(in long[] v, out long[] copy, inout long[] io);
    float[] floats(in float[] v, out float[] copy, inout float[] io);
    double[] doubles(in double[] v, out double[] copy, inout double[] io);
    String[] strings(in String[] v, out String[] copy, inout String[] io);
    @utf8InCpp String[] utf8s(in @utf8InCpp String[] v, out @utf8InCpp String[] copy,
                              inout @utf8InCpp String[] io);
    List<String> stringList(in List<String> v, out List<String> copy, inout List<String> io);
    Point[] points(in Point[] v, out Point[] copy, inout Point[] io);
    @nullable int[] nullableInts(in @nullable int[] v);
    @nullable String[] nullableStrings(in @nullable String[] v);
    @nullable Point[] nullablePoints(in @nullable Point[] v);

    Point movePoint(in Point p, out Point copy, inout Point io);
    @nullable Point nullablePoint(in @nullable Point p);

    IBinder echoBinder(IBinder b);
    @nullable IBinder echoNullableBinder(@nullable IBinder b);
    List<IBinder> binders(in List<IBinder> v);
    @nullable List<IBinder> nullableBinders(in @nullable List<IBinder> v);
    // Calls cb.twice(value) and returns the result.
    int callBack(ICallback cb, int value);
    @nullable ICallback echoCallback(@nullable ICallback cb);

    FileDescriptor echoFd(in FileDescriptor fd);
    FileDescriptor[] fds(in FileDescriptor[] v);
    ParcelFileDescriptor echoPfd(in ParcelFileDescriptor fd);
    @nullable ParcelFileDescriptor nullablePfd(in @nullable ParcelFileDescriptor fd);
    ParcelFileDescriptor[] pfds(in ParcelFileDescriptor[] v);

    oneway void ping(int value);
}
