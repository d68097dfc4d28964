#include "src/results/shl_results.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/transport/shl_transport.h"

void shl_results_row_init(struct shl_results_row *row, const char *benchmark, const char *transport,
                          enum shl_notify_kind notify, size_t size, const char *unit)
{
    memset(row, 0, sizeof *row);
    snprintf(row->benchmark, sizeof row->benchmark, "%s", benchmark);
    snprintf(row->transport, sizeof row->transport, "%s", transport);
    row->notify = notify;
    snprintf(row->unit, sizeof row->unit, "%s", unit);
    row->size = size;
    row->batch = 1;
    shl_stats_compute(NULL, 0, &row->stats);
    row->rate_hz = row->cpu_ns_per_msg = row->cpu_ns_per_msg_a = row->cpu_ns_per_msg_b = NAN;
    row->ratio = row->slowest_p50 = row->slowest_p99 = row->publish_ns = NAN;
    row->floor_line_ns = row->floor_pair_ns = row->ratio_pair = row->floor_move = NAN;
    row->interleaved_with = SHL_NOTIFY_NONE;
    row->interleaved_ratio = row->interleaved_cpu_b_ratio = NAN;
    row->voluntary_a = row->involuntary_a = row->voluntary_b = row->involuntary_b = -1;
    row->offered_hz = row->achieved_hz = row->spin_budget_ns = NAN;
    row->reached = -1;
}

int shl_results_add(struct shl_results *r, const struct shl_results_row *row, struct shl_error *err)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct shl_results_row *rows = realloc(r->rows, cap * sizeof *rows);
        if (rows == NULL)
            return shl_fail(err, "realloc", ENOMEM, "%zu result rows", cap);
        r->rows = rows;
        r->cap = cap;
    }
    r->rows[r->n++] = *row;
    return 0;
}

void shl_results_row_release(struct shl_results_row *row)
{
    if (row->hist != NULL)
        shl_hist_free(row->hist);
    free(row->hist);
    row->hist = NULL;
}

void shl_results_free(struct shl_results *r)
{
    for (size_t i = 0; i < r->n; i++)
        shl_results_row_release(&r->rows[i]);
    free(r->rows);
    r->rows = NULL;
    r->n = r->cap = 0;
}

/* Appends one line to an array of `cap` lines of `width` bytes; a full array keeps its
 * first lines. */
static void add_line(char *lines, size_t width, size_t cap, size_t *n, const char *fmt, va_list ap)
{
    if (*n == cap)
        return;
    vsnprintf(lines + *n * width, width, fmt, ap);
    (*n)++;
}

void shl_results_note(struct shl_results_context *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_line(ctx->notes[0], sizeof ctx->notes[0], sizeof ctx->notes / sizeof *ctx->notes,
             &ctx->n_notes, fmt, ap);
    va_end(ap);
}

void shl_results_warn(struct shl_results_context *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_line(ctx->warnings[0], sizeof ctx->warnings[0],
             sizeof ctx->warnings / sizeof *ctx->warnings, &ctx->n_warnings, fmt, ap);
    va_end(ap);
}

/* Above it, the clock's own cost is a visible part of the fastest figures. */
const double shl_results_clock_share_max = 0.15;
/* A two-way channel moves a line each way per round trip: the line-per-direction floor is
 * the least it can cost, and more than 15% above it is the ring's own work. */
const double shl_results_pair_floor_max = 1.15;
/* Adaptive spins first: a peer that answers at once finds it spinning, as spin would. */
const double shl_results_adaptive_spin_max = 1.2;
/* Idle, it sleeps as futex does and pays only its bounded spin on top. */
const double shl_results_adaptive_idle_cpu_max = 1.5;
/* Waking it costs what waking futex costs: it must be no slower at 10 kHz. */
const double shl_results_adaptive_wakeup_max = 1.0;

const struct shl_results_row *shl_results_find(const struct shl_results *r, const char *benchmark,
                                               const char *transport, enum shl_notify_kind notify,
                                               size_t size)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct shl_results_row *row = &r->rows[i];
        if (row->size == size && strcmp(row->benchmark, benchmark) == 0 &&
            strcmp(row->transport, transport) == 0 && row->notify == notify)
            return row;
    }
    return NULL;
}

double shl_results_stat(const struct shl_results_row *row, const char *name)
{
    const struct shl_stats *s = &row->stats;
    const struct {
        const char *name;
        double value;
    } stats[] = {
        {"min", s->min},
        {"p50", s->p50},
        {"p90", s->p90},
        {"p99", s->p99},
        {"p999", s->p999},
        {"p9999", s->p9999},
        {"max", s->max},
        {"mean", s->mean},
        {"stddev", s->stddev},
        {"n", (double)s->n},
        {"cpu_ns_per_msg", row->cpu_ns_per_msg},
        {"cpu_ns_per_msg_a", row->cpu_ns_per_msg_a},
        {"cpu_ns_per_msg_b", row->cpu_ns_per_msg_b},
        {"rate_hz", row->rate_hz},
        {"ratio", row->ratio},
        {"ratio_pair", row->ratio_pair},
        {"floor_line_ns", row->floor_line_ns},
        {"floor_pair_ns", row->floor_pair_ns},
        {"floor_move", row->floor_move},
        {"interleaved_ratio", row->interleaved_ratio},
        {"interleaved_cpu_b_ratio", row->interleaved_cpu_b_ratio},
        {"offered_hz", row->offered_hz},
        {"achieved_hz", row->achieved_hz},
        {"spin_budget_ns", row->spin_budget_ns},
        {"subscribers", (double)row->subscribers},
        {"slowest_p50", row->slowest_p50},
        {"slowest_p99", row->slowest_p99},
        {"publish_ns", row->publish_ns},
    };
    for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++)
        if (strcmp(stats[i].name, name) == 0)
            return stats[i].value;
    return NAN;
}

