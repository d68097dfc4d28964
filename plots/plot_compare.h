/* Two runs side by side: A solid and named in the legend, B dashed and named only where A
 * lacks the series; and the table of B/A ratios of p50. */
#ifndef SHMLAB_PLOT_COMPARE_H
#define SHMLAB_PLOT_COMPARE_H

#include "plots/plot_charts.h"
#include "src/core/shl_error.h"
#include "src/results/shl_results.h"

/* As plot_chart (the reason in `nothing`), for both runs on the chart `kind` (one with
 * a compare_title). */
int plot_compare_chart(const struct plot_chart_kind *kind, const struct shl_results *a,
                       const struct shl_results *b, const char *work, char **settings,
                       char *nothing, size_t nothing_len, struct shl_error *err);

/* compare.md in `*text` (free it); the paths name the runs. */
int plot_compare_md(const struct shl_results *a, const char *path_a, const struct shl_results *b,
                    const char *path_b, char **text, struct shl_error *err);

#endif
