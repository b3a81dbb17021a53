# The QEMU stage's machinery, sourced by tests/kernel/run.sh (the kernel
# tests) and scripts/bench-kernel.sh (the benchmarks' kernel rows): a
# busybox initramfs holding teeq.ko, the DRM modules vgem needs, a static
# teeq-sw and tests/kernel/guest-init.sh as /init, and Debian's own kernel
# booted on it under qemu-system-x86_64. The caller defines kq_fail MSG.
#
#   kq_setup BUILD_DIR     checks what the stage needs, sets kq_kver,
#                          kq_kernel and kq_root (a fresh initramfs tree;
#                          the caller adds its payload under $kq_root/teeq)
#   kq_pack BUILD_DIR      packs $kq_root
#   kq_boot BUILD_DIR LOG  boots it; the serial console goes to LOG, and
#                          to LOG.txt without carriage returns
#                          (KQ_QEMU_ARGS and KQ_APPEND add QEMU options and
#                          kernel parameters)
#   kq_dmesg_bad LOG       the lines of the guest's kernel log (between
#                          KDMESG-BEGIN and KDMESG-END in LOG) that are a
#                          warning, an oops or a BUG

kq_setup() {
	local build=$1 m path ko=$1/kernel/teeq.ko
	kq_kver=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
	[ -n "$kq_kver" ] || kq_fail "no module at $ko"
	kq_kernel=/boot/vmlinuz-$kq_kver
	[ -r "$kq_kernel" ] || kq_fail "no $kq_kernel (scripts/deps.sh kernel)"
	command -v qemu-system-x86_64 >/dev/null ||
		kq_fail "no QEMU (scripts/deps.sh kernel)"
	kq_root=$build/kernel/initramfs
	rm -rf "$kq_root"
	mkdir -p "$kq_root"/{bin,dev,proc,sys,tmp,teeq,lib/modules}
	cp "$(command -v busybox)" "$kq_root/bin/busybox"
	for m in drm drm_shmem_helper vgem; do
		path=$(modinfo -k "$kq_kver" -n "$m" 2>/dev/null) ||
			kq_fail "no module $m for $kq_kver"
		case $path in
		*.ko) cp "$path" "$kq_root/lib/modules/$m.ko" ;;
		*.ko.xz) xz -dc "$path" >"$kq_root/lib/modules/$m.ko" ;;
		*.ko.zst) zstd -qdc "$path" >"$kq_root/lib/modules/$m.ko" ;;
		*) kq_fail "cannot unpack $path" ;;
		esac
	done
	cp "$ko" "$build/kernel/teeq-sw" "$kq_root/teeq/"
	[ ! -e "$build/kernel/teeq-supplicant" ] ||
		cp "$build/kernel/teeq-supplicant" "$kq_root/teeq/"
	cp tests/kernel/guest-init.sh "$kq_root/init"
	chmod +x "$kq_root/init"
}

kq_pack() {
	(cd "$kq_root" && find . | cpio -o -H newc --quiet) |
		gzip -1 >"$1/kernel/initramfs.cpio.gz"
}

# What the guest runs on: TCG, unless TEEQ_QEMU_KVM=1 asks for KVM and
# this machine has it. Not KVM by default: a nested KVM may offer
# /dev/kvm and still not run the guest (on an AMD EPYC VM QEMU aborts
# setting IA32_ARCH_CAPABILITIES for -cpu host, and with that feature off
# the guest hangs in early boot), and the kernel stage must not hang on
# what the machine offers.
kq_kvm() {
	[ "${TEEQ_QEMU_KVM:-0}" = 1 ] && [ -w /dev/kvm ]
}

kq_accel() {
	if kq_kvm; then echo kvm; else echo tcg,thread=multi; fi
}

# The guest's CPU: every feature the accelerator can give (AES-NI among
# them, which QEMU's default model lacks), as on the machines teeq.ko is
# for; without it the guest's OpenSSL falls back to table AES under
# emulation, and cipher rows measure that instead of the transport.
kq_cpu() {
	if kq_kvm; then echo host; else echo max; fi
}

kq_boot() {
	local build=$1 console=$2
	# shellcheck disable=SC2086
	timeout -k 10 "${TEEQ_KERNEL_TIMEOUT:-900}" qemu-system-x86_64 \
		-nodefaults -display none -no-reboot -serial stdio \
		-accel "$(kq_accel)" -cpu "$(kq_cpu)" -m 1536 -smp 2 ${KQ_QEMU_ARGS:-} \
		-kernel "$kq_kernel" -initrd "$build/kernel/initramfs.cpio.gz" \
		-append "console=ttyS0 quiet loglevel=4 panic=-1 tsc=reliable ${KQ_APPEND:-}" \
		</dev/null >"$console" 2>&1
	tr -d '\r' <"$console" >"$console.txt"
}

kq_dmesg_bad() {
	local bad='WARNING:|BUG:|Oops|general protection|Call Trace|UBSAN|refcount_t|corruption|Bad rss-counter|Bad page|soft lockup|blocked for more than|kmem_cache_destroy|still has objects'
	sed -n '/^KDMESG-BEGIN/,/^KDMESG-END/p' "$1" | grep -E "$bad"
}
