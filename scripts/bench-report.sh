#!/bin/sh
# Runs teeq's benchmark suite and makes its report; bench/bench.mk calls it.
#
#   scripts/bench-report.sh run     instruction counts per call, then the
#                                   suite (BENCH_QUICK=1: ~30 s), then
#                                   report.md, summary.json, readme.md and
#                                   the charts
#   scripts/bench-report.sh smoke   a few seconds of it; non-zero on failure
#   scripts/bench-report.sh instr   instruction counts per call (callgrind)
#   scripts/bench-report.sh readme  the README's benchmark block, from the
#                                   last run's readme.md (see readme_block)
#
# Environment (bench.mk sets them): BENCH_BIN, BENCH_REPORT_BIN,
# BENCH_INSTR_BIN, TEEQ_SW, BENCH_REPORT_DIR; BENCH_ARGS adds Google
# Benchmark flags to the run (e.g. --benchmark_filter=teeq/sync).
set -eu

mode=${1:-run}
dir=${BENCH_REPORT_DIR:-build/report}
: "${BENCH_BIN:=build/bench/teeq-bench}"
: "${BENCH_REPORT_BIN:=build/bench/teeq-bench-report}"
: "${BENCH_INSTR_BIN:=build/bench/teeq-bench-instr}"
: "${TEEQ_SW:=build/secure/teeq-sw}"
here=$(cd "$(dirname "$0")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }

# Runs teeq-bench into $1 with the remaining arguments, keeping the
# console output there too; returns teeq-bench's status.
run_suite() {
	out=$1
	shift
	rm -rf "$out/lat" "$out/data"
	rm -f "$out/results.json" "$out/report.md" "$out/summary.json" \
		"$out"/*.svg "$out/console.txt" "$out/paired_rounds.csv" \
		"$out/readme.md"
	mkdir -p "$out"
	status_file="$out/.status"
	# shellcheck disable=SC2086
	{
		rc=0
		"$BENCH_BIN" --teeq-sw="$TEEQ_SW" --report-dir="$out" \
			--benchmark_out="$out/results.json" \
			--benchmark_out_format=json "$@" ${BENCH_ARGS:-} || rc=$?
		echo "$rc" >"$status_file"
	} 2>&1 | tee "$out/console.txt"
	status=$(cat "$status_file")
	rm -f "$status_file"
	return "$status"
}

report() {
	out=$1
	"$BENCH_REPORT_BIN" "$out/results.json" "$out"
	if command -v gnuplot >/dev/null; then
		gnuplot -e "dir='$out'" "$here/bench/charts.gp"
	else
		say "bench: gnuplot not found: no charts (scripts/deps.sh installs it)"
	fi
}

# Puts $dir/readme.md between the README's markers. Only a run of the
# current code counts: a full run, of a commit whose code (everything but
# the README) is HEAD's, without uncommitted changes.
readme_block() {
	block="$dir/readme.md"
	readme="$here/README.md"
	[ -s "$block" ] || { say "bench-readme: no $block: run make bench"; exit 1; }
	commit=$(sed -n 's/^Printed by `make bench` of commit \([0-9a-f]*\) .*/\1/p' "$block")
	if [ -z "$commit" ] || grep -q "uncommitted changes" "$block"; then
		say "bench-readme: $block is of uncommitted code"
		exit 1
	fi
	if ! git -C "$here" diff --quiet "$commit" HEAD -- . ':!README.md'; then
		say "bench-readme: the code changed since commit $commit: run make bench again"
		exit 1
	fi
	if grep -q "; quick run," "$block"; then
		say "bench-readme: $block is of a quick run (BENCH_QUICK): run make bench"
		exit 1
	fi
	begin='<!-- bench-readme: begin -->'
	end='<!-- bench-readme: end -->'
	grep -q "^$begin\$" "$readme" && grep -q "^$end\$" "$readme" || {
		say "bench-readme: no markers in README.md"
		exit 1
	}
	awk -v begin="$begin" -v end="$end" -v block="$block" '
		$0 == begin { print; while ((getline line < block) > 0) print line; skip = 1; next }
		$0 == end { skip = 0 }
		!skip { print }' "$readme" >"$readme.tmp"
	mv "$readme.tmp" "$readme"
	say "bench-readme: README.md now shows the run of commit $commit"
}

case "$mode" in
run)
	if [ "${BENCH_QUICK:-0}" != 0 ]; then
		say "bench: the quick suite (about 30 s); Google Benchmark's output follows"
	else
		say "bench: the full suite (about 4 minutes); Google Benchmark's output follows"
	fi
	start=$(date +%s)
	rc=0
	# first, so that the report shows them: instr.json of this commit
	"$here/scripts/bench-instr.sh" "$dir" >/dev/null || {
		say "bench: make bench-instr failed"
		exit 1
	}
	run_suite "$dir" || rc=$?
	if [ -s "$dir/results.json" ]; then
		report "$dir"
		say ""
		say "bench: $(($(date +%s) - start)) s; in $dir:" \
			"report.md summary.json results.json" \
			"$(cd "$dir" && ls -- *.svg 2>/dev/null | tr '\n' ' ')"
	fi
	[ "$rc" = 0 ] || say "bench: teeq-bench failed (status $rc)"
	exit "$rc"
	;;
