# Look shared by every shmlab chart. The caller sets: chart_title, machine (the lines naming
# the CPU, kernel and mode), and then the terminal and output (svg first, pngcairo replot).
set encoding utf8
# A label centred on the canvas rather than a title centred on the plot area (which the
# legend pushes left), so that long machine lines keep clear of both edges.
set label 1 sprintf("%s\n%s", chart_title, machine) at screen 0.5, screen 0.975 center front font ",14"
set tmargin 5.5
set border 3 lw 1
set tics nomirror out
set grid xtics ytics mxtics mytics lc rgb "#dddddd" lw 1, lc rgb "#eeeeee" lw 0.5
# Outside the plot area on the right: with up to a dozen series no corner of the data is free.
set key outside right top vertical Left reverse samplen 3.5 spacing 1.2 width 1 box lc rgb "#bbbbbb"
set datafile missing "NaN"
set datafile separator "\t"
