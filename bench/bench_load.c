#include "bench/bench_load.h"

#include <errno.h>
#include <time.h>

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
                         const uint64_t *received, struct shl_hist *h)
{
    uint64_t last = s->t0;
    for (uint64_t i = 0; i < s->n; i++) {
        uint64_t due = bench_load_due(s, i);
        int64_t late = (int64_t)(received[i] - due);
        shl_hist_record(h, late > 0 ? (int64_t)((double)late * t->ns_per_tick + 0.5) : 0);
        if ((int64_t)(received[i] - last) > 0)
            last = received[i];
    }
    double span_s = (double)(last - s->t0) * t->ns_per_tick / 1e9;
    return s->n > 1 && span_s > 0 ? (double)(s->n - 1) / span_s : 0;
}
