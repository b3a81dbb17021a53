#!/bin/sh
# Sum RESULTS_DIR/*.counts into the one line make test ends with:
#   tests/summary.sh RESULTS_DIR [SUITE...]
# Each SUITE named must have left RESULTS_DIR/SUITE.counts: one that did
# not (it could not be built or did not run) counts as one failure. Exit
# non-zero if anything failed or no suite ran.
set -u
dir=$1
shift
pass=0 fail=0 skip=0 suites=0
for suite in "$@"; do
	if [ ! -f "$dir/$suite.counts" ]; then
		echo "  FAIL  suite $suite: did not run (no $suite.counts)"
		fail=$((fail + 1))
	fi
done
for f in "$dir"/*.counts; do
	[ -f "$f" ] || continue
	read -r p f_ s <"$f"
	pass=$((pass + p)) fail=$((fail + f_)) skip=$((skip + s))
	suites=$((suites + 1))
done
[ "$suites" -gt 0 ] || { echo "no test suite ran"; exit 1; }
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
