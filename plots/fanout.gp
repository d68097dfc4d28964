# Fan-out: one-way latency from one publisher to N subscribers, against N. Left: every
# subscriber's latencies together; right: the slowest subscriber's (the one with the highest
# p99). p50 as the line, a whisker up to p99. The caller sets data (one block per series:
# subscribers, p50, p99, slowest p50, slowest p99, in seconds), the series lists (n, keys,
# colours, dashes, points) and chart_title.
set multiplot layout 1, 2 margins 0.07, 0.8, 0.1, 0.82 spacing 0.07, 0.1
set logscale xy
set xrange [0.8:10]
set xtics ("1" 1, "2" 2, "4" 4, "8" 8)
set xlabel "subscribers (log scale)"
set ylabel "one-way latency (log scale)"
set format y "%.0s %cs"
set errorbars small
unset key
set title "every subscriber" font ",11"
plot for [i=1:n] data index (i-1) using 1:2:2:3 with yerrorbars lc rgb word(colours, i) \
       lw 1.3 pt 7 ps 0 notitle, \
     for [i=1:n] data index (i-1) using 1:2 with linespoints lw 2 ps 1.1 \
       lc rgb word(colours, i) dt int(word(dashes, i)) pt int(word(points, i)) notitle
unset label 1
set key at screen 0.81, screen 0.82 left top vertical Left reverse samplen 3 spacing 1.1 \
    box lc rgb "#bbbbbb"
set title "the slowest subscriber" font ",11"
unset ylabel
plot for [i=1:n] data index (i-1) using 1:4:4:5 with yerrorbars lc rgb word(colours, i) \
       lw 1.3 pt 7 ps 0 notitle, \
     for [i=1:n] data index (i-1) using 1:4 with linespoints lw 2 ps 1.1 \
       lc rgb word(colours, i) dt int(word(dashes, i)) pt int(word(points, i)) \
       title word(keys, i)
unset multiplot
