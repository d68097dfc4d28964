#include "bench/bench_floor.h"

#include <errno.h>
#include <linux/futex.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_sampler.h"
#include "src/core/shl_cache_line.h"
#include "src/timing/shl_clock.h"
#include "src/timing/shl_machine.h"

const char *const bench_floor_form_names[] = {"cacheline", "cacheline-pair", "futex"};

/* Side A writes odd values, the peer answers each with the next even one. The values are
 * 32 bits wide because a futex word is. */
#define FLOOR_STOP UINT32_MAX

/* Two lines apart: the adjacent-line prefetcher moves lines in aligned pairs, which would
 * let one direction's transfer bring the other's line along. */
struct line {
    _Alignas(2 * SHL_CACHE_LINE) _Atomic uint32_t value;
};

struct floor_lines {
    struct line to_peer, to_a;
};

/* The line each side writes and the one it watches: the same one in the one-line form. */
struct floor_side {
    struct line *out, *in;
    int futex;
    int timeout_ms;
};

static struct floor_side side_of(struct floor_lines *lines, enum bench_floor_form form, int peer,
                                 int timeout_ms)
{
    struct line *to_peer = &lines->to_peer;
    struct line *to_a = form == BENCH_FLOOR_ONE_LINE ? to_peer : &lines->to_a;
    return (struct floor_side){.out = peer ? to_a : to_peer,
                               .in = peer ? to_peer : to_a,
                               .futex = form == BENCH_FLOOR_FUTEX,
                               .timeout_ms = timeout_ms};
}

/* Waits until the watched line holds `want` (0) or the stop value (1), spinning or sleeping
 * in FUTEX_WAIT; gives up after timeout_ms (a dead peer). The spin reads the clock only
 * every few thousand polls so that the check does not slow it. */
static int await_value(const struct floor_side *s, uint32_t want, struct shl_error *err)
{
    int64_t deadline = 0;
    for (unsigned polls = 1;; polls++) {
        uint32_t v = atomic_load_explicit(&s->in->value, memory_order_acquire);
        if (v == want || v == FLOOR_STOP)
            return v == want ? 0 : 1;
        if (s->futex) {
            struct timespec slice = {0, 100 * 1000000L};
            if (syscall(SYS_futex, &s->in->value, FUTEX_WAIT, v, &slice, NULL, 0) != 0 &&
                errno != EAGAIN && errno != ETIMEDOUT && errno != EINTR)
                return shl_fail(err, "futex", errno, "FUTEX_WAIT");
        } else if ((polls & 4095) != 0) {
            continue;
        }
        int64_t now = shl_now_ns();
        if (deadline == 0)
            deadline = now + (int64_t)s->timeout_ms * 1000000;
        else if (now > deadline)
            return shl_fail(err, "floor", ETIMEDOUT, "peer silent at %u", want);
    }
}

static void post_value(const struct floor_side *s, uint32_t value)
{
    atomic_store_explicit(&s->out->value, value, memory_order_release);
    if (s->futex)
        syscall(SYS_futex, &s->out->value, FUTEX_WAKE, 1, NULL, NULL, 0);
}

struct floor_peer_arg {
    struct floor_side side;
};

static int floor_peer(void *arg, struct bench_peer_report *report)
{
    const struct floor_side *s = &((struct floor_peer_arg *)arg)->side;
    int64_t cpu_start;
    if (shl_process_cpu_ns(&cpu_start, &report->err) != 0)
        return -1;
    for (uint32_t want = 1;; want += 2) {
        int rc = await_value(s, want, &report->err);
        if (rc < 0)
            return -1;
        if (rc == 1)
            break;
        post_value(s, want + 1);
        report->messages++;
    }
    int64_t cpu_end;
    if (shl_process_cpu_ns(&cpu_end, &report->err) != 0)
        return -1;
    report->cpu_ns = cpu_end - cpu_start;
    return 0;
}

