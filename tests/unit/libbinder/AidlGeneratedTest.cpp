// The C++ aidl generates for every type its Android 10 backend knows (aidl/.../IAllTypes.aidl),
// compiled unchanged against libbinder and run proxy to stub through Parcels: the proxy holds
// the local stub as its remote, so each call is flattened, dispatched by BBinder::transact and
// read back exactly as between processes, without a driver.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include <binder/Binder.h>
#include <binder/ParcelFileDescriptor.h>
#include <binder/Status.h>
#include <gtest/gtest.h>

#include <binder_lite/test/BnAllTypes.h>
#include <binder_lite/test/BnCallback.h>
#include <binder_lite/test/BpAllTypes.h>

namespace android {
namespace {

using binder::Status;
using binder_lite::test::ICallback;
using binder_lite::test::Point;
using os::ParcelFileDescriptor;

template <typename T>
Status echo(const T& value, T* out) {
    *out = value;
    return Status::ok();
}

template <typename T>
Status cloneNullable(const std::unique_ptr<T>& value, std::unique_ptr<T>* out) {
    *out = value ? std::make_unique<T>(*value) : nullptr;
    return Status::ok();
}

// The array contract of IAllTypes: reversed, copied out, appended to the inout.
template <typename T>
Status arrays(const std::vector<T>& v, std::vector<T>* copy, std::vector<T>* io,
              std::vector<T>* reversed) {
    *reversed = std::vector<T>(v.rbegin(), v.rend());
    *copy = v;
    io->insert(io->end(), v.begin(), v.end());
    return Status::ok();
}

base::unique_fd duplicate(int fd) {
    return base::unique_fd(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
}

bool sameFile(int a, int b) {
    struct stat sa {
    }, sb{};
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

class AllTypes : public binder_lite::test::BnAllTypes {
public:
    Status echoBool(bool v, bool* r) override { return echo(v, r); }
    Status echoByte(int8_t v, int8_t* r) override { return echo(v, r); }
    Status echoChar(char16_t v, char16_t* r) override { return echo(v, r); }
    Status echoInt(int32_t v, int32_t* r) override { return echo(v, r); }
    Status echoLong(int64_t v, int64_t* r) override { return echo(v, r); }
    Status echoFloat(float v, float* r) override { return echo(v, r); }
    Status echoDouble(double v, double* r) override { return echo(v, r); }
    Status echoString(const String16& v, String16* r) override { return echo(v, r); }
    Status echoUtf8(const std::string& v, std::string* r) override { return echo(v, r); }
    Status echoNullableString(const std::unique_ptr<String16>& v,
                              std::unique_ptr<String16>* r) override {
        return cloneNullable(v, r);
    }
    Status echoNullableUtf8(const std::unique_ptr<std::string>& v,
                            std::unique_ptr<std::string>* r) override {
        return cloneNullable(v, r);
    }

    Status bools(const std::vector<bool>& v, std::vector<bool>* c, std::vector<bool>* io,
                 std::vector<bool>* r) override {
        return arrays(v, c, io, r);
    }
    Status bytes(const std::vector<uint8_t>& v, std::vector<uint8_t>* c, std::vector<uint8_t>* io,
                 std::vector<uint8_t>* r) override {
        return arrays(v, c, io, r);
    }
    Status chars(const std::vector<char16_t>& v, std::vector<char16_t>* c,
                 std::vector<char16_t>* io, std::vector<char16_t>* r) override {
        return arrays(v, c, io, r);
    }
    Status ints(const std::vector<int32_t>& v, std::vector<int32_t>* c, std::vector<int32_t>* io,
                std::vector<int32_t>* r) override {
        return arrays(v, c, io, r);
    }
    Status longs(const std::vector<int64_t>& v, std::vector<int64_t>* c, std::vector<int64_t>* io,
                 std::vector<int64_t>* r) override {
        return arrays(v, c, io, r);
    }
    Status floats(const std::vector<float>& v, std::vector<float>* c, std::vector<float>* io,
                  std::vector<float>* r) override {
        return arrays(v, c, io, r);
    }
    Status doubles(const std::vector<double>& v, std::vector<double>* c, std::vector<double>* io,
                   std::vector<double>* r) override {
        return arrays(v, c, io, r);
    }
    Status strings(const std::vector<String16>& v, std::vector<String16>* c,
                   std::vector<String16>* io, std::vector<String16>* r) override {
        return arrays(v, c, io, r);
    }
    Status utf8s(const std::vector<std::string>& v, std::vector<std::string>* c,
                 std::vector<std::string>* io, std::vector<std::string>* r) override {
        return arrays(v, c, io, r);
    }
    Status stringList(const std::vector<String16>& v, std::vector<String16>* c,
                      std::vector<String16>* io, std::vector<String16>* r) override {
        return arrays(v, c, io, r);
    }
    Status points(const std::vector<Point>& v, std::vector<Point>* c, std::vector<Point>* io,
                  std::vector<Point>* r) override {
        return arrays(v, c, io, r);
    }
    Status nullableInts(const std::unique_ptr<std::vector<int32_t>>& v,
                        std::unique_ptr<std::vector<int32_t>>* r) override {
        return cloneNullable(v, r);
    }
    Status nullableStrings(const std::unique_ptr<std::vector<std::unique_ptr<String16>>>& v,
                           std::unique_ptr<std::vector<std::unique_ptr<String16>>>* r) override {
        if (!v) {
            r->reset();
            return Status::ok();
        }
        *r = std::make_unique<std::vector<std::unique_ptr<String16>>>();
        for (const std::unique_ptr<String16>& s : *v) {
            (*r)->push_back(s ? std::make_unique<String16>(*s) : nullptr);
        }
        return Status::ok();
    }
    Status nullablePoints(const std::unique_ptr<std::vector<Point>>& v,
                          std::unique_ptr<std::vector<Point>>* r) override {
        return cloneNullable(v, r);
    }

    Status movePoint(const Point& p, Point* copy, Point* io, Point* moved) override {
        *copy = p;
        *moved = p;
        moved->x += 1;
        io->y += p.y;
        return Status::ok();
    }
    Status nullablePoint(const std::unique_ptr<Point>& p, std::unique_ptr<Point>* r) override {
        return cloneNullable(p, r);
    }

    Status echoBinder(const sp<IBinder>& b, sp<IBinder>* r) override { return echo(b, r); }
    Status echoNullableBinder(const sp<IBinder>& b, sp<IBinder>* r) override { return echo(b, r); }
    Status binders(const std::vector<sp<IBinder>>& v, std::vector<sp<IBinder>>* r) override {
        return echo(v, r);
    }
    Status nullableBinders(const std::unique_ptr<std::vector<sp<IBinder>>>& v,
                           std::unique_ptr<std::vector<sp<IBinder>>>* r) override {
        return cloneNullable(v, r);
    }
    Status callBack(const sp<ICallback>& cb, int32_t value, int32_t* result) override {
        return cb->twice(value, result);
    }
    Status echoCallback(const sp<ICallback>& cb, sp<ICallback>* r) override { return echo(cb, r); }

    Status echoFd(const base::unique_fd& fd, base::unique_fd* r) override {
        *r = duplicate(fd.get());
        return Status::ok();
    }
    Status fds(const std::vector<base::unique_fd>& v, std::vector<base::unique_fd>* r) override {
        r->clear();
        for (const base::unique_fd& fd : v) r->push_back(duplicate(fd.get()));
        return Status::ok();
    }
    Status echoPfd(const ParcelFileDescriptor& fd, ParcelFileDescriptor* r) override {
        r->reset(duplicate(fd.get()));
        return Status::ok();
    }
    Status nullablePfd(const std::unique_ptr<ParcelFileDescriptor>& fd,
                       std::unique_ptr<ParcelFileDescriptor>* r) override {
        *r = fd ? std::make_unique<ParcelFileDescriptor>(duplicate(fd->get())) : nullptr;
        return Status::ok();
    }
    Status pfds(const std::vector<ParcelFileDescriptor>& v,
                std::vector<ParcelFileDescriptor>* r) override {
        r->clear();
        for (const ParcelFileDescriptor& fd : v) r->emplace_back(duplicate(fd.get()));
        return Status::ok();
    }

    Status ping(int32_t value) override {
        lastPing = value;
        return Status::ok();
    }

    int32_t lastPing = 0;
};

class Doubler : public binder_lite::test::BnCallback {
public:
    Status twice(int32_t value, int32_t* result) override {
        *result = 2 * value;
        return Status::ok();
    }
};

class AidlGeneratedTest : public ::testing::Test {
protected:
    sp<AllTypes> service_ = sp<AllTypes>::make();
    // A proxy whose remote is the local stub: every call goes through Parcels.
    sp<binder_lite::test::IAllTypes> proxy_ = sp<binder_lite::test::BpAllTypes>::make(service_);
};

TEST_F(AidlGeneratedTest, Primitives) {
    bool b = false;
    ASSERT_TRUE(proxy_->echoBool(true, &b).isOk());
    EXPECT_TRUE(b);
    int8_t byte = 0;
    ASSERT_TRUE(proxy_->echoByte(-128, &byte).isOk());
    EXPECT_EQ(byte, -128);
    char16_t c = 0;
    ASSERT_TRUE(proxy_->echoChar(u'\u00e9', &c).isOk());
    EXPECT_EQ(c, u'\u00e9');
    int32_t i = 0;
    ASSERT_TRUE(proxy_->echoInt(INT32_MIN, &i).isOk());
    EXPECT_EQ(i, INT32_MIN);
    int64_t l = 0;
    ASSERT_TRUE(proxy_->echoLong(INT64_MAX, &l).isOk());
    EXPECT_EQ(l, INT64_MAX);
    float f = 0;
    ASSERT_TRUE(proxy_->echoFloat(-0.25f, &f).isOk());
    EXPECT_EQ(f, -0.25f);
    double d = 0;
    ASSERT_TRUE(proxy_->echoDouble(1e300, &d).isOk());
    EXPECT_EQ(d, 1e300);
}

TEST_F(AidlGeneratedTest, Strings) {
    String16 s;
    ASSERT_TRUE(proxy_->echoString(String16(u"h\u00e9llo"), &s).isOk());
    EXPECT_EQ(s, String16(u"h\u00e9llo"));
    std::string u;
    ASSERT_TRUE(proxy_->echoUtf8("gr\u00fc\u00df \U0001F600", &u).isOk());
    EXPECT_EQ(u, "gr\u00fc\u00df \U0001F600");
    std::unique_ptr<String16> ns = std::make_unique<String16>(u"x");
    ASSERT_TRUE(proxy_->echoNullableString(nullptr, &ns).isOk());
    EXPECT_EQ(ns, nullptr);
    ASSERT_TRUE(proxy_->echoNullableString(std::make_unique<String16>(u"y"), &ns).isOk());
    ASSERT_NE(ns, nullptr);
    EXPECT_EQ(*ns, String16(u"y"));
    std::unique_ptr<std::string> nu;
    ASSERT_TRUE(proxy_->echoNullableUtf8(std::make_unique<std::string>(""), &nu).isOk());
    ASSERT_NE(nu, nullptr);
    EXPECT_EQ(*nu, "");
}

TEST_F(AidlGeneratedTest, ArraysInOutAndInout) {
    std::vector<bool> bc{true}, bio{true}, br;
    ASSERT_TRUE(proxy_->bools({true, false, false}, &bc, &bio, &br).isOk());
    EXPECT_EQ(br, (std::vector<bool>{false, false, true}));
    EXPECT_EQ(bc, (std::vector<bool>{true, false, false}));
    EXPECT_EQ(bio, (std::vector<bool>{true, true, false, false}));

    std::vector<uint8_t> yc(9, 0xee), yio{1}, yr;
    ASSERT_TRUE(proxy_->bytes({7, 8, 255}, &yc, &yio, &yr).isOk());
    EXPECT_EQ(yr, (std::vector<uint8_t>{255, 8, 7}));
    EXPECT_EQ(yc, (std::vector<uint8_t>{7, 8, 255}));
    EXPECT_EQ(yio, (std::vector<uint8_t>{1, 7, 8, 255}));

    std::vector<char16_t> cc, cio, cr;
    ASSERT_TRUE(proxy_->chars({u'a', u'\u20ac'}, &cc, &cio, &cr).isOk());
    EXPECT_EQ(cr, (std::vector<char16_t>{u'\u20ac', u'a'}));
    EXPECT_EQ(cio, (std::vector<char16_t>{u'a', u'\u20ac'}));

    std::vector<int32_t> ic, iio{-1}, ir;
    ASSERT_TRUE(proxy_->ints({1, 2}, &ic, &iio, &ir).isOk());
    EXPECT_EQ(ir, (std::vector<int32_t>{2, 1}));
    EXPECT_EQ(iio, (std::vector<int32_t>{-1, 1, 2}));
    std::vector<int64_t> lc, lio, lr;
    ASSERT_TRUE(proxy_->longs({INT64_MIN}, &lc, &lio, &lr).isOk());
    EXPECT_EQ(lc, std::vector<int64_t>{INT64_MIN});
    std::vector<float> fc, fio, fr;
    ASSERT_TRUE(proxy_->floats({0.5f, 1.5f}, &fc, &fio, &fr).isOk());
    EXPECT_EQ(fr, (std::vector<float>{1.5f, 0.5f}));
    std::vector<double> dc, dio{9.0}, dr;
    ASSERT_TRUE(proxy_->doubles({}, &dc, &dio, &dr).isOk());
    EXPECT_TRUE(dr.empty());
    EXPECT_EQ(dio, std::vector<double>{9.0});

    std::vector<String16> sc, sio, sr;
    ASSERT_TRUE(proxy_->strings({String16(u"a"), String16(u"")}, &sc, &sio, &sr).isOk());
    EXPECT_EQ(sr, (std::vector<String16>{String16(u""), String16(u"a")}));
    ASSERT_TRUE(proxy_->stringList({String16(u"l")}, &sc, &sio, &sr).isOk());
    EXPECT_EQ(sio, (std::vector<String16>{String16(u"a"), String16(u""), String16(u"l")}));
    std::vector<std::string> uc, uio, ur;
    ASSERT_TRUE(proxy_->utf8s({"x", "y\u00e9"}, &uc, &uio, &ur).isOk());
    EXPECT_EQ(ur, (std::vector<std::string>{"y\u00e9", "x"}));
}

TEST_F(AidlGeneratedTest, NullableArrays) {
    std::unique_ptr<std::vector<int32_t>> ints = std::make_unique<std::vector<int32_t>>();
    ASSERT_TRUE(proxy_->nullableInts(nullptr, &ints).isOk());
    EXPECT_EQ(ints, nullptr);
    ASSERT_TRUE(proxy_->nullableInts(std::make_unique<std::vector<int32_t>>(2, 5), &ints).isOk());
    ASSERT_NE(ints, nullptr);
    EXPECT_EQ(*ints, (std::vector<int32_t>{5, 5}));

    auto strings = std::make_unique<std::vector<std::unique_ptr<String16>>>();
    strings->push_back(std::make_unique<String16>(u"s"));
    strings->push_back(nullptr);
    std::unique_ptr<std::vector<std::unique_ptr<String16>>> back;
    ASSERT_TRUE(proxy_->nullableStrings(strings, &back).isOk());
    ASSERT_NE(back, nullptr);
    ASSERT_EQ(back->size(), 2u);
    ASSERT_NE((*back)[0], nullptr);
    EXPECT_EQ(*(*back)[0], String16(u"s"));
    EXPECT_EQ((*back)[1], nullptr);

    std::unique_ptr<std::vector<Point>> points;
    ASSERT_TRUE(proxy_->nullablePoints(std::make_unique<std::vector<Point>>(3), &points).isOk());
    ASSERT_NE(points, nullptr);
    EXPECT_EQ(points->size(), 3u);
}

TEST_F(AidlGeneratedTest, ParcelablesInOutAndInout) {
    const sp<IBinder> token = sp<BBinder>::make();
    Point p;
    p.x = 3;
    p.y = 4;
    p.label = "p\u00e9";
    p.weights = {1, -2};
    p.token = token;
    Point copy, io, moved;
    copy.x = 99;
    io.y = 10;
    ASSERT_TRUE(proxy_->movePoint(p, &copy, &io, &moved).isOk());
    EXPECT_EQ(copy.x, 3);
    EXPECT_EQ(copy.label, "p\u00e9");
    EXPECT_EQ(copy.weights, (std::vector<int64_t>{1, -2}));
    EXPECT_EQ(copy.token, token);
    EXPECT_EQ(moved.x, 4);
    EXPECT_EQ(io.y, 14);

    std::vector<Point> pc, pio, pr;
    ASSERT_TRUE(proxy_->points({p, Point()}, &pc, &pio, &pr).isOk());
    ASSERT_EQ(pr.size(), 2u);
    EXPECT_EQ(pr[1].label, "p\u00e9");
    EXPECT_EQ(pr[0].token, nullptr);

    std::unique_ptr<Point> np = std::make_unique<Point>();
    ASSERT_TRUE(proxy_->nullablePoint(nullptr, &np).isOk());
    EXPECT_EQ(np, nullptr);
    ASSERT_TRUE(proxy_->nullablePoint(std::make_unique<Point>(p), &np).isOk());
    ASSERT_NE(np, nullptr);
    EXPECT_EQ(np->y, 4);
}

TEST_F(AidlGeneratedTest, BindersAndInterfaces) {
    const sp<IBinder> a = sp<BBinder>::make();
    const sp<IBinder> b = sp<BBinder>::make();
    sp<IBinder> out;
    ASSERT_TRUE(proxy_->echoBinder(a, &out).isOk());
    EXPECT_EQ(out, a);
    // A null where the interface takes a binder: the stub answers EX_NULL_POINTER.
    EXPECT_EQ(proxy_->echoBinder(nullptr, &out).exceptionCode(), Status::EX_NULL_POINTER);
    ASSERT_TRUE(proxy_->echoNullableBinder(nullptr, &out).isOk());
    EXPECT_EQ(out, nullptr);

    std::vector<sp<IBinder>> list;
    ASSERT_TRUE(proxy_->binders({a, b, a}, &list).isOk());
    EXPECT_EQ(list, (std::vector<sp<IBinder>>{a, b, a}));
    EXPECT_EQ(proxy_->binders({a, nullptr}, &list).exceptionCode(), Status::EX_NULL_POINTER);
    std::unique_ptr<std::vector<sp<IBinder>>> nullable;
    ASSERT_TRUE(proxy_->nullableBinders(std::make_unique<std::vector<sp<IBinder>>>(
                                                std::vector<sp<IBinder>>{nullptr, b}),
                                        &nullable)
                        .isOk());
    ASSERT_NE(nullable, nullptr);
    EXPECT_EQ(*nullable, (std::vector<sp<IBinder>>{nullptr, b}));

    const sp<ICallback> doubler = sp<Doubler>::make();
    int32_t result = 0;
    ASSERT_TRUE(proxy_->callBack(doubler, 21, &result).isOk());
    EXPECT_EQ(result, 42);
    sp<ICallback> same;
    ASSERT_TRUE(proxy_->echoCallback(doubler, &same).isOk());
    EXPECT_EQ(IInterface::asBinder(same), IInterface::asBinder(doubler));
    ASSERT_TRUE(proxy_->echoCallback(nullptr, &same).isOk());
    EXPECT_EQ(same, nullptr);
}

TEST_F(AidlGeneratedTest, FileDescriptors) {
    base::unique_fd devNull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    base::unique_fd root(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    base::unique_fd fd;
    ASSERT_TRUE(proxy_->echoFd(devNull, &fd).isOk());
    EXPECT_TRUE(sameFile(fd.get(), devNull.get()));
    std::vector<base::unique_fd> sent;
    sent.push_back(duplicate(root.get()));
    sent.push_back(duplicate(devNull.get()));
    std::vector<base::unique_fd> fds;
    ASSERT_TRUE(proxy_->fds(sent, &fds).isOk());
    ASSERT_EQ(fds.size(), 2u);
    EXPECT_TRUE(sameFile(fds[0].get(), root.get()));
    EXPECT_TRUE(sameFile(fds[1].get(), devNull.get()));

    ParcelFileDescriptor pfd;
    ASSERT_TRUE(proxy_->echoPfd(ParcelFileDescriptor(duplicate(root.get())), &pfd).isOk());
    EXPECT_TRUE(sameFile(pfd.get(), root.get()));
    std::unique_ptr<ParcelFileDescriptor> npfd;
    ASSERT_TRUE(proxy_->nullablePfd(nullptr, &npfd).isOk());
    EXPECT_EQ(npfd, nullptr);
    ASSERT_TRUE(proxy_->nullablePfd(std::make_unique<ParcelFileDescriptor>(duplicate(devNull.get())),
                                    &npfd)
                        .isOk());
    ASSERT_NE(npfd, nullptr);
    EXPECT_TRUE(sameFile(npfd->get(), devNull.get()));
    std::vector<ParcelFileDescriptor> pfdsIn;
    pfdsIn.emplace_back(duplicate(devNull.get()));
    std::vector<ParcelFileDescriptor> pfdsOut;
    ASSERT_TRUE(proxy_->pfds(pfdsIn, &pfdsOut).isOk());
    ASSERT_EQ(pfdsOut.size(), 1u);
    EXPECT_TRUE(sameFile(pfdsOut[0].get(), devNull.get()));
}

TEST_F(AidlGeneratedTest, OnewayAndConstants) {
    ASSERT_TRUE(proxy_->ping(17).isOk());
    EXPECT_EQ(service_->lastPing, 17);  // dispatched in place: no thread pool in between
    EXPECT_EQ(binder_lite::test::IAllTypes::descriptor, String16(u"binder_lite.test.IAllTypes"));
}

}  // namespace
}  // namespace android
