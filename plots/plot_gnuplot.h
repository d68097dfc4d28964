/* The gnuplot text the .gp scripts read: string literals, the series lists, data blocks
 * over message size, the size axis and the reference lines drawn from the floor rows. */
#ifndef SHMLAB_PLOT_GNUPLOT_H
#define SHMLAB_PLOT_GNUPLOT_H

#include <stdio.h>

#include "plots/plot_series.h"
#include "src/core/shl_error.h"
#include "src/results/shl_results.h"

/* A gnuplot string literal. */
void plot_gp_str(FILE *out, const char *text);
/* NAME= and the literal `text`. */
void plot_gp_setting(FILE *out, const char *name, const char *text);
void plot_gp_number(FILE *out, double value);
/* Ends one data block: `index i` selects a series; an empty one gets a line of NaN. */
void plot_gp_end_block(FILE *out, size_t lines, int columns);

/* One line of a chart: its legend key ("-": none), its look, and a dash overriding the
 * series' own when > 0. */
struct plot_gp_series {
    const char *key;
    const struct plot_series *s;
    int dash;
};
/* n, keys, colours, dashes, points: the lists by_size.gp and friends read. */
void plot_gp_series_vars(FILE *out, const struct plot_gp_series *list, size_t n);
/* The same for `list`, each key followed by its `suffix` (may be empty). */
int plot_gp_series_of(FILE *out, const struct plot_series_list *list, char (*suffix)[32],
                      struct shl_error *err);

/* Columns: size, p50, p99 in base units; one block per series of `list`. */
int plot_gp_size_blocks(FILE *out, const struct plot_rows *rows,
                        const struct plot_series_list *list, struct shl_error *err);
/* chart_title, whiskers, the size axis and the y axis of a chart over message size. */
int plot_gp_by_size(FILE *out, const char *title, int whiskers, const struct plot_rows *rows,
                    const char *axis, struct shl_error *err);

/* A by_size.gp reference drawn from the floor rows of `transport` (kept in WORK/FILE): a
 * level line labelled with its value for one row, a line through them for several. */
struct plot_gp_floor {
    const char *transport, *label, *unit, *colour, *file;
};
int plot_gp_floor_reference(FILE *out, const struct shl_results *run,
                            const struct plot_gp_floor *floor, const char *work,
                            struct shl_error *err);

/* "; reference=" of the floor references (floors[i] drawn from runs[i]) and then `tail`. */
int plot_gp_references(FILE *out, const struct plot_gp_floor *floors,
                       const struct shl_results *const *runs, size_t n, const char *tail,
                       const char *work, struct shl_error *err);

#endif
