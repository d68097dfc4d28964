/* The points of one percentile-spectrum line (spectrum.gp): latency against 1/(1-p), at the
 * percentiles HdrHistogram's own iteration visits, up to p99.99 where the sample count
 * allows: with n samples, percentiles past 1 - 1/n are all the max and tell nothing. */
#ifndef SHMLAB_PLOT_SPECTRUM_H
#define SHMLAB_PLOT_SPECTRUM_H

#include <stddef.h>

#include "src/timing/shl_hist.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The spectrum ends at p99.99: 1/(1-p) = 10^4. */
#define PLOT_SPECTRUM_MAX_X 10000.0

struct plot_spectrum_point {
    double x;     /* 1 / (1 - p) */
    double value; /* the histogram's value at p, in its unit */
};

/* Fills out[0..max) and returns how many points there are (possibly more than max). */
size_t plot_spectrum(const struct shl_hist *h, struct plot_spectrum_point *out, size_t max);

#ifdef __cplusplus
}
#endif

#endif
