/* A benchmark run as the gate sees it: the rows of results.json (bench/RESULTS.md), and a
 * look-up that finds the figure a ratio needs or says exactly what the run lacks. */
#ifndef SHMLAB_SHL_GATE_RESULTS_H
#define SHMLAB_SHL_GATE_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest benchmark, transport, notify or statistic name the gate accepts, with its NUL. */
#define SHL_GATE_NAME_MAX 32
/* How many transports one selector may offer as alternatives. */
#define SHL_GATE_CHOICES 4

enum shl_gate_better {
    SHL_GATE_LOWER,  /* times: a smaller figure is better */
    SHL_GATE_HIGHER, /* bandwidths and rates: a larger figure is better */
};

/* Which row, and which statistic of it. When several rows match (alternative transports,
 * any notification strategy), the best figure among them counts. */
struct shl_gate_select {
    char benchmark[SHL_GATE_NAME_MAX];
    char transport[SHL_GATE_CHOICES][SHL_GATE_NAME_MAX]; /* any of these; unused ones "" */
    char notify[SHL_GATE_NAME_MAX];                       /* "" matches any strategy */
    bool notify_except; /* match every strategy but `notify` (e.g. "not spin": blocking) */
    double size;        /* bytes; negative matches any size */
    double rate_hz;     /* wakeup rows; 0 matches any rate */
    char stat[SHL_GATE_NAME_MAX];
    char ratio_to[SHL_GATE_NAME_MAX]; /* with stat "ratio": the driver's reference ("cacheline",
                                       * "memcpy", "latency"); "" matches any */
};

struct shl_gate_row {
    const char *benchmark;
    const char *transport;
    const char *notify; /* "" for kernel transports, which have no strategy */
    double size;        /* -1 when the row has none */
    double rate_hz;     /* 0 when the row has none */
    const char *ratio_to; /* what the row's `ratio` is relative to; "" when none */
};

struct shl_gate_results;

/* Parses results.json text (need not be NUL-terminated). A file that is not JSON, or whose
 * rows do not follow the schema, fails with EINVAL and the reason in err->detail. */
int shl_gate_results_parse(const char *text, size_t len, struct shl_gate_results **out,
                           struct shl_error *err);
void shl_gate_results_free(struct shl_gate_results *results);

size_t shl_gate_results_count(const struct shl_gate_results *results);
const struct shl_gate_row *shl_gate_results_row(const struct shl_gate_results *results,
                                                size_t index);
/* A string of the run's context ("host", "kernel", "date", "mode"...), or NULL. */
const char *shl_gate_results_context(const struct shl_gate_results *results, const char *key);

/* Finds the selected figure: returns true and sets *value (a positive number), or returns
 * false and writes into `why` what the run lacks (transport, strategy, size or statistic). */
bool shl_gate_results_find(const struct shl_gate_results *results,
                           const struct shl_gate_select *sel, enum shl_gate_better better,
                           double *value, char *why, size_t why_len);

/* "latency posix/spin 64 B p50", "latency mmap|sysv|posix/!spin 64 B p50",
 * "latency posix/spin 64 B ratio to cacheline". */
const char *shl_gate_select_text(const struct shl_gate_select *sel, char *buf, size_t len);
/* "pipe", "mmap|sysv|posix". */
const char *shl_gate_transports_text(const struct shl_gate_select *sel, char *buf, size_t len);
/* "64 B", "4 KiB", "1 MiB", "1000 B". */
const char *shl_gate_size_text(double size, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
