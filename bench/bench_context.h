/* The circumstances of a run, written as results.json's "context": the machine, the
 * pinning, the kernel's buffer sizes, the clock and its cost, and what was skipped. */
#ifndef SHMLAB_BENCH_CONTEXT_H
#define SHMLAB_BENCH_CONTEXT_H

#include <stdint.h>

#include "src/core/shl_error.h"
#include "src/timing/shl_machine.h"

/* The sample clock may cost at most this share of the fastest p50, or the run says so. */
#define BENCH_CLOCK_SHARE_MAX 0.15

/* The run's circumstances, written as results.json's "context". */
struct bench_context {
    char host[72];
    char kernel[256];
    char cpu_model[128];
    int cpus;            /* online */
    int pinned;          /* 1: the two processes were on cpu_a and cpu_b */
    int cpu_a, cpu_b;
    long pipe_buffer;    /* bytes (F_GETPIPE_SZ of a fresh pipe) */
    int unix_stream_sndbuf, unix_stream_rcvbuf;
    int unix_dgram_sndbuf, unix_dgram_rcvbuf;
    int tcp_sndbuf, tcp_rcvbuf;
    const char *mode;
    char date[32];       /* ISO 8601, UTC */
    const char *clock;          /* the sample clock: "tsc" or "clock_gettime" */
    double timer_overhead_ns;   /* what its two reads add to a sample */
    double timer_subtracted_ns; /* taken off every sample (clock_gettime only) */
    double timer_drift;         /* TSC: the rate's disagreement between start and end */
    char clock_why[128];
    double fastest_p50_ns;      /* the fastest latency or floor p50 of the run */
    int64_t clock_resolution_ns;
    struct shl_machine machine;
    double steal;               /* share of the run's CPU time the hypervisor took */
    double pinned_busy[2];      /* of cpu_a and cpu_b at start-up, the benchmark idle */
    double spin_budget_ns;      /* the adaptive strategy's */
    const char *spin_budget_from; /* "--spin-budget" or "calibrated" */
    double calibration_pair_ns, calibration_futex_ns; /* what it was calibrated from */
    unsigned repetitions;
    unsigned long long seed;
    char warnings[8][200];      /* the machine was noisy, or the clock too costly */
    size_t n_warnings;
    int timeout_ms;
    char charts[160];    /* what became of the charts */
    char notes[16][160];  /* what was skipped and why */
    size_t n_notes;
};

/* Reads host, kernel, CPU model, CPU count, buffer sizes and the date. */
int bench_context_collect(struct bench_context *ctx, struct shl_error *err);

void bench_context_note(struct bench_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bench_context_warn(struct bench_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
