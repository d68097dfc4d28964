/* The machine and the run as a chart or a report names them. */
#ifndef SHMLAB_PLOT_MACHINE_H
#define SHMLAB_PLOT_MACHINE_H

#include <stddef.h>

#include "src/results/shl_results.h"

/* In two parts: what (CPU, kernel, mode) and where and when (host, pinning, date). */
void plot_machine_parts(const struct shl_results *run, char *what, size_t what_len, char *where,
                        size_t where_len);
/* Both parts on one line. */
void plot_machine_line(const struct shl_results *run, char *buf, size_t len);

#endif
