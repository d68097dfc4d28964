#include "bench/bench_floor.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench/bench_sampler.h"
#include "src/timing/shl_clock.h"

/* Side A writes odd values, the peer answers each with the next even one. */
#define FLOOR_STOP UINT64_MAX

struct line {
    _Alignas(64) _Atomic uint64_t value;
};

/* Spins until the line holds `want`; checks the clock only every few thousand polls so that
 * the check does not slow the spin, and gives up after timeout_ms (a dead peer). */
static int await_value(struct line *l, uint64_t want, int timeout_ms, struct shl_error *err) {
    int64_t deadline = 0;
    for (unsigned polls = 1;; polls++) {
        uint64_t v = atomic_load_explicit(&l->value, memory_order_acquire);
        if (v == want || v == FLOOR_STOP)
            return v == want ? 0 : 1;
        if ((polls & 4095) == 0) {
            int64_t now = shl_now_ns();
            if (deadline == 0)
                deadline = now + (int64_t)timeout_ms * 1000000;
            else if (now > deadline)
                return shl_fail(err, "cacheline", ETIMEDOUT, "peer silent at %llu",
                                (unsigned long long)want);
        }
    }
}

struct floor_peer_arg {
    struct line *line;
    int timeout_ms;
};

static int floor_peer(void *arg, struct bench_peer_report *report) {
    struct floor_peer_arg *a = arg;
    int64_t cpu_start;
    if (shl_process_cpu_ns(&cpu_start, &report->err) != 0)
        return -1;
    for (uint64_t want = 1;; want += 2) {
        int rc = await_value(a->line, want, a->timeout_ms, &report->err);
        if (rc < 0)
            return -1;
        if (rc == 1)
            break;
        atomic_store_explicit(&a->line->value, want + 1, memory_order_release);
        report->messages++;
    }
    int64_t cpu_end;
    if (shl_process_cpu_ns(&cpu_end, &report->err) != 0)
        return -1;
    report->cpu_ns = cpu_end - cpu_start;
    return 0;
}

static int bounce(struct line *l, uint64_t *next, int timeout_ms, struct shl_error *err) {
    atomic_store_explicit(&l->value, *next, memory_order_release);
    int rc = await_value(l, *next + 1, timeout_ms, err);
    *next += 2;
    return rc == 0 ? 0 : rc < 0 ? -1 : shl_fail(err, "cacheline", EPIPE, "peer stopped");
}

static int measure_cacheline(struct line *l, const struct bench_floor_plan *plan,
                             struct bench_floor_result *out, struct shl_error *err) {
    uint64_t next = 1;
    int64_t start = 0;
    for (unsigned i = 0; i < plan->warmup; i++) {
        if (i == plan->warmup / 2)
            start = shl_now_ns();
        if (bounce(l, &next, plan->timeout_ms, err) != 0)
            return -1;
    }
    double estimate = (double)(shl_now_ns() - start) / (plan->warmup - plan->warmup / 2);
    out->batch = bench_batch_for(estimate, plan->clock_overhead_ns);
    int64_t cpu_before, cpu_after;
    if (shl_process_cpu_ns(&cpu_before, err) != 0)
        return -1;
    struct bench_sampler sampler;
    if (bench_sampler_init(&sampler, plan->min_samples, plan->max_samples, plan->budget_ns,
                           err) != 0)
        return -1;
    out->samples = sampler.samples;
    while (bench_sampler_more(&sampler)) {
        int64_t t0 = shl_now_ns();
        for (unsigned b = 0; b < out->batch; b++)
            if (bounce(l, &next, plan->timeout_ms, err) != 0)
                return -1;
        bench_sampler_add(&sampler, (double)(shl_now_ns() - t0) / out->batch);
        out->n = sampler.n;
    }
    if (shl_process_cpu_ns(&cpu_after, err) != 0)
        return -1;
    out->cpu_ns = cpu_after - cpu_before;
    out->messages = (uint64_t)out->n * out->batch;
    return 0;
}

int bench_floor_cacheline(const struct bench_floor_plan *plan, struct bench_floor_result *out,
                          struct bench_peer_report *peer, struct shl_error *err) {
    memset(out, 0, sizeof *out);
    struct line *l = mmap(NULL, sizeof *l, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (l == MAP_FAILED)
        return shl_fail(err, "mmap", errno, "cache line");
    atomic_init(&l->value, 0);
    struct floor_peer_arg arg = {.line = l, .timeout_ms = plan->timeout_ms};
    struct bench_peer proc;
    if (bench_peer_start(&proc, plan->peer_cpu, floor_peer, &arg, err) != 0) {
        munmap(l, sizeof *l);
        return -1;
    }
    int rc = measure_cacheline(l, plan, out, err);
    atomic_store_explicit(&l->value, FLOOR_STOP, memory_order_release);
    struct shl_error peer_err;
    if (bench_peer_finish(&proc, plan->timeout_ms, peer, &peer_err) != 0 && rc == 0) {
        *err = peer_err;
        rc = -1;
    } else if (rc == 0 && peer->failed) {
        *err = peer->err;
        rc = -1;
    } else if (rc == 0 && peer->messages < out->messages) {
        rc = shl_fail(err, "verify", EBADMSG, "peer answered %llu of %llu bounces",
                      (unsigned long long)peer->messages, (unsigned long long)out->messages);
    }
    munmap(l, sizeof *l);
    return rc;
}

int bench_floor_memcpy(const struct bench_floor_plan *plan, size_t size,
                       struct bench_floor_result *out, struct shl_error *err) {
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
    out->batch = bench_batch_for(estimate, plan->clock_overhead_ns);
    if (bench_sampler_init(&sampler, plan->min_samples, plan->max_samples, plan->budget_ns,
                           err) != 0)
        goto out;
    out->samples = sampler.samples;
    while (bench_sampler_more(&sampler)) {
        int64_t t0 = shl_now_ns();
        for (unsigned b = 0; b < out->batch; b++) {
            src[b % size] ^= 1; /* a different source each time: nothing to hoist */
            memcpy(dst, src, size);
            __asm__ volatile("" ::"r"(dst) : "memory");
        }
        bench_sampler_add(&sampler, (double)size * out->batch / (double)(shl_now_ns() - t0) *
                                        1000.0);
        out->n = sampler.n;
    }
    out->messages = (uint64_t)out->n * out->batch;
    rc = memcmp(dst, src, size) == 0
             ? 0
             : shl_fail(err, "verify", EBADMSG, "memcpy of %zu bytes differs", size);
out:
    free(src);
    free(dst);
    return rc;
}
