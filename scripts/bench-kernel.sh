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
#   scripts/bench-kernel.sh instr BUILD_DIR OUT_DIR
#                      instead: instructions per call, into
#                      OUT_DIR/kinstr.md: the client's side of the uring
#                      path in user space (callgrind), and the guest
#                      kernel's share of each kind of call (a QEMU TCG
#                      plugin, bench/qemu_insn.c)
#
# BUILD_DIR holds teeq.ko, the static teeq-sw (kernel/), teeq-bench and
# teeq-bench-kreport (bench/); make bench-kernel builds them. BENCH_QUICK=1
# runs the short version; BENCH_ARGS adds Google Benchmark flags.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1

say() { printf '%s\n' "$*" >&2; }
kq_fail() {
	say "bench-kernel: $*"
	exit 1
}
. tests/kernel/qemu.sh

# Instructions per call (make bench-kernel-instr), where timings under
# emulation do not repeat: the client's side of a uring command in user
# space (callgrind, here), and the kernel's share of each kind of call in
# the guest (bench/qemu_insn.c, a TCG plugin), both writing to kinstr.md.
kinstr() {
	local build=$1 out=$2 bin=$1/bench/teeq-bench-kinstr batch f ir
	local rounds=2000 console counts accel
	command -v valgrind >/dev/null ||
		kq_fail "valgrind not found (scripts/deps.sh)"
	mkdir -p "$out"
	{
		echo "# Instructions per call"
		echo
		echo "Commit $(git rev-parse --short=12 HEAD 2>/dev/null)."
		echo
		echo "## The client's side of a uring command (user space)"
		echo
		echo "callgrind in kinstr_round() of bench/kinstr.c: the liburing"
		echo "preparation of the command and its argument, its share of the"
		echo "io_uring_enter, the reaping of its completion; $(uname -sr)."
		echo
		echo "| batch | instructions per call |"
		echo "|---|---|"
	} >"$out/kinstr.md"
	for batch in 1 32; do
		f=$out/kinstr.b$batch.callgrind
		valgrind --tool=callgrind --toggle-collect='kinstr_round*' \
			--callgrind-out-file="$f" "$bin" uring "$batch" \
			$((rounds * 32 / batch)) >/dev/null 2>"$f.log" ||
			{ cat "$f.log" >&2; exit 1; }
		ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$f")
		echo "| $batch | $((ir / (rounds * 32))) |" >>"$out/kinstr.md"
	done

	# the guest: each kind of call, between markers the plugin snapshots
	kq_setup "$build"
	cp "$bin" "$kq_root/teeq/"
	cat >"$kq_root/teeq/bench.sh" <<-'EOS'
		grep ' [tT] ' /proc/kallsyms | sed 's/^/KSYM /'
		/teeq/teeq-sw --kernel --workers 1 --cpus 1 --spin-us 1000000 \
			>/tmp/sw.log 2>&1 &
		for i in $(seq 50); do
			grep -q attached /tmp/sw.log && break
			sleep 0.2
		done
		for m in "nop 32 300" "null 1 3000" "ioctl 1 1000" \
			"uring 32 300" "uring 1 2000"; do
			echo "KINSN $m"
			/teeq/teeq-bench-kinstr $m
		done
		killall teeq-sw
		echo "KBENCH-DATA-END"
	EOS
	kq_pack "$build"
	console=$out/kinsn-console.log
	counts=$out/kinsn.counts
	accel=$(kq_accel)
	[ "$accel" != kvm ] ||
		kq_fail "the guest runs under KVM: no TCG plugin to count with"
	say "bench-kernel: counting the guest kernel's instructions (TCG)"
	KQ_QEMU_ARGS="-plugin $build/bench/qemu-insn.so,arg=out=$counts" \
		KQ_APPEND=nokaslr kq_boot "$build" "$console"
	grep -q '^KBENCH-DATA-END' "$console.txt" && [ -s "$counts" ] ||
		kq_fail "the guest did not finish (see $console.txt)"
	{
		echo
		echo "## The kernel's share of each call (in the QEMU guest)"
		echo
		echo "bench/qemu_insn.c counts the guest kernel's instructions, both"
		echo "vCPUs, between markers around each loop of bench/kinstr.c;"
		echo "teeq-sw --kernel attached and polling; user space not counted."
		echo
		echo "| call | kernel instructions per call |"
		echo "|---|---|"
	} >>"$out/kinstr.md"
	# intervals 0, 2, 4... (between the snapshots 2k and 2k+1) are the
	# loops, in the order the guest ran them
	k=0
	grep '^KINSN ' "$console.txt" | while read -r _ mode batch rounds; do
		total=$(sed -n "$((2 * k + 1))p" "$counts.totals")
		case "$mode $batch" in
		"nop 32") what="io_uring NOP, batch 32" ;;
		"null 1") what="a failing ioctl (null syscall)" ;;
		"ioctl 1") what="sync ioctl INVOKE of the noop TA" ;;
		*) what="uring_cmd INVOKE of the noop TA, batch $batch, pipelined" ;;
		esac
		echo "| $what | $((total / (batch * rounds))) |"
		k=$((k + 1))
	done >>"$out/kinstr.md"
	cat "$out/kinstr.md"
}
if [ "${1:-}" = instr ]; then
	kinstr "$2" "$3"
	exit 0
fi
build=$1 out=$2

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

# what a run writes (make bench-kernel-instr's kinstr.* stay)
rm -rf "$out/lat" "$out/data"
rm -f "$out/results.json" "$out/report.md" "$out/summary.json" \
	"$out"/*.svg "$out/console.txt" "$out"/guest-console.log* \
	"$out/dmesg.txt" "$out"/teeq-sw*.log
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
