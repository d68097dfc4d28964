/* The one clock the benchmark reads (CLOCK_MONOTONIC through clock_gettime), what reading it
 * costs, and sleeping until an absolute point on it. */
#ifndef SHMLAB_SHL_CLOCK_H
#define SHMLAB_SHL_CLOCK_H

#include <stdint.h>
#include <time.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_CLOCK_ID CLOCK_MONOTONIC
#define SHL_CLOCK_NAME "CLOCK_MONOTONIC"

/* Nanoseconds on SHL_CLOCK_ID. */
static inline int64_t shl_now_ns(void);

/* The median cost of one shl_now_ns() call, from `samples` back-to-back pairs of reads
 * (so that a preemption in the middle does not inflate it). */
int shl_clock_overhead_ns(unsigned samples, double *overhead_ns, struct shl_error *err);

/* The clock's advertised resolution (clock_getres), in nanoseconds. */
int shl_clock_resolution_ns(int64_t *resolution_ns, struct shl_error *err);

/* Sleeps until shl_now_ns() >= deadline_ns (clock_nanosleep with TIMER_ABSTIME), so that a
 * periodic sender keeps its rate however long each period's work took. */
int shl_sleep_until_ns(int64_t deadline_ns, struct shl_error *err);

/* CPU time (user + system) this process has used so far, from getrusage(RUSAGE_SELF). */
int shl_process_cpu_ns(int64_t *cpu_ns, struct shl_error *err);

static inline int64_t shl_now_ns(void) {
    struct timespec ts;
    clock_gettime(SHL_CLOCK_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#ifdef __cplusplus
}
#endif

#endif
