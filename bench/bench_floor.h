/* The physical limits every shared-memory result is compared with: one cache line bounced
 * between the two pinned processes (an atomic counter, no payload, no system call), and
 * memcpy bandwidth within one process. */
#ifndef SHMLAB_BENCH_FLOOR_H
#define SHMLAB_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_peer.h"
#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_floor_plan {
    unsigned warmup;
    size_t min_samples, max_samples;
    int64_t budget_ns;
    double clock_overhead_ns;
    int peer_cpu;
    int timeout_ms;
};

struct bench_floor_result {
    double *samples; /* cacheline: ns per round trip (batch means); memcpy: MB/s; free() */
    size_t n;
    unsigned batch;
    int64_t cpu_ns;       /* this side's CPU time while measuring */
    uint64_t messages;
};

/* Cache-line ping-pong between this process and a forked peer. peer gets the peer's CPU. */
int bench_floor_cacheline(const struct bench_floor_plan *plan, struct bench_floor_result *out,
                          struct bench_peer_report *peer, struct shl_error *err);

/* memcpy of `size` bytes, verified after timing. */
int bench_floor_memcpy(const struct bench_floor_plan *plan, size_t size,
                       struct bench_floor_result *out, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