const char *shl_results_context_text(const struct shl_results *r, const char *key)
{
    const struct shl_results_context *c = &r->context;
    const struct {
        const char *key;
        const char *value;
    } texts[] = {
        {"host", c->host}, {"kernel", c->kernel}, {"cpu_model", c->cpu_model},
        {"mode", c->mode}, {"date", c->date},     {"clock", c->clock},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i].key, key) == 0)
            return texts[i].value[0] != '\0' ? texts[i].value : NULL;
    return NULL;
}

double shl_results_unit_scale(const char *unit)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = {
        {"ns", 1e-9},  {"us", 1e-6},    {"µs", 1e-6},       {"ms", 1e-3},
        {"s", 1},      {"B/s", 1},      {"kB/s", 1e3},      {"MB/s", 1e6},
        {"GB/s", 1e9}, {"KiB/s", 1024}, {"MiB/s", 1048576}, {"GiB/s", 1073741824},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(units[i].unit, unit) == 0)
            return units[i].scale;
    return 0;
}

bool shl_results_notify_in(const char *list, const char *notify)
{
    size_t n = strlen(notify);
    for (const char *p = list; *p != '\0';) {
        size_t len = strcspn(p, "|");
        if (len == n && strncmp(p, notify, n) == 0)
            return true;
        p += len + (p[len] == '|');
    }
    return false;
}

bool shl_results_is_shm(const char *transport)
{
    const struct shl_transport *t = shl_transport_find(transport);
    return t != NULL && t->kind == SHL_TRANSPORT_RING;
}

/* ---- The targets. Each number is written here and nowhere else: the gate checks them,
 * the report shows them, and both print the text below. */

const double shl_results_small_size_max = 4096;

/* Shared memory exists to beat the kernel's copies where a message is small; a mechanism
 * slower than a pipe there is broken, so this one fails the gate. */
const struct shl_results_target shl_results_beats_pipe = {
    "latency",
    NULL,
    false,
    SHL_NOTIFY_NONE,
    false,
    0,
    "p50",
    "",
    "latency",
    "pipe",
    0,
    SHL_RESULTS_LOWER,
    1.0,
    true,
    "invariant: shared memory (best strategy) beats a pipe at small sizes, where it exists "
    "to save the kernel's copies"};

/* What the design promises, as warnings: they depend on the machine's cores (near or far)
 * as much as on the code, so a miss is reported but fails nothing (ci/README.md). */
const struct shl_results_target shl_results_efficiency[4] = {
    /* One cache line handed between two cores is the least a round trip can cost; a ring
     * that adds more than half of that again does needless work per message. */
    {"latency", NULL, true, SHL_NOTIFY_NONE, false, 64, "ratio", "cacheline", NULL, NULL, 0,
     SHL_RESULTS_LOWER, 1.5, false,
     "target: best shared memory at 64 B within 1.5x of the cache-line floor, the least a "
     "round trip can cost"},
    /* A blocking strategy sleeps in the kernel as a pipe does, but moves no bytes through
     * it: it must not cost more than the pipe's own wake-up. "Not spin" leaves out every
     * strategy that spins (adaptive too: back to back, it never sleeps). */
    {"latency", NULL, true, SHL_NOTIFY_SPIN, true, 64, "p50", "", "latency", "pipe", 64,
     SHL_RESULTS_LOWER, 1.0, false,
     "target: blocking shared-memory notification no slower than a pipe at 64 B, whose "
     "wake-up it shares without the copies"},
    /* A large message is one copy in and one copy out of the segment: at least half of one
     * memcpy's bandwidth. */
    {"throughput", NULL, true, SHL_NOTIFY_NONE, false, 1048576, "ratio", "memcpy", NULL, NULL, 0,
     SHL_RESULTS_HIGHER, 0.5, false,
     "target: shared-memory throughput at 1 MiB at least half of memcpy: one copy in, one "
     "copy out"},
    /* Written and read in place, a large message costs one write and one read of each byte,
     * no more than a memcpy of it (which reads and writes each byte once): anything less
     * than memcpy's bandwidth is overhead of the loan itself. */
    {"zerocopy-throughput", NULL, true, SHL_NOTIFY_NONE, false, 1048576, "ratio", "memcpy", NULL,
     NULL, 0, SHL_RESULTS_HIGHER, 1.0, false,
     "target: the best ring's zero-copy throughput at 1 MiB, every byte written and checked in "
     "place, at least memcpy's bandwidth: the same one write and one read of each byte"},
};

