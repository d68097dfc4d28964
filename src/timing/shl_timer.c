#include "src/timing/shl_timer.h"

#include "src/timing/shl_machine.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const shl_timer_source_names[] = {"tsc", "clock_gettime"};

int shl_timer_tsc_invariant(const char *cpuinfo_path, char *why, size_t why_len,
                            struct shl_error *err)
{
    char flags[4096];
    struct shl_error missing;
    if (shl_cpuinfo_flags(cpuinfo_path, flags, sizeof flags, &missing) != 0) {
        if (missing.errnum != ENOENT || strcmp(missing.call, "fopen") == 0) {
            if (err != NULL)
                *err = missing;
            return -1;
        }
        snprintf(why, why_len, "no flags line in %s", cpuinfo_path);
        return 0;
    }
#if !defined(__x86_64__) && !defined(__i386__)
    snprintf(why, why_len, "not an x86 build");
    return 0;
#endif
    int constant = shl_flag_listed(flags, "constant_tsc");
    int nonstop = shl_flag_listed(flags, "nonstop_tsc");
    if (!constant || !nonstop)
        snprintf(why, why_len, "%s lacks %s", cpuinfo_path,
                 !constant ? "constant_tsc" : "nonstop_tsc");
    else
        snprintf(why, why_len, "%s has constant_tsc and nonstop_tsc", cpuinfo_path);
    return constant && nonstop;
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A TSC reading and a CLOCK_MONOTONIC reading taken at the same moment: the monotonic read
 * is bracketed by two TSC reads, and the tightest of a few brackets is kept, so a
 * preemption between the reads cannot skew the pairing. */
static void pair_clocks(const struct shl_timer *t, uint64_t *ticks, int64_t *ns)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 16; i++) {
        uint64_t before = shl_timer_read(t);
        int64_t mono = monotonic_ns();
        uint64_t after = shl_timer_read(t);
        if (after - before < best) {
            best = after - before;
            *ticks = before + (after - before) / 2;
            *ns = mono;
        }
    }
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* What an empty interval measures, in nanoseconds. */
static int measure_cost(struct shl_timer *t, struct shl_error *err)
{
    enum { samples = 2001 };
    int64_t *deltas = malloc(samples * sizeof *deltas);
    if (deltas == NULL)
        return shl_fail(err, "malloc", ENOMEM, "%d clock samples", samples);
    double subtract = t->subtract_ns;
    t->subtract_ns = 0;
    for (int i = 0; i < samples; i++) {
        uint64_t a = shl_timer_read(t);
        uint64_t b = shl_timer_read(t);
        deltas[i] = shl_timer_elapsed_ns(t, a, b);
    }
    qsort(deltas, samples, sizeof *deltas, compare_int64);
    /* Finer than a nanosecond and blind to preemptions: the mean of the middle half. */
    double sum = 0;
    for (int i = samples / 4; i < 3 * samples / 4; i++)
        sum += (double)deltas[i];
    t->cost_ns = sum / (3 * samples / 4 - samples / 4);
    t->subtract_ns = subtract;
    free(deltas);
    return 0;
}

int shl_timer_init(struct shl_timer *t, int want_tsc, const char *cpuinfo_path, int calibrate_ms,
                   struct shl_error *err)
{
    memset(t, 0, sizeof *t);
    t->source = SHL_TIMER_CLOCK_GETTIME;
    t->ns_per_tick = 1;
    char why[96] = "";
    int invariant = 0;
    if (want_tsc) {
        invariant = shl_timer_tsc_invariant(cpuinfo_path, why, sizeof why, err);
        if (invariant < 0)
            return -1;
    } else {
        snprintf(why, sizeof why, "the TSC was not asked for");
    }
    if (!invariant) {
        snprintf(t->why, sizeof t->why, "clock_gettime(CLOCK_MONOTONIC): %s", why);
        if (measure_cost(t, err) != 0)
            return -1;
        t->subtract_ns = t->cost_ns;
        return 0;
    }
    snprintf(t->why, sizeof t->why, "rdtscp: %s", why);
    t->source = SHL_TIMER_TSC;
    if (calibrate_ms < 1)
        calibrate_ms = 1;
    pair_clocks(t, &t->anchor_ticks, &t->anchor_ns);
    struct timespec pause = {calibrate_ms / 1000, (calibrate_ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        ;
    uint64_t ticks;
    int64_t ns;
    pair_clocks(t, &ticks, &ns);
    if (ticks <= t->anchor_ticks || ns <= t->anchor_ns)
        return shl_fail(err, "shl_timer_init", ERANGE, "the TSC did not advance over %d ms",
                        calibrate_ms);
    t->ns_per_tick = (double)(ns - t->anchor_ns) / (double)(ticks - t->anchor_ticks);
    return measure_cost(t, err);
}

int shl_timer_check(struct shl_timer *t, struct shl_error *err)
{
    if (t->source != SHL_TIMER_TSC)
        return 0;
    uint64_t ticks;
    int64_t ns;
    pair_clocks(t, &ticks, &ns);
    if (ticks <= t->anchor_ticks)
        return shl_fail(err, "shl_timer_check", ERANGE, "the TSC went backwards");
    double rate = (double)(ns - t->anchor_ns) / (double)(ticks - t->anchor_ticks);
    t->drift = fabs(rate / t->ns_per_tick - 1);
    if (t->drift > SHL_TIMER_MAX_DRIFT)
        return shl_fail(err, "shl_timer_check", ERANGE,
                        "TSC rate %.6f ns/tick over the run against %.6f at start-up "
                        "(%.3f%% apart, more than %.1f%%)",
                        rate, t->ns_per_tick, 100 * t->drift, 100 * SHL_TIMER_MAX_DRIFT);
    return 0;
}
