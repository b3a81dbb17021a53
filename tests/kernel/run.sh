#!/bin/bash
# The kernel stage of make test: boots Debian's own kernel under QEMU with
# a busybox initramfs holding teeq.ko, the DRM modules vgem needs, a static
# teeq-sw and the static kernel tests; runs them (tests/kernel/guest-init.sh)
# and reads the results from the serial console. A failed test fails, and
# so does any kernel warning, oops or BUG in the guest's log (Debian's
# kernel has no KASAN and no lockdep; the dmesg check is what stands in).
#
#   tests/kernel/run.sh BUILD_DIR RESULTS_DIR TEST_BIN...
#
# A TEST_BIN in a directory named client is a program of the client suite
# (tests/client), run in kernel mode (client/NAME); the others are the
# kernel suite's (kernel/NAME).
# BUILD_DIR/kernel/teeq.ko and BUILD_DIR/kernel/teeq-sw must be built (make
# kernel-test does it). Logs go to RESULTS_DIR/kernel/, the counts to
# RESULTS_DIR/kernel.counts as "passed failed skipped".
set -u
build=$1 results=$2
shift 2
logdir=$results/kernel
mkdir -p "$logdir"
echo "== suite kernel (QEMU)"
fail_all() {
	echo "  FAIL  kernel/stage: $*"
	echo "0 1 0" >"$results/kernel.counts"
	exit 1
}

. tests/kernel/qemu.sh
kq_fail() { fail_all "$@"; }
kq_setup "$build"
mkdir -p "$kq_root/teeq/tests/kernel" "$kq_root/teeq/tests/client"
: >"$kq_root/teeq/tests.list"
for t in "$@"; do
	suite=kernel
	[ "$(basename "$(dirname "$t")")" = client ] && suite=client
	cp "$t" "$kq_root/teeq/tests/$suite/"
	echo "$suite/$(basename "$t")" >>"$kq_root/teeq/tests.list"
done
kq_pack "$build"
console=$logdir/console.log
kq_boot "$build" "$console"
grep -q '^KTEST-END' "$console.txt" ||
	fail_all "the guest did not finish (see $console.txt)"

pass=0 fail=0 skip=0
while read -r tag verdict name rest; do
	[ "$tag" = KTEST ] || continue
	mkdir -p "$logdir/$(dirname "$name")"
	sed -n "s|^KLOG $name: ||p" "$console.txt" >"$logdir/$name.log"
	case $verdict in
	PASS) pass=$((pass + 1)); printf '  PASS  %-40s %6ss\n' "$name" "$rest" ;;
	SKIP) skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "$name" "$rest" ;;
	*) fail=$((fail + 1)); printf '  FAIL  %-40s %s\n' "$name" "$rest"
	   tail -n 15 "$logdir/$name.log" | sed 's/^/        | /' ;;
	esac
done <"$console.txt"
[ $((pass + fail + skip)) = $# ] || {
	echo "  FAIL  kernel/stage: $# tests, $((pass + fail + skip)) reported"
	fail=$((fail + 1))
}

# the kernel's own verdict on what the tests did to it
sed -n '/^KDMESG-BEGIN/,/^KDMESG-END/p' "$console.txt" >"$logdir/dmesg.log"
if kq_dmesg_bad "$console.txt" >/dev/null; then
	fail=$((fail + 1))
	echo "  FAIL  kernel/dmesg: the kernel complained"
	kq_dmesg_bad "$console.txt" | head -n 10 | sed 's/^/        | /'
else
	pass=$((pass + 1))
	printf '  PASS  %-40s\n' "kernel/dmesg (no warning, oops or BUG)"
fi
echo "$pass $fail $skip" >"$results/kernel.counts"
echo "   kernel: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
