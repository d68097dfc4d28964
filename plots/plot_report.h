/* report.md and report.html, written side by side from one list of sections: each a
 * function that adds headings, paragraphs and tables to both. */
#ifndef SHMLAB_PLOT_REPORT_H
#define SHMLAB_PLOT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "plots/plot_table.h"
#include "src/core/shl_error.h"
#include "src/results/shl_results.h"

struct plot_report {
    FILE *md, *html;
    const struct shl_results *run;
    const char *out_dir;     /* where the charts are and the report goes */
    const char *conformance; /* the checker's JSON report, or NULL */
    /* Sticky, as a FILE's error is: a section fills its tables without a check per row,
     * and the report stops after a section that failed (why in `err`). */
    bool failed;
    struct shl_error *err;
    char scratch[PLOT_COLS_MAX][PLOT_CELL_MAX]; /* the row handed out when memory ran out */
};

void plot_report_heading(struct plot_report *r, const char *text);
void plot_report_paragraph(struct plot_report *r, const char *text);
/* Writes `t` to both and frees it. */
void plot_report_table(struct plot_report *r, struct plot_table *t);
/* Records running out of memory in `r`. */
void plot_report_out_of_memory(struct plot_report *r);
/* plot_table_init and plot_table_row that record running out of memory in `r`. */
void plot_report_new_table(struct plot_report *r, struct plot_table *t, size_t cols,
                           const char *const *header);
char (*plot_report_row(struct plot_report *r, struct plot_table *t))[PLOT_CELL_MAX];

/* Writes OUT_DIR/report.md and OUT_DIR/report.html. */
int plot_report(const struct shl_results *run, const char *out_dir, const char *conformance,
                struct shl_error *err);

#endif
