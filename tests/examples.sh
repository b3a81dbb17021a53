#!/bin/bash
# Run the example programs as a user would: nothing started beforehand, so
# the first one also exercises libteeq's autostart of teeq-sw.
#   tests/examples.sh BUILD_DIR RESULTS_DIR
set -u
build=$1 results=$2
dir=$(mktemp -d /tmp/teeq-examples-XXXXXX)
export TEEQ_SOCKET="$dir/sw.sock" TEEQ_SW="$build/secure/teeq-sw"
export TEEQ_SW_LOG="$dir/teeq-sw.log"
# teeq-sw starts this teeq-supplicant; both keep their state under $dir
export TEEQ_SUPPLICANT="$build/supplicant/teeq-supplicant"
export TEEQ_STATE_DIR="$dir/state" TEEQ_STORAGE_DIR="$dir/storage"
unset TEEQ_NO_AUTOSTART
# the loaded TAs' examples: installed by copying, read by the autostarted
# teeq-sw from $TEEQ_TA_DIR
export TEEQ_TA_DIR="$dir/ta"
mkdir -p "$TEEQ_TA_DIR" && cp "$build"/examples/ta/tas/*/*.ta "$TEEQ_TA_DIR"/
mkdir -p "$results/examples"
pass=0 fail=0
echo "== suite examples ($build)"
for ex in hello_echo batch_digest ta/hello_counter ta/aes; do
	log="$results/examples/${ex//\//_}.log"
	if timeout 60 "$build/examples/$ex" >"$log" 2>&1; then
		pass=$((pass + 1)); printf '  PASS  examples/%s\n' "$ex"
	else
		fail=$((fail + 1)); printf '  FAIL  examples/%s\n' "$ex"
		tail -n 15 "$log" | sed 's/^/        | /'
	fi
done
# the autostarted secure world: it must be there, then it goes
sw_pid() {
	"$TEEQ_SW" --socket "$TEEQ_SOCKET" --stats 2>/dev/null |
		sed -n 's/^pid \([0-9]*\),.*/\1/p'
}
# stops the autostarted teeq-sw; the teeq-supplicant it started goes with
# it, and lets go of the storage directory
stop_daemons() {
	local i
	kill "$1"
	for i in $(seq 100); do
		[ -z "$(sw_pid)" ] && flock -n "$TEEQ_STORAGE_DIR" true &&
			return 0
		sleep 0.05
	done
	return 1
}
pid=$(sw_pid)
if [ -n "$pid" ]; then
	pass=$((pass + 1)); echo "  PASS  examples/autostart (teeq-sw pid $pid)"
	stop_daemons "$pid"
else
	fail=$((fail + 1)); echo "  FAIL  examples/autostart: no teeq-sw answers"
	sed 's/^/        | /' "$TEEQ_SW_LOG" 2>/dev/null
fi
# store_key: stored, both daemons stopped and started again by
# themselves, loaded: the same key
log="$results/examples/store_key.log"
if timeout 60 "$build/examples/store_key" store >"$log" 2>&1 &&
	stop_daemons "$(sw_pid)" &&
	timeout 60 "$build/examples/store_key" load >>"$log" 2>&1 &&
	[ "$(sed -n 's/^stored .*check value //p' "$log")" = \
		"$(sed -n 's/^loaded .*check value //p' "$log")" ] &&
	grep -q '^loaded ' "$log"; then
	pass=$((pass + 1)); echo "  PASS  examples/store_key (across a restart)"
else
	fail=$((fail + 1)); echo "  FAIL  examples/store_key"
	sed 's/^/        | /' "$log" "$TEEQ_SW_LOG" 2>/dev/null | tail -n 20
fi
# keystore: a key made in a loaded TA and kept in its persistent objects,
# both daemons stopped and started again, the same key (the same
# ciphertext), then deleted
log="$results/examples/ta_keystore.log"
if timeout 60 "$build/examples/ta/keystore" new >"$log" 2>&1 &&
	stop_daemons "$(sw_pid)" &&
	timeout 60 "$build/examples/ta/keystore" again >>"$log" 2>&1 &&
	timeout 60 "$build/examples/ta/keystore" delete >>"$log" 2>&1 &&
	[ "$(grep -c '^ciphertext ' "$log")" = 2 ] &&
	[ "$(grep '^ciphertext ' "$log" | sort -u | wc -l)" = 1 ]; then
	pass=$((pass + 1)); echo "  PASS  examples/ta/keystore (across a restart)"
else
	fail=$((fail + 1)); echo "  FAIL  examples/ta/keystore"
	sed 's/^/        | /' "$log" "$TEEQ_SW_LOG" 2>/dev/null | tail -n 20
fi
pid=$(sw_pid)
[ -n "$pid" ] && stop_daemons "$pid"
rm -rf "$dir"
echo "$pass $fail 0" >"$results/examples.counts"
echo "   examples: $pass passed, $fail failed, 0 skipped"
[ "$fail" = 0 ]
