// IInterface: the base of binder interfaces (IFoo), with the glue that turns an IBinder into
// an interface (interface_cast<IFoo>) and back (IInterface::asBinder).
//
// An interface is declared with DECLARE_META_INTERFACE(Foo) inside class IFoo and defined with
// IMPLEMENT_META_INTERFACE(Foo, "descriptor") in one source file; the service implements
// BnInterface<IFoo> (a BBinder), and the proxy BpInterface<IFoo> (holding the remote IBinder).
// The macros match what AOSP's aidl tool (Android 10) generates code against, including the
// default-implementation hooks (setDefaultImpl/getDefaultImpl).
#pragma once

#include <memory>

#include <binder/Binder.h>

namespace android {

class IInterface : public virtual RefBase {
public:
    IInterface();
    static sp<IBinder> asBinder(const IInterface* iface);
    static sp<IBinder> asBinder(const sp<IInterface>& iface);

protected:
    ~IInterface() override;
    virtual IBinder* onAsBinder() = 0;
};

// The interface INTERFACE that |obj| implements: the local object itself when it is in this
// process, else a new proxy (Bp##INTERFACE) around it. nullptr for a null |obj|.
template <typename INTERFACE>
inline sp<INTERFACE> interface_cast(const sp<IBinder>& obj) {
    return INTERFACE::asInterface(obj);
}

template <typename INTERFACE>
class BnInterface : public INTERFACE, public BBinder {
public:
    sp<IInterface> queryLocalInterface(const String16& requested) override {
        if (requested == INTERFACE::descriptor) return sp<IInterface>(this);
        return nullptr;
    }
    const String16& getInterfaceDescriptor() const override { return INTERFACE::descriptor; }

protected:
    using BaseInterface = INTERFACE;
    IBinder* onAsBinder() override { return this; }
};

template <typename INTERFACE>
class BpInterface : public INTERFACE, public BpRefBase {
public:
    explicit BpInterface(const sp<IBinder>& remote) : BpRefBase(remote) {}

protected:
    using BaseInterface = INTERFACE;
    IBinder* onAsBinder() override { return remote(); }
};

}  // namespace android

#define DECLARE_META_INTERFACE(INTERFACE)                                                   \
public:                                                                                     \
    static const ::android::String16 descriptor;                                            \
    static ::android::sp<I##INTERFACE> asInterface(const ::android::sp<::android::IBinder>& obj); \
    virtual const ::android::String16& getInterfaceDescriptor() const;                      \
    I##INTERFACE();                                                                         \
    virtual ~I##INTERFACE();                                                                \
    static bool setDefaultImpl(std::unique_ptr<I##INTERFACE> impl);                         \
    static const std::unique_ptr<I##INTERFACE>& getDefaultImpl();                           \
                                                                                            \
private:                                                                                    \
    static std::unique_ptr<I##INTERFACE> default_impl;                                      \
                                                                                            \
public:

#define IMPLEMENT_META_INTERFACE(INTERFACE, NAME)                                            \
    const ::android::String16 I##INTERFACE::descriptor(NAME);                                \
    const ::android::String16& I##INTERFACE::getInterfaceDescriptor() const {                \
        return I##INTERFACE::descriptor;                                                     \
    }                                                                                        \
    ::android::sp<I##INTERFACE> I##INTERFACE::asInterface(                                   \
            const ::android::sp<::android::IBinder>& obj) {                                  \
        ::android::sp<I##INTERFACE> intr;                                                    \
        if (obj != nullptr) {                                                                \
            intr = static_cast<I##INTERFACE*>(                                               \
                    obj->queryLocalInterface(I##INTERFACE::descriptor).get());               \
            if (intr == nullptr) intr = new Bp##INTERFACE(obj);                              \
        }                                                                                    \
        return intr;                                                                         \
    }                                                                                        \
    std::unique_ptr<I##INTERFACE> I##INTERFACE::default_impl;                                \
    bool I##INTERFACE::setDefaultImpl(std::unique_ptr<I##INTERFACE> impl) {                  \
        if (!I##INTERFACE::default_impl && impl) {                                           \
            I##INTERFACE::default_impl = std::move(impl);                                    \
            return true;                                                                     \
        }                                                                                    \
        return false;                                                                        \
    }                                                                                        \
    const std::unique_ptr<I##INTERFACE>& I##INTERFACE::getDefaultImpl() {                    \
        return I##INTERFACE::default_impl;                                                   \
    }                                                                                        \
    I##INTERFACE::I##INTERFACE() {}                                                          \
    I##INTERFACE::~I##INTERFACE() {}
