/* The results of one run and the three files they are written to: results.json (the schema
 * in bench/RESULTS.md), results.csv (the same rows, for gnuplot) and gbench.json (Google
 * Benchmark's format, for compare.py and similar tools). */
#ifndef SHMLAB_BENCH_RESULTS_H
#define SHMLAB_BENCH_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_context.h"
#include "src/core/shl_error.h"
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
int bench_results_write_csv(const struct bench_results *r, const char *path,
                            struct shl_error *err);
int bench_results_write_gbench(const struct bench_context *ctx, const struct bench_results *r,
                               const char *path, struct shl_error *err);

/* The first row matching all three (notify "" matches kernel transports), or NULL. */
const struct bench_row *bench_results_find(const struct bench_results *r,
                                           const char *benchmark, const char *transport,
                                           const char *notify, size_t size);

#endif