/* An independent plain ping-pong measures the same round trip; beyond a quarter apart, the
 * benchmark measures its own overhead rather than the transport's. Checked both ways. */
const struct shl_results_target shl_results_crosscheck[2] = {
    {"crosscheck", NULL, false, SHL_NOTIFY_NONE, false, 64, "ratio", "latency", NULL, NULL, 0,
     SHL_RESULTS_LOWER, 1.25, false,
     "target: shmlab's round trip agrees with a plain ping-pong within 25%, or it "
     "measures its own overhead"},
    {"crosscheck", NULL, false, SHL_NOTIFY_NONE, false, 64, "ratio", "latency", NULL, NULL, 0,
     SHL_RESULTS_HIGHER, 0.8, false,
     "target: shmlab's round trip agrees with a plain ping-pong within 25%, or it "
     "measures its own overhead"},
};

/* A middleware that moves the same bytes through shared memory but adds a daemon's ports,
 * chunk headers and queues must not beat the harness's own ring: measured here 0.08-0.09x
 * at 64 B (125-146 ns against 1.4-1.9 us). The 64 B ratio is what makes the ring worth
 * having, and fails the gate; the others are warnings. */
const struct shl_results_target shl_results_against_iceoryx[2] = {
    {"latency", NULL, true, SHL_NOTIFY_NONE, false, 64, "p50", "", "latency", "iceoryx", 64,
     SHL_RESULTS_LOWER, 0.25, true,
     "target: shmlab's best ring round trip at 64 B at most 0.25x iceoryx's, what makes the "
     "ring worth having"},
    {"latency", NULL, true, SHL_NOTIFY_NONE, false, 0, "p50", "", "latency", "iceoryx", 0,
     SHL_RESULTS_LOWER, 1.0, false,
     "target: shmlab's best ring no slower than iceoryx at this size, both copying every "
     "message in and out"},
};

/* Writing a message in place saves the copy into the slot and out of it; at 1 MiB that
 * should be most of a copying round trip. A warning: the copying rows move prepared bytes
 * and check only sampled words, the zero-copy rows write and check every word. */
const struct shl_results_target shl_results_zero_copy = {
    "zerocopy",
    NULL,
    true,
    SHL_NOTIFY_NONE,
    false,
    1048576,
    "p50",
    "",
    "latency",
    NULL,
    1048576,
    SHL_RESULTS_LOWER,
    0.6,
    false,
    "target: the best ring's zero-copy round trip at 1 MiB, every byte written and checked on "
    "each side, at most 0.6x its copying one"};

const char *shl_results_target_text(const struct shl_results_target *target, char *buf, size_t len)
{
    snprintf(buf, len, "%s %g×", target->better == SHL_RESULTS_LOWER ? "at most" : "at least",
             target->limit);
    return buf;
}

const char *shl_results_why_missed(const struct shl_results_target *target)
{
    /* Why a target can be missed on a sound build, where the reason is known: the report
     * prints it beside this run's measurement instead of a bare "not met". The texts name
     * causes, never figures: those of the machine at hand stand beside them. */
    static const struct {
        const struct shl_results_target *target;
        const char *why;
    } known[] = {
        /* Both ways, a 1 MiB round trip moves the request and the answer between the cores'
         * caches, and that is most of it; the two copies it saves run within each core's own
         * cache, overlapped with that move. Measured on the 2-vCPU AMD EPYC (Zen 5) these
         * figures come from, with the pattern at memory speed: writing 1 MiB in place into
         * lines the other core holds 15-17 us, reading 1 MiB the other core has just written
         * 10-12 us, so a zero-copy round trip of 44-60 us against a copying one of 72-79 us
         * (0.58-0.77x in eight runs, once within the target); prefetching for the writes,
         * non-temporal stores and writing or reading backwards gained nothing. While other
         * processes shared the CPUs, the zero-copy round trip at times took 300-390 us. */
        {&shl_results_zero_copy,
         "a 1 MiB round trip is mostly its 2 MiB crossing between the cores, copied or not; the "
         "copies it saves run in each core's own cache, overlapped with that crossing"},
        /* Met there at 1.2-1.6x (60-75 GB/s against memcpy's 45-53) in every run but those
         * in which the host slowed every transfer between the vCPUs: 10-16 GB/s against
         * 43-52 then, as memcpy runs within one core and does not notice. A memcpy over a working
         * set as large as the stream's 8 MiB in flight, rather than one buffer, was only
         * about 10% slower there: at 1 MiB the floor's two buffers already overflow the 1 MiB
         * L2, so the floor stays the plain copy of one message. */
        {&shl_results_efficiency[3],
         "the stream moves each byte between two cores and memcpy within one: when the host "
         "slows that move (far vCPUs, busy neighbours), the stream falls behind"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].target == target)
            return known[i].why;
    return NULL;
}

bool shl_results_target_met(const struct shl_results_target *target, double value)
{
    return target->better == SHL_RESULTS_LOWER ? value <= target->limit : value >= target->limit;
}
