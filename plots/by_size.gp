# Charts whose x axis is the message size (latency, throughput, advantage; and the
# comparison of two runs). The caller sets:
#   data         gnuplot data file: one block per series, columns size, value, upper value
#   n            number of series; keys, colours, dashes, points: space-separated, one word
#                each (a key "-" draws the series without a legend entry)
#   bands        1 to shade from column 2 to column 3 (p50 to p99), 0 for lines only
#   size_tics    the x tics, e.g. ("8 B" 8, "1 KiB" 1024); size_range, e.g. [5:1536]
#   ylabel_text, yformat, optionally ymin, and reference (a macro appended to the plot: ", expr with lines ..." or "")
set logscale xy
set xlabel "message size (log scale)"
set ylabel ylabel_text
set format y yformat
if (exists("ymin")) { set yrange [ymin:*] }
eval sprintf("set xtics %s", size_tics)
eval sprintf("set xrange %s", size_range)
set mxtics default
set style fill transparent solid 0.13 noborder
plot for [i=1:(bands ? n : 0)] data index (i-1) using 1:2:3 with filledcurves \
       lc rgb word(colours, i) notitle, \
     for [i=1:n] data index (i-1) using 1:2 with linespoints lw 2 ps 1.1 \
       lc rgb word(colours, i) dt int(word(dashes, i)) pt int(word(points, i)) \
       title (word(keys, i) eq "-" ? "" : word(keys, i)) @reference
