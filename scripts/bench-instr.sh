#!/bin/sh
# Instructions per call on teeq's hot paths, counted by callgrind: the
# figures repeat where timings do not. Writes $1/instr.md and
# $1/instr.json (default build/report) and prints the table. Run by
# `make bench-instr`.
#
#   client  libteeq's side of each call, the wait for the secure world
#           left out (collection stops inside ring_wait_entries()), with
#           the benchmark's own loop; and of that, libteeq's API
#           functions alone (TEEC_*, teeq_prep_invoke/submit/reap). An
#           async batch is reaped once the secure world has completed
#           all of it (bench/instr.c, instr_settle()): reaped earlier, a
#           batch took one to three reaps as the timing fell
#   secure  everything teeq-sw's worker does for a call once it has seen
#           the entry (sw_worker_run(): the copy out of the ring,
#           validation, session lookup, the trusted app, the completion
#           and its publication), in a teeq-sw run under callgrind; and
#           of that, sw_dispatch() alone
#   ring    producing and consuming one 64-byte entry, batches of 32
#
# Environment: BENCH_INSTR_BIN, TEEQ_SW (bench.mk sets them); INSTR_CALLS.
set -eu

dir=${1:-build/report}
: "${BENCH_INSTR_BIN:=build/bench/teeq-bench-instr}"
: "${TEEQ_SW:=build/secure/teeq-sw}"
calls=${INSTR_CALLS:-20000}
kinds="noop values memref4k tmpref4k open_close async32"
out="$dir/instr"
tmp=$(mktemp -d /tmp/teeq-instr-XXXXXX)
sw_pid=""

cleanup() {
	if [ -n "$sw_pid" ]; then
		kill "$sw_pid" 2>/dev/null || true
		wait "$sw_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

command -v valgrind >/dev/null || {
	echo "bench-instr: valgrind not found (scripts/deps.sh installs it)" >&2
	exit 1
}
rm -rf "$out"
mkdir -p "$out"

# teeq-sw on a private socket; "$@" goes in front (a valgrind command).
start_sw() {
	sock="$tmp/sw.sock"
	rm -f "$sock" "$sock.lock"
	"$@" "$TEEQ_SW" --socket "$sock" --workers 1 --cpus 1 \
		--spin-us "$spin" --idle-exit 60 2>>"$out/teeq-sw.log" &
	sw_pid=$!
	i=0
	while [ ! -S "$sock" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$sock" ] || { echo "bench-instr: teeq-sw did not start" >&2; exit 1; }
	sleep 0.2
}

stop_sw() {
	kill -TERM "$sw_pid"
	wait "$sw_pid" || { echo "bench-instr: teeq-sw failed" >&2; exit 1; }
	sw_pid=""
}

# The instructions a callgrind output file counted.
ir() {
	awk '/^(summary|totals):/ { print $2; exit }' "$1"
}

per_call() {
	awk -v ir="$1" -v n="$2" 'BEGIN { printf "%.1f", ir / n }'
}

# ---- client side, against a polling teeq-sw ---------------------------------
spin=1000000
start_sw
taskset -c 0 valgrind --tool=callgrind --collect-atstart=no \
	--toggle-collect=ring_wait_entries \
	--callgrind-out-file="$out/client.%p" \
	"$BENCH_INSTR_BIN" client "$sock" "$calls" 2>"$out/client.log" || {
	cat "$out/client.log" >&2
	exit 1
}
stop_sw

# ---- secure side: teeq-sw under callgrind, one run per kind -------------------
spin=0
for kind in $kinds; do
	start_sw valgrind --tool=callgrind --collect-atstart=no \
		--toggle-collect=sw_worker_run \
		--callgrind-out-file="$out/secure-$kind.%p"
	taskset -c 0 "$BENCH_INSTR_BIN" drive "$sock" "$kind" "$calls"
	stop_sw
done

# ---- the ring ---------------------------------------------------------------------
valgrind --tool=callgrind --collect-atstart=no \
	--callgrind-out-file="$out/ring.%p" \
	"$BENCH_INSTR_BIN" ring "$calls" 2>"$out/ring.log"

# ---- the table --------------------------------------------------------------------
# Client dumps are numbered in the order the program made them.
client_file() {
	grep -l "^desc: Trigger: Client Request: $1\$" "$out"/client.* | head -n 1
}
ring_file() {
	grep -l "^desc: Trigger: Client Request: $1\$" "$out"/ring.* | head -n 1
}

# Instructions of @2 and what it calls, in the callgrind file @1 (as the
# callers' records count them; 0 if it was not called).
ir_inclusive() {
	callgrind_annotate --inclusive=yes --show-percs=no "$1" 2>/dev/null |
		awk -v fn="$2" 'NF == 2 && $2 ~ ("^/.*:" fn "$") { gsub(",", "", $1); n = $1 }
			END { print n + 0 }'
}

# Instructions of libteeq's API functions and what they call, in the
# client file @1: the benchmark's loop around them left out.
ir_api() {
	callgrind_annotate --inclusive=yes --show-percs=no "$1" 2>/dev/null |
		awk '$2 ~ /^\/.*:(TEEC_[A-Za-z]+|teeq_prep_invoke|teeq_submit|teeq_reap)$/ {
			gsub(",", "", $1); n += $1 }
			END { print n + 0 }'
}

describe() {
	case "$1" in
	noop) echo "TEEC_InvokeCommand, noop, no operation" ;;
	values) echo "TEEC_InvokeCommand, noop, 3 value parameters" ;;
	memref4k) echo "TEEC_InvokeCommand, noop, 4 KiB zero-copy memref" ;;
	tmpref4k) echo "TEEC_InvokeCommand, noop, 4 KiB temporary memref (copied in and out)" ;;
	open_close) echo "TEEC_OpenSession + TEEC_CloseSession (noop)" ;;
	async32) echo "teeq_prep_invoke + teeq_submit + teeq_reap, batches of 32, per call" ;;
	esac
}

