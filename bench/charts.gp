# bench/charts.gp: the report's charts, drawn from what teeq-bench-report
# wrote. Usage: gnuplot -e "dir='build/report'" bench/charts.gp
#
#   latency.svg     per-call latency distributions, teeq beside baselines
#   throughput.svg  async noop invocations a second, by batch size
#   payload.svg     GB/s by payload size: zero-copy, copied, no TEE
#   idle.svg        the first call after idling, by idle time
#
# A chart whose benchmarks did not run (a filtered run) is not drawn.
# -e "ext='png'" draws PNGs instead (pngcairo), for a quick look.

if (!exists("dir")) dir = "build/report"
data = dir . "/data"
# latency_blocks, have_throughput, have_cipher, have_digest, have_idle
load data . "/charts.cfg"

if (!exists("ext")) ext = "svg"
set encoding utf8
if (ext eq "png") {
	set terminal pngcairo size 960,600 enhanced font "Helvetica,11" \
		background rgb "white"
} else {
	set terminal svg size 960,600 dynamic enhanced font "Helvetica,13" \
		background rgb "white"
}
set border 3 lw 1 lc rgb "#444444"
set tics nomirror out scale 0.6 textcolor rgb "#333333"
set grid xtics ytics mxtics mytics lc rgb "#e6e6e6" lw 1 dt 1
set key textcolor rgb "#222222" spacing 1.2 noautotitle
set datafile missing "?"
set micro

# One colour per role, the same in every chart.
c_base = "#7f7f7f"     # floors and ceilings
c_teeq = "#1f77b4"     # teeq
c_teeq2 = "#2ca02c"    # teeq, a second variant
c_copy = "#d62728"     # copies, waits
c_other = "#9467bd"    # other transports

# The latency series, in teeq-bench-report's order: floor, bare ring,
# teeq noop, teeq 4 KiB zero-copy, teeq 4 KiB copied, io_uring NOP, teeq
# first call after idling, Unix-socket RPC.
set linetype 1 lc rgb "#555555" lw 2 dt 1
set linetype 2 lc rgb "#999999" lw 2 dt 1
set linetype 3 lc rgb c_teeq lw 2.5 dt 1
set linetype 4 lc rgb c_teeq2 lw 2 dt 1
set linetype 5 lc rgb c_copy lw 2 dt 1
set linetype 6 lc rgb c_other lw 2 dt 2
set linetype 7 lc rgb "#ff7f0e" lw 2 dt 1
set linetype 8 lc rgb "#8c564b" lw 2 dt 2

# ---- latency distribution ------------------------------------------------------
if (latency_blocks > 0) {
	set output dir . "/latency." . ext
	set title "Round-trip latency, one call at a time" font ",15"
	set xlabel "percentile of calls"
	set ylabel "round trip (per-call timing)"
	set logscale xy
	# x is 1/(1 - p): the median at 2, the 99th percentile at 100...
	set xrange [2:100000]
	set xtics ("50%%" 2, "90%%" 10, "99%%" 100, "99.9%%" 1000, \
		"99.99%%" 10000, "99.999%%" 100000)
	set format y "%.0s %cs"
	set key outside below center maxrows 4 width 2 Left reverse
	plot for [i=0:latency_blocks-1] data . "/latency.dat" index i \
		using (($1 < 100) ? 1 / (1 - $1 / 100) : 1/0):($2 * 1e-9) \
		with lines lt i + 1 title columnheader(1)
	unset logscale
	set format y "%g"
	set xtics autofreq
	set xrange [*:*]
}

