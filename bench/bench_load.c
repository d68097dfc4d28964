#include "bench/bench_load.h"

#include <errno.h>
#include <time.h>

#include "bench/bench_payload.h"
#include "src/timing/shl_clock.h"
#include "src/timing/shl_machine.h"

/* Sleeping ends up to a scheduler tick late; within this much of the due time the sender
 * spins on the timer instead. */
#define SPIN_WINDOW_NS 200000

double bench_load_next_rate(double rate_hz)
{
    double next = rate_hz <= 0 ? 1e3 : rate_hz < 1e6 ? rate_hz * 10 : rate_hz * 2;
    return next > BENCH_LOAD_MAX_RATE_HZ ? 0 : next;
}

static int wait_until(const struct shl_timer *t, uint64_t due, struct shl_error *err)
{
    for (;;) {
        uint64_t now = shl_timer_read(t);
        if ((int64_t)(due - now) <= 0)
            return 0;
        double ahead_ns = (double)(due - now) * t->ns_per_tick;
        if (ahead_ns <= SPIN_WINDOW_NS)
            continue;
        long sleep_ns = (long)(ahead_ns - SPIN_WINDOW_NS / 2);
        struct timespec pause = {sleep_ns / 1000000000L, sleep_ns % 1000000000L};
        if (nanosleep(&pause, NULL) != 0 && errno != EINTR)
            return shl_fail(err, "nanosleep", errno, "load schedule");
    }
}

int bench_load_send(const struct shl_timer *t, const struct bench_load_schedule *s,
                    bench_load_send_fn send, void *arg, struct shl_error *err)
{
    for (uint64_t i = 0; i < s->n; i++) {
        if (wait_until(t, bench_load_due(s, i), err) != 0 || send(arg, i, err) != 0)
            return -1;
    }
    return 0;
}

double bench_load_record(const struct shl_timer *t, const struct bench_load_schedule *s,
                         const uint64_t *received, struct shl_hist *h, double *latencies)
{
    uint64_t last = s->t0;
    for (uint64_t i = 0; i < s->n; i++) {
        uint64_t due = bench_load_due(s, i);
        int64_t late = (int64_t)(received[i] - due);
        int64_t ns = late > 0 ? (int64_t)((double)late * t->ns_per_tick + 0.5) : 0;
        shl_hist_record(h, ns);
        if (latencies != NULL)
            latencies[i] = (double)ns;
        if ((int64_t)(received[i] - last) > 0)
            last = received[i];
    }
    double span_s = (double)(last - s->t0) * t->ns_per_tick / 1e9;
    return s->n > 1 && span_s > 0 ? (double)(s->n - 1) / span_s : 0;
}

/* The first message of the schedule can be on time only if it is due a little after the
 * warm-up ends. */
#define LEAD_NS 1000000

static int push_scheduled(void *arg, uint64_t i, struct shl_error *err)
{
    return bench_sender_push(arg, i == 0 ? BENCH_WORD_MARK : 0, err);
}

int bench_load_measure(struct bench_sender *s, void *ctx, struct shl_error *err)
{
    struct bench_load_run *run = ctx;
    for (unsigned i = 0; i < run->warmup; i++)
        if (bench_sender_push(s, BENCH_WORD_ACK | (i == 0 ? BENCH_WORD_FULL_CHECK : 0), err) != 0)
            return -1;
    if (s->seq != run->record->first_seq)
        return shl_fail(err, "bench_load_measure", EINVAL, "schedule starts at %llu, not %llu",
                        (unsigned long long)s->seq, (unsigned long long)run->record->first_seq);
    const struct shl_timer *t = run->timer;
    run->schedule = (struct bench_load_schedule){
        .t0 = shl_timer_read(t) + (uint64_t)(LEAD_NS / t->ns_per_tick),
        .period_ticks = 1e9 / run->rate_hz / t->ns_per_tick,
        .n = run->record->n,
    };
    int64_t cpu_before, cpu_after;
    long vol_before, invol_before, vol_after, invol_after;
    if (shl_process_cpu_ns(&cpu_before, err) != 0 ||
        shl_context_switches(&vol_before, &invol_before, err) != 0 ||
        bench_load_send(t, &run->schedule, push_scheduled, s, err) != 0 ||
        shl_process_cpu_ns(&cpu_after, err) != 0 ||
        shl_context_switches(&vol_after, &invol_after, err) != 0)
        return -1;
    run->cpu_ns = cpu_after - cpu_before;
    run->voluntary = vol_after - vol_before;
    run->involuntary = invol_after - invol_before;
    /* Acknowledged, so every scheduled message has arrived and been timed before A reads
     * the record; checked byte for byte; the second mark. */
    return bench_sender_push(s, BENCH_WORD_FULL_CHECK | BENCH_WORD_MARK | BENCH_WORD_ACK, err);
}
