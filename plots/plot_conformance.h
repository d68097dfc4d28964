/* The conformance checker's JSON report ("shmlab-conformance/1", documented in
 * conformance/checker/cf_matrix.h) read and summed up as a section of the report. */
#ifndef SHMLAB_PLOT_CONFORMANCE_H
#define SHMLAB_PLOT_CONFORMANCE_H

#include "plots/plot_report.h"
#include "src/core/shl_error.h"

/* Whether `path` is a checker report: one JSON object with a verdict for each case. */
int plot_conformance_check(const char *path, struct shl_error *err);

/* Platform, counts per mechanism and the cases that failed; nothing without r->conformance. */
void plot_conformance_section(struct plot_report *r);

#endif
