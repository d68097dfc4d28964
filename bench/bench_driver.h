/* The run as a list of jobs (one per configuration: benchmark, transport, strategy, size,
 * rate), each turned into one results row. Planning the list first gives the progress line
 * its estimate of the time left. */
#ifndef SHMLAB_BENCH_DRIVER_H
#define SHMLAB_BENCH_DRIVER_H

#include <stddef.h>

#include "bench/bench_floor.h"
#include "bench/bench_fanout.h"
#include "bench/bench_options.h"
#include "src/results/shl_results.h"
#include "src/timing/shl_timer.h"
#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bench_job_kind {
    JOB_CACHELINE,
    JOB_MEMCPY,
    JOB_LATENCY,
    JOB_CROSSCHECK,
    JOB_THROUGHPUT,
    JOB_WAKEUP,
    JOB_SETUP,
    JOB_LOAD,
    JOB_FANOUT,
    JOB_ZEROCOPY,
    JOB_ZEROCOPY_THROUGHPUT,
};

struct bench_job {
    enum bench_job_kind kind;
    const struct shl_transport *transport; /* channel jobs */
    const char *name;                      /* transport or mechanism name */
    enum shl_notify_kind notify;           /* SHL_NOTIFY_NONE for kernel transports */
    size_t size;
    double rate_hz;                   /* wakeup; load: the offered rate */
    enum bench_floor_form floor_form; /* cache-line floor jobs */
    size_t samples;                   /* wakeup: exact count */
    enum bench_fanout_kind fanout;    /* fanout: the transport (name is its name) */
    uint32_t subscribers;             /* fanout */
    double expected_s;                /* for the time-left estimate */
    unsigned repetition;              /* 0 .. repetitions - 1 */
};

/* What every job needs to know about the run. */
struct bench_env {
    struct bench_plan plan;
    int cpu_a, cpu_b; /* -1: unpinned */
    int timeout_ms;
    const struct shl_timer *timer;     /* times every sample */
    long spin_budget_ns;               /* the adaptive strategy's */
    struct bench_floor_moment *moment; /* the floors last measured, shared by the jobs */
    const char *shmlab;                /* NULL: set-up cost cannot be measured */
    const char *hyperfine;
    const char *out_dir;
    const char *no_roudi; /* why iceoryx jobs cannot run here, or NULL when RouDi does */
};

struct bench_jobs {
    struct bench_job *jobs;
    size_t n, cap;
};

/* Every job the options ask for, in the order they run (the floor first). */
int bench_jobs_plan(const struct bench_options *opts, const struct bench_env *env,
                    struct bench_jobs *jobs, struct shl_error *err);
void bench_jobs_free(struct bench_jobs *jobs);

/* Every job `repetitions` times, in an order drawn from `seed`, so that the machine's drift
 * spreads over all transports instead of favouring the ones measured first. A load ladder
 * (one transport and strategy, every offered rate) stays one unit in rising order, since
 * its rates past saturation are skipped. One repetition keeps the planned order, in which
 * consecutive shared-memory configurations share the floor measured between them. */
int bench_jobs_repeat(struct bench_jobs *jobs, unsigned repetitions, uint64_t seed,
                      struct shl_error *err);

/* The rough total of the jobs' expected_s: the start of the time-left estimate. */
double bench_jobs_expected_s(const struct bench_jobs *jobs);

/* The adaptive strategy's budget from this machine: the line-per-direction floor and a futex
 * round trip, each measured briefly now (shl_notify_spin_budget_ns). */
int bench_calibrate_spin_budget(const struct bench_env *env, double *pair_ns, double *futex_ns,
                                long *budget_ns, struct shl_error *err);

/* A job needs RouDi: a transport's that does, or iceoryx's fan-out. */
int bench_job_needs_roudi(const struct bench_job *job);

/* 1 with the reason in why when a fan-out job cannot run on this machine (spinning
 * processes outnumbering its CPUs), else 0. */
int bench_fanout_job_unrunnable(const struct bench_job *job, char *why, size_t len);

/* Runs one job and fills its row (a job of a transport that needs RouDi in a host process
 * of its own). */
int bench_job_run(const struct bench_job *job, const struct bench_env *env,
                  struct shl_results_row *row, struct shl_error *err);

/* "latency pipe 64 B", "wakeup posix:futex 64 B @ 1000 Hz", "load pipe 64 B @ 10000 Hz"... */
void bench_job_describe(const struct bench_job *job, char *buf, size_t len);

/* Ratios that need the whole run: shared-memory throughput to memcpy at the same size. (A
 * shared-memory latency row carries its ratios to the floors of its own moment, a crosscheck
 * row its ratio to shmlab's round trip.) */
void bench_results_add_ratios(struct shl_results *r);

#ifdef __cplusplus
}
#endif

#endif
