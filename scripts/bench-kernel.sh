#!/bin/bash
# make bench-kernel: the benchmark suite's kernel rows (bench/kernel.c:
# ioctl and uring_cmd calls through teeq.ko, zero-copy on a vgem buffer),
# measured inside the QEMU stage of the kernel tests (tests/kernel/qemu.sh),
# with the baselines they are compared with (a failing ioctl, the io_uring
# NOP, host mode's async batches, copied memrefs) in the same guest and the
# same run. Writes OUT_DIR: report.md, summary.json, results.json,
# console.txt, *.svg, dmesg.txt.
#
#   scripts/bench-kernel.sh BUILD_DIR OUT_DIR
#   scripts/bench-kernel.sh instr KINSTR_BIN OUT_DIR
#                      instead: callgrind instructions per call of the
#                      client's side of the uring path (bench/kinstr.c),
#                      batches of 1 and 32, into OUT_DIR/kinstr.md
#
# BUILD_DIR holds teeq.ko, the static teeq-sw (kernel/), teeq-bench and
# teeq-bench-kreport (bench/); make bench-kernel builds them. BENCH_QUICK=1
# runs the short version; BENCH_ARGS adds Google Benchmark flags.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1

say() { printf '%s\n' "$*" >&2; }

# Instructions per call in kinstr_round() and what it calls.
kinstr() {
	local bin=$1 out=$2 batch rounds=2000 f ir
	command -v valgrind >/dev/null ||
		{ say "bench-kernel: valgrind not found (scripts/deps.sh)"; exit 1; }
	mkdir -p "$out"
	{
		echo "# uring_cmd, the client's side: instructions per call"
		echo
		echo "Counted by callgrind in kinstr_round() of bench/kinstr.c"
		echo "(liburing preparation, the submit-and-wait enter, the reaping)"
		echo "on $(uname -sr), commit $(git rev-parse --short=12 HEAD 2>/dev/null);"
		echo "user space only: the kernel's part is not callgrind's to see."
		echo
		echo "| batch | instructions per call |"
		echo "|---|---|"
	} >"$out/kinstr.md"
	for batch in 1 32; do
		f=$out/kinstr.b$batch.callgrind
		valgrind --tool=callgrind --toggle-collect='kinstr_round*' \
			--callgrind-out-file="$f" "$bin" "$batch" "$rounds" \
			>/dev/null 2>"$f.log" || { cat "$f.log" >&2; exit 1; }
		ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$f")
		[ -n "$ir" ] || ir=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$f")
		echo "| $batch | $((ir / (rounds * batch))) |" >>"$out/kinstr.md"
	done
	cat "$out/kinstr.md"
}
if [ "${1:-}" = instr ]; then
	kinstr "$2" "$3"
	exit 0
fi
build=$1 out=$2
kq_fail() {
	say "bench-kernel: $*"
	exit 1
}
. tests/kernel/qemu.sh

kq_setup "$build"
bench=$build/bench/teeq-bench
[ -x "$bench" ] || kq_fail "no $bench"
cp "$bench" "$kq_root/teeq/"
# the shared libraries it links (Google Benchmark, libstdc++, ...) and
# their loader, at the paths the binary names
ldd "$bench" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		mkdir -p "$kq_root$(dirname "$lib")"
		cp -L "$lib" "$kq_root$lib"
	done
cp scripts/bench-kernel-guest.sh "$kq_root/teeq/bench.sh"
printf "BENCH_QUICK='%s'\nBENCH_ARGS='%s'\n" "${BENCH_QUICK:-0}" \
	"${BENCH_ARGS:-}" >"$kq_root/teeq/bench.env"
kq_pack "$build"

rm -rf "$out"
mkdir -p "$out"
accel=$(kq_accel)
case $accel in
kvm) what="KVM" ;;
*) what="TCG, software emulation" ;;
esac
guest="QEMU $(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p;q') ($what), 2 vCPUs"
if [ "${BENCH_QUICK:-0}" != 0 ]; then
	say "bench-kernel: the quick version inside $guest"
else
	say "bench-kernel: inside $guest; a few minutes"
fi
start=$(date +%s)
console=$out/guest-console.log
TEEQ_KERNEL_TIMEOUT=${TEEQ_KERNEL_TIMEOUT:-1800} kq_boot "$build" "$console"
grep -q '^KBENCH-DATA-END' "$console.txt" ||
	kq_fail "the guest did not finish (see $console.txt)"
sed -n '/^KBENCH-DATA-BEGIN/,/^KBENCH-DATA-END/p' "$console.txt" |
	sed '1d;$d' | base64 -d | tar -xzf - -C "$out" ||
	kq_fail "the report did not come back whole (see $console.txt)"
rc=$(sed -n 's/^KBENCH-RC //p' "$console.txt")
sed -n '/^KDMESG-BEGIN/,/^KDMESG-END/p' "$console.txt" >"$out/dmesg.txt"
if kq_dmesg_bad "$console.txt" >/dev/null; then
	say "bench-kernel: the guest's kernel complained:"
	kq_dmesg_bad "$console.txt" | head -n 10 >&2
	rc=1
fi
[ -s "$out/results.json" ] || kq_fail "no results.json (see $out/console.txt)"

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] ||
	commit="$commit (with uncommitted changes)"
"${BENCH_KREPORT_BIN:-$build/bench/teeq-bench-kreport}" \
	"$out/results.json" "$out" "$commit" "$guest" || rc=1
if command -v gnuplot >/dev/null; then
	gnuplot -e "dir='$out'" bench/kcharts.gp || rc=1
else
	say "bench-kernel: gnuplot not found: no charts (scripts/deps.sh installs it)"
fi
say ""
say "bench-kernel: $(($(date +%s) - start)) s; in $out: report.md" \
	"summary.json results.json $(cd "$out" && ls -- *.svg 2>/dev/null | tr '\n' ' ')"
[ "$rc" = 0 ] || say "bench-kernel: teeq-bench failed in the guest (status $rc; see $out/console.txt)"
exit "$rc"
