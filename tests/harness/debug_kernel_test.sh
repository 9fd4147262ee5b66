#!/usr/bin/env bash
# The debug kernel's own tests (tools/check --debug-kernel): a run on the debug kernel that
# does nothing wrong passes (no checker reports anything while it boots and scans), and each
# kind of bug its checkers find fails the run with the checker's report on the error
# output. The bugs come from the checker_bugs test module, committed while CMD runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
run=$root/tools/vm/run
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

ko=$("$root/tools/build-module" --kernel debug --src "$here/checker_bugs" --print-path) \
  || { echo "FAIL: could not build checker_bugs for the debug kernel"; echo "0 passed, 1 failed"; exit 1; }

# A clean run: the module loaded, kmemleak scanned before and after, nothing reported.
err=$("$run" --driver none --kernel debug --timeout 600 --insmod "$ko" -- \
      sh -c 'test -e /sys/kernel/debug/kmemleak' 2>&1 >/dev/null); rc=$?
if [ "$rc" -eq 0 ]; then ok "a clean run on the debug kernel passes, with kmemleak present"
else bad "a clean run on the debug kernel failed (exit $rc): $err"; fi

# bug_fails_run BUG REPORT: committing BUG fails the run and shows a line matching REPORT.
bug_fails_run() {
  local err rc
  err=$("$run" --driver none --kernel debug --timeout 600 --insmod "$ko" -- \
        sh -c "echo $1 >/sys/module/checker_bugs/parameters/trigger" 2>&1 >/dev/null); rc=$?
  if [ "$rc" -ne 0 ] && grep -qE "$2" <<<"$err" && grep -q 'console log kept in' <<<"$err"; then
    ok "$1 fails the run with '$2'"
    rm -f "$(sed -En 's/.*console log kept in (.*)/\1/p' <<<"$err")"
  else
    bad "$1 did not fail the run as it should (exit $rc): $err"
  fi
}
bug_fails_run leak 'unreferenced object 0x'
bug_fails_run out_of_bounds 'BUG: KASAN: slab-out-of-bounds'
bug_fails_run use_after_free 'BUG: KASAN: (slab-)?use-after-free'
bug_fails_run atomic_sleep 'BUG: sleeping function called from invalid context'
bug_fails_run lock_order 'possible circular locking dependency'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