static int bounce(const struct floor_side *s, uint32_t *next, struct shl_error *err)
{
    post_value(s, *next);
    int rc = await_value(s, *next + 1, err);
    *next += 2;
    return rc == 0 ? 0 : rc < 0 ? -1 : shl_fail(err, "floor", EPIPE, "peer stopped");
}

static int measure_roundtrips(const struct floor_side *s, const struct bench_floor_plan *plan,
                              struct bench_floor_result *out, struct shl_error *err)
{
    uint32_t next = 1;
    for (unsigned i = 0; i < plan->warmup; i++)
        if (bounce(s, &next, err) != 0)
            return -1;
    int64_t cpu_before, cpu_after;
    if (shl_process_cpu_ns(&cpu_before, err) != 0)
        return -1;
    struct bench_sampler sampler;
    if (bench_sampler_init(&sampler, plan->min_samples, plan->max_samples, plan->budget_ns, err) !=
        0)
        return -1;
    out->samples = sampler.samples;
    while (bench_sampler_more(&sampler)) {
        uint64_t t0 = shl_timer_read(plan->timer);
        if (bounce(s, &next, err) != 0)
            return -1;
        int64_t ns = shl_timer_elapsed_ns(plan->timer, t0, shl_timer_read(plan->timer));
        bench_sampler_add(&sampler, (double)ns);
        shl_hist_record(&out->hist, ns);
        out->n = sampler.n;
    }
    if (shl_process_cpu_ns(&cpu_after, err) != 0)
        return -1;
    out->cpu_ns = cpu_after - cpu_before;
    out->messages = out->n;
    return 0;
}

void bench_floor_result_free(struct bench_floor_result *r)
{
    free(r->samples);
    r->samples = NULL;
    shl_hist_free(&r->hist);
}

