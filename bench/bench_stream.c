#include "bench/bench_stream.h"

#include "bench/bench_sampler.h"
#include "src/timing/shl_clock.h"

size_t bench_stream_depth(size_t size)
{
    size_t depth = BENCH_STREAM_BYTES_IN_FLIGHT / size;
    return depth > BENCH_STREAM_MIN_DEPTH ? depth : BENCH_STREAM_MIN_DEPTH;
}

/* About 4 MiB per round (so the closing acknowledgement is a small part of it), within
 * bounds that keep tiny messages from taking forever and big ones from being a handful. */
size_t bench_stream_per_round(size_t size)
{
    size_t n = (size_t)(4u << 20) / size;
    if (n < 16)
        n = 16;
    if (n > 4096)
        n = 4096;
    return n;
}

static int round_of(struct bench_sender *s, size_t count, uint64_t first_flags,
                    struct shl_error *err)
{
    for (size_t m = 0; m < count; m++) {
        uint64_t flags = m == 0 ? first_flags : 0;
        if (m + 1 == count)
            flags |= BENCH_WORD_ACK;
        if (bench_sender_push(s, flags, err) != 0)
            return -1;
    }
    return 0;
}

int bench_stream_measure(struct bench_sender *s, void *ctx, struct shl_error *err)
{
    struct bench_stream *st = ctx;
    st->samples = NULL;
    st->n = 0;
    st->per_round = bench_stream_per_round(s->payload.size);
    /* Warm-up: one round, its first message checked byte for byte. */
    if (round_of(s, st->per_round, BENCH_WORD_FULL_CHECK, err) != 0)
        return -1;
    int64_t cpu_before, cpu_after;
    if (shl_process_cpu_ns(&cpu_before, err) != 0)
        return -1;
    struct bench_sampler sampler;
    if (bench_sampler_init(&sampler, st->min_rounds, st->max_rounds, st->budget_ns, err) != 0)
        return -1;
    st->samples = sampler.samples;
    double bytes = (double)st->per_round * (double)s->payload.size;
    uint64_t flags = BENCH_WORD_MARK;
    while (bench_sampler_more(&sampler)) {
        int64_t t0 = shl_now_ns();
        if (round_of(s, st->per_round, flags, err) != 0)
            return -1;
        flags = 0;
        bench_sampler_add(&sampler, bytes / (double)(shl_now_ns() - t0) * 1000.0);
        st->n = sampler.n;
    }
    if (shl_process_cpu_ns(&cpu_after, err) != 0)
        return -1;
    st->cpu_ns = cpu_after - cpu_before;
    st->messages = (uint64_t)st->n * st->per_round;
    /* The closing message is checked byte for byte and ends the peer's CPU window. */
    return bench_sender_push(s, BENCH_WORD_FULL_CHECK | BENCH_WORD_MARK | BENCH_WORD_ACK, err);
}
