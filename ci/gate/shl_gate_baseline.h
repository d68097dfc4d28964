/* The committed baseline (ci/baseline.json, format in ci/README.md): which ratios the gate
 * compares, the value each had when the baseline was made, and how much worse each may get. */
#ifndef SHMLAB_SHL_GATE_BASELINE_H
#define SHMLAB_SHL_GATE_BASELINE_H

#include <stddef.h>

#include "ci/gate/shl_gate_check.h"
#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_GATE_BASELINE_FORMAT "shmlab-gate-baseline/1"

/* The slowdown the gate exists to catch: shared memory made 3x slower must fail.
 * A ratio whose measured noise needs this much tolerance cannot catch it, so it only warns. */
#define SHL_GATE_CATCH_FACTOR 3.0

struct shl_gate_entry {
    struct shl_gate_ratio ratio;
    double baseline;  /* the ratio when the baseline was made (> 0) */
    double tolerance; /* factor (>= 1) by which the ratio may get worse before it fails */
    bool hard;        /* beyond the tolerance: FAIL ("severity": "fail") or WARN ("warn") */
};

struct shl_gate_baseline {
    struct shl_gate_entry *entries;
    size_t count;
};

/* Parses baseline text (need not be NUL-terminated); EINVAL with the reason on bad input. */
int shl_gate_baseline_parse(const char *text, size_t len, struct shl_gate_baseline *out,
                            struct shl_error *err);
void shl_gate_baseline_free(struct shl_gate_baseline *baseline);

/* The hard check an entry stands for. */
void shl_gate_baseline_check(const struct shl_gate_entry *entry, struct shl_gate_check *check);

/* Makes a baseline from 1..SHL_GATE_RUNS_MAX runs: every ratio the gate knows how to form
 * from the first run's rows that all runs have, valued at shl_gate_pick() of the runs.
 * Tolerance: `tolerance` (>= 1) when given (> 0); otherwise the one `previous` (may be NULL)
 * had for the same ratio, counted in *kept; otherwise the default for its kind; then raised
 * to cover the spread the runs showed, and if that raise reaches SHL_GATE_CATCH_FACTOR the
 * ratio only warns. Severity: kept from `previous` when its tolerance is, else by kind. */
int shl_gate_baseline_derive(const struct shl_results *const *runs, size_t nruns,
                             const struct shl_gate_baseline *previous, double tolerance,
                             struct shl_gate_baseline *out, size_t *kept, struct shl_error *err);

/* Renders a baseline as JSON text (malloc'd, the caller frees), recording the run's context. */
int shl_gate_baseline_format(const struct shl_gate_baseline *baseline,
                             const struct shl_results *source, char **text, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