# ---- throughput by batch size ----------------------------------------------------
if (have_throughput) {
	set output dir . "/throughput." . ext
	set title "Asynchronous noop invocations vs io\\_uring NOP" font ",15"
	set xlabel "batch size (operations per submit)"
	set ylabel "million operations per second"
	set logscale x 2
	set xrange [0.8:320]
	set xtics (1, 8, 32, 128, 256)
	set yrange [0:*]
	set key outside below center maxrows 2 width 2 Left reverse
	set arrow 1 from 0.8,10 to 320,10 nohead dt 2 lw 1.5 lc rgb c_base
	set label 1 "target at batch 32: 10 M/s" at 1,10 offset 0,-0.9 \
		textcolor rgb c_base
	plot data . "/throughput.dat" using 1:2:3 with yerrorlines lw 2 \
		pt 7 ps 0.8 lc rgb c_teeq \
		title "teeq, pipelined, 1 client thread", \
		'' using 1:4:5 with yerrorlines lw 2 pt 5 ps 0.8 \
		lc rgb c_teeq2 title "teeq, pipelined, 2 client threads", \
		'' using 1:8:9 with yerrorbars pt 9 ps 1.3 lc rgb c_copy \
		title "teeq, submit a batch then wait for all of it", \
		'' using 1:6:7 with yerrorbars pt 13 ps 1.4 \
		lc rgb c_other \
		title "io\\_uring NOP (submit and wait in one system call)"
	unset arrow 1
	unset label 1
	unset logscale
	set xrange [*:*]
	set yrange [*:*]
	set xtics autofreq
}

# ---- payload -----------------------------------------------------------------------
if (have_cipher || have_digest) {
	set output dir . "/payload." . ext
	set multiplot layout 1,2 title \
		"Payload throughput: zero-copy, copied, and no TEE at all" \
		font ",15"
	set logscale x 2
	set xrange [3000:22000000]
	set xtics ("4 KiB" 4096, "64 KiB" 65536, "1 MiB" 1048576, \
		"16 MiB" 16777216)
	set yrange [0:*]
	set xlabel "payload per call"
	set ylabel "GB/s of input (10^9 bytes a second)"
	set key outside below center maxrows 2 width 1 Left reverse font ",11"
	do for [alg in "cipher digest"] {
		if ((alg eq "cipher" && have_cipher) || \
		    (alg eq "digest" && have_digest)) {
			set title (alg eq "cipher" ? \
				"AES-128-CTR (cipher TA)" : \
				"SHA-256 (digest TA)") font ",13"
			plot data . "/payload_" . alg . ".dat" using 1:2 \
				with linespoints lw 2 dt 2 pt 6 lc rgb c_base \
				title "same OpenSSL calls, no TEE", \
				'' using 1:3 with linespoints lw 2 pt 7 \
				lc rgb c_teeq title "zero-copy, allocated shm", \
				'' using 1:4 with linespoints lw 2 pt 5 \
				lc rgb c_teeq2 \
				title "zero-copy, registered memfd", \
				'' using 1:5 with linespoints lw 2 pt 9 \
				lc rgb c_copy title "copied (temporary memref)"
		}
	}
	unset multiplot
	unset logscale
	set xrange [*:*]
	set yrange [*:*]
	set xtics autofreq
}

# ---- idle to active -------------------------------------------------------------------
if (have_idle) {
	set output dir . "/idle." . ext
	set title "First call after idling: spin, then sleep" font ",15"
	set xlabel "idle time before the call (measured)"
	set ylabel "latency of the call"
	set logscale xy
	set xrange [6:16000]
	set xtics ("10 µs" 10, "100 µs" 100, "1 ms" 1000, "10 ms" 10000)
	set format y "%.0s %cs"
	set key inside left top
	set arrow 2 from 50, graph 0 to 50, graph 1 nohead dt 2 lc rgb c_base
	set label 2 "the worker polls for 50 µs" at 50, graph 0.04 \
		offset 0.6,0 textcolor rgb c_base
	plot data . "/idle.dat" using 6:($2 * 1e-6) with linespoints lw 2 \
		pt 7 lc rgb c_teeq title "teeq-sw --spin-us 50: median", \
		'' using 6:($3 * 1e-6) with linespoints lw 1.5 dt 2 pt 6 \
		lc rgb c_teeq title "teeq-sw --spin-us 50: 99th percentile", \
		'' using 7:($4 * 1e-6) with points pt 5 ps 1.3 lc rgb c_teeq2 \
		title "teeq-sw --spin-us 1000000, still polling: median"
}
