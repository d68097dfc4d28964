/* Round-trip latency: side A sends a message, the peer echoes it whole, A checks it. Back to
 * back (latency) or one round trip per period of a fixed rate, sleeping on an absolute
 * deadline in between (wake-up latency). */
#ifndef SHMLAB_BENCH_PINGPONG_H
#define SHMLAB_BENCH_PINGPONG_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_exchange.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_pingpong {
    /* plan */
    unsigned warmup;
    size_t min_samples, max_samples;
    int64_t budget_ns;
    double clock_overhead_ns; /* batches are formed when a round trip < 50x this */
    double rate_hz;           /* 0: back to back */
    /* result */
    double *samples;          /* ns per round trip (a batch's mean when batch > 1); free() */
    size_t n;
    unsigned batch;
    int64_t cpu_ns;           /* side A's CPU time over the timed round trips */
    uint64_t messages;        /* timed round trips */
};

/* A bench_side_a_fn: ctx is a struct bench_pingpong. */
int bench_pingpong_measure(struct bench_sender *s, void *ctx, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
