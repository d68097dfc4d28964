# The percentile spectrum: latency against percentile on a log(1/(1-p)) axis, so that each
# "nine" (90%, 99%, 99.9%, 99.99%) takes the same width, as HdrHistogram plots it. Each
# series stops where its sample count stops telling percentiles apart. The caller sets data
# (one block per series: x = 1/(1-p), y = the latency in seconds), the series lists (n, keys,
# colours, dashes, points) and chart_title.
set logscale xy
set xrange [1:10000]
set xtics ("0%%" 1, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000)
set xlabel "percentile of the round trips (each step one more nine)"
set ylabel "round-trip time (log scale)"
set format y "%.0s %cs"
plot for [i=1:n] data index (i-1) using 1:2 with steps lw 2 \
       lc rgb word(colours, i) dt int(word(dashes, i)) \
       title word(keys, i)
