# Charts whose x axis is the message size (latency, throughput, advantage; and the
# comparison of two runs). The caller sets:
#   data         gnuplot data file: one block per series, columns size, value, upper value
#   n            number of series; keys, colours, dashes, points: space-separated, one word
#                each (a key "-" draws the series without a legend entry)
#   whiskers     1 to draw a whisker from column 2 up to column 3 (p50 to p99), 0 for none
#   size_tics    the x tics, e.g. ("8 B" 8, "1 KiB" 1024); size_range, e.g. [5:1536]
#   ylabel_text, yformat, optionally ymin, and reference (a macro appended to the plot: ", expr with lines ..." or "")
set logscale xy
set xlabel "message size (log scale)"
set ylabel ylabel_text
set format y yformat
if (exists("ymin")) { set yrange [ymin:*] }
eval sprintf("set xtics %s", size_tics)
eval sprintf("set xrange %s", size_range)
size_span = log(real(size_range[strstrt(size_range, ":") + 1 : strlen(size_range) - 1]) \
                / real(size_range[2 : strstrt(size_range, ":") - 1]))
set mxtics default
# With whiskers each series moves sideways by about 4 pixels (of a plot about 800 wide)
# so that series measured at the same size do not hide each other's whiskers.
dodge(i) = whiskers ? exp(4.0 / 800 * size_span * (i - (n + 1) / 2.0)) : 1
set errorbars small
# A macro rather than an empty iteration: gnuplot autoscales on an empty `for` as well.
whisker_plot = whiskers ? 'for [i=1:n] data index (i-1) using ($1 * dodge(i)):2:2:3 with yerrorbars lc rgb word(colours, i) lw 1.3 pt 7 ps 0 notitle,' : ''
plot @whisker_plot \
     for [i=1:n] data index (i-1) using ($1 * dodge(i)):2 with linespoints lw 2 ps 1.1 \
       lc rgb word(colours, i) dt int(word(dashes, i)) pt int(word(points, i)) \
       title (word(keys, i) eq "-" ? "" : word(keys, i)) @reference
