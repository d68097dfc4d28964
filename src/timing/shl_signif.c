#include "src/timing/shl_signif.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const shl_verdict_names[] = {
    "no significant difference",
    "significantly lower",
    "significantly higher",
    "too few repetitions to judge",
};

/* Above this many pairs the normal approximation is as good as the exact count. */
enum { exact_max_pairs = 2500, bootstrap_min_values = 3 };

/* P(U <= u) for sizes m and n with no ties. The number of orderings giving each U is the
 * coefficient list of the Gaussian binomial [m+n choose m]_q = prod_{i=1..m}
 * (1 - q^(n+i)) / (1 - q^i), built one factor at a time; each partial product is itself a
 * polynomial, so the division is exact. */
static double exact_cdf(size_t m, size_t n, double u, struct shl_error *err, int *ok)
{
    size_t top = m * n;
    double *c = calloc(top + 1, sizeof *c);
    *ok = c != NULL;
    if (c == NULL)
        return shl_fail(err, "calloc", ENOMEM, "U distribution of %zu", top);
    c[0] = 1;
    for (size_t i = 1; i <= m; i++) {
        for (size_t k = top; k >= n + i; k--)
            c[k] -= c[k - (n + i)];
        for (size_t k = i; k <= top; k++)
            c[k] += c[k - i];
    }
    double below = 0, all = 0;
    for (size_t k = 0; k <= top; k++) {
        all += c[k];
        if ((double)k <= u + 1e-9)
            below += c[k];
    }
    free(c);
    return below / all;
}

static double normal_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

struct ranked {
    double value;
    int from_a;
};

static int compare_ranked(const void *x, const void *y)
{
    double a = ((const struct ranked *)x)->value, b = ((const struct ranked *)y)->value;
    return (a > b) - (a < b);
}

int shl_mann_whitney_test(const double *a, size_t na, const double *b, size_t nb,
                          struct shl_mann_whitney *out, struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    if (na == 0 || nb == 0)
        return shl_fail(err, "shl_mann_whitney_test", EINVAL, "%zu against %zu values", na, nb);
    size_t n = na + nb;
    struct ranked *all = malloc(n * sizeof *all);
    if (all == NULL)
        return shl_fail(err, "malloc", ENOMEM, "%zu ranks", n);
    for (size_t i = 0; i < na; i++)
        all[i] = (struct ranked){a[i], 1};
    for (size_t i = 0; i < nb; i++)
        all[na + i] = (struct ranked){b[i], 0};
    qsort(all, n, sizeof *all, compare_ranked);
    /* Ranks with ties sharing their mean rank; the tie term corrects the variance. */
    double rank_sum_a = 0, tie_term = 0;
    int ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && all[j].value == all[i].value)
            j++;
        double t = (double)(j - i), mean_rank = (double)(i + 1 + j) / 2;
        for (size_t k = i; k < j; k++)
            if (all[k].from_a)
                rank_sum_a += mean_rank;
        if (t > 1) {
            ties = 1;
            tie_term += t * t * t - t;
        }
        i = j;
    }
    free(all);
    double pairs = (double)na * (double)nb;
    out->u = rank_sum_a - (double)na * (double)(na + 1) / 2;
    double low_u = out->u < pairs - out->u ? out->u : pairs - out->u;
    if (!ties && pairs <= exact_max_pairs) {
        int ok;
        double cdf = exact_cdf(na, nb, low_u, err, &ok);
        if (!ok)
            return -1;
        double none = exact_cdf(na, nb, 0, err, &ok);
        out->exact = 1;
        out->p = fmin(1.0, 2 * cdf);
        out->min_p = fmin(1.0, 2 * none);
    } else {
        double sigma = sqrt(pairs / 12.0 * ((double)n + 1 - tie_term / ((double)n * (n - 1))));
        double mean = pairs / 2;
        if (sigma <= 0) {
            out->p = out->min_p = 1;
        } else {
            /* The continuity correction moves U half a step towards the mean. */
            out->p = fmin(1.0, 2 * normal_cdf((low_u - mean + 0.5) / sigma));
            out->min_p = fmin(1.0, 2 * normal_cdf((0 - mean + 0.5) / sigma));
        }
    }
    if (out->min_p >= SHL_SIGNIF_ALPHA)
        out->verdict = SHL_VERDICT_TOO_FEW;
    else if (out->p >= SHL_SIGNIF_ALPHA)
        out->verdict = SHL_VERDICT_SAME;
    else
        out->verdict = out->u > pairs / 2 ? SHL_VERDICT_FASTER : SHL_VERDICT_SLOWER;
    return 0;
}

/* splitmix64: small, fast, and the same sequence everywhere for one seed. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int compare_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The median of values[0..n), sorting them in place. */
static double median_in_place(double *values, size_t n)
{
    qsort(values, n, sizeof *values, compare_double);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double resampled_median(const double *from, size_t n, double *scratch, uint64_t *rng)
{
    for (size_t i = 0; i < n; i++)
        scratch[i] = from[next_random(rng) % n];
    return median_in_place(scratch, n);
}

int shl_bootstrap_median_ratio(const double *a, size_t na, const double *b, size_t nb,
                               unsigned resamples, double confidence, uint64_t seed,
                               struct shl_bootstrap *out, struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    if (na == 0 || nb == 0 || resamples == 0 || !(confidence > 0 && confidence < 1))
        return shl_fail(err, "shl_bootstrap_median_ratio", EINVAL,
                        "%zu against %zu values, %u resamples, confidence %g", na, nb, resamples,
                        confidence);
    size_t most = na > nb ? na : nb;
    double *scratch = malloc((most + resamples) * sizeof *scratch);
    if (scratch == NULL)
        return shl_fail(err, "malloc", ENOMEM, "bootstrap of %u", resamples);
    double *ratios = scratch + most;
    memcpy(scratch, a, na * sizeof *a);
    double median_a = median_in_place(scratch, na);
    memcpy(scratch, b, nb * sizeof *b);
    double median_b = median_in_place(scratch, nb);
    if (!(median_a > 0) || !(median_b > 0)) {
        free(scratch);
        return shl_fail(err, "shl_bootstrap_median_ratio", EINVAL, "medians %g and %g", median_a,
                        median_b);
    }
    out->ratio = median_b / median_a;
    uint64_t rng = seed;
    for (unsigned r = 0; r < resamples; r++) {
        double ma = resampled_median(a, na, scratch, &rng);
        double mb = resampled_median(b, nb, scratch, &rng);
        ratios[r] = ma > 0 ? mb / ma : INFINITY;
    }
    qsort(ratios, resamples, sizeof *ratios, compare_double);
    double tail = (1 - confidence) / 2;
    size_t lo = (size_t)floor(tail * (resamples - 1));
    size_t hi = (size_t)ceil((1 - tail) * (resamples - 1));
    out->lo = ratios[lo];
    out->hi = ratios[hi];
    free(scratch);
    if (na < bootstrap_min_values || nb < bootstrap_min_values)
        out->verdict = SHL_VERDICT_TOO_FEW;
    else if (out->lo > 1)
        out->verdict = SHL_VERDICT_SLOWER;
    else if (out->hi < 1)
        out->verdict = SHL_VERDICT_FASTER;
    else
        out->verdict = SHL_VERDICT_SAME;
    return 0;
}
