/* Latency under offered load, corrected for coordinated omission.
 *
 * An open-loop sender sends message i at its intended time t0 + i * period, without waiting
 * for replies. When it falls behind (a stall, a full ring, a slow receiver) it sends the late
 * messages at once, and each keeps its own intended time: the latency of message i is the
 * time it was received minus the time it was DUE, so a stall counts against every message
 * that was due during it, as it would for a client that keeps sending on schedule (wrk2's
 * correction). Measuring from the actual send time instead would hide all but one of them.
 *
 * Receive times are taken by the receiving process on the same clock (the invariant TSC, or
 * CLOCK_MONOTONIC: both are system-wide) and stored per message; latencies are computed
 * afterwards, so the receiver's hot path is one clock read and one store. */
#ifndef SHMLAB_BENCH_LOAD_H
#define SHMLAB_BENCH_LOAD_H

#include <stdint.h>

#include "bench/bench_exchange.h"
#include "src/core/shl_error.h"
#include "src/timing/shl_hist.h"
#include "src/timing/shl_timer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An offered rate counts as reached when this share of it was achieved. */
#define BENCH_LOAD_REACHED 0.95
/* The ladder stops here even if every rate was reached. */
#define BENCH_LOAD_MAX_RATE_HZ 64e6

/* The rates offered in turn: 1k, 10k, 100k, 1M messages/s, then doubling; 0 gives the first,
 * and 0 comes back once BENCH_LOAD_MAX_RATE_HZ is passed. */
double bench_load_next_rate(double rate_hz);

struct bench_load_schedule {
    uint64_t t0;         /* intended time of message 0, in timer ticks */
    double period_ticks; /* 1 / rate */
    uint64_t n;          /* messages */
};

static inline uint64_t bench_load_due(const struct bench_load_schedule *s, uint64_t i)
{
    return s->t0 + (uint64_t)((double)i * s->period_ticks + 0.5);
}

/* Sends message i through send(arg, i) for i in [0, n), each no earlier than its intended
 * time; waits by sleeping while the next one is far off and spinning on the timer for the
 * last stretch. */
typedef int (*bench_load_send_fn)(void *arg, uint64_t i, struct shl_error *err);
int bench_load_send(const struct shl_timer *t, const struct bench_load_schedule *s,
                    bench_load_send_fn send, void *arg, struct shl_error *err);

/* A bench_side_a_fn for one offered rate over a RECORD session: a closed-loop warm-up of
 * `warmup` acknowledged messages, then `record->n` messages on the schedule, the first and
 * the closing one marked for the peer's CPU time. record->first_seq must be warmup + 1. */
struct bench_load_run {
    /* plan */
    const struct shl_timer *timer;
    double rate_hz;
    unsigned warmup;
    const struct bench_record *record;
    /* result */
    struct bench_load_schedule schedule;
    int64_t cpu_ns;              /* side A's CPU time over the scheduled messages */
    long voluntary, involuntary; /* its context switches over them */
};
int bench_load_measure(struct bench_sender *s, void *ctx, struct shl_error *err);

/* Records each message's latency from its intended time (received[i] - due(i), in ns) into
 * h, and returns the achieved rate in messages per second: the n - 1 intervals after message
 * 0 over the time from its intended send to the last receipt. latencies, when not NULL,
 * gets the n latencies in ns too. */
double bench_load_record(const struct shl_timer *t, const struct bench_load_schedule *s,
                         const uint64_t *received, struct shl_hist *h, double *latencies);

#ifdef __cplusplus
}
#endif

#endif
