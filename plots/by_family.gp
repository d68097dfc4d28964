# Small multiples of a chart over message size: a panel per family of transports (a family
# with many series cut between its strategies), every panel on the same axes, so that no
# panel is crowded and the panels still compare. The caller sets what by_size.gp reads,
# except the series lists, plus panels, dodge_n, ymin, ymax and panel1 .. panelN: each a
# string setting that panel's series lists (n, keys, colours, dashes, points), its first
# block (block0) and its title (panel_title).
panel_cols = panels <= 3 ? panels : ceil(panels / 2.0)
panel_rows = panels <= 3 ? 1 : 2
# Fixed margins keep every panel's plot area the same size; each legend sits in the gap to
# the right of its panel, since rising lines and p99 whiskers leave no corner inside free.
set multiplot layout panel_rows, panel_cols margins 0.1, 0.86, 0.1, 0.83 spacing 0.16, 0.13
set key at graph 1.03, graph 1 left top vertical Left reverse samplen 2 spacing 0.85 width -2 font ",8" nobox
# The axes are named once: y on the left of each row, x under the lowest panel of a column.
# Kept from the first run of this script: the PNG pass runs it again after the panels
# changed ylabel_text.
if (!exists("row_ylabel")) { row_ylabel = ylabel_text }
# A panel is a third of the canvas wide: the size labels are slanted, or they run together.
set xtics rotate by -45 font ",8"
do for [p=1:panels] {
    eval value(sprintf("panel%d", p))
    ylabel_text = (p - 1) % panel_cols == 0 ? row_ylabel : ""
    xlabel_text = p + panel_cols > panels ? "message size (log scale)" : ""
    set title panel_title font ",10"
    load "by_size.gp"
    # The chart's title and machine lines once, over the whole canvas.
    unset label 1
}
unset multiplot
