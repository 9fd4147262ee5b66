#!/usr/bin/env bash
# Usage: tests/install/install_test.sh BUILD_DIR
# What a user's install does, checked without touching the system (needs root):
#   userspace  cmake --install BUILD_DIR into a DESTDIR with prefix /usr: the layout
#   unit       systemd-analyze verify and security of the unit; its policy-file wrapper
#   udev       the rule applies to binder_lite's devices only (udevadm test, private mounts)
#   config     sysusers.d, modprobe.d and modules-load.d files parse
#   man        every man page renders without groff or mandoc warnings and matches --help
#   dkms       the DKMS source tree; dkms builds and installs for the VM kernels, skips
#              an unsupported kernel with a clear message and exit status 77, and
#              `dkms autoinstall` (the kernel-upgrade hook) passes over it without failing
#   kbuild     make -f Makefile.kbuild install into a DESTDIR
# DKMS and make run in scratch trees (--dkmstree, --sourcetree, --installtree, DESTDIR) and
# are removed at the end. The module parts need kernel/Kbuild and say so when skipped.
# Ends with "N passed, M failed".
set -euo pipefail
prog=install_test
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tools/lib/common.sh"

build=${1:?usage: install_test.sh BUILD_DIR}
build=$(cd "$build" && pwd)
scratch=$(mktemp -d)
dkms_args=()
cleanup() {
  if [ ${#dkms_args[@]} -gt 0 ]; then dkms "${dkms_args[@]}" remove --no-depmod binder-lite/"$version" --all \
    >/dev/null 2>&1 || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

pass=0 fail=0
check() { # check DESCRIPTION COMMAND...: the command's output is shown only on failure
  local out
  if out=$("${@:2}" 2>&1); then pass=$((pass + 1)); else
    echo "FAIL: $1"; [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /'; fail=$((fail + 1)); fi
}
quiet() { # quiet COMMAND...: succeed only when the command does and prints nothing
  local out; out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }
  [ -z "$out" ] || { printf '%s\n' "$out"; return 1; }
}
skip() { echo "SKIP: $*"; }

ensure_packages systemd udev dkms groff-base mandoc man-db kmod

# --- userspace ------------------------------------------------------------------------
dest=$scratch/dest
DESTDIR=$dest cmake --install "$build" --prefix /usr >"$scratch/cmake-install.log" 2>&1 \
  || { cat "$scratch/cmake-install.log"; die "cmake --install failed"; }
for f in usr/sbin/servicemanager usr/bin/bctest usr/bin/binder-service usr/bin/binder-stat; do
  check "installed executable /$f" test -x "$dest/$f"
done
# The library folder is lib, or lib/<multiarch> when the build was configured for /usr.
libdir=$(dirname "$(find "$dest/usr/lib" -name libbinder-lite.so -print -quit)")
check "installed libbinder-lite.so under /usr/lib" test -f "$libdir/libbinder-lite.so"
for f in libbinder-lite.a pkgconfig/libbinder-lite.pc cmake/binder-lite/binder-lite-config.cmake; do
  check "installed ${libdir#"$dest"}/$f" test -f "$libdir/$f"
done
for f in usr/include/binder/Parcel.h usr/lib/systemd/system/binder-servicemanager.service \
         usr/lib/udev/rules.d/60-binder-lite.rules usr/lib/sysusers.d/binder-lite.conf \
         usr/lib/modprobe.d/binder-lite.conf usr/lib/modules-load.d/binder-lite.conf \
         etc/binder-lite/servicemanager.policy.example \
         usr/share/man/man8/servicemanager.8 usr/share/man/man1/bctest.1 \
         usr/share/man/man1/binder-service.1 usr/share/man/man8/binder-stat.8; do
  check "installed /$f" test -f "$dest/$f"
done
check "nothing installed outside /usr and /etc/binder-lite" \
  sh -c "cd '$dest' && ! find . -type f | grep -Ev '^\./(usr/|etc/binder-lite/)'"
check "the policy itself is not installed (it is the administrator's)" \
  test ! -e "$dest/etc/binder-lite/servicemanager.policy"

# --- unit -----------------------------------------------------------------------------
unit=$dest/usr/lib/systemd/system/binder-servicemanager.service
# Documentation=man:servicemanager(8) must resolve too: MANPATH points at the DESTDIR pages.
check "systemd-analyze verify: no errors or warnings" \
  quiet env MANPATH="$dest/usr/share/man" systemd-analyze verify "$unit"
exposure=$(systemd-analyze security --offline=true "$unit" 2>/dev/null \
  | sed -En 's/.*Overall exposure level for [^:]*: ([0-9.]+).*/\1/p')
check "systemd-analyze security: exposure ${exposure:-?} is at most 2.0" \
  awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.0) }'
for key in 'BindsTo=dev-binder.device' 'DeviceAllow=/dev/binder rw' 'DevicePolicy=closed' \
           'ProtectSystem=strict' 'Restart=on-failure' 'CapabilityBoundingSet=' \
           'RestrictAddressFamilies=AF_UNIX'; do
  check "unit has $key" grep -qxF "$key" "$unit"
done
# Run the unit's ExecStart (systemd's "$$" is "$") with a stand-in servicemanager.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
sm_path=$(printf '%s\n' "$exec_start" | grep -oE '/[^ ]*/servicemanager( |$)' | tr -d ' ')
check "ExecStart's servicemanager ($sm_path) is the installed one" test -x "$dest$sm_path"
printf '#!/bin/sh\necho "$*"\n' >"$scratch/fake-servicemanager"
chmod +x "$scratch/fake-servicemanager"
run_exec_start() {
  local cmd=${exec_start//\$\$/\$}
  cmd=${cmd//$sm_path/$scratch/fake-servicemanager}
  cmd=${cmd//\/etc\/binder-lite\/servicemanager.policy/$scratch/servicemanager.policy}
  eval "$cmd"
}
check "ExecStart without a policy file: --device /dev/binder only" \
  test "$(run_exec_start)" = "--device /dev/binder"
touch "$scratch/servicemanager.policy"
check "ExecStart with /etc/binder-lite/servicemanager.policy: passes --policy" \
  test "$(run_exec_start)" = "--device /dev/binder --policy $scratch/servicemanager.policy"
rm -f "$scratch/servicemanager.policy"
check "the policy example parses (servicemanager --policy, no device needed to parse)" \
  sh -c "LD_LIBRARY_PATH='$libdir' '$dest/usr/sbin/servicemanager' --device /nonexistent --policy \
    '$dest/etc/binder-lite/servicemanager.policy.example' 2>&1 | grep -q 'policy .*: 0 rule'"

# --- udev -----------------------------------------------------------------------------
rules=$dest/usr/lib/udev/rules.d/60-binder-lite.rules
if unshare --mount true 2>/dev/null; then
  udev_test() { "$here/udev_rule_test.sh" "$rules" "$1"; }
  out=$(udev_test 'DEV,b2')
  check "udev: a device named in binder_lite's devices= gets group binder, 0660, tag systemd" \
    sh -c "printf '%s\n' \"\$1\" | grep -q 'MODE 0660' && printf '%s\n' \"\$1\" | grep -q 'GROUP ' \
      && printf '%s\n' \"\$1\" | grep -q '^TAGS=.*:systemd:'" _ "$out"
  out=$(udev_test 'b2,DEVx')
  check "udev: a misc device binder_lite did not make is left alone" \
    sh -c "! printf '%s\n' \"\$1\" | grep -qE 'GROUP |MODE '" _ "$out"
  out=$(udev_test '')
  check "udev: nothing happens while binder_lite is not loaded" \
    sh -c "! printf '%s\n' \"\$1\" | grep -qE 'GROUP |MODE |PROGRAM'" _ "$out"
else
  skip "udev rule test: no mount namespaces here (unshare --mount failed)"
fi

# --- config snippets --------------------------------------------------------------------
check "sysusers.d creates group binder" \
  sh -c "systemd-sysusers --root='$dest' --dry-run 2>&1 | grep -q \"Creating group 'binder'\""
check "modprobe.d sets binder_lite's devices" \
  sh -c "modprobe -C '$dest/usr/lib/modprobe.d/binder-lite.conf' -c | grep -qx 'options binder_lite devices=binder'"
check "modules-load.d loads binder_lite" \
  test "$(grep -v '^#' "$dest/usr/lib/modules-load.d/binder-lite.conf")" = binder_lite

# --- man pages ----------------------------------------------------------------------------
declare -A page_of=([servicemanager]=man8/servicemanager.8 [bctest]=man1/bctest.1
                    [binder-service]=man1/binder-service.1 [binder-stat]=man8/binder-stat.8)
for tool in "${!page_of[@]}"; do
  page=$dest/usr/share/man/${page_of[$tool]}
  check "$tool man page: groff -ww reports nothing" quiet groff -ww -z -man "$page"
  check "$tool man page: mandoc -T lint reports no warning" quiet mandoc -T lint -W warning "$page"
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' FILES EXAMPLES 'SEE ALSO'; do
    check "$tool man page has $section" grep -qx "\\.SH \"\\?$section\"\\?" "$page"
  done
  options_section=$(LC_ALL=C MANWIDTH=200 man -l -P cat "$page" 2>/dev/null \
    | awk '/^[A-Z]/ { in_options = ($0 == "OPTIONS") } in_options')
  bin=$dest$(printf '%s\n' "$tool" | sed 's|^servicemanager$|/usr/sbin/&|; t; s|^|/usr/bin/|')
  for option in $(LD_LIBRARY_PATH=$libdir "$bin" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    check "$tool man page's OPTIONS has $option (from --help)" \
      sh -c "printf '%s\n' \"\$1\" | grep -qE -e '^ +(-[a-z], )?$option( |,|$)'" _ "$options_section"
  done
done

# --- module: DKMS and Makefile.kbuild ----------------------------------------------------
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf")
project_version=$(sed -nE 's/^project\(binder-lite VERSION ([0-9.]+).*/\1/p' "$root/CMakeLists.txt")
check "dkms.conf PACKAGE_VERSION ($version) is the project version ($project_version)" \
  test "$version" = "$project_version"

if [ ! -f "$root/kernel/Kbuild" ]; then
  skip "DKMS and make install: kernel/Kbuild does not exist yet (no module to build)"
else
  srctree=$scratch/dkms-src
  make -s -C "$root" -f Makefile.kbuild dkms-source DESTDIR="$srctree" >/dev/null
  tree=$srctree/usr/src/binder-lite-$version
  check "DKMS source tree: only dkms.conf, Makefile.kbuild and kernel/'s sources" \
    sh -c "cd '$tree' && ! find . -type f | grep -vE '^\./(dkms\.conf|Makefile\.kbuild|kernel/(Kbuild|[^/]+\.[ch]))$'"

  # The VM harness's kernels: their headers are what `dkms build` is run against.
  rel61=$("$root/tools/vm/kernel" --kernel 6.1 release)
  rel612=$("$root/tools/vm/kernel" --kernel 6.12 release)
  kdir61=$("$root/tools/vm/kernel" --kernel 6.1 headers)
  kdir612=$("$root/tools/vm/kernel" --kernel 6.12 headers)
  modtree=$scratch/modules
  touch "$scratch/before-dkms"
  mkdir -p "$modtree/$rel61" "$modtree/$rel612" "$scratch/dkms"
  # dkms signs what it builds; keep its key out of /var/lib/dkms.
  export mok_signing_key=$scratch/mok.key mok_certificate=$scratch/mok.pub
  dkms_args=(--sourcetree "$srctree/usr/src" --dkmstree "$scratch/dkms" --installtree "$modtree")
  check "dkms add" dkms "${dkms_args[@]}" add "binder-lite/$version"
  check "dkms build -k $rel61 against $kdir61" \
    dkms "${dkms_args[@]}" build -j 2 "binder-lite/$version" -k "$rel61" --kernelsourcedir "$kdir61"
  check "dkms install -k $rel61" \
    dkms "${dkms_args[@]}" install --no-depmod "binder-lite/$version" -k "$rel61" \
      --kernelsourcedir "$kdir61"
  ko=$modtree/$rel61/updates/dkms/binder_lite.ko
  check "dkms installed $ko built for $rel61" \
    sh -c "modinfo -F vermagic '$ko' | grep -q '^$rel61 '"
  # A kernel upgrade: the kernel package's hook runs `dkms autoinstall -k NEW`.
  check "dkms autoinstall -k $rel612 (a kernel upgrade) builds and installs it" \
    dkms "${dkms_args[@]}" autoinstall --no-depmod -j 2 -k "$rel612"
  check "autoinstalled module for $rel612" \
    sh -c "ls '$modtree/$rel612/updates/dkms/' | grep -q '^binder_lite\.ko'"

  unsupported=6.13.0-1-amd64
  rc=0; out=$(dkms "${dkms_args[@]}" build "binder-lite/$version" -k "$unsupported" 2>&1) || rc=$?
  check "dkms build -k $unsupported is refused with status 77 (got $rc)" test "$rc" = 77
  check "the refusal says which kernels are supported" \
    sh -c "printf '%s\n' \"\$1\" | grep -q 'kernel $unsupported is not supported (binder_lite builds for Linux 6.1 to 6.12)'" _ "$out"
  rc=0; out=$(dkms "${dkms_args[@]}" build "binder-lite/$version" -k 5.10.0-30-amd64 2>&1) || rc=$?
  check "dkms build -k 5.10.0-30-amd64 is refused with status 77 (got $rc)" test "$rc" = 77
  rc=0; out=$(dkms "${dkms_args[@]}" autoinstall --no-depmod -k "$unsupported" 2>&1) || rc=$?
  check "dkms autoinstall -k $unsupported passes over it (status $rc, must be 0)" test "$rc" = 0
  check "... and says why" sh -c "printf '%s\n' \"\$1\" | grep -q 'is not supported'" _ "$out"

  check "dkms remove --all" dkms "${dkms_args[@]}" remove --no-depmod "binder-lite/$version" --all
  check "nothing left in the module tree after dkms remove" \
    sh -c "! find '$modtree' -name 'binder_lite.ko*' | grep -q ."
  dkms_args=()
  check "the system's /lib/modules was not touched (no depmod there)" \
    sh -c "! find '/lib/modules/$rel61' '/lib/modules/$rel612' -maxdepth 1 -newer '$scratch/before-dkms' | grep ."

  # make -f Makefile.kbuild install, staged.
  kroot=$scratch/kroot
  check "make -f Makefile.kbuild install KDIR=$kdir61 DESTDIR=..." \
    make -s -C "$root" -f Makefile.kbuild install KDIR="$kdir61" OUT="$scratch/kmod" DESTDIR="$kroot"
  check "make install put binder_lite.ko in lib/modules/$rel61/updates" \
    sh -c "modinfo -F vermagic '$kroot/lib/modules/$rel61/updates/binder_lite.ko' | grep -q '^$rel61 '"
  check "make install into DESTDIR ran no depmod" test ! -e "$kroot/lib/modules/$rel61/modules.dep"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
