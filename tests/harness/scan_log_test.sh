#!/usr/bin/env bash
# tools/vm/scan-log's own tests, on made-up console logs (no VM): each kind of report the
# kernel's checkers print must be found, and the lines a healthy debug kernel prints while
# booting (its checkers announcing themselves) must not be.
set -u
here=$(cd "$(dirname "$0")" && pwd)
scan=$here/../../tools/vm/scan-log
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# expect_splat WHAT LINE: a log holding LINE (after a clean line, timestamped as printk
# does, with the serial console's carriage return) must be reported, on that line.
expect_splat() {
  printf '[    1.000000] clean line\r\n[   12.345678] %s\r\n' "$2" >"$log"
  local out
  out=$("$scan" "$log"); rc=$?
  if [ "$rc" -eq 0 ] && grep -qF "2: [   12.345678] $2" <<<"$out"; then ok "$1 is a splat"
  else bad "$1 not reported (exit $rc): '$2' -> '$out'"; fi
}
expect_splat "KASAN" "BUG: KASAN: slab-use-after-free in bl_proc_release+0x5c/0x1a0 [binder_lite]"
expect_splat "KASAN out of bounds" "BUG: KASAN: slab-out-of-bounds in checker_bugs_trigger+0x1/0x2"
expect_splat "UBSAN" "UBSAN: shift-out-of-bounds in drivers/android/binder.c:1234:5"
expect_splat "lockdep cycle" "WARNING: possible circular locking dependency detected"
expect_splat "lockdep cycle, INFO form" "INFO: possible circular locking dependency detected"
expect_splat "lockdep inconsistent state" "WARNING: inconsistent lock state"
expect_splat "lockdep recursion" "WARNING: possible recursive locking detected"
expect_splat "lockdep irq inversion" "WARNING: possible irq lock inversion dependency detected"
expect_splat "lockdep unlock balance" "WARNING: bad unlock balance detected!"
expect_splat "lockdep out of room" "BUG: MAX_LOCKDEP_CHAIN_HLOCKS too low!"
expect_splat "RCU lockdep" "WARNING: suspicious RCU usage"
expect_splat "atomic sleep" "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580"
expect_splat "scheduling while atomic" "BUG: scheduling while atomic: binder/123/0x00000002"
expect_splat "kmemleak report" "unreferenced object 0xffff888004a1b2c0 (size 128):"
expect_splat "kmemleak off" "kmemleak: Kernel memory leak detector disabled"
expect_splat "kmemleak unanswered" "vm: kmemleak does not answer: leaks would go unseen"
expect_splat "debug objects" "ODEBUG: free active (active state 0) object: 00000000a1b2c3d4 object type: work_struct hint: bl_release_work+0x0/0x40 [binder_lite]"
expect_splat "SLUB redzone" "BUG kmalloc-64 (Tainted: G           OE     ): Right Redzone overwritten"
expect_splat "list corruption" "list_del corruption. prev->next should be ffff888004a1b2c0, but was dead000000000100"
expect_splat "hung task" "INFO: task binder_conforma:211 blocked for more than 120 seconds."

# A clean boot of the debug kernel announces its checkers: none of that is a splat.
cat >"$log" <<'LOG'
[    0.000000] Linux version 6.1.192-binder-debug (root@host) (gcc (Debian 12.2.0-14) 12.2.0)
[    0.000000] kasan: KernelAddressSanitizer initialized
[    0.010000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
[    0.010000] ... MAX_LOCKDEP_SUBCLASSES:  8
[    0.010000] ... MAX_LOCKDEP_CHAINS:      65536
[    0.020000] ODEBUG: selftest passed
[    0.500000] kmemleak: Kernel memory leak detector initialized (mem pool available: 14719)
[    9.000000] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
[    9.500000] binder_lite: loading out-of-tree module taints kernel.
BINDER_LITE_VM_EXIT=0
LOG
out=$("$scan" "$log"); rc=$?
if [ "$rc" -eq 1 ] && [ -z "$out" ]; then ok "a clean debug-kernel boot is not a splat"
else bad "a clean debug-kernel boot was reported (exit $rc): $out"; fi

"$scan" /nonexistent/log 2>/dev/null; rc=$?
if [ "$rc" -eq 2 ]; then ok "an unreadable log exits 2"; else bad "an unreadable log exited $rc"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
