#!/usr/bin/env bash
# Unit test of tools/vm/scan-log: every kernel-logs/splat-*.log must be flagged (with the
# offending line printed), every kernel-logs/clean-*.log must pass.
# Usage: vm_scan_log_test.sh SCAN_LOG LOG_DIR
set -u
scan=$1 dir=$2
pass=0 fail=0
for log in "$dir"/splat-*.log; do
  if out=$("$scan" "$log") && [ -n "$out" ]; then pass=$((pass + 1))
  else echo "FAIL: no splat found in $(basename "$log")"; fail=$((fail + 1)); fi
done
for log in "$dir"/clean-*.log; do
  if out=$("$scan" "$log"); then echo "FAIL: splat reported in $(basename "$log"): $out"; fail=$((fail + 1))
  else pass=$((pass + 1)); fi
done
"$scan" "$dir/does-not-exist.log" 2>/dev/null; rc=$?
if [ "$rc" -eq 2 ]; then pass=$((pass + 1)); else echo "FAIL: unreadable log gave $rc, not 2"; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
