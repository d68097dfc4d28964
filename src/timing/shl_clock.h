/* CLOCK_MONOTONIC for deadlines, rates and CPU time: when to stop, when to send, how long to
 * sleep. Samples are timed by shl_timer.h. */
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

/* The clock's advertised resolution (clock_getres), in nanoseconds. */
int shl_clock_resolution_ns(int64_t *resolution_ns, struct shl_error *err);

/* Sleeps until shl_now_ns() >= deadline_ns (clock_nanosleep with TIMER_ABSTIME), so that a
 * periodic sender keeps its rate however long each period's work took. */
int shl_sleep_until_ns(int64_t deadline_ns, struct shl_error *err);

/* CPU time (user + system) this process has used so far, from getrusage(RUSAGE_SELF). */
int shl_process_cpu_ns(int64_t *cpu_ns, struct shl_error *err);

static inline int64_t shl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(SHL_CLOCK_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#ifdef __cplusplus
}
#endif

#endif
