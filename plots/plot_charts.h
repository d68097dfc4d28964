/* The charts: one entry of plot_charts each, with the function that writes its data block.
 * A chart is gnuplot settings (returned as text) plus data files in a work folder. */
#ifndef SHMLAB_PLOT_CHARTS_H
#define SHMLAB_PLOT_CHARTS_H

#include <stdio.h>

#include "plots/plot_series.h"
#include "src/core/shl_error.h"
#include "src/results/shl_results.h"

struct plot_chart_kind;

/* What a chart's data function is handed. */
struct plot_chart_data {
    const struct plot_chart_kind *kind;
    const struct shl_results *run;
    const struct plot_rows *rows; /* the rows of the chart's benchmark */
    const struct plot_series_list *list;
    FILE *dat;          /* the data file the .gp script reads */
    FILE *settings;     /* settings written before the series lists */
    char (*suffix)[32]; /* per series: appended to its legend key */
    int *own_series;    /* set to 1 when the function wrote the series lists itself */
};

struct plot_chart_kind {
    const char *name, *benchmark;
    const char *script;        /* the .gp script that draws it */
    const char *caption;       /* the report's figure caption */
    const char *title;         /* NULL: made from the data */
    const char *compare_title; /* two runs on one chart; NULL: not compared */
    int whiskers;              /* -1: not drawn over message size */
    const char *axis;          /* the y axis' settings */
    const char *floor;         /* the floor row drawn as the reference, or NULL */
    const char *floor_label, *floor_short, *unit;
    const char *reference; /* a reference line of its own, or NULL */
    /* Why the chart has nothing to draw although its benchmark has rows; NULL: never. */
    const char *(*nothing)(const struct plot_rows *rows);
    int (*data)(const struct plot_chart_data *c, struct shl_error *err);
};

extern const struct plot_chart_kind plot_charts[];
extern const size_t plot_charts_n;

/* The chart named `name`, or NULL. */
const struct plot_chart_kind *plot_chart_kind(const char *name);

/* The settings of chart `kind` drawn from `run` in `*settings` (free it), its data in WORK;
 * or, when it has nothing to draw, the reason in `*nothing` (and no files). */
int plot_chart(const struct plot_chart_kind *kind, const struct shl_results *run, const char *work,
               char **settings, const char **nothing, struct shl_error *err);

#endif
