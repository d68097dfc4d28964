# Chart 3: the latency percentiles of each series at one size. The caller sets data (one
# block per series: x = 1..4 for p50, p90, p99, p99.9, and the time in seconds) and the
# series lists (n, keys, colours, dashes, points).
set logscale y
set xrange [0.8:4.2]
set xtics ("p50" 1, "p90" 2, "p99" 3, "p99.9" 4)
set xlabel "percentile of the round trips"
set ylabel "round-trip time (log scale)"
set format y "%.0s %cs"
plot for [i=1:n] data index (i-1) using 1:2 with linespoints lw 2 ps 1.1 \
       lc rgb word(colours, i) dt int(word(dashes, i)) pt int(word(points, i)) \
       title word(keys, i)
