/* Whether two runs differ: a Mann-Whitney U test on per-repetition figures (p50s, say), and a
 * bootstrap confidence interval for the ratio of two medians. Both make no assumption about
 * the shape of latency distributions, which are skewed and multi-modal.
 *
 * "No significant difference" is a verdict of its own, and so is "too few repetitions": with
 * 3 repetitions a side no ordering of the values reaches p < 0.05, so the test cannot find a
 * difference however large, and saying "no difference" would be false. */
#ifndef SHMLAB_SHL_SIGNIF_H
#define SHMLAB_SHL_SIGNIF_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_SIGNIF_ALPHA 0.05

enum shl_verdict {
    SHL_VERDICT_SAME,    /* no significant difference */
    SHL_VERDICT_FASTER,  /* b is significantly lower than a */
    SHL_VERDICT_SLOWER,  /* b is significantly higher than a */
    SHL_VERDICT_TOO_FEW, /* not enough values for the test to reach alpha */
};
/* In enum order: "no significant difference", "significantly lower", "significantly higher",
 * "too few repetitions to judge". */
extern const char *const shl_verdict_names[];

struct shl_mann_whitney {
    double u;                 /* U of a: pairs (x in a, y in b) with x > y, ties counting 1/2 */
    double p;                 /* two-sided */
    double min_p;             /* the smallest p these sample sizes can give */
    int exact;                /* 1: p from the exact distribution (no ties, na * nb <= 2500) */
    enum shl_verdict verdict; /* at SHL_SIGNIF_ALPHA */
};

/* Tests a (the baseline) against b. EINVAL if either is empty. */
int shl_mann_whitney_test(const double *a, size_t na, const double *b, size_t nb,
                          struct shl_mann_whitney *out, struct shl_error *err);

struct shl_bootstrap {
    double ratio;             /* median(b) / median(a) */
    double lo, hi;            /* the central `confidence` interval of the resampled ratio */
    enum shl_verdict verdict; /* SAME when [lo, hi] holds 1 */
};

/* Resamples both sides `resamples` times with a generator seeded by `seed` (so a report can
 * be reproduced). EINVAL if either side is empty or a median is not positive. */
int shl_bootstrap_median_ratio(const double *a, size_t na, const double *b, size_t nb,
                               unsigned resamples, double confidence, uint64_t seed,
                               struct shl_bootstrap *out, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
