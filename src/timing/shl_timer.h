/* The clock that times one sample (one message or one round trip): the TSC where the CPU says
 * it is invariant, clock_gettime elsewhere, and what reading it costs.
 *
 * The TSC is used only when /proc/cpuinfo lists both `constant_tsc` (it ticks at one rate
 * whatever the frequency) and `nonstop_tsc` (it keeps ticking in deep idle states). It is read
 * with `rdtscp; lfence`, so a read waits for the timed work before it and nothing after it
 * starts early. Its rate is calibrated against CLOCK_MONOTONIC at start-up, and
 * shl_timer_check() measures it again over the whole run: a disagreement above
 * SHL_TIMER_MAX_DRIFT fails the run rather than report figures in a wrong unit.
 *
 * With clock_gettime, one read costs tens of nanoseconds, which would inflate every sample
 * of a fast transport: that measured cost is subtracted from each sample and stated. The
 * TSC's cost is only stated. */
#ifndef SHMLAB_SHL_TIMER_H
#define SHMLAB_SHL_TIMER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_TIMER_MAX_DRIFT 0.001 /* 0.1% */

enum shl_timer_source {
    SHL_TIMER_TSC,
    SHL_TIMER_CLOCK_GETTIME,
};
/* In enum order: "tsc", "clock_gettime". */
extern const char *const shl_timer_source_names[];

struct shl_timer {
    enum shl_timer_source source;
    double ns_per_tick;    /* 1 for clock_gettime */
    double cost_ns;        /* an empty interval (mean of the middle half of 2001 of them):
                           * what the two reads of a sample add */
    double subtract_ns;    /* taken off every sample: cost_ns for clock_gettime, 0 for the TSC */
    double drift;          /* |end-of-run rate / start-up rate - 1|, after shl_timer_check */
    char why[128];         /* why this source was chosen */
    uint64_t anchor_ticks; /* start-up pairing of the two clocks */
    int64_t anchor_ns;
};

/* 1 when the cpuinfo file (normally /proc/cpuinfo) has both constant_tsc and nonstop_tsc
 * on an x86 build, else 0 with the reason in why; -1 if the file cannot be read. */
int shl_timer_tsc_invariant(const char *cpuinfo_path, char *why, size_t why_len,
                            struct shl_error *err);

/* Picks the source (the TSC only if want_tsc and the CPU qualifies), calibrates it over
 * about calibrate_ms and measures its cost. */
int shl_timer_init(struct shl_timer *t, int want_tsc, const char *cpuinfo_path, int calibrate_ms,
                   struct shl_error *err);

/* Measures the TSC's rate again from start-up to now and fails with ERANGE if it disagrees
 * with the start-up rate by more than SHL_TIMER_MAX_DRIFT; always passes for
 * clock_gettime. */
int shl_timer_check(struct shl_timer *t, struct shl_error *err);

static inline uint64_t shl_timer_read(const struct shl_timer *t)
{
#if defined(__x86_64__) || defined(__i386__)
    if (t->source == SHL_TIMER_TSC) {
        unsigned aux;
        uint64_t ticks = __builtin_ia32_rdtscp(&aux);
        __builtin_ia32_lfence();
        return ticks;
    }
#endif
    (void)t;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The time between two reads in nanoseconds, less the subtracted cost, never below 0. */
static inline int64_t shl_timer_elapsed_ns(const struct shl_timer *t, uint64_t start, uint64_t end)
{
    double ns = (double)(int64_t)(end - start) * t->ns_per_tick - t->subtract_ns;
    return ns > 0 ? (int64_t)(ns + 0.5) : 0;
}

#ifdef __cplusplus
}
#endif

#endif
