/* Summary statistics of one benchmark configuration's samples. */
#ifndef SHMLAB_SHL_STATS_H
#define SHMLAB_SHL_STATS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct shl_stats {
    size_t n;
    double min, p50, p90, p99, p999, max; /* percentiles by nearest rank: the smallest
                                           * sample with at least p*n samples <= it */
    double mean;
    double stddev; /* sample standard deviation (n - 1); 0 when n == 1 */
};

/* Sorts samples[0..n) in place and summarises them. With n == 0 every field but n is NaN,
 * so that a writer shows "no data" rather than a plausible zero. */
void shl_stats_compute(double *samples, size_t n, struct shl_stats *out);

/* The nearest-rank percentile p (0 < p <= 1) of n >= 1 sorted samples. */
double shl_stats_percentile(const double *sorted, size_t n, double p);

#ifdef __cplusplus
}
#endif

#endif
