/* A check of the measurement itself: the plainest possible ping-pong over a pipe pair, a
 * UNIX stream socketpair or TCP loopback, written with read/write and none of shmlab's
 * transport code, and over ZeroMQ and iceoryx written straight against their APIs
 * (bench_crosscheck_peers.h). When it and the shmlab transport of the same kind disagree by much, one
 * of them measures something other than a round trip. */
#ifndef SHMLAB_BENCH_CROSSCHECK_H
#define SHMLAB_BENCH_CROSSCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_peer.h"
#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The shmlab transport name each plain ping-pong mirrors: "pipe", "unix-stream", "tcp",
 * "zeromq-ipc", "iceoryx"; NULL-terminated. */
extern const char *const bench_crosscheck_kinds[];

int bench_crosscheck_supports(const char *transport);

struct bench_crosscheck {
    /* plan */
    size_t size;
    unsigned warmup;
    size_t min_samples, max_samples;
    int64_t budget_ns;
    int peer_cpu;
    int timeout_ms;
    /* result: ns per round trip, one per sample; free() */
    double *samples;
    size_t n;
};

int bench_crosscheck_run(const char *transport, struct bench_crosscheck *cc, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
