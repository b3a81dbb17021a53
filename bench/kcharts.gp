# bench/kcharts.gp: the kernel-mode report's charts, drawn from what
# teeq-bench-kreport wrote. Usage: gnuplot -e "dir='build/report-kernel'"
# bench/kcharts.gp
#
#   kernel_uring.svg   uring_cmd calls a second by batch, beside the sync
#                      ioctl, the io_uring NOP and host mode (same run)
#   kernel_cipher.svg  1 MiB AES-CTR in GB/s: a vgem buffer in place,
#                      temporary memrefs copied

if (!exists("dir")) dir = "build/report-kernel"
data = dir . "/data"
set encoding utf8
set terminal svg size 960,600 dynamic enhanced font "Helvetica,13" \
	background rgb "white"
set border 3 lw 1 lc rgb "#444444"
set tics nomirror out scale 0.6 textcolor rgb "#333333"
set grid xtics ytics lc rgb "#e6e6e6" lw 1 dt 1
set key textcolor rgb "#222222" spacing 1.2 top left
set datafile missing "0"

# the colours of bench/charts.gp
c_base = "#7f7f7f"
c_teeq = "#1f77b4"
c_teeq2 = "#2ca02c"
c_copy = "#d62728"

set output dir . "/kernel_uring.svg"
set title "INVOKE of the noop TA through teeq.ko, pipelined"
set xlabel "commands per io_uring\\_enter"
set ylabel "calls a second"
set logscale xy 2
set format y "%.0s%c"
set xrange [0.7:180]
plot data . "/kernel_uring.dat" using 1:2 with linespoints lw 2 pt 7 \
		lc rgb c_teeq title "uring\\_cmd", \
	"" using 1:5 with lines lw 2 dt 3 lc rgb c_teeq2 \
		title "host mode, async batch 32", \
	"" using 1:4 with lines lw 2 dt 2 lc rgb c_base \
		title "io\\_uring NOP, batch 32", \
	"" using 1:3 with lines lw 2 dt 4 lc rgb c_copy \
		title "sync ioctl, one call per syscall"

unset logscale
unset format
set output dir . "/kernel_cipher.svg"
set title "1 MiB of AES-128-CTR per call through teeq.ko"
set xlabel ""
set ylabel "GB/s"
set yrange [0:*]
set xrange [-0.6:1.6]
set style fill solid 0.8 border -1
set boxwidth 0.5
set key off
plot data . "/kernel_cipher.dat" using 0:2:($0 == 0 ? 0x1f77b4 : 0xd62728):xtic(1) \
	with boxes lc rgb variable
