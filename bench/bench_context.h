/* The circumstances of a run, written as results.json's "context": the machine, the
 * pinning, the kernel's buffer sizes, the clock and its cost, and what was skipped. */
#ifndef SHMLAB_BENCH_CONTEXT_H
#define SHMLAB_BENCH_CONTEXT_H

#include <stdint.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

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
    const char *clock;
    double timer_overhead_ns;
    int64_t clock_resolution_ns;
    int timeout_ms;
    char charts[160];    /* what became of the charts */
    char notes[16][160];  /* what was skipped and why */
    size_t n_notes;
};

/* Reads host, kernel, CPU model, CPU count, buffer sizes and the date. */
int bench_context_collect(struct bench_context *ctx, struct shl_error *err);

void bench_context_note(struct bench_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif
