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

ko=$build/kernel/teeq.ko
kver=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
[ -n "$kver" ] || fail_all "no module at $ko"
kernel=/boot/vmlinuz-$kver
[ -r "$kernel" ] || fail_all "no $kernel (scripts/deps.sh kernel)"
command -v qemu-system-x86_64 >/dev/null || fail_all "no QEMU (scripts/deps.sh kernel)"

root=$build/kernel/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,teeq/tests,lib/modules}
cp "$(command -v busybox)" "$root/bin/busybox"
for m in drm drm_shmem_helper vgem; do
	path=$(modinfo -k "$kver" -n "$m" 2>/dev/null) || fail_all "no module $m for $kver"
	case $path in
	*.ko) cp "$path" "$root/lib/modules/$m.ko" ;;
	*.ko.xz) xz -dc "$path" >"$root/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$path" >"$root/lib/modules/$m.ko" ;;
	*) fail_all "cannot unpack $path" ;;
	esac
done
cp "$ko" "$build/kernel/teeq-sw" "$root/teeq/"
: >"$root/teeq/tests.list"
for t in "$@"; do
	cp "$t" "$root/teeq/tests/"
	basename "$t" >>"$root/teeq/tests.list"
done
cp tests/kernel/guest-init.sh "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$build/kernel/initramfs.cpio.gz"

accel=tcg,thread=multi
[ -w /dev/kvm ] && accel=kvm
console=$logdir/console.log
timeout -k 10 "${TEEQ_KERNEL_TIMEOUT:-900}" qemu-system-x86_64 \
	-nodefaults -display none -no-reboot -serial stdio \
	-accel "$accel" -m 1536 -smp 2 \
	-kernel "$kernel" -initrd "$build/kernel/initramfs.cpio.gz" \
	-append "console=ttyS0 quiet loglevel=4 panic=-1" \
	</dev/null >"$console" 2>&1
tr -d '\r' <"$console" >"$console.txt"
grep -q '^KTEST-END' "$console.txt" ||
	fail_all "the guest did not finish (see $console.txt)"

pass=0 fail=0 skip=0
while read -r tag verdict name rest; do
	[ "$tag" = KTEST ] || continue
	sed -n "s|^KLOG $name: ||p" "$console.txt" >"$logdir/$name.log"
	case $verdict in
	PASS) pass=$((pass + 1)); printf '  PASS  %-40s %6ss\n' "kernel/$name" "$rest" ;;
	SKIP) skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "kernel/$name" "$rest" ;;
	*) fail=$((fail + 1)); printf '  FAIL  %-40s %s\n' "kernel/$name" "$rest"
	   tail -n 15 "$logdir/$name.log" | sed 's/^/        | /' ;;
	esac
done <"$console.txt"
[ $((pass + fail + skip)) = $# ] || {
	echo "  FAIL  kernel/stage: $# tests, $((pass + fail + skip)) reported"
	fail=$((fail + 1))
}

# the kernel's own verdict on what the tests did to it
sed -n '/^KDMESG-BEGIN/,/^KDMESG-END/p' "$console.txt" >"$logdir/dmesg.log"
bad='WARNING:|BUG:|Oops|general protection|Call Trace|UBSAN|refcount_t|corruption|Bad rss-counter|Bad page|soft lockup|blocked for more than|kmem_cache_destroy|still has objects'
if grep -Eq "$bad" "$logdir/dmesg.log"; then
	fail=$((fail + 1))
	echo "  FAIL  kernel/dmesg: the kernel complained"
	grep -E -m 10 "$bad" "$logdir/dmesg.log" | sed 's/^/        | /'
else
	pass=$((pass + 1))
	printf '  PASS  %-40s\n' "kernel/dmesg (no warning, oops or BUG)"
fi
echo "$pass $fail $skip" >"$results/kernel.counts"
echo "   kernel: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
