#!/usr/bin/env bash
# The VM harness's own tests: tools/vm/run must report CMD's exit status and output, load the
# requested driver, kill a guest that outlives --timeout, and fail any run whose kernel log
# shows a splat (proved with a test module that WARNs on load, and for each kind of report
# on made-up logs by scan_log_test.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
run=$root/tools/vm/run
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect_status() { # expected actual what
  if [ "$2" -eq "$1" ]; then ok "$3 (exit $2)"; else bad "$3: exit $2, expected $1"; fi
}

# tools/vm/scan-log on made-up logs first: it decides every run's fate below.
if "$here/scan_log_test.sh" | sed 's/^/    scan-log: /'; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  ok "scan-log finds each kind of kernel report and passes a clean boot"
else
  bad "scan-log's own tests failed (above)"
fi

out=$("$run" --driver reference -- cat /proc/modules); rc=$?
expect_status 0 "$rc" "reference driver run"
if grep -q '^binder_linux ' <<<"$out"; then ok "reference run lists binder_linux in /proc/modules"
else bad "binder_linux missing from /proc/modules: $out"; fi

"$run" --driver none -- false; expect_status 1 $? "'false' fails the run"

out=$("$run" --driver none -- sh -c 'echo hello from the guest; exit 7'); rc=$?
expect_status 7 "$rc" "CMD's exit status is the run's"
[ "$out" = "hello from the guest" ] && ok "CMD's output is the run's output" \
  || bad "unexpected output: '$out'"

out=$("$run" --driver none -- sh -c 'test ! -e /dev/binder && grep -vq binder /proc/modules; echo $BINDER_DRIVER'); rc=$?
expect_status 0 "$rc" "--driver none loads nothing"
[ "$out" = none ] && ok "BINDER_DRIVER is set in the guest" || bad "BINDER_DRIVER is '$out'"

"$run" --driver none --timeout 15 -- sleep 600 2>/dev/null; rc=$?
expect_status 124 "$rc" "a guest outliving --timeout is killed"

for kernel in 6.1 6.12; do
  warn_ko=$("$root/tools/build-module" --kernel "$kernel" --src "$here/warn_on_load" --print-path) \
    || { bad "could not build warn_on_load for $kernel"; continue; }
  err=$("$run" --driver none --kernel "$kernel" --insmod "$warn_ko" -- true 2>&1 >/dev/null); rc=$?
  if [ "$rc" -ne 0 ] && grep -q 'WARNING: CPU' <<<"$err" && grep -q 'console log kept in' <<<"$err"; then
    ok "a WARN on $kernel fails the run, shows the line and keeps the log"
    rm -f "$(sed -En 's/.*console log kept in (.*)/\1/p' <<<"$err")"
  else
    bad "a WARN on $kernel did not fail the run as it should (exit $rc): $err"
  fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
