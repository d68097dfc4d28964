/* The gate's judgement: a ratio of two figures measured in the same run, held against a
 * bound (from the baseline, or one of the invariants every run must meet). Absolute times
 * drift on a shared machine; a ratio within one run mostly does not. */
#ifndef SHMLAB_SHL_GATE_CHECK_H
#define SHMLAB_SHL_GATE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ci/gate/shl_gate_select.h"

#ifdef __cplusplus
extern "C" {
#endif

/* `of` divided by `to`; both figures are better in the same direction. A `to` with an
 * empty benchmark means `of` is already a ratio the driver computed within the run (the
 * `ratio` statistic of a row, its p50 over the reference named by `ratio_to`). */
struct shl_gate_ratio {
    struct shl_gate_select of;
    struct shl_gate_select to;
    enum shl_results_better better;
};

struct shl_gate_check {
    struct shl_gate_ratio ratio;
    double baseline;   /* the ratio the baseline recorded; 0 for an invariant */
    double allowed;    /* the worst ratio that still passes */
    bool hard;         /* worse than allowed, or missing: FAIL if hard, else WARN */
    const char *title; /* an invariant's purpose; NULL for baseline figures */
};

enum shl_gate_verdict {
    SHL_GATE_PASS,
    SHL_GATE_BETTER, /* passes, and beats the baseline by more than its tolerance */
    SHL_GATE_WARN,
    SHL_GATE_FAIL,
    SHL_GATE_MISSING, /* the run lacks a figure a hard check needs */
};

/* Most runs of one baseline check that the gate judges together (--results, repeated). */
#define SHL_GATE_RUNS_MAX 16

struct shl_gate_line {
    char figure[160];
    bool hard;       /* the check's severity, for the table */
    double baseline; /* 0 for an invariant */
    double now;      /* the ratio in these runs (shl_gate_pick); 0 when missing */
    double change;   /* now / baseline; 0 when either is unknown */
    double allowed;
    enum shl_results_better better;
    enum shl_gate_verdict verdict;
    char note[256]; /* what is missing, or the invariant's purpose */
};

/* The bound a baseline ratio may reach: worse than `baseline` by at most the factor
 * `tolerance` (>= 1), in the direction that is worse. */
double shl_gate_allowed(double baseline, double tolerance, enum shl_results_better better);
/* Whether `now` is no worse than `bound`. */
bool shl_gate_within(double now, double bound, enum shl_results_better better);

/* The ratio in one run: true and *value, or false and what the run lacks in `why`. */
bool shl_gate_ratio_value(const struct shl_results *results, const struct shl_gate_ratio *ratio,
                          double *value, char *why, size_t why_len);

/* Of several runs' values of one ratio, the one the gate judges: the median, and of two
 * middle values the better one, so that a figure fails only when most runs (both of two)
 * are bad: noise rarely strikes the same figure twice, a regression always does. Sorts
 * `values` in ascending order; `count` >= 1. */
double shl_gate_pick(double *values, size_t count, enum shl_results_better better);

/* Evaluates one check against 1..SHL_GATE_RUNS_MAX runs; never fails: a figure missing
 * from any run is a verdict. */
void shl_gate_evaluate(const struct shl_results *const *runs, size_t nruns,
                       const struct shl_gate_check *check, struct shl_gate_line *line);

/* "latency posix/spin 64 B p50 / pipe", or the full denominator when it differs. */
const char *shl_gate_ratio_text(const struct shl_gate_ratio *ratio, char *buf, size_t len);

/* The targets every run is held to (src/results), expanded for this run's sizes, into
 * `out` (at most `cap`); returns how many. ci/README.md says which are hard and why. */
size_t shl_gate_invariants(const struct shl_results *results, struct shl_gate_check *out,
                           size_t cap);

/* Sets a selector's names; `transport` may hold alternatives separated by '|'. Returns
 * false when a name does not fit. */
bool shl_gate_select_set(struct shl_gate_select *sel, const char *benchmark, const char *transport,
                         enum shl_notify_kind notify, double size, const char *stat);

#ifdef __cplusplus
}
#endif

#endif
