/* Fan-out: one publisher process and N subscriber processes, every subscriber receiving
 * every message. Each message carries the publisher's CLOCK_MONOTONIC stamp, taken just
 * before it is handed to the transport, and its sequence number; a subscriber reads the
 * clock as soon as the message is there, then checks every byte (so the payload is really
 * touched once on each side). Messages are paced (interval_ns apart), so that the one-way
 * latency measured is a message's, not a queue's.
 *
 * Transports (bench_fanout_kinds, one table):
 *   broadcast    shmlab's broadcast ring in a MAP_SHARED|MAP_ANONYMOUS mapping made before
 *                fork; loaned slots and reads in place; any notification strategy
 *   iceoryx, iceoryx-waitset
 *                one publisher, N subscribers on one service, loaned chunks read in place,
 *                busy-polled or waited for in a WaitSet; needs a running RouDi (shl_roudi)
 *   zeromq       PUB/SUB over ipc:// in a private folder, high-water marks off (no drop)
 *   unix-dgram   a datagram socketpair per subscriber: the publisher sends each message N
 *                times, so later subscribers wait for the sends to earlier ones
 * Every process is a fresh child of the caller, which itself joins nothing (iceoryx's runtime
 * does not survive fork), and each child ends with exit(). */
#ifndef SHMLAB_BENCH_FANOUT_H
#define SHMLAB_BENCH_FANOUT_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"
#include "src/timing/shl_stats.h"
#include "src/transport/shl_notify_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BENCH_FANOUT_MAX_SUBSCRIBERS 16

enum bench_fanout_kind {
    BENCH_FANOUT_BROADCAST,
    BENCH_FANOUT_ICEORYX,
    BENCH_FANOUT_ICEORYX_WAITSET,
    BENCH_FANOUT_ZEROMQ,
    BENCH_FANOUT_UNIX_DGRAM,
    BENCH_FANOUT_KINDS
};

struct bench_fanout_kind_info {
    const char *name;
    int notify;    /* takes every notification strategy (else only its own way of waiting) */
    int spins;     /* its own way of waiting is to busy-poll */
    int zero_copy; /* messages are written and read in place */
};

extern const struct bench_fanout_kind_info bench_fanout_kinds[BENCH_FANOUT_KINDS];

struct bench_fanout_plan {
    enum bench_fanout_kind kind;
    enum shl_notify_kind wait; /* a kind that takes strategies: which (NONE: its default) */
    uint32_t subscribers;
    size_t size;         /* bytes per message, >= 16 (stamp and sequence number) */
    uint32_t warmup;     /* messages sent before the measured ones */
    uint32_t messages;   /* measured messages */
    int64_t interval_ns; /* between two publishes */
    int timeout_ms;      /* any wait longer than this fails the run */
};

struct bench_fanout_result {
    struct shl_stats all;                               /* every subscriber's samples */
    struct shl_stats per[BENCH_FANOUT_MAX_SUBSCRIBERS]; /* one-way latency, ns */
    uint32_t slowest;                                   /* the subscriber with the highest p99 */
    double publish_ns;       /* mean time inside the publish call, per message */
    double publisher_cpu_ns; /* publisher CPU time (user + system) per message */
};

/* 0 when the plan can run on this machine; else 1 with the reason in why (a spinning
 * strategy needs a CPU per process: the publisher and every subscriber). */
int bench_fanout_unrunnable(const struct bench_fanout_plan *plan, char *why, size_t len);

/* Runs the plan: -1 with err naming the first failing process and why. */
int bench_fanout_run(const struct bench_fanout_plan *plan, struct bench_fanout_result *result,
                     struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
