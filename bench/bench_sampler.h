/* How many samples a configuration takes: at least `min`, at most `max`, and no new one
 * once its time budget is spent. Shared by every timing loop so they all stop alike. */
#ifndef SHMLAB_BENCH_SAMPLER_H
#define SHMLAB_BENCH_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_sampler {
    double *samples; /* the caller owns them after the loop: free() */
    size_t n, min, max;
    int64_t deadline_ns;
};

/* Allocates room for max samples; the budget starts now. */
int bench_sampler_init(struct bench_sampler *s, size_t min, size_t max, int64_t budget_ns,
                       struct shl_error *err);

/* True while another sample is wanted. */
int bench_sampler_more(const struct bench_sampler *s);

static inline void bench_sampler_add(struct bench_sampler *s, double value)
{
    s->samples[s->n++] = value;
}

#ifdef __cplusplus
}
#endif

#endif
