#!/usr/bin/env bash
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
# cmake --install BUILD_DIR into a scratch prefix, check the layout, then build the echo
# example against it with find_package(binder-lite) and a small program with pkg-config.
set -euo pipefail
build=$1 source=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
pass=0 fail=0
check() { if "${@:2}" >/dev/null 2>&1; then pass=$((pass + 1)); else echo "FAIL: $1"; fail=$((fail + 1)); fi; }

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$prefix/lib
for f in include/binder/Parcel.h include/binder/IServiceManager.h include/utils/RefBase.h \
         lib/libbinder-lite.so lib/libbinder-lite.a lib/pkgconfig/libbinder-lite.pc \
         lib/cmake/binder-lite/binder-lite-config.cmake; do
  check "installed $f" test -e "$prefix/$f"
done
check "no private header installed" test ! -e "$prefix/include/internal/DriverOps.h"

check "echo example configures with find_package" \
  cmake -S "$source/examples/echo" -B "$scratch/echo" -DCMAKE_PREFIX_PATH="$prefix"
check "echo example builds" cmake --build "$scratch/echo" -j 2
check "echo_client links the installed library" \
  sh -c "LD_LIBRARY_PATH='$libdir' ldd '$scratch/echo/echo_client' | grep -q '$libdir/libbinder-lite.so'"
check "echo_client --help runs" env LD_LIBRARY_PATH="$libdir" "$scratch/echo/echo_client" --help

cat >"$scratch/parcel.cpp" <<'CPP'
#include <binder/Parcel.h>
int main() {
  android::Parcel p;
  if (p.writeInt32(42) != android::OK) return 1;
  p.setDataPosition(0);
  return p.readInt32() == 42 ? 0 : 1;
}
CPP
check "a program builds with pkg-config" sh -c "PKG_CONFIG_PATH='$libdir/pkgconfig' g++ \
  \$(PKG_CONFIG_PATH='$libdir/pkgconfig' pkg-config --cflags libbinder-lite) '$scratch/parcel.cpp' \
  -o '$scratch/parcel' \$(PKG_CONFIG_PATH='$libdir/pkgconfig' pkg-config --libs libbinder-lite)"
check "the pkg-config program runs" env LD_LIBRARY_PATH="$libdir" "$scratch/parcel"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