int bench_floor_roundtrip(const struct bench_floor_plan *plan, enum bench_floor_form form,
                          struct bench_floor_result *out, struct bench_peer_report *peer,
                          struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    if (shl_hist_init(&out->hist, SHL_HIST_LATENCY_HIGHEST_NS, err) != 0)
        return -1;
    struct floor_lines *lines = mmap(NULL, sizeof *lines, PROT_READ | PROT_WRITE,
                                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (lines == MAP_FAILED)
        return shl_fail(err, "mmap", errno, "floor lines");
    atomic_init(&lines->to_peer.value, 0);
    atomic_init(&lines->to_a.value, 0);
    struct floor_peer_arg arg = {side_of(lines, form, 1, plan->timeout_ms)};
    struct floor_side mine = side_of(lines, form, 0, plan->timeout_ms);
    struct bench_peer proc;
    if (bench_peer_start(&proc, plan->peer_cpu, floor_peer, &arg, err) != 0) {
        munmap(lines, sizeof *lines);
        return -1;
    }
    int rc = measure_roundtrips(&mine, plan, out, err);
    atomic_store_explicit(&lines->to_peer.value, FLOOR_STOP, memory_order_release);
    if (form == BENCH_FLOOR_FUTEX)
        syscall(SYS_futex, &lines->to_peer.value, FUTEX_WAKE, 1, NULL, NULL, 0);
    struct shl_error peer_err;
    if (bench_peer_finish(&proc, plan->timeout_ms, peer, &peer_err) != 0 && rc == 0) {
        *err = peer_err;
        rc = -1;
    } else if (rc == 0 && peer->failed) {
        *err = peer->err;
        rc = -1;
    } else if (rc == 0 && peer->messages < out->messages) {
        rc = shl_fail(err, "verify", EBADMSG, "peer answered %llu of %llu round trips",
                      (unsigned long long)peer->messages, (unsigned long long)out->messages);
    }
    munmap(lines, sizeof *lines);
    return rc;
}

/* Copies timed together so that reading the clock costs at most 1/50 of a sample: a copy
 * of a few bytes takes less than a clock read. A throughput sample is a round of copies,
 * as a streaming one is a round of messages. */
static unsigned copies_per_sample(double copy_ns, double clock_cost_ns)
{
    double wanted = 50.0 * clock_cost_ns;
    if (copy_ns <= 0)
        copy_ns = 1;
    if (copy_ns >= wanted)
        return 1;
    double copies = ceil(wanted / copy_ns);
    return copies > 100000 ? 100000 : (unsigned)copies;
}

int bench_floor_memcpy(const struct bench_floor_plan *plan, size_t size,
                       struct bench_floor_result *out, struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    struct bench_sampler sampler;
    unsigned char *src = malloc(size), *dst = malloc(size);
    int rc = -1;
    if (src == NULL || dst == NULL) {
        shl_fail(err, "malloc", ENOMEM, "memcpy of %zu bytes", size);
        goto out;
    }
    for (size_t i = 0; i < size; i++)
        src[i] = (unsigned char)(i * 131 + 7);
    int64_t start = shl_now_ns();
    for (unsigned i = 0; i < plan->warmup; i++) {
        memcpy(dst, src, size);
        __asm__ volatile("" ::"r"(dst) : "memory"); /* the copy must happen every time */
    }
    double estimate = (double)(shl_now_ns() - start) / (plan->warmup ? plan->warmup : 1);
    unsigned copies = copies_per_sample(estimate, plan->timer->cost_ns);
    if (bench_sampler_init(&sampler, plan->min_samples, plan->max_samples, plan->budget_ns, err) !=
        0)
        goto out;
    out->samples = sampler.samples;
    while (bench_sampler_more(&sampler)) {
        int64_t t0 = shl_now_ns();
        for (unsigned b = 0; b < copies; b++) {
            src[b % size] ^= 1; /* a different source each time: nothing to hoist */
            memcpy(dst, src, size);
            __asm__ volatile("" ::"r"(dst) : "memory");
        }
        bench_sampler_add(&sampler, (double)size * copies / (double)(shl_now_ns() - t0) * 1000.0);
        out->n = sampler.n;
    }
    out->messages = (uint64_t)out->n * copies;
    rc = memcmp(dst, src, size) == 0
             ? 0
             : shl_fail(err, "verify", EBADMSG, "memcpy of %zu bytes differs", size);
out:
    free(src);
    free(dst);
    return rc;
}

int bench_floor_p50(const struct bench_floor_plan *plan, enum bench_floor_form form, double *p50,
                    struct shl_error *err)
{
    struct bench_floor_result out;
    struct bench_peer_report peer;
    int rc = bench_floor_roundtrip(plan, form, &out, &peer, err);
    *p50 = rc == 0 ? (double)shl_hist_value_at_percentile(&out.hist, 50) : NAN;
    bench_floor_result_free(&out);
    return rc;
}

int bench_floor_moment_measure(const struct bench_floor_plan *plan, struct bench_floor_moment *m,
                               struct shl_error *err)
{
    m->fresh = 0;
    return bench_floor_p50(plan, BENCH_FLOOR_ONE_LINE, &m->line_ns, err) != 0 ||
                   bench_floor_p50(plan, BENCH_FLOOR_LINE_PER_DIRECTION, &m->pair_ns, err) != 0
               ? -1
               : 0;
}

void bench_floor_compare(const struct bench_floor_moment *before,
                         const struct bench_floor_moment *after, double p50,
                         struct bench_floor_ratios *out)
{
    out->line_ns = (before->line_ns + after->line_ns) / 2;
    out->pair_ns = (before->pair_ns + after->pair_ns) / 2;
    out->ratio_line = p50 / out->line_ns;
    out->ratio_pair = p50 / out->pair_ns;
    double line = shl_floor_move(before->line_ns, after->line_ns);
    double pair = shl_floor_move(before->pair_ns, after->pair_ns);
    out->move = isnan(line) ? pair : isnan(pair) ? line : fmax(line, pair);
    out->moved = out->move > SHL_NOISE_FLOOR_MOVE_MAX;
}
