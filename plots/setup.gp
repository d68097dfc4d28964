# Chart 4: set-up cost per mechanism (bars) and segment size (groups). The caller sets data
# (per line: segment size label, then mean and stddev in seconds per series) and the series lists.
set style data histograms
set style histogram errorbars gap 2 lw 1.5
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set yrange [0:*]
set xlabel "segment size"
set ylabel "whole-process time per run"
set format y "%.1s %cs"
set xtics format ""
set grid noxtics
plot for [i=1:n] data using (column(2*i)):(column(2*i+1)):xtic(1) \
       lc rgb word(colours, i) title word(keys, i)
