/* The gate's look-up in a run read by src/results: which row and statistic a ratio needs,
 * and, when the run lacks it, exactly what is missing. */
#ifndef SHMLAB_SHL_GATE_SELECT_H
#define SHMLAB_SHL_GATE_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "src/results/shl_results.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest benchmark, transport, notify or statistic name the gate accepts, with its NUL. */
#define SHL_GATE_NAME_MAX 32
/* How many transports one selector may offer as alternatives: room for every shared-memory
 * ring transport, which the efficiency targets name together. */
#define SHL_GATE_CHOICES 8

/* Which row, and which statistic of it. When several rows match (alternative transports,
 * any notification strategy), the best figure among them counts. */
struct shl_gate_select {
    char benchmark[SHL_GATE_NAME_MAX];
    char transport[SHL_GATE_CHOICES][SHL_GATE_NAME_MAX]; /* any of these; unused ones "" */
    enum shl_notify_kind notify;                         /* SHL_NOTIFY_NONE matches any strategy */
    bool notify_except; /* match every strategy but `notify`, and when `notify` spins, every
                         * strategy but those that spin ("!spin": the sleeping ones) */
    double size;        /* bytes; negative matches any size */
    double rate_hz;     /* wakeup rows; 0 matches any rate */
    char stat[SHL_GATE_NAME_MAX];
    char ratio_to[SHL_GATE_NAME_MAX]; /* with stat "ratio": the driver's reference ("cacheline",
                                       * "memcpy", "latency"); "" matches any */
};

/* Finds the selected figure: returns true and sets *value (a positive number), or returns
 * false and writes into `why` what the run lacks (transport, strategy, size or statistic). */
bool shl_gate_results_find(const struct shl_results *results, const struct shl_gate_select *sel,
                           enum shl_results_better better, double *value, char *why,
                           size_t why_len);

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
