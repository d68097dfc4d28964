/* Throughput: side A streams messages one way with several in flight; the peer checks each
 * and acknowledges the last of every round, which ends that round's timing. */
#ifndef SHMLAB_BENCH_STREAM_H
#define SHMLAB_BENCH_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_exchange.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Messages in flight while streaming: as many as fill 64 KiB, the default capacity of a
 * Linux pipe, so that a shared-memory ring gets the room the kernel gives a pipe (with
 * fewer, a blocking ring sleeps and wakes every few messages where a pipe does not); never
 * fewer than BENCH_STREAM_MIN_DEPTH. */
#define BENCH_STREAM_BYTES_IN_FLIGHT (64 * 1024)
#define BENCH_STREAM_MIN_DEPTH 8
size_t bench_stream_depth(size_t size);
/* Messages per timed round at this size: about 4 MiB, within bounds. */
size_t bench_stream_per_round(size_t size);

struct bench_stream {
    /* plan */
    size_t min_rounds, max_rounds;
    int64_t budget_ns;
    /* result */
    double *samples; /* MB/s (10^6 bytes per second) per round; free() */
    size_t n;
    size_t per_round; /* messages per round */
    int64_t cpu_ns;
    uint64_t messages;
};

/* A bench_side_a_fn: ctx is a struct bench_stream. */
int bench_stream_measure(struct bench_sender *s, void *ctx, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
