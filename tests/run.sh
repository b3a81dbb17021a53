#!/bin/bash
# Run test programs of one suite: tests/run.sh SUITE BUILD_DIR RESULTS_DIR
# NAME...  Each NAME is a path like tests/ring/wraparound, built as
# BUILD_DIR/NAME. Exit codes: 0 pass, 77 skip, anything else (or a timeout)
# fail. Logs go to RESULTS_DIR/SUITE/NAME.log; the counts to
# RESULTS_DIR/SUITE.counts as "passed failed skipped".
set -u
suite=$1 build=$2 results=$3
shift 3
timeout_s=${TEEQ_TEST_TIMEOUT:-600}
# tests that need a secure world start this build's own (tests/sw_fixture.h)
export TEEQ_SW="$build/secure/teeq-sw"
# in host mode, even where the driver is loaded: the kernel stage runs the
# client suite in kernel mode (tests/kernel/run.sh)
export TEEQ_MODE=host
pass=0 fail=0 skip=0
logdir="$results/$suite"
mkdir -p "$logdir"
echo "== suite $suite ($build)"
for name in "$@"; do
	log="$logdir/${name//\//_}.log"
	start=${EPOCHREALTIME/./}
	timeout -k 10 "$timeout_s" "$build/$name" >"$log" 2>&1
	rc=$?
	ds=$(((${EPOCHREALTIME/./} - start) / 100000))
	secs="$((ds / 10)).$((ds % 10))"
	case $rc in
	0) pass=$((pass + 1)); printf '  PASS  %-40s %6ss\n' "$name" "$secs" ;;
	77) skip=$((skip + 1))
	    printf '  SKIP  %-40s %s\n' "$name" "$(grep -m1 '^skip:' "$log")" ;;
	*) fail=$((fail + 1))
	   [ $rc = 124 ] && echo "timeout after ${timeout_s}s" >>"$log"
	   printf '  FAIL  %-40s rc=%s\n' "$name" "$rc"
	   tail -n 15 "$log" | sed 's/^/        | /' ;;
	esac
done
echo "$pass $fail $skip" >"$results/$suite.counts"
echo "   $suite: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