# The stable names in instr.json.
json_name() {
	case "$1" in
	noop) echo sync_noop ;;
	values) echo sync_values3 ;;
	memref4k) echo sync_memref4k ;;
	tmpref4k) echo sync_tmpref4k ;;
	*) echo "$1" ;;
	esac
}

# as teeq-bench names it, so that the report knows whether this is its
# commit's
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null | head -n 1)" ]; then
	commit="$commit (with uncommitted changes)"
fi
json="$dir/instr.json"
{
	echo "{"
	echo "  \"commit\": \"$commit\","
	echo "  \"valgrind\": \"$(valgrind --version)\","
	echo "  \"calls\": $calls,"
} >"$json"
{
	echo "# teeq instructions per call (callgrind)"
	echo
	echo "$(valgrind --version), commit $commit," \
		"$calls calls of each kind. Instruction counts repeat from run to" \
		"run where timings do not; a handful of instructions may move" \
		"with how often a call finds its completion already there."
	echo
	echo "| path | client (libteeq and the benchmark's loop), waiting excluded | of which libteeq's API functions | secure (teeq-sw worker, from the entry seen to the completion published) | of which sw_dispatch + TA |"
	echo "|---|---|---|---|---|"
	for kind in $kinds; do
		n=$calls
		c=$(client_file "$kind")
		s=$(ls "$out"/secure-"$kind".* | head -n 1)
		client=$(per_call "$(ir "$c")" "$n")
		api=$(per_call "$(ir_api "$c")" "$n")
		secure=$(per_call "$(ir "$s")" "$n")
		dispatch=$(per_call "$(ir_inclusive "$s" sw_dispatch)" "$n")
		echo "| $(describe "$kind") | $client | $api | $secure | $dispatch |"
		name=$(json_name "$kind")
		printf '  "%s_client_instr": %s,\n  "%s_client_api_instr": %s,\n  "%s_secure_instr": %s,\n  "%s_secure_dispatch_instr": %s,\n' \
			"$name" "$client" "$name" "$api" "$name" "$secure" "$name" "$dispatch" >>"$json"
	done
	produce=$(per_call "$(ir "$(ring_file ring_produce)")" "$calls")
	consume=$(per_call "$(ir "$(ring_file ring_consume)")" "$calls")
	echo
	echo "| ring | instructions per 64-byte entry, batches of 32 |"
	echo "|---|---|"
	echo "| produce: space, fill one word, commit (with its full barrier) | $produce |"
	echo "| consume: stamps, read one word, release | $consume |"
	echo
	echo "Secure-side counts include one session open and close spread" \
		"over the $calls calls; a sync call is a batch of one for the" \
		"worker, async32 a batch of 32. Machine-readable: instr.json." \
		"Command: \`make bench-instr\`."
	printf '  "ring_produce_instr": %s,\n  "ring_consume_instr": %s\n}\n' \
		"$produce" "$consume" >>"$json"
} >"$dir/instr.md"
cat "$dir/instr.md"