smoke)
	out="$dir/smoke"
	# one of each kind, briefly (a few paired rounds); the report tool
	# must read it back
	benches="baseline/timer baseline/pingpong baseline/ring_rtt
		teeq/sync/noop teeq/paired baseline/uring_nop/batch:32
		baseline/uring_sqpoll_nop/batch:32
		teeq/async/noop_pipelined/batch:32
		teeq/payload/cipher_pool/bytes:4096
		teeq/payload/digest_tmpref/bytes:4096
		baseline/inproc_cipher/bytes:1048576
		teeq/payload/cipher_pool/bytes:1048576
		teeq/payload/cipher_tmpref/bytes:1048576
		teeq/idle/spin50us/gap_us:100 teeq/kernel/ioctl_sync_noop
		teeq/storage/write/bytes:256
		teeq/ta/noop_loaded"
	filter="^($(echo $benches | tr ' ' '|'))(/|\$)"
	rc=0
	BENCH_QUICK=1 BENCH_PAIRED_ROUNDS=4 run_suite "$out" \
		--benchmark_filter="$filter" \
		--benchmark_repetitions=1 --benchmark_min_time=0.01 \
		>/dev/null || rc=$?
	if [ "$rc" != 0 ]; then
		tail -n 20 "$out/console.txt" >&2
		say "bench-smoke: FAILED (teeq-bench status $rc)"
		exit 1
	fi
	"$BENCH_REPORT_BIN" "$out/results.json" "$out" >/dev/null
	failed=0
	# every benchmark asked for ran...
	for b in $benches; do
		if ! jq -e --arg b "$b" '[.benchmarks[].name |
		    select(. == $b or startswith($b + "/"))] | length > 0' \
		    "$out/results.json" >/dev/null; then
			say "bench-smoke: FAILED: $b did not run"
			failed=1
		fi
	done
	# ...and was measured, unless this machine cannot measure it: each
	# skip names its reason, and only these reasons are accepted here
	jq -r '.benchmarks[] | select(.error_occurred) |
	    .name + "\t" + .error_message' "$out/results.json" >"$out/skips"
	while IFS="$(printf '\t')" read -r name why; do
		ok=0
		case "$name:$why" in
		"teeq/kernel/"*":not measured: /dev/teeq0 absent"*)
			[ -e /dev/teeq0 ] || ok=1 ;;
		"teeq/kernel/"*":not measured: libteeq has no kernel-mode path"*)
			ok=1 ;;
		"baseline/uring_nop/"*":not measured: io_uring_queue_init:"* | \
		"baseline/uring_sqpoll_nop/"*":not measured: io_uring SQPOLL:"*)
			# only where the kernel turned io_uring off
			[ "$(cat /proc/sys/kernel/io_uring_disabled \
				2>/dev/null || echo 0)" != 0 ] && ok=1 ;;
		esac
		if [ "$ok" = 1 ]; then
			say "bench-smoke: skipped $name: $why"
		else
			say "bench-smoke: FAILED: $name: $why"
			failed=1
		fi
	done <"$out/skips"
	rm -f "$out/skips"
	# the headline figures those benchmarks give
	for name in floor_rtt_ns sync_noop_rtt_ns batch32_noop_ops_per_s \
		uring_nop_b32_ops_per_s timer_overhead_ns ring_rtt_ns \
		uring_sqpoll_nop_b32_ops_per_s batch32_ratio_to_uring_sqpoll \
		batch32_client_cpu_ns_per_op batch32_secure_cpu_ns_per_op \
		uring_sqpoll_b32_client_cpu_ns_per_op \
		uring_sqpoll_b32_kernel_cpu_ns_per_op \
		copy_to_inprocess_ratio zerocopy_to_inprocess_ratio; do
		if ! jq -e --arg n "$name" '.[$n] | type == "number"' \
		    "$out/summary.json" >/dev/null; then
			say "bench-smoke: FAILED: $name not measured in summary.json"
			failed=1
		fi
	done
	# the paired rounds ran (how many were kept, and which placement
	# they saw, depends on the machine's load, not on the code)
	for name in paired_rounds paired_rounds_left_out; do
		if ! jq -e --arg n "$name" '.[$n] | type == "number"' \
		    "$out/summary.json" >/dev/null; then
			say "bench-smoke: FAILED: no paired rounds in summary.json"
			failed=1
		fi
	done
	# named, null when no round was kept
	for name in paired_sync_to_ring_ratio paired_sync_to_ring_ratio_all \
		paired_copy_to_inprocess_ratio \
		paired_zerocopy_to_inprocess_ratio; do
		if ! jq -e --arg n "$name" 'has($n)' "$out/summary.json" \
		    >/dev/null; then
			say "bench-smoke: FAILED: $name missing from summary.json"
			failed=1
		fi
	done
	[ "$failed" = 0 ] || exit 1
	say "bench-smoke: ok ($(jq '[.benchmarks[] |
		select(.run_type == "iteration")] | length' \
		"$out/results.json") runs, report read back)"
	;;
instr)
	exec "$here/scripts/bench-instr.sh" "$dir"
	;;
readme)
	readme_block
	;;
*)
	say "usage: $0 run|smoke|instr|readme"
	exit 2
	;;
esac
