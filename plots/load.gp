# Latency against offered load (the hockey stick): for each series, the p50 (solid) and p99
# (thin) of the latency from each message's intended send time, at every offered rate it
# reached; a rate it did not reach ends its line with a cross. The caller sets data (one block
# per series: x = offered messages/s, p50 and p99 in seconds, and 1 where the rate was
# reached, 0 where it was not), the series lists (n, keys, colours, dashes, points) and
# chart_title.
set logscale xy
set xlabel "offered rate (messages/s, log scale)"
set ylabel "latency from the intended send time (log scale)"
set format x "%.0s%c"
set format y "%.0s %cs"
plot for [i=1:n] data index (i-1) using 1:($4 > 0 ? $2 : NaN) with linespoints lw 2 ps 0.9 \
       lc rgb word(colours, i) dt int(word(dashes, i)) pt int(word(points, i)) \
       title word(keys, i), \
     for [i=1:n] data index (i-1) using 1:($4 > 0 ? $3 : NaN) with lines lw 1 \
       lc rgb word(colours, i) dt 3 notitle, \
     for [i=1:n] data index (i-1) using 1:($4 > 0 ? NaN : $2) with points pt 2 ps 1.6 lw 2 \
       lc rgb word(colours, i) notitle
