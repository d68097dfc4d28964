# Small multiples of a chart over message size: a panel per family of transports (a family
# with many series cut between its strategies), every panel on the same axes, so that no
# panel is crowded and the panels still compare. The caller sets what by_size.gp reads,
# except the series lists, plus panels, dodge_n, ymin, ymax and panel1 .. panelN: each a
# string setting that panel's series lists (n, keys, colours, dashes, points), its first
# block (block0) and its title (panel_title).
panel_cols = panels <= 3 ? panels : ceil(panels / 2.0)
panel_rows = panels <= 3 ? 1 : 2
set multiplot layout panel_rows, panel_cols margins 0.07, 0.99, 0.09, 0.87 spacing 0.06, 0.1
set key inside left top vertical Left reverse samplen 2 spacing 0.9 width 0 font ",8" opaque
do for [p=1:panels] {
    eval value(sprintf("panel%d", p))
    set title panel_title font ",10"
    load "by_size.gp"
    # The chart's title and machine lines once, over the whole canvas.
    unset label 1
}
unset multiplot
