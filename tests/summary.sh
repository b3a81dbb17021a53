#!/bin/sh
# Sum RESULTS_DIR/*.counts into the one line make test ends with; exit
# non-zero if anything failed or no suite ran.
set -u
pass=0 fail=0 skip=0 suites=0
for f in "$1"/*.counts; do
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
