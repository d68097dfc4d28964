/* How rows of results.json become chart series: one series per transport and strategy, in
 * one order and with one look (colour names the transport, the strategy changes the dash
 * and the point), so that every chart, table and comparison shows a transport the same way. */
#ifndef SHMLAB_PLOT_SERIES_H
#define SHMLAB_PLOT_SERIES_H

#include <stddef.h>

#include "src/results/shl_results.h"

/* Rows of one benchmark, possibly of several runs. */
struct plot_rows {
    const struct shl_results_row **rows;
    size_t n;
};

struct plot_series {
    char key[48]; /* "pipe", "posix/futex" */
    const char *transport;
    const char *notify; /* "" for none */
    const char *colour;
    int dash, point;
};

struct plot_series_list {
    struct plot_series *series;
    size_t n;
};

/* The rows of `benchmark` in `run` (appended to `rows`); -1 when out of memory. */
int plot_rows_of(struct plot_rows *rows, const struct shl_results *run, const char *benchmark);
void plot_rows_free(struct plot_rows *rows);

/* The series of `rows`, in their order; -1 when out of memory. */
int plot_series_of(const struct plot_rows *rows, struct plot_series_list *out);
void plot_series_free(struct plot_series_list *list);

/* "pipe", "posix/futex"; a strategy "none" is no strategy. */
void plot_series_key(const struct shl_results_row *row, char *buf, size_t len);
/* Orders series: shared memory, then kernel transports, then others; then by strategy. */
int plot_series_compare(const struct shl_results_row *a, const struct shl_results_row *b);

/* Whether `row` belongs to the series `key`. */
int plot_series_has_key(const struct shl_results_row *row, const char *key);
/* The rows of series `key` into `out` (room for rows->n), by size, stable; returns how many. */
size_t plot_rows_of_key(const struct plot_rows *rows, const char *key,
                        const struct shl_results_row **out);
/* The row of series `key` at `size`, or NULL. */
const struct shl_results_row *plot_row_at(const struct plot_rows *rows, const char *key,
                                          double size);
/* The distinct sizes of `rows`, ascending, in `*sizes` (room for rows->n + 1; free it);
 * -1 when out of memory. */
int plot_rows_sizes(const struct plot_rows *rows, double **sizes, size_t *n);
/* qsort order of doubles. */
int plot_ascending(const void *a, const void *b);

/* A row's statistic in base units (seconds, bytes per second); NaN when absent. */
double plot_base(const struct shl_results_row *row, const char *stat);

#endif
