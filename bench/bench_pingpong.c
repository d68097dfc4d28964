#include "bench/bench_pingpong.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "src/timing/shl_clock.h"

enum { full_checks_after = 4 };

unsigned bench_batch_for(double roundtrip_ns, double clock_overhead_ns) {
    double wanted = 50.0 * clock_overhead_ns;
    if (roundtrip_ns <= 0)
        roundtrip_ns = 1;
    if (roundtrip_ns >= wanted)
        return 1;
    double batch = ceil(wanted / roundtrip_ns);
    return batch > 100000 ? 100000 : (unsigned)batch;
}

int bench_pingpong_measure(struct bench_sender *s, void *ctx, struct shl_error *err) {
    struct bench_pingpong *pp = ctx;
    pp->samples = NULL;
    pp->n = 0;
    /* The first half of the warm-up checks every byte both ways; the second half also
     * estimates the round trip, to size the batches. */
    unsigned half = pp->warmup / 2;
    for (unsigned i = 0; i < half; i++)
        if (bench_sender_roundtrip(s, BENCH_WORD_FULL_CHECK, err) != 0)
            return -1;
    int64_t start = shl_now_ns();
    for (unsigned i = half; i < pp->warmup; i++)
        if (bench_sender_roundtrip(s, 0, err) != 0)
            return -1;
    double estimate = (double)(shl_now_ns() - start) / (pp->warmup - half ? pp->warmup - half : 1);
    pp->batch = pp->rate_hz > 0 ? 1 : bench_batch_for(estimate, pp->clock_overhead_ns);

    pp->samples = malloc(pp->max_samples * sizeof *pp->samples);
    if (pp->samples == NULL)
        return shl_fail(err, "malloc", ENOMEM, "%zu samples", pp->max_samples);
    int64_t cpu_before, cpu_after;
    if (shl_process_cpu_ns(&cpu_before, err) != 0)
        return -1;
    uint64_t flags = BENCH_WORD_MARK;
    int64_t period = pp->rate_hz > 0 ? (int64_t)(1e9 / pp->rate_hz) : 0;
    int64_t now = shl_now_ns();
    int64_t deadline = now + pp->budget_ns, next = now + period;
    while (pp->n < pp->max_samples && (pp->n < pp->min_samples || now < deadline)) {
        if (period > 0) {
            if (shl_sleep_until_ns(next, err) != 0)
                return -1;
            /* A period overrun (a slow round trip) is not made up with a burst. */
            next += period;
            if (next < shl_now_ns())
                next = shl_now_ns() + period;
        }
        int64_t t0 = shl_now_ns();
        for (unsigned b = 0; b < pp->batch; b++) {
            if (bench_sender_roundtrip(s, flags, err) != 0)
                return -1;
            flags = 0;
        }
        now = shl_now_ns();
        pp->samples[pp->n++] = (double)(now - t0) / pp->batch;
    }
    if (shl_process_cpu_ns(&cpu_after, err) != 0)
        return -1;
    pp->cpu_ns = cpu_after - cpu_before;
    pp->messages = (uint64_t)pp->n * pp->batch;
    for (int i = 0; i < full_checks_after; i++)
        if (bench_sender_roundtrip(s, BENCH_WORD_FULL_CHECK | (i == 0 ? BENCH_WORD_MARK : 0),
                                   err) != 0)
            return -1;
    return 0;
}
