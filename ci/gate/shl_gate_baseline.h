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

struct shl_gate_entry {
    struct shl_gate_ratio ratio;
    double baseline;  /* the ratio when the baseline was made (> 0) */
    double tolerance; /* factor (>= 1) by which the ratio may get worse before it fails */
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

/* Makes a baseline from a run: every ratio the gate knows how to form from its rows.
 * Tolerances: `tolerance` (>= 1) for all when given (> 0); otherwise the one `previous`
 * (may be NULL) had for the same ratio, counted in *kept; otherwise the default for its kind. */
int shl_gate_baseline_derive(const struct shl_gate_results *results,
                             const struct shl_gate_baseline *previous, double tolerance,
                             struct shl_gate_baseline *out, size_t *kept, struct shl_error *err);

/* Renders a baseline as JSON text (malloc'd, the caller frees), recording the run's context. */
int shl_gate_baseline_format(const struct shl_gate_baseline *baseline,
                             const struct shl_gate_results *source, char **text,
                             struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
