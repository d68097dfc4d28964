#include "src/timing/shl_stats.h"

#include <math.h>
#include <stdlib.h>

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double shl_stats_percentile(const double *sorted, size_t n, double p)
{
    /* rank = ceil(p * n), computed with a small tolerance so that 0.9 * 10 is rank 9 and
     * not 10 because of binary rounding. */
    double exact = p * (double)n;
    size_t rank = (size_t)ceil(exact - 1e-9);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

void shl_stats_compute(double *samples, size_t n, struct shl_stats *out)
{
    out->n = n;
    if (n == 0) {
        out->min = out->p50 = out->p90 = out->p99 = out->p999 = out->p9999 = out->max = NAN;
        out->mean = out->stddev = NAN;
        return;
    }
    qsort(samples, n, sizeof *samples, compare_double);
    out->min = samples[0];
    out->max = samples[n - 1];
    out->p50 = shl_stats_percentile(samples, n, 0.50);
    out->p90 = shl_stats_percentile(samples, n, 0.90);
    out->p99 = shl_stats_percentile(samples, n, 0.99);
    out->p999 = shl_stats_percentile(samples, n, 0.999);
    out->p9999 = n >= SHL_STATS_P9999_MIN_SAMPLES ? shl_stats_percentile(samples, n, 0.9999) : NAN;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += samples[i];
    out->mean = sum / (double)n;
    double squares = 0;
    for (size_t i = 0; i < n; i++)
        squares += (samples[i] - out->mean) * (samples[i] - out->mean);
    out->stddev = n > 1 ? sqrt(squares / (double)(n - 1)) : 0.0;
}
