#!/bin/sh
# Guest side: after a heavy run, every live object count in our driver's stats is zero and
# `rmmod binder_lite` works, taking the device node and the debugfs folder with it.
# (The upstream module cannot be unloaded at all.) Runs inside tools/vm/run --driver lite.
stats=/sys/kernel/debug/binder_lite/stats
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

binder_conformance_test --gtest_filter='Stress.*:Transaction.*:Death*:Oneway.*:Fds.*' --gtest_repeat=2 \
  >/tmp/heavy.log 2>&1 && ok "heavy run (stress, transactions, deaths, one-way, fds)" \
  || { bad "heavy run failed"; tail -n 20 /tmp/heavy.log; }

# The driver releases closed processes from a work item: wait a little for the counts.
i=0
while [ $i -lt 50 ]; do
  live=$(awk '$2 == "active" && $3 != 0 { print $1 $3 }' "$stats")
  [ -z "$live" ] && break
  sleep 0.1; i=$((i + 1))
done
if [ -z "$live" ] && grep -q ' active ' "$stats"; then ok "every live count is zero"
else bad "live objects left: $live"; fi

if rmmod binder_lite; then ok "rmmod binder_lite"; else bad "rmmod binder_lite failed"; fi
[ ! -e /dev/binder ] && ok "/dev/binder is gone" || bad "/dev/binder still exists"
[ ! -e /sys/kernel/debug/binder_lite ] && ok "debugfs folder is gone" || bad "debugfs folder still exists"
grep -q '^binder_lite ' /proc/modules && bad "binder_lite still in /proc/modules" || ok "module unloaded"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
