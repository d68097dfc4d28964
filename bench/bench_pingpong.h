/* Round-trip latency: side A sends a message, the peer echoes it whole, A checks it. Back to
 * back (latency) or one round trip per period of a fixed rate, sleeping on an absolute
 * deadline in between (wake-up latency). */
#ifndef SHMLAB_BENCH_PINGPONG_H
#define SHMLAB_BENCH_PINGPONG_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_exchange.h"
#include "src/timing/shl_hist.h"
#include "src/timing/shl_timer.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_pingpong {
    /* plan */
    unsigned warmup;
    size_t min_samples, max_samples;
    int64_t budget_ns;
    const struct shl_timer *timer; /* times each round trip */
    double rate_hz;                /* 0: back to back */
    /* result */
    double *samples;      /* ns, one per round trip */
    struct shl_hist hist; /* the same round trips */
    size_t n;
    int64_t cpu_ns;              /* side A's CPU time over the timed round trips */
    long voluntary, involuntary; /* side A's context switches over them */
    uint64_t messages;           /* timed round trips */
};

/* A bench_side_a_fn: ctx is a struct bench_pingpong, zeroed but for its plan. */
int bench_pingpong_measure(struct bench_sender *s, void *ctx, struct shl_error *err);
/* Frees the samples and the histogram, also after a failed measurement. */
void bench_pingpong_free(struct bench_pingpong *pp);

#ifdef __cplusplus
}
#endif

#endif
