/* The zero-copy round trip: side A loans a slot, writes the whole message into it and
 * commits it; the peer reads it in place, checks every byte, loans a slot for its answer,
 * writes all of it and commits it, then releases A's message; A reads the answer in place,
 * checks every byte and releases it. So each side touches every byte of every message
 * exactly once (the producer writes it, the consumer reads it), and no byte is copied. A
 * sample is one round trip in ns; channel depth 1, as for latency.
 *
 * The zero-copy stream (stream set): side A streams messages one way with as many in flight
 * as the copying throughput rows have (bench_stream.h), each written in place; the peer reads
 * each in place, checks every byte and releases it, and after the last of every round
 * answers with an 8-byte acknowledgement, which ends that round's timing. The same touch
 * rule holds: every byte is written once and read once. A sample is one round in MB/s. */
#ifndef SHMLAB_BENCH_ZEROCOPY_H
#define SHMLAB_BENCH_ZEROCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"
#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_zerocopy {
    /* plan */
    const struct shl_transport *transport; /* one with a zero-copy path (loan != NULL) */
    enum shl_notify_kind notify;
    bool stream; /* one-way streaming in rounds instead of round trips */
    size_t size;
    unsigned warmup;
    size_t min_samples, max_samples;
    int64_t budget_ns;
    int peer_cpu;
    int timeout_ms;
    /* result */
    double *samples; /* ns per round trip, or MB/s (10^6 bytes per second) per round; free() */
    size_t n;
    int64_t cpu_ns;    /* side A's CPU time over the timed round trips or rounds */
    uint64_t messages; /* timed messages: one per round trip, per_round per round */
};

int bench_zerocopy_run(struct bench_zerocopy *z, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
