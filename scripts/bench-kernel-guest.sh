#!/bin/busybox sh
# make bench-kernel, inside the guest: scripts/bench-kernel.sh packs this
# as /teeq/bench.sh beside teeq-bench and its libraries, and the guest's
# /init (tests/kernel/guest-init.sh) runs it once teeq.ko is loaded.
# teeq-sw attaches with --kernel; teeq-bench runs the kernel rows and the
# baselines they are compared with (the io_uring NOP, host mode's async
# batch and sync call, and for the 1 MiB cipher its ceilings: the same AES
# in process, and memcpy); the report directory goes back over the serial
# console as base64 lines between KBENCH-DATA-BEGIN and -END.
. /teeq/bench.env
export HOME=/tmp TMPDIR=/tmp BENCH_QUICK
# one worker on CPU 1 polling for 1 s after its last call, as the suite's
# own teeq-sw for its throughput figures; the client is on CPU 0
/teeq/teeq-sw --kernel --workers 1 --cpus 1 --spin-us 1000000 \
	>/tmp/teeq-sw-kernel.log 2>&1 &
for i in $(seq 50); do
	grep -q attached /tmp/teeq-sw-kernel.log && break
	sleep 0.2
done
mkdir -p /tmp/report
# its console on the serial console too, as the runs go
# shellcheck disable=SC2086
{
	/teeq/teeq-bench --teeq-sw=/teeq/teeq-sw --report-dir=/tmp/report \
		--benchmark_out=/tmp/report/results.json \
		--benchmark_out_format=json \
		--benchmark_filter='^(teeq/kernel/|baseline/uring_nop/batch:32/|teeq/async/noop_pipelined/batch:32/real_time$|teeq/sync/noop/real_time$|baseline/(memcpy|inproc_cipher)/bytes:1048576/)' \
		$BENCH_ARGS 2>&1
	echo "KBENCH-RC $?"
} | tee /tmp/report/console.txt | sed 's/^/KBENCH-LOG /'
sed -n 's/^KBENCH-RC/&/p' /tmp/report/console.txt
killall teeq-sw
cp /tmp/teeq-sw-kernel.log /tmp/report/
echo "KBENCH-DATA-BEGIN"
tar -C /tmp/report -cf - . | gzip -1 | base64
echo "KBENCH-DATA-END"
