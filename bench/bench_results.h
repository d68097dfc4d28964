/* The results of one run and the three files they are written to: results.json (the schema
 * in bench/RESULTS.md), results.csv (the same rows, for gnuplot) and gbench.json (Google
 * Benchmark's format, for compare.py and similar tools). */
#ifndef SHMLAB_BENCH_RESULTS_H
#define SHMLAB_BENCH_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_context.h"
#include "src/core/shl_error.h"
#include "src/timing/shl_hist.h"
#include "src/timing/shl_stats.h"

#define BENCH_SCHEMA_VERSION 1

/* A number that was not measured is NaN and is written as null (JSON) or empty (CSV). */
struct bench_row {
    char benchmark[16];  /* latency, wakeup, throughput, setup, floor, crosscheck */
    char transport[24];  /* pipe ... posix; cacheline / memcpy for the floor */
    char notify[16];     /* shared memory's strategy; "" for none */
    size_t size;         /* bytes per message (or segment, for setup) */
    char unit[8];        /* ns or MB/s: the unit of every statistic */
    struct shl_stats stats;
    unsigned batch;      /* round trips timed together per sample (1: each on its own) */
    double rate_hz;      /* wakeup: the message rate */
    double cpu_ns_per_msg;   /* both processes together, per message or round trip */
    double cpu_ns_per_msg_a; /* the timing side */
    double cpu_ns_per_msg_b; /* the serving side */
    uint64_t messages;   /* messages or round trips timed */
    double ratio;        /* see ratio_to */
    char ratio_to[24];   /* "cacheline", "memcpy" or "plain" (crosscheck); "" for none */
    struct shl_hist *hist; /* latency, wake-up, load and floor rows: every sample, in ns;
                            * owned by the results once added */
    /* Shared-memory latency: the floors measured just before and just after it. */
    double floor_line_ns;  /* one line bounced: the mean of the two p50s */
    double floor_pair_ns;  /* a line per direction, likewise */
    double ratio_pair;     /* p50 / floor_pair_ns (ratio is p50 / floor_line_ns) */
    double floor_move;     /* the larger of the two floors' moves (max/min - 1) */
    int floor_moved;       /* floor_move above SHL_NOISE_FLOOR_MOVE_MAX */
    /* Context switches over the timed messages (getrusage), of side A and of the peer. */
    long voluntary_a, involuntary_a, voluntary_b, involuntary_b;
    /* load: offered and achieved messages per second; reached: achieved >= BENCH_LOAD_REACHED
     * of offered (-1 for other benchmarks) */
    double offered_hz, achieved_hz;
    int reached;
    double spin_budget_ns; /* adaptive: how long a waiter spun before sleeping */
    unsigned repetition;   /* which of the run's repetitions of this configuration */
};

struct bench_results {
    struct bench_row *rows;
    size_t n, cap;
};

/* A row with every optional number NaN; the caller fills what it measured. */
void bench_row_init(struct bench_row *row, const char *benchmark, const char *transport,
                    const char *notify, size_t size, const char *unit);

int bench_results_add(struct bench_results *r, const struct bench_row *row,
                      struct shl_error *err);
void bench_results_free(struct bench_results *r);

int bench_results_write_json(const struct bench_context *ctx, const struct bench_results *r,
                             const char *path, struct shl_error *err);
/* Writes one `.hgrm` file per row with a histogram into dir, named as the row's "hgrm" field
 * says (bench_row_hgrm_name). */
int bench_results_write_hgrm(const struct bench_results *r, const char *dir,
                             struct shl_error *err);
/* "latency-posix-spin-64.hgrm", "wakeup-pipe-64-1000Hz.hgrm", "load-pipe-64-10000Hz.hgrm". */
void bench_row_hgrm_name(const struct bench_row *row, char *buf, size_t len);

int bench_results_write_csv(const struct bench_results *r, const char *path,
                            struct shl_error *err);
int bench_results_write_gbench(const struct bench_context *ctx, const struct bench_results *r,
                               const char *path, struct shl_error *err);

/* The first row matching all three (notify "" matches kernel transports), or NULL. */
const struct bench_row *bench_results_find(const struct bench_results *r,
                                           const char *benchmark, const char *transport,
                                           const char *notify, size_t size);

#endif
