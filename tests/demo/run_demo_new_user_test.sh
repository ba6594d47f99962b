#!/usr/bin/env bash
# tools/demo tried as a new user would (issue 9): Ctrl-C in the middle of the voters stops
# everything the demo started; a second run after a first one works; a run while pcscd
# already runs uses it and leaves it running. Arguments: the source dir and the build dir.
#
# Ctrl-C is what a terminal does: SIGINT to the demo's whole process group (the demo runs
# in its own session here, so the group is exactly the demo and what it started).
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d /tmp/ballotbox-demo-user.XXXXXX)
our_pcscd=""
trap '[ -n "$our_pcscd" ] && kill "$our_pcscd" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
fail() { echo "demo new-user test: $*" >&2; exit 1; }
demo() { BALLOTBOX_DEMO_BUILD_DIR=$build "$src/tools/demo" "$@"; }
pcscd_running() { [ -S /run/pcscd/pcscd.comm ] && pgrep -x pcscd >/dev/null; }
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

pcscd_running && fail "a pcscd already runs before the test: it needs the machine to itself"

echo "== 1. Ctrl-C while the voters go through"
# A command started with & from a script begins with SIGINT ignored, which a terminal's
# foreground job does not: env gives the demo SIGINT's default back, as a shell would.
setsid env --default-signal=INT BALLOTBOX_DEMO_BUILD_DIR="$build" "$src/tools/demo" \
  --voters 400 --seed 3 >interrupted.log 2>&1 &
leader=$!
for _ in $(seq 1800); do  # the install and build steps come first; a bound for failure only
  grep -q '^\[.*voters [1-9]' interrupted.log 2>/dev/null && break
  alive "$leader" || break
  sleep 0.2
done
grep -q '^\[.*voters [1-9]' interrupted.log || { tail -30 interrupted.log; fail "the voters never started"; }
kill -INT -- "-$leader"
rc=0
wait "$leader" || rc=$?
tail -12 interrupted.log
[ "$rc" -eq 130 ] || fail "an interrupted demo exited with $rc, not 130"
grep -q 'demo: interrupted during "the voters' interrupted.log || fail "the demo did not say where it was interrupted"
for name in pcscd cupsd ballotboxd; do
  pid=$(sed -n "s/^started $name (pid \([0-9]*\).*/\1/p; s/^$name (pid \([0-9]*\)).*/\1/p" interrupted.log | head -1)
  [ -n "$pid" ] || { [ "$name" = cupsd ] && continue; fail "the log does not say which $name the demo started"; }
  for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && fail "$name (pid $pid) still runs after the interrupt"
done
left=""
for _ in $(seq 50); do  # a bound for failure only
  left=""
  for pid in $(pgrep -g "$leader" || true); do alive "$pid" && left="$left $pid"; done
  [ -z "$left" ] && break
  sleep 0.1
done
[ -z "$left" ] || fail "processes of the interrupted demo still run: $(ps -o pid,comm -p $left | tail -n +2)"
pcscd_running && fail "the interrupted demo left a pcscd running"

echo "== 2. two runs one after the other"
for run in 1 2; do
  rc=0
  demo --voters 6 --seed "$run" >"run$run.log" 2>&1 || rc=$?
  tail -4 "run$run.log"
  [ "$rc" -eq 0 ] || fail "run $run exited with $rc"
  grep -q '^demo: all steps passed$' "run$run.log" || fail "run $run did not pass every step"
done

echo "== 3. a pcscd that already runs is used and left running"
pcscd --foreground >pcscd.log 2>&1 &
our_pcscd=$!
for _ in $(seq 100); do pcscd_running && break; sleep 0.1; done
pcscd_running || fail "could not start a pcscd for this case: $(tail -3 pcscd.log)"
rc=0
demo --voters 6 --seed 4 >with_pcscd.log 2>&1 || rc=$?
tail -4 with_pcscd.log
[ "$rc" -eq 0 ] || fail "the run beside a running pcscd exited with $rc"
grep -q 'pcscd already runs' with_pcscd.log || fail "the demo did not say it used the running pcscd"
alive "$our_pcscd" || fail "the demo stopped a pcscd it had not started"
kill "$our_pcscd"; wait "$our_pcscd" 2>/dev/null || true; our_pcscd=""
echo "demo new-user test: passed"
