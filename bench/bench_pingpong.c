#include "bench/bench_pingpong.h"

#include <stdlib.h>

#include "bench/bench_sampler.h"
#include "src/timing/shl_clock.h"
#include "src/timing/shl_machine.h"

enum { full_checks_after = 4 };

/* The longest round trip a histogram keeps as itself: an hour, far past any timeout. */

int bench_pingpong_measure(struct bench_sender *s, void *ctx, struct shl_error *err)
{
    struct bench_pingpong *pp = ctx;
    pp->samples = NULL;
    pp->n = 0;
    if (shl_hist_init(&pp->hist, SHL_HIST_LATENCY_HIGHEST_NS, err) != 0)
        return -1;
    /* The first half of the warm-up checks every byte both ways. */
    unsigned half = pp->warmup / 2;
    for (unsigned i = 0; i < pp->warmup; i++)
        if (bench_sender_roundtrip(s, i < half ? BENCH_WORD_FULL_CHECK : 0, err) != 0)
            return -1;

    int64_t cpu_before, cpu_after;
    long vol_before, invol_before, vol_after, invol_after;
    if (shl_process_cpu_ns(&cpu_before, err) != 0 ||
        shl_context_switches(&vol_before, &invol_before, err) != 0)
        return -1;
    struct bench_sampler sampler;
    if (bench_sampler_init(&sampler, pp->min_samples, pp->max_samples, pp->budget_ns, err) != 0)
        return -1;
    pp->samples = sampler.samples;
    uint64_t flags = BENCH_WORD_MARK;
    int64_t period = pp->rate_hz > 0 ? (int64_t)(1e9 / pp->rate_hz) : 0;
    int64_t next = shl_now_ns() + period;
    while (bench_sampler_more(&sampler)) {
        if (period > 0) {
            if (shl_sleep_until_ns(next, err) != 0)
                return -1;
            /* A period overrun (a slow round trip) is not made up with a burst. */
            next += period;
            if (next < shl_now_ns())
                next = shl_now_ns() + period;
        }
        /* One sample is one round trip, timed on its own. */
        uint64_t t0 = shl_timer_read(pp->timer);
        if (bench_sender_roundtrip(s, flags, err) != 0)
            return -1;
        int64_t ns = shl_timer_elapsed_ns(pp->timer, t0, shl_timer_read(pp->timer));
        flags = 0;
        bench_sampler_add(&sampler, (double)ns);
        shl_hist_record(&pp->hist, ns);
        pp->n = sampler.n;
    }
    if (shl_process_cpu_ns(&cpu_after, err) != 0 ||
        shl_context_switches(&vol_after, &invol_after, err) != 0)
        return -1;
    pp->cpu_ns = cpu_after - cpu_before;
    pp->voluntary = vol_after - vol_before;
    pp->involuntary = invol_after - invol_before;
    pp->messages = (uint64_t)pp->n;
    for (int i = 0; i < full_checks_after; i++)
        if (bench_sender_roundtrip(s, BENCH_WORD_FULL_CHECK | (i == 0 ? BENCH_WORD_MARK : 0),
                                   err) != 0)
            return -1;
    return 0;
}

void bench_pingpong_free(struct bench_pingpong *pp)
{
    free(pp->samples);
    pp->samples = NULL;
    shl_hist_free(&pp->hist);
}
