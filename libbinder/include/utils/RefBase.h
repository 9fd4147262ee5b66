// RefBase: the base class of reference-counted objects, with strong and weak counts, and wp<T>,
// the weak pointer to one.
//
// Semantics follow AOSP exactly, because binder builds on them: a proxy's kernel reference
// follows its strong count, so the hooks run at the same moments as in AOSP:
//  - onFirstRef() runs once, when the strong count first leaves its initial state through
//    incStrong() (or forceIncStrong()); promoting a weak reference does not run it.
//  - onLastStrongRef() runs each time the strong count drops from one to zero.
//  - With OBJECT_LIFETIME_STRONG (default) the object is deleted when the strong count reaches
//    zero; the weak-reference block lives on until the weak count reaches zero, so promote()
//    fails cleanly afterwards.
//  - With OBJECT_LIFETIME_WEAK the object lives until the weak count reaches zero
//    (onLastWeakRef() runs first) and a weak reference can revive it if
//    onIncStrongAttempted() agrees.
// All counting is lock-free and safe from any thread. The |id| arguments identify the holder
// of a reference for debugging in AOSP; they are accepted and ignored here.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>

#include <utils/StrongPointer.h>

namespace android {

class RefBase {
public:
    void incStrong(const void* id) const;
    void decStrong(const void* id) const;
    // Like incStrong(), but also accepts a strong count of zero (see sp::force_set()).
    void forceIncStrong(const void* id) const;
    // The current strong count; 1 << 28 (INITIAL_STRONG_VALUE) if no strong reference was ever
    // taken. For tests and debugging only: the value may change before the caller looks at it.
    int32_t getStrongCount() const;

    class weakref_type {
    public:
        RefBase* refBase() const;

        void incWeak(const void* id);
        void decWeak(const void* id);
        // Takes a strong reference if the object is still alive (or revivable); the basis of
        // wp::promote().
        [[nodiscard]] bool attemptIncStrong(const void* id);
        // Takes a weak reference only if the weak count is not already zero.
        [[nodiscard]] bool attemptIncWeak(const void* id);
        // For tests and debugging only.
        int32_t getWeakCount() const;

    protected:
        weakref_type() = default;
        ~weakref_type() = default;
    };

    // Takes a weak reference and returns the block that holds it.
    weakref_type* createWeak(const void* id) const;
    weakref_type* getWeakRefs() const;

    static constexpr int32_t INITIAL_STRONG_VALUE = 1 << 28;

protected:
    RefBase();
    virtual ~RefBase();

    enum {
        OBJECT_LIFETIME_STRONG = 0x0000,
        OBJECT_LIFETIME_WEAK = 0x0001,
        OBJECT_LIFETIME_MASK = 0x0001,
    };
    // Call from the constructor, before any reference is taken.
    void extendObjectLifetime(int32_t mode);

    enum {
        FIRST_INC_STRONG = 0x0001,
    };
    // Hooks for subclasses; see the file comment for when each runs. They run on the thread
    // that changed the count, outside any lock of RefBase's.
    virtual void onFirstRef();
    virtual void onLastStrongRef(const void* id);
    // Whether a weak reference may revive an OBJECT_LIFETIME_WEAK object whose strong count is
    // zero. |flags| holds FIRST_INC_STRONG. The default allows it.
    virtual bool onIncStrongAttempted(uint32_t flags, const void* id);
    virtual void onLastWeakRef(const void* id);

private:
    friend class weakref_type;
    class weakref_impl;

    RefBase(const RefBase&) = delete;
    RefBase& operator=(const RefBase&) = delete;

    weakref_impl* const mRefs;
};

// A weak pointer: does not keep the object alive, but can be promoted to an sp<T> while it is.
// The same thread-safety rules as sp<T> apply.
template <typename T>
class wp {
public:
    using weakref_type = RefBase::weakref_type;

    wp() noexcept = default;
    wp(std::nullptr_t) noexcept {}  // implicit, as in AOSP
    wp(T* other)                    // implicit, as in AOSP
        : mPtr(other), mRefs(other != nullptr ? other->createWeak(this) : nullptr) {}
    wp(const sp<T>& other) : wp(other.get()) {}  // implicit, as in AOSP
    template <internal::PointerConvertibleTo<T> U>
    wp(const sp<U>& other) : wp(static_cast<T*>(other.get())) {}
    wp(const wp& other) : mPtr(other.mPtr), mRefs(other.mRefs) {
        if (mRefs != nullptr) mRefs->incWeak(this);
    }
    template <internal::PointerConvertibleTo<T> U>
    wp(const wp<U>& other)  // implicit, as in AOSP
        : mPtr(other.mPtr), mRefs(other.mRefs) {
        if (mRefs != nullptr) mRefs->incWeak(this);
    }
    wp(wp&& other) noexcept
        : mPtr(std::exchange(other.mPtr, nullptr)), mRefs(std::exchange(other.mRefs, nullptr)) {}
    ~wp() {
        if (mRefs != nullptr) mRefs->decWeak(this);
    }

    wp& operator=(const wp& other) {
        wp(other).swap(*this);
        return *this;
    }
    wp& operator=(wp&& other) noexcept {
        wp(std::move(other)).swap(*this);
        return *this;
    }
    wp& operator=(T* other) {
        wp(other).swap(*this);
        return *this;
    }
    wp& operator=(const sp<T>& other) {
        wp(other).swap(*this);
        return *this;
    }

    // A strong reference to the object if it is still alive (or revivable), else nullptr.
    sp<T> promote() const {
        if (mPtr != nullptr && mRefs->attemptIncStrong(this)) {
            return sp<T>::adoptReference(mPtr);
        }
        return sp<T>();
    }

    void clear() { wp().swap(*this); }
    void swap(wp& other) noexcept {
        std::swap(mPtr, other.mPtr);
        std::swap(mRefs, other.mRefs);
    }

    // The raw pointer, which may dangle; for identity comparisons only.
    T* unsafe_get() const { return mPtr; }
    weakref_type* get_refs() const { return mRefs; }

    template <typename U>
    bool operator==(const wp<U>& other) const {
        return mPtr == other.mPtr && mRefs == other.mRefs;
    }
    template <typename U>
    std::strong_ordering operator<=>(const wp<U>& other) const {
        if (auto order = std::compare_three_way()(mPtr, other.mPtr); order != 0) return order;
        return std::compare_three_way()(mRefs, other.mRefs);
    }
    bool operator==(const T* other) const { return mPtr == other; }
    bool operator==(std::nullptr_t) const { return mPtr == nullptr; }

private:
    template <typename U>
    friend class wp;

    T* mPtr = nullptr;
    weakref_type* mRefs = nullptr;
};

}  // namespace android
