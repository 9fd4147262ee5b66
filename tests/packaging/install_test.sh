#!/usr/bin/env bash
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
# cmake --install BUILD_DIR into a scratch prefix, check the layout, then build the echo and
# AIDL examples against it with find_package(binder-lite) (the AIDL one through the installed
# binder_add_aidl) and a small program with pkg-config.
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
         include/binder/ParcelFileDescriptor.h include/android-base/macros.h \
         lib/libbinder-lite.so lib/libbinder-lite.a lib/pkgconfig/libbinder-lite.pc \
         lib/cmake/binder-lite/binder-lite-config.cmake lib/cmake/binder-lite/BinderAidl.cmake; do
  check "installed $f" test -e "$prefix/$f"
done
check "no private header installed" test ! -e "$prefix/include/internal/DriverOps.h"

check "echo example configures with find_package" \
  cmake -S "$source/examples/echo" -B "$scratch/echo" -DCMAKE_PREFIX_PATH="$prefix"
check "echo example builds" cmake --build "$scratch/echo" -j 2
check "echo_client links the installed library" \
  sh -c "LD_LIBRARY_PATH='$libdir' ldd '$scratch/echo/echo_client' | grep -q '$libdir/libbinder-lite.so'"
check "echo_client --help runs" env LD_LIBRARY_PATH="$libdir" "$scratch/echo/echo_client" --help

check "aidl example configures with find_package" \
  cmake -S "$source/examples/aidl" -B "$scratch/aidl" -DCMAKE_PREFIX_PATH="$prefix"
check "aidl example builds with the installed binder_add_aidl" cmake --build "$scratch/aidl" -j 2
check "aidl headers were generated" \
  test -e "$scratch/aidl/aidl/stats_interface/include/example/stats/BnStatsService.h"
check "stats_client --help runs" env LD_LIBRARY_PATH="$libdir" "$scratch/aidl/stats_client" --help
# Without the aidl compiler (its folders hidden from find_program), configuring fails and says
# which package to install.
check "a missing aidl compiler names the package" sh -c "cmake -S '$source/examples/aidl' \
  -B '$scratch/no-aidl' -DCMAKE_PREFIX_PATH='$prefix' -DCMAKE_CXX_COMPILER=\$(command -v c++) \
  -DCMAKE_MAKE_PROGRAM=\$(command -v make) \
  '-DCMAKE_IGNORE_PATH=/usr/local/bin;/usr/bin;/bin;/usr/local/sbin;/usr/sbin;/sbin' 2>&1 \
  | grep -q \"Install the Debian package 'aidl'\""

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
