/* A log-linear histogram in HdrHistogram's layout, so that a run keeps its whole latency
 * distribution instead of a handful of percentiles, and any later tool can re-read, merge and
 * replot it.
 *
 * Layout (the same as HdrHistogram's, so that figures agree with tools that read its files):
 * with 3 significant digits every value up to 2048 has a bucket of its own; above that, each
 * power-of-two range [2^k, 2^(k+1)) is split into 1024 equal sub-buckets, so a value is known
 * to within 1 part in 1024 (better than 0.1%). The lowest discernible value is 1. Counts are
 * indexed by bucket and sub-bucket exactly as in HdrHistogram, so a histogram's serialised
 * counts mean the same thing in both.
 *
 * Percentiles are HdrHistogram's: the value at percentile p is the highest value equivalent
 * to the first recorded value at or above rank round(p/100 * n) (at least 1), but never
 * above the recorded max. Min and max are the exact values recorded. */
#ifndef SHMLAB_SHL_HIST_H
#define SHMLAB_SHL_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_HIST_SIGNIFICANT_DIGITS 3
/* The range of every latency histogram: an hour, in ns, so that even a stall is itself. */
#define SHL_HIST_LATENCY_HIGHEST_NS (3600LL * 1000000000)

struct shl_hist {
    int64_t highest;  /* the largest value that can be recorded as itself */
    int bucket_count; /* power-of-two ranges */
    int sub_bucket_count;
    int counts_len;
    uint64_t *counts;
    uint64_t total;
    uint64_t clamped; /* values above `highest`, recorded as `highest` */
    int64_t min, max; /* exact; INT64_MAX / 0 when empty */
    double sum;       /* of the recorded values, for the exact mean */
};

/* A histogram for values 1..highest (highest >= 2). Values below 1 are recorded as 0. */
int shl_hist_init(struct shl_hist *h, int64_t highest, struct shl_error *err);
void shl_hist_free(struct shl_hist *h);
void shl_hist_reset(struct shl_hist *h);

/* Records `count` occurrences of value. A value above `highest` is recorded as `highest` and
 * counted in `clamped`, never dropped; a negative value is recorded as 0. */
void shl_hist_record_n(struct shl_hist *h, int64_t value, uint64_t count);
static inline void shl_hist_record(struct shl_hist *h, int64_t value)
{
    shl_hist_record_n(h, value, 1);
}

/* Adds src's counts into dst; both must have the same `highest` (EINVAL otherwise). */
int shl_hist_merge(struct shl_hist *dst, const struct shl_hist *src, struct shl_error *err);

/* p in [0, 100]; 0 gives the exact min and 100 the exact max; an empty histogram gives 0. */
int64_t shl_hist_value_at_percentile(const struct shl_hist *h, double p);
double shl_hist_mean(const struct shl_hist *h);
double shl_hist_stddev(const struct shl_hist *h); /* from the buckets' middle values */

/* The range of values that share value's bucket, and the bucket's index. */
int64_t shl_hist_lowest_equivalent(const struct shl_hist *h, int64_t value);
int64_t shl_hist_highest_equivalent(const struct shl_hist *h, int64_t value);
int shl_hist_index_of(const struct shl_hist *h, int64_t value);

/* Iterates over the non-empty buckets in increasing order:
 *   struct shl_hist_iter it = {0};
 *   while (shl_hist_next(h, &it)) ... it.lowest, it.highest, it.count, it.cumulative */
struct shl_hist_iter {
    int index; /* next counts index to look at */
    int64_t lowest, highest;
    uint64_t count, cumulative;
};
int shl_hist_next(const struct shl_hist *h, struct shl_hist_iter *it);

/* HdrHistogram's percentile iteration, which the .hgrm file and the percentile-spectrum
 * chart follow: steps of (100 - p) / (2 * ticks_per_half_distance) rounded down to a power
 * of two, so each halving of the distance to 100% gets `ticks_per_half_distance` rows, and
 * the last step is 100%.
 *   struct shl_hist_pct_iter it; shl_hist_pct_begin(&it, 5);
 *   while (shl_hist_pct_next(h, &it)) ... it.percentile, it.value, it.cumulative */
struct shl_hist_pct_iter {
    int ticks_per_half_distance;
    double next_percentile; /* the percentile to report next */
    double percentile;      /* the one just reported, in [0, 100] */
    int64_t value;          /* highest equivalent value at it */
    uint64_t cumulative;
    struct shl_hist_iter bucket;
    int started, done;
};
void shl_hist_pct_begin(struct shl_hist_pct_iter *it, int ticks_per_half_distance);
int shl_hist_pct_next(const struct shl_hist *h, struct shl_hist_pct_iter *it);

/* Writes HdrHistogram's percentile-distribution text (a `.hgrm` file) with 5 ticks per half
 * distance: a header, one line per step (value / value_scale with 3 decimals, percentile as
 * a fraction, cumulative count, 1/(1-percentile)), the 100% line without the last column,
 * and the Mean/StdDeviation, Max/Total count and Buckets/SubBuckets footer. */
int shl_hist_write_hgrm(const struct shl_hist *h, FILE *out, double value_scale,
                        struct shl_error *err);

/* The compact form stored in results.json: the counts array from index 0 up to the last
 * non-empty one, as a sequence of ZigZag LEB128 varints (the run-length idea of
 * HdrHistogram's V2 encoding, without its header or compression) where a positive number is the count at the next index and a negative number -k skips k
 * empty indexes; the bytes are then written in base64 (RFC 4648, with padding). Returns a
 * malloc'ed NUL-terminated string. */
char *shl_hist_encode(const struct shl_hist *h, struct shl_error *err);
/* Reads an encoded counts string into h (initialised with the same `highest` it was written
 * with). min and max are taken from the buckets unless the caller sets them afterwards; the
 * sum from the buckets' middle values. EINVAL on malformed input or an index out of range. */
int shl_hist_decode(struct shl_hist *h, const char *text, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
