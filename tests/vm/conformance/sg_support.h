// Helpers shared by the scatter-gather tests (sg_test.cpp, fda_test.cpp).
#pragma once

#include <cstdint>

#include "binder_driver.h"

namespace binder_test {

// Sizes and offsets in the extra buffer space are 8-byte aligned.
inline binder_size_t align8(binder_size_t size) {
  constexpr binder_size_t kAlign = sizeof(uint64_t);
  return (size + kAlign - 1) / kAlign * kAlign;
}

// An empty payload that starts with one 8-byte word. Upstream cannot use an object at data
// offset 0 as a parent (it takes offset 0 for "no buffer copied yet"), so payloads whose
// objects have parents start with a word, as libbinder's always do;
// Sg.ParentAtDataOffsetZeroIsRejected checks the quirk itself.
inline Payload headed() { return Payload().putU64(0x4eade4); }

}  // namespace binder_test
