#!/bin/bash
# Run the example programs as a user would: nothing started beforehand, so
# the first one also exercises libteeq's autostart of teeq-sw.
#   tests/examples.sh BUILD_DIR RESULTS_DIR
set -u
build=$1 results=$2
dir=$(mktemp -d /tmp/teeq-examples-XXXXXX)
export TEEQ_SOCKET="$dir/sw.sock" TEEQ_SW="$build/secure/teeq-sw"
export TEEQ_SW_LOG="$dir/teeq-sw.log"
unset TEEQ_NO_AUTOSTART
mkdir -p "$results/examples"
pass=0 fail=0
echo "== suite examples ($build)"
for ex in hello_echo batch_digest; do
	log="$results/examples/$ex.log"
	if timeout 60 "$build/examples/$ex" >"$log" 2>&1; then
		pass=$((pass + 1)); printf '  PASS  examples/%s\n' "$ex"
	else
		fail=$((fail + 1)); printf '  FAIL  examples/%s\n' "$ex"
		tail -n 15 "$log" | sed 's/^/        | /'
	fi
done
# the autostarted secure world: it must be there, then it goes
pid=$("$TEEQ_SW" --socket "$TEEQ_SOCKET" --stats 2>/dev/null |
	sed -n 's/^pid \([0-9]*\),.*/\1/p')
if [ -n "$pid" ]; then
	pass=$((pass + 1)); echo "  PASS  examples/autostart (teeq-sw pid $pid)"
	kill "$pid"
else
	fail=$((fail + 1)); echo "  FAIL  examples/autostart: no teeq-sw answers"
	sed 's/^/        | /' "$TEEQ_SW_LOG" 2>/dev/null
fi
rm -rf "$dir"
echo "$pass $fail 0" >"$results/examples.counts"
echo "   examples: $pass passed, $fail failed, 0 skipped"
[ "$fail" = 0 ]
