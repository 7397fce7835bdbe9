# Sourced by the setup scripts (setup-runtimes.sh, setup-containerd.sh): `say` and the timed,
# idempotent `step`. The caller sets SETUP_NAME (each line's prefix), LOGS (where each step's log
# goes) and `failed=()` (the steps that failed are appended). BUILD=0 builds nothing: a step that
# is not cached says so and is skipped.

say() { echo "$SETUP_NAME: $*"; }

# step NAME CHECK BUILD...: runs BUILD unless CHECK succeeds (then again after BUILD, which must
# make it succeed); BUILD's output goes to $LOGS/NAME.log, shown in part when the step fails.
step() {
  local name=$1 check=$2; shift 2
  local t0=$SECONDS
  if bash -c "$check" >/dev/null 2>&1; then
    say "$name: cached ($(bash -c "$check" 2>&1 | head -1)) in $((SECONDS - t0)) s"
    return 0
  fi
  if [ "${BUILD:-1}" = 0 ]; then say "$name: not cached; BUILD=0: not built"; return 0; fi
  say "$name: building (log: $LOGS/$name.log)"
  if "$@" >"$LOGS/$name.log" 2>&1 && bash -c "$check" >/dev/null 2>&1; then
    say "$name: built in $((SECONDS - t0)) s: $(bash -c "$check" 2>&1 | head -1)"
  else
    say "$name: FAILED after $((SECONDS - t0)) s; last lines of its log:"
    tail -15 "$LOGS/$name.log" | sed 's/^/    /'
    failed+=("$name")
  fi
}
