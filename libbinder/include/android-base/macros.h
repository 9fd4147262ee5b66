// android-base/macros.h: the small macros from AOSP's libbase that AOSP code and aidl-generated
// C++ use (generated proxies include this header and test UNLIKELY(...) on every call), with
// libbase's meanings. Only the macros such code needs; nothing here has state.
#pragma once

#include <cstddef>

// Deletes the copy constructor and copy assignment; place in the class's private section.
#define DISALLOW_COPY_AND_ASSIGN(TypeName) \
    TypeName(const TypeName&) = delete;    \
    void operator=(const TypeName&) = delete

// As DISALLOW_COPY_AND_ASSIGN, and deletes the default constructor too (for classes of static
// members only).
#define DISALLOW_IMPLICIT_CONSTRUCTORS(TypeName) \
    TypeName() = delete;                         \
    DISALLOW_COPY_AND_ASSIGN(TypeName)

// The number of elements of a C array, as a compile-time constant; does not compile for a
// pointer (unlike sizeof(a) / sizeof(a[0])).
template <typename T, size_t N>
char (&ArraySizeHelper(T (&array)[N]))[N];  // NOLINT(readability/casting)
#define arraysize(array) (sizeof(ArraySizeHelper(array)))

// Branch-prediction hints; each evaluates to the truth of |exp| as a bool.
#define LIKELY(exp) (__builtin_expect((exp) != 0, true))
#define UNLIKELY(exp) (__builtin_expect((exp) != 0, false))

// The caller must use the result.
#define WARN_UNUSED __attribute__((warn_unused_result))
// The entity may be unused (no -Wunused warning).
#define ATTRIBUTE_UNUSED __attribute__((__unused__))
// A deliberate fall-through between switch cases.
#define FALLTHROUGH_INTENDED [[fallthrough]]
