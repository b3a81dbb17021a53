#!/bin/busybox sh
# /init of the kernel stage's initramfs (tests/kernel/qemu.sh packs it):
# load vgem and teeq.ko, run each kernel test and each client test (those
# in kernel mode: TEEQ_MODE=kernel), print results and logs on the serial
# console, then the kernel log, and power off. With a /teeq/bench.sh (make
# bench-kernel), that runs instead of the tests.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
for m in drm drm_shmem_helper vgem; do
	insmod /lib/modules/$m.ko || echo "KTEST-SETUP insmod $m failed"
done
insmod /teeq/teeq.ko compat_nodes=1 || echo "KTEST-SETUP insmod teeq failed"
export TEEQ_SW=/teeq/teeq-sw TEEQ_KO=/teeq/teeq.ko PATH=/bin
export TEEQ_SUPPLICANT=/teeq/teeq-supplicant
uptime_ds() { cut -d' ' -f1 /proc/uptime | tr -d .; }
echo "KTEST-BEGIN"
[ -f /teeq/bench.sh ] && sh /teeq/bench.sh
for t in $(cat /teeq/tests.list 2>/dev/null); do
	t0=$(uptime_ds)
	# the client suite in kernel mode, its long loops scaled down as the
	# sanitizer runs scale them (a guest under TCG is as slow)
	case $t in
	client/*) mode=kernel scale=4 ;;
	*) mode= scale= ;;
	esac
	TEEQ_MODE=$mode TEEQ_TEST_SCALE=$scale timeout -s KILL 300 \
		/teeq/tests/$t >/tmp/log 2>&1
	rc=$?
	ds=$(( $(uptime_ds) - t0 ))
	secs="$((ds / 100)).$(( (ds % 100) / 10 ))"
	case $rc in
	0) echo "KTEST PASS $t $secs" ;;
	77) echo "KTEST SKIP $t $(grep -m1 '^skip:' /tmp/log)" ;;
	*) echo "KTEST FAIL $t rc=$rc" ;;
	esac
	sed "s|^|KLOG $t: |" /tmp/log
	# whatever a test did to the module or teeq-sw, the next starts clean
	killall -q -KILL teeq-sw teeq-supplicant
	grep -q '^teeq ' /proc/modules || insmod /teeq/teeq.ko compat_nodes=1
done
echo "KDMESG-BEGIN"
dmesg
echo "KDMESG-END"
echo "KTEST-END"
poweroff -f
