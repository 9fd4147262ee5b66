#include <utils/RefBase.h>

#include <atomic>

#include "Log.h"

namespace android {

// The counts live in a separate block so that weak references can outlive the object: with
// OBJECT_LIFETIME_STRONG the block is freed by the last decWeak(), after the object is gone.
//
// Memory ordering follows AOSP: increments are relaxed (a reference can only be taken from an
// existing one); decrements release, and the thread that reaches zero acquires before it runs
// the hooks or deletes, so every earlier use of the object happens-before its destruction.
class RefBase::weakref_impl : public RefBase::weakref_type {
public:
    explicit weakref_impl(RefBase* base) : mBase(base) {}

    std::atomic<int32_t> mStrong{INITIAL_STRONG_VALUE};
    std::atomic<int32_t> mWeak{0};
    RefBase* const mBase;
    std::atomic<int32_t> mFlags{OBJECT_LIFETIME_STRONG};

    bool hasStrongLifetime() const {
        return (mFlags.load(std::memory_order_relaxed) & OBJECT_LIFETIME_MASK) ==
               OBJECT_LIFETIME_STRONG;
    }
};

RefBase::RefBase() : mRefs(new weakref_impl(this)) {}

RefBase::~RefBase() {
    if (!mRefs->hasStrongLifetime()) {
        // OBJECT_LIFETIME_WEAK: we are here because the weak count reached zero, unless the
        // destructor of a subclass took a weak reference again; then that reference frees it.
        if (mRefs->mWeak.load(std::memory_order_relaxed) == 0) {
            delete mRefs;
        }
    } else if (mRefs->mStrong.load(std::memory_order_relaxed) == INITIAL_STRONG_VALUE) {
        // Never strongly referenced, so deleted explicitly (e.g. a stack object). A surviving
        // weak reference would later promote a dead object: fail loudly, as AOSP does.
        if (mRefs->mWeak.load(std::memory_order_relaxed) != 0) {
            internal::fatal("RefBase {}: destroyed with weak references but no strong one",
                            static_cast<const void*>(this));
        }
        delete mRefs;
    }
    // Otherwise the object died with its last strong reference and the block lives on until
    // the last weak reference goes.
}

void RefBase::incStrong(const void* id) const {
    mRefs->incWeak(id);
    const int32_t previous = mRefs->mStrong.fetch_add(1, std::memory_order_relaxed);
    if (previous != INITIAL_STRONG_VALUE) {
        return;
    }
    mRefs->mStrong.fetch_sub(INITIAL_STRONG_VALUE, std::memory_order_relaxed);
    const_cast<RefBase*>(this)->onFirstRef();
}

void RefBase::forceIncStrong(const void* id) const {
    mRefs->incWeak(id);
    const int32_t previous = mRefs->mStrong.fetch_add(1, std::memory_order_relaxed);
    if (previous == INITIAL_STRONG_VALUE) {
        mRefs->mStrong.fetch_sub(INITIAL_STRONG_VALUE, std::memory_order_relaxed);
    }
    if (previous == INITIAL_STRONG_VALUE || previous == 0) {
        const_cast<RefBase*>(this)->onFirstRef();
    }
}

void RefBase::decStrong(const void* id) const {
    weakref_impl* const refs = mRefs;
    const int32_t previous = refs->mStrong.fetch_sub(1, std::memory_order_release);
    if (previous <= 0 || previous == INITIAL_STRONG_VALUE) {
        internal::fatal("RefBase {}: decStrong() without a strong reference (count {})",
                        static_cast<const void*>(this), previous);
    }
    if (previous == 1) {
        std::atomic_thread_fence(std::memory_order_acquire);
        const_cast<RefBase*>(this)->onLastStrongRef(id);
        if (refs->hasStrongLifetime()) {
            delete this;
        }
    }
    // |this| may be gone; the block is still alive because we hold a weak reference.
    refs->decWeak(id);
}

int32_t RefBase::getStrongCount() const {
    return mRefs->mStrong.load(std::memory_order_relaxed);
}

RefBase::weakref_type* RefBase::createWeak(const void* id) const {
    mRefs->incWeak(id);
    return mRefs;
}

RefBase::weakref_type* RefBase::getWeakRefs() const {
    return mRefs;
}

void RefBase::extendObjectLifetime(int32_t mode) {
    mRefs->mFlags.fetch_or(mode, std::memory_order_relaxed);
}

void RefBase::onFirstRef() {}

void RefBase::onLastStrongRef(const void* /*id*/) {}

bool RefBase::onIncStrongAttempted(uint32_t flags, const void* /*id*/) {
    return (flags & FIRST_INC_STRONG) != 0;
}

void RefBase::onLastWeakRef(const void* /*id*/) {}

RefBase* RefBase::weakref_type::refBase() const {
    return static_cast<const weakref_impl*>(this)->mBase;
}

void RefBase::weakref_type::incWeak(const void* /*id*/) {
    const int32_t previous =
            static_cast<weakref_impl*>(this)->mWeak.fetch_add(1, std::memory_order_relaxed);
    if (previous < 0) {
        internal::fatal("RefBase: incWeak() on a weak count of {}", previous);
    }
}

void RefBase::weakref_type::decWeak(const void* id) {
    weakref_impl* const impl = static_cast<weakref_impl*>(this);
    const int32_t previous = impl->mWeak.fetch_sub(1, std::memory_order_release);
    if (previous <= 0) {
        internal::fatal("RefBase: decWeak() on a weak count of {}", previous);
    }
    if (previous != 1) {
        return;
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    if (impl->hasStrongLifetime()) {
        if (impl->mStrong.load(std::memory_order_relaxed) == INITIAL_STRONG_VALUE) {
            // Weak references came and went before any strong one: the object is still owned
            // by whoever created it (it will die through a strong reference or an explicit
            // delete), and its destructor frees the block.
            internal::logWarning("RefBase {}: lost its last weak reference before any strong one",
                                 static_cast<const void*>(impl->mBase));
        } else {
            delete impl;
        }
    } else {
        impl->mBase->onLastWeakRef(id);
        delete impl->mBase;
    }
}

bool RefBase::weakref_type::attemptIncStrong(const void* id) {
    incWeak(id);
    weakref_impl* const impl = static_cast<weakref_impl*>(this);
    int32_t current = impl->mStrong.load(std::memory_order_relaxed);
    // The common case: the object is strongly referenced, so it cannot die under us.
    while (current > 0 && current != INITIAL_STRONG_VALUE) {
        if (impl->mStrong.compare_exchange_weak(current, current + 1, std::memory_order_relaxed)) {
            return true;
        }
    }

    // Either no strong reference was ever taken, or the last one is gone.
    if (impl->hasStrongLifetime()) {
        if (current <= 0) {
            decWeak(id);
            return false;
        }
        // Never strongly referenced: the creator still owns it, so we may take the first one.
        while (current > 0) {
            if (impl->mStrong.compare_exchange_weak(current, current + 1,
                                                    std::memory_order_relaxed)) {
                break;
            }
        }
        if (current <= 0) {
            // Another thread took and dropped the first strong reference meanwhile.
            decWeak(id);
            return false;
        }
    } else {
        if (!impl->mBase->onIncStrongAttempted(FIRST_INC_STRONG, id)) {
            decWeak(id);
            return false;
        }
        current = impl->mStrong.fetch_add(1, std::memory_order_relaxed);
        // Someone else revived it meanwhile, so the reference onIncStrongAttempted() may have
        // taken on our behalf is one too many: give the hook the chance to drop it, as AOSP.
        if (current != 0 && current != INITIAL_STRONG_VALUE) {
            impl->mBase->onLastStrongRef(id);
        }
    }
    // Several threads may get here from INITIAL_STRONG_VALUE; only the one that saw exactly
    // that value removes the offset.
    if (current == INITIAL_STRONG_VALUE) {
        impl->mStrong.fetch_sub(INITIAL_STRONG_VALUE, std::memory_order_relaxed);
    }
    return true;
}

bool RefBase::weakref_type::attemptIncWeak(const void* /*id*/) {
    weakref_impl* const impl = static_cast<weakref_impl*>(this);
    int32_t current = impl->mWeak.load(std::memory_order_relaxed);
    while (current > 0) {
        if (impl->mWeak.compare_exchange_weak(current, current + 1, std::memory_order_relaxed)) {
            return true;
        }
    }
    return false;
}

int32_t RefBase::weakref_type::getWeakCount() const {
    return static_cast<const weakref_impl*>(this)->mWeak.load(std::memory_order_relaxed);
}

}  // namespace android
