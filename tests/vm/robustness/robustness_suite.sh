#!/bin/sh
# Guest side of the robustness suite, for the driver tools/vm/run loaded ($BINDER_DRIVER):
# fault injection, exhaustion and security tests (binder_robustness_test), then a bounded
# fuzz run and a bounded stress run, each of which must leave the driver with no live
# objects. On our driver, module_unload_test.sh then checks that every count is zero and
# that rmmod works. Ends with "N passed, M failed"; exits non-zero when anything failed.
#
# FUZZ_SECONDS and STRESS_SECONDS override the budgets (defaults 60 and 30); FUZZ_SEED fixes
# the fuzz seed (default: a new one each run, printed with the replay command on failure).
fuzz_seconds=${FUZZ_SECONDS:-60}
stress_seconds=${STRESS_SECONDS:-30}
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
step() { echo; echo "== $*"; }

step "binder_robustness_test (driver: ${BINDER_DRIVER:-?})"
if binder_robustness_test; then ok "fault injection, exhaustion and security tests"
else bad "binder_robustness_test"; fi

step "binder_fuzz for ${fuzz_seconds} s"
if binder_fuzz --duration "$fuzz_seconds" --expect-idle ${FUZZ_SEED:+--seed "$FUZZ_SEED"}; then
  ok "fuzzing"
else bad "binder_fuzz (the replay command is printed above)"; fi

step "binder_stress for ${stress_seconds} s"
if binder_stress --processes 4 --threads 4 --duration "$stress_seconds" --expect-idle; then
  ok "stress"
else bad "binder_stress"; fi

if [ "${BINDER_DRIVER:-}" = lite ]; then
  step "module_unload_test.sh"
  # Indented: its own "N passed, M failed" line must not read as this suite's summary.
  if module_unload_test.sh >/tmp/module_unload.log 2>&1; then unload=0; else unload=1; fi
  sed 's/^/  /' /tmp/module_unload.log
  if [ "$unload" -eq 0 ]; then ok "live counts at zero and rmmod"
  else bad "module_unload_test.sh"; fi
fi

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
