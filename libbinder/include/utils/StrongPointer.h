// sp<T>: the strong smart pointer for reference-counted objects (RefBase and anything else with
// incStrong(const void*) / decStrong(const void*)).
//
// Holding an sp keeps the object alive; the object dies when the last sp goes away (for the
// default OBJECT_LIFETIME_STRONG). Copying, assigning and destroying different sp objects from
// different threads is safe; one sp object shared between threads needs external locking, as
// with std::shared_ptr.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

namespace android {

namespace internal {

// A U* converts implicitly to a T* (U is T or derives from it).
template <typename U, typename T>
concept PointerConvertibleTo = std::is_convertible_v<U*, T*>;

}  // namespace internal

template <typename T>
class wp;

template <typename T>
class sp {
public:
    sp() noexcept = default;
    sp(std::nullptr_t) noexcept {}  // implicit, as in AOSP
    // Takes a strong reference on |other|, which may be nullptr. Prefer sp<T>::make() for new
    // objects: it never exposes a pointer without a reference.
    sp(T* other) : mPtr(other) {  // implicit, as in AOSP
        if (mPtr != nullptr) mPtr->incStrong(this);
    }
    template <internal::PointerConvertibleTo<T> U>
    sp(U* other) : sp(static_cast<T*>(other)) {}  // implicit, as in AOSP
    sp(const sp& other) : sp(other.mPtr) {}
    template <internal::PointerConvertibleTo<T> U>
    sp(const sp<U>& other) : sp(static_cast<T*>(other.get())) {}
    sp(sp&& other) noexcept : mPtr(std::exchange(other.mPtr, nullptr)) {}
    template <internal::PointerConvertibleTo<T> U>
    sp(sp<U>&& other) noexcept : mPtr(other.release()) {}
    ~sp() {
        if (mPtr != nullptr) mPtr->decStrong(this);
    }

    // Allocates a T and returns the first strong reference to it (which calls onFirstRef()).
    template <typename... Args>
    static sp<T> make(Args&&... args) {
        sp<T> result;
        result.mPtr = new T(std::forward<Args>(args)...);
        result.mPtr->incStrong(&result);
        return result;
    }

    sp& operator=(const sp& other) {
        sp(other).swap(*this);
        return *this;
    }
    sp& operator=(sp&& other) noexcept {
        sp(std::move(other)).swap(*this);
        return *this;
    }
    sp& operator=(T* other) {
        sp(other).swap(*this);
        return *this;
    }
    template <internal::PointerConvertibleTo<T> U>
    sp& operator=(const sp<U>& other) {
        sp(other).swap(*this);
        return *this;
    }
    template <internal::PointerConvertibleTo<T> U>
    sp& operator=(sp<U>&& other) {
        sp(std::move(other)).swap(*this);
        return *this;
    }

    // Takes a strong reference with RefBase::forceIncStrong(), which (unlike incStrong) also
    // revives an OBJECT_LIFETIME_WEAK object whose strong count had dropped to zero. Only for
    // objects whose lifetime the caller controls, e.g. a binder proxy cache.
    void force_set(T* other) {
        other->forceIncStrong(this);
        if (mPtr != nullptr) mPtr->decStrong(this);
        mPtr = other;
    }

    void clear() { sp().swap(*this); }
    void swap(sp& other) noexcept { std::swap(mPtr, other.mPtr); }

    T& operator*() const { return *mPtr; }
    T* operator->() const { return mPtr; }
    T* get() const { return mPtr; }
    explicit operator bool() const { return mPtr != nullptr; }

private:
    template <typename U>
    friend class sp;
    template <typename U>
    friend class wp;

    // For wp::promote(), which has already taken the reference.
    static sp adoptReference(T* ptr) {
        sp result;
        result.mPtr = ptr;
        return result;
    }
    T* release() noexcept { return std::exchange(mPtr, nullptr); }

    T* mPtr = nullptr;
};

// Comparisons are by object address, as in AOSP.
template <typename T, typename U>
bool operator==(const sp<T>& a, const sp<U>& b) {
    return a.get() == b.get();
}
template <typename T, typename U>
std::strong_ordering operator<=>(const sp<T>& a, const sp<U>& b) {
    return std::compare_three_way()(a.get(), b.get());
}
template <typename T, typename U>
bool operator==(const sp<T>& a, const U* b) {
    return a.get() == b;
}
template <typename T>
bool operator==(const sp<T>& a, std::nullptr_t) {
    return a.get() == nullptr;
}

}  // namespace android

template <typename T>
struct std::hash<android::sp<T>> {
    size_t operator()(const android::sp<T>& p) const noexcept { return std::hash<T*>()(p.get()); }
};
