# Charts whose x axis is the message size (latency, throughput, advantage; and the
# comparison of two runs). The caller sets:
#   data         gnuplot data file: one block per series, columns size, value, upper value
#   n            number of series; keys, colours, dashes, points: space-separated, one word
#                each (a key "-" draws the series without a legend entry)
#   whiskers     1 to draw a whisker from column 2 up to column 3 (p50 to p99), 0 for none
#   size_tics    the x tics, e.g. ("8 B" 8, "1 KiB" 1024); size_lo, size_hi: the sizes' range
#   ylabel_text, yformat, optionally ymin and ymax, and reference (a macro appended to the plot: ", expr with lines ..." or "")
#   optionally xlabel_text (by_family.gp names the x axis under the lowest panels only), block0 (the block of the first series: by_family.gp draws a panel's share),
#   dodge_n (the series count the sideways step is made for, the same in every panel) and
#   point_labels (column 4 of each block written above its point)
set logscale xy
set xlabel (exists("xlabel_text") ? xlabel_text : "message size (log scale)")
set ylabel ylabel_text
set format y yformat
if (exists("ymin")) { if (exists("ymax")) { set yrange [ymin:ymax] } else { set yrange [ymin:*] } }
if (!exists("block0")) { block0 = 0 }
if (!exists("dodge_n")) { dodge_n = n }
eval sprintf("set xtics %s", size_tics)
# With whiskers each series moves sideways (about 4 pixels apart, less when there are many,
# in a plot about 800 wide) so that series measured at the same size do not hide each
# other's whiskers; the x range leaves room for the outermost ones.
size_span = log(size_hi / size_lo) + 2 * log(1.5)
dodge_step = whiskers ? (dodge_n > 15 ? 60.0 / dodge_n : 4.0) / 800 * size_span : 0
dodge(i) = exp(dodge_step * (i - (dodge_n + 1) / 2.0))
size_pad = 1.5 * exp(dodge_step * (dodge_n - 1) / 2.0)
set xrange [size_lo / size_pad : size_hi * size_pad]
set errorbars small
# A macro rather than an empty iteration: gnuplot autoscales on an empty `for` as well.
whisker_plot = whiskers ? 'for [i=1:n] data index (block0+i-1) using ($1 * dodge(i)):2:2:3 with yerrorbars lc rgb word(colours, i) lw 1.3 pt 7 ps 0 notitle,' : ''
label_plot = exists("point_labels") ? ', for [i=1:n] data index (block0+i-1) using 1:2:4 with labels offset 0,1 font ",9" tc rgb word(colours, i) notitle' : ''
plot @whisker_plot \
     for [i=1:n] data index (block0+i-1) using ($1 * dodge(i)):2 with linespoints lw 2 ps 1.1 \
       lc rgb word(colours, i) dt int(word(dashes, i)) pt int(word(points, i)) \
       title (word(keys, i) eq "-" ? "" : word(keys, i)) @label_plot @reference
