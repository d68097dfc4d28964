#include "bench/bench_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_crosscheck.h"
#include "bench/bench_floor.h"
#include "bench/bench_load.h"
#include "bench/bench_pingpong.h"
#include "bench/bench_session.h"
#include "bench/bench_setup.h"
#include "bench/bench_stream.h"
#include "bench/bench_zerocopy.h"
#include "src/core/shl_cache_line.h"
#include "src/timing/shl_machine.h"
#include "src/transport/shl_notify.h"

#define WAKEUP_WARMUP 10
#define CROSSCHECK_SLICES 3
#define LOAD_WARMUP 20
#define LOAD_SIZE 64
#define PROCESS_COST_S 0.05 /* create, fork, join, reap: a rough figure for the estimate */

/* Adaptive is weighed against the strategy it must equal, measured at the same moments: spin
 * back to back, where adaptive should never sleep, and futex when the peer is idle, since both
 * wake it with the same futex. Eight slices, adaptive (1) and the reference (0) in the order
 * A R R A R A A R, cancel a steady drift of the machine between them and spread a burst of it
 * over both: on this VM a wake-up drifts by tens of percent from one second to the next, and
 * the host moves the vCPUs between near and far cores within minutes. The row holds
 * adaptive's figures over its own slices; `interleaved_ratio` is its p50 over the
 * reference's p50 in the others. */
static const bool adaptive_slices[] = {1, 0, 0, 1, 0, 1, 1, 0};
#define ADAPTIVE_SLICES (sizeof adaptive_slices / sizeof adaptive_slices[0])

static int add_job(struct bench_jobs *jobs, const struct bench_job *job, struct shl_error *err)
{
    if (jobs->n == jobs->cap) {
        size_t cap = jobs->cap ? jobs->cap * 2 : 128;
        struct bench_job *grown = realloc(jobs->jobs, cap * sizeof *grown);
        if (grown == NULL)
            return shl_fail(err, "realloc", ENOMEM, "%zu jobs", cap);
        jobs->jobs = grown;
        jobs->cap = cap;
    }
    jobs->jobs[jobs->n++] = *job;
    return 0;
}

void bench_jobs_free(struct bench_jobs *jobs)
{
    free(jobs->jobs);
    jobs->jobs = NULL;
    jobs->n = jobs->cap = 0;
}

/* splitmix64: one seed, the same order on every machine. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int same_ladder(const struct bench_job *a, const struct bench_job *b)
{
    return a->kind == JOB_LOAD && b->kind == JOB_LOAD && a->transport == b->transport &&
           a->notify == b->notify && a->repetition == b->repetition;
}

int bench_jobs_repeat(struct bench_jobs *jobs, unsigned repetitions, uint64_t seed,
                      struct shl_error *err)
{
    if (repetitions <= 1)
        return 0;
    size_t one = jobs->n, total = one * repetitions;
    struct bench_job *all = malloc((total ? total : 1) * sizeof *all);
    size_t *unit_start = malloc((total ? total : 1) * sizeof *unit_start);
    if (all == NULL || unit_start == NULL) {
        free(all);
        free(unit_start);
        return shl_fail(err, "malloc", ENOMEM, "%zu jobs", total);
    }
    for (unsigned r = 0; r < repetitions; r++)
        for (size_t i = 0; i < one; i++) {
            all[r * one + i] = jobs->jobs[i];
            all[r * one + i].repetition = r;
        }
    size_t units = 0;
    for (size_t i = 0; i < total; i++)
        if (i == 0 || !same_ladder(&all[i - 1], &all[i]))
            unit_start[units++] = i;
    /* Fisher-Yates over the units, then the jobs copied back unit by unit. */
    size_t *order = malloc((units ? units : 1) * sizeof *order);
    if (order == NULL) {
        free(all);
        free(unit_start);
        return shl_fail(err, "malloc", ENOMEM, "%zu units", units);
    }
    for (size_t u = 0; u < units; u++)
        order[u] = u;
    uint64_t state = seed;
    for (size_t u = units; u > 1; u--) {
        size_t k = (size_t)(next_random(&state) % u);
        size_t t = order[u - 1];
        order[u - 1] = order[k];
        order[k] = t;
    }
    struct bench_jobs shuffled = {0};
    int rc = 0;
    for (size_t u = 0; u < units && rc == 0; u++) {
        size_t start = unit_start[order[u]];
        size_t end = order[u] + 1 < units ? unit_start[order[u] + 1] : total;
        for (size_t i = start; i < end && rc == 0; i++)
            rc = add_job(&shuffled, &all[i], err);
    }
    free(order);
    free(unit_start);
    free(all);
    if (rc != 0) {
        bench_jobs_free(&shuffled);
        return -1;
    }
    bench_jobs_free(jobs);
    *jobs = shuffled;
    return 0;
}

double bench_jobs_expected_s(const struct bench_jobs *jobs)
{
    double total = 0;
    for (size_t i = 0; i < jobs->n; i++)
        total += jobs->jobs[i].expected_s;
    return total;
}

static int wanted(const struct bench_options *opts, const char *name)
{
    if (opts->n_transports == 0)
        return 1;
    for (size_t i = 0; i < opts->n_transports; i++)
        if (strcmp(opts->transports[i], name) == 0)
            return 1;
    return 0;
}

static int crosscheck_size(const struct bench_plan *plan, size_t size)
{
    for (size_t i = 0; i < plan->n_crosscheck_sizes; i++)
        if (plan->crosscheck_sizes[i] == size)
            return 1;
    return 0;
}

/* Messages for one offered rate: its duration's worth, within the plan's bounds. */
static size_t load_messages(const struct bench_plan *plan, double rate_hz)
{
    double n = rate_hz * (double)plan->load_duration_ns / 1e9;
    if (n < (double)plan->load_min_messages)
        n = (double)plan->load_min_messages;
    if (n > (double)plan->load_max_messages)
        n = (double)plan->load_max_messages;
    return (size_t)n;
}

/* One job per (transport, strategy) for each kind, in the order: all sizes of latency (each
 * kernel transport's plain cross-check right beside it), then throughput, then wake-up. */
static int plan_channel_jobs(const struct bench_options *opts, const struct bench_env *env,
                             const size_t *sizes, size_t n_sizes, enum bench_job_kind kind,
                             struct bench_jobs *jobs, struct shl_error *err)
{
    const struct bench_plan *plan = &env->plan;
    double budget_s = (double)plan->budget_ns / 1e9;
    for (size_t ti = 0; shl_transports[ti] != NULL; ti++) {
        const struct shl_transport *t = shl_transports[ti];
        if (!wanted(opts, t->name))
            continue;
        /* A kernel transport runs once, with no strategy; a ring once per strategy. */
        int ring = t->kind == SHL_TRANSPORT_RING;
        int first = ring ? SHL_NOTIFY_FIRST : SHL_NOTIFY_NONE;
        int end = ring ? SHL_NOTIFY_COUNT : SHL_NOTIFY_NONE + 1;
        for (int notify = first; notify < end; notify++) {
            struct bench_job job = {.kind = kind,
                                    .transport = t,
                                    .name = t->name,
                                    .notify = (enum shl_notify_kind)notify};
            if (kind == JOB_LOAD) {
                /* The whole ladder is planned; the rates past saturation are skipped as the
                 * run finds it (bench_main), so only the fixed rates count in the estimate. */
                for (double rate = bench_load_next_rate(0); rate != 0;
                     rate = bench_load_next_rate(rate)) {
                    job.size = LOAD_SIZE;
                    job.rate_hz = rate;
                    job.samples = load_messages(plan, rate);
                    job.expected_s = rate <= 1e6 ? (double)job.samples / rate + PROCESS_COST_S : 0;
                    if (add_job(jobs, &job, err) != 0)
                        return -1;
                }
                continue;
            }
            if (kind == JOB_WAKEUP) {
                for (int r = 0; r < 3; r++) {
                    job.size = plan->wakeup_size;
                    job.rate_hz = bench_wakeup_rates_hz[r];
                    job.samples = plan->wakeup_samples[r];
                    job.expected_s = (double)job.samples / job.rate_hz + PROCESS_COST_S;
                    if (notify == SHL_NOTIFY_ADAPTIVE) /* futex's slices beside its own */
                        job.expected_s = 2 * (double)job.samples / job.rate_hz +
                                         ADAPTIVE_SLICES * PROCESS_COST_S;
                    if (add_job(jobs, &job, err) != 0)
                        return -1;
                }
                continue;
            }
            for (size_t k = 0; k < n_sizes; k++) {
                job.size = sizes[k];
                job.expected_s = (kind == JOB_THROUGHPUT ? (double)plan->stream_budget_ns / 1e9
                                                         : budget_s) +
                                 PROCESS_COST_S;
                /* A shared-memory latency job measures both floors after itself. */
                if (kind == JOB_LATENCY && ring)
                    job.expected_s += 2 * ((double)plan->canary_budget_ns / 1e9 + PROCESS_COST_S);
                if (kind == JOB_LATENCY && notify == SHL_NOTIFY_ADAPTIVE) /* and spin's slices */
                    job.expected_s += budget_s + (ADAPTIVE_SLICES - 1) * PROCESS_COST_S;
                if (add_job(jobs, &job, err) != 0)
                    return -1;
                if (kind == JOB_LATENCY && !ring && (opts->benchmarks & BENCH_CROSSCHECK) &&
                    bench_crosscheck_supports(t->name) && crosscheck_size(plan, sizes[k])) {
                    struct bench_job cc = job;
                    cc.kind = JOB_CROSSCHECK;
                    cc.expected_s = 2 * budget_s + 2 * CROSSCHECK_SLICES * PROCESS_COST_S;
                    if (add_job(jobs, &cc, err) != 0)
                        return -1;
                }
            }
        }
    }
    return 0;
}

#define FANOUT_SIZE 64
#define FANOUT_INTERVAL_NS 100000
#define FANOUT_WARMUP 50
static const uint32_t fanout_subscribers[] = {1, 2, 4, 8};

/* One publisher and 1, 2, 4 and 8 subscribers for each fan-out transport and strategy,
 * spinning ones included: a spin the machine cannot run is skipped, with the reason, when
 * its turn comes. */
static int plan_fanout_jobs(const struct bench_options *opts, const struct bench_env *env,
                            struct bench_jobs *jobs, struct shl_error *err)
{
    for (int k = 0; k < BENCH_FANOUT_KINDS; k++) {
        const struct bench_fanout_kind_info *info = &bench_fanout_kinds[k];
        if (!wanted(opts, info->name))
            continue;
        int first = info->notify ? SHL_NOTIFY_FIRST : SHL_NOTIFY_NONE;
        int end = info->notify ? SHL_NOTIFY_COUNT : SHL_NOTIFY_NONE + 1;
        for (int notify = first; notify < end; notify++) {
            for (size_t n = 0; n < sizeof fanout_subscribers / sizeof fanout_subscribers[0]; n++) {
                struct bench_job job = {
                    .kind = JOB_FANOUT,
                    .name = info->name,
                    .notify = (enum shl_notify_kind)notify,
                    .size = FANOUT_SIZE,
                    .fanout = (enum bench_fanout_kind)k,
                    .subscribers = fanout_subscribers[n],
                    .expected_s = (double)(env->plan.fanout_messages + FANOUT_WARMUP) *
                                      FANOUT_INTERVAL_NS / 1e9 +
                                  PROCESS_COST_S * (1 + fanout_subscribers[n])};
                if (add_job(jobs, &job, err) != 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* The zero-copy round trip or stream (kind) of every transport that has one, at every size:
 * a ring with its spinning strategy only (the others differ from it as in the copy rows), a
 * middleware as it is. */
static int plan_zerocopy_jobs(const struct bench_options *opts, const struct bench_env *env,
                              const size_t *sizes, size_t n_sizes, enum bench_job_kind kind,
                              struct bench_jobs *jobs, struct shl_error *err)
{
    int64_t budget_ns = kind == JOB_ZEROCOPY ? env->plan.budget_ns : env->plan.stream_budget_ns;
    for (size_t ti = 0; shl_transports[ti] != NULL; ti++) {
        const struct shl_transport *t = shl_transports[ti];
        if (t->loan == NULL || !wanted(opts, t->name))
            continue;
        for (size_t k = 0; k < n_sizes; k++) {
            struct bench_job job = {.kind = kind,
                                    .transport = t,
                                    .name = t->name,
                                    .size = sizes[k],
                                    .notify = t->kind == SHL_TRANSPORT_RING ? SHL_NOTIFY_SPIN
                                                                            : SHL_NOTIFY_NONE,
                                    .expected_s = (double)budget_ns / 1e9 + PROCESS_COST_S};
            if (add_job(jobs, &job, err) != 0)
                return -1;
        }
    }
    return 0;
}

int bench_job_needs_roudi(const struct bench_job *job)
{
    if (job->kind == JOB_FANOUT)
        return job->fanout == BENCH_FANOUT_ICEORYX || job->fanout == BENCH_FANOUT_ICEORYX_WAITSET;
    return job->transport != NULL && job->transport->needs_roudi;
}

int bench_jobs_plan(const struct bench_options *opts, const struct bench_env *env,
                    struct bench_jobs *jobs, struct shl_error *err)
{
    memset(jobs, 0, sizeof *jobs);
    const struct bench_plan *plan = &env->plan;
    const size_t *sizes = opts->n_sizes ? opts->sizes : plan->default_sizes;
    size_t n_sizes = opts->n_sizes ? opts->n_sizes : plan->n_default_sizes;
    double budget_s = (double)plan->budget_ns / 1e9;
    int rc = 0;
    if (opts->benchmarks & BENCH_FLOOR) {
        for (int form = BENCH_FLOOR_ONE_LINE; form <= BENCH_FLOOR_FUTEX && rc == 0; form++) {
            struct bench_job line = {.kind = JOB_CACHELINE,
                                     .name = bench_floor_form_names[form],
                                     .size = SHL_CACHE_LINE,
                                     .floor_form = (enum bench_floor_form)form,
                                     .expected_s = budget_s + PROCESS_COST_S};
            rc |= add_job(jobs, &line, err);
        }
        for (size_t k = 0; k < n_sizes && rc == 0; k++) {
            struct bench_job copy = {
                .kind = JOB_MEMCPY, .name = "memcpy", .size = sizes[k], .expected_s = budget_s / 4};
            rc |= add_job(jobs, &copy, err);
        }
    }
    /* The benchmarks planned per transport and size, in the order they run; the plain
     * cross-check joins latency, which it is there to check. */
    static const struct {
        unsigned bit;
        enum bench_job_kind kind;
        int (*plan)(const struct bench_options *, const struct bench_env *, const size_t *, size_t,
                    enum bench_job_kind, struct bench_jobs *, struct shl_error *);
    } per_size[] = {
        {BENCH_LATENCY, JOB_LATENCY, plan_channel_jobs},
        {BENCH_THROUGHPUT, JOB_THROUGHPUT, plan_channel_jobs},
        {BENCH_WAKEUP, JOB_WAKEUP, plan_channel_jobs},
        {BENCH_LOAD, JOB_LOAD, plan_channel_jobs},
        {BENCH_ZEROCOPY, JOB_ZEROCOPY, plan_zerocopy_jobs},
        {BENCH_ZEROCOPY_THROUGHPUT, JOB_ZEROCOPY_THROUGHPUT, plan_zerocopy_jobs},
    };
    for (size_t i = 0; i < sizeof per_size / sizeof per_size[0] && rc == 0; i++)
        if (opts->benchmarks & per_size[i].bit)
            rc = per_size[i].plan(opts, env, sizes, n_sizes, per_size[i].kind, jobs, err);
    if (rc == 0 && (opts->benchmarks & BENCH_FANOUT))
        rc = plan_fanout_jobs(opts, env, jobs, err);
    if (rc == 0 && (opts->benchmarks & BENCH_SETUP)) {
        /* The memory under each ring transport, named as its transport: `shmlab lifecycle`
         * takes every one (a mechanism, or anon). */
        for (size_t ti = 0; shl_transports[ti] != NULL && rc == 0; ti++) {
            const char *mechanism = shl_transports[ti]->name;
            if (shl_transports[ti]->kind != SHL_TRANSPORT_RING || !wanted(opts, mechanism))
                continue;
            for (int k = 0; k < 3 && rc == 0; k++) {
                size_t size = plan->setup_sizes[k];
                /* Touching a page costs about a microsecond here; add process start-up. */
                double per_run = 0.003 + (double)(size / 4096) * 1.5e-6;
                struct bench_job job = {
                    .kind = JOB_SETUP,
                    .name = mechanism,
                    .size = size,
                    .expected_s = per_run * (plan->setup_runs + plan->setup_warmup) + 0.05};
                rc = add_job(jobs, &job, err);
            }
        }
    }
    if (rc != 0)
        bench_jobs_free(jobs);
    return rc;
}

static const char *job_benchmark(enum bench_job_kind kind)
{
    switch (kind) {
    case JOB_CACHELINE:
    case JOB_MEMCPY: return "floor";
    case JOB_LATENCY: return "latency";
    case JOB_CROSSCHECK: return "crosscheck";
    case JOB_THROUGHPUT: return "throughput";
    case JOB_WAKEUP: return "wakeup";
    case JOB_LOAD: return "load";
    case JOB_FANOUT: return "fanout";
    case JOB_ZEROCOPY: return "zerocopy";
    case JOB_ZEROCOPY_THROUGHPUT: return "zerocopy-throughput";
    case JOB_SETUP: break;
    }
    return "setup";
}

void bench_job_describe(const struct bench_job *job, char *buf, size_t len)
{
    char rate[32] = "";
    if (job->kind == JOB_WAKEUP || job->kind == JOB_LOAD)
        snprintf(rate, sizeof rate, " @ %.0f Hz", job->rate_hz);
    else if (job->kind == JOB_FANOUT)
        snprintf(rate, sizeof rate, " to %u subscriber%s", job->subscribers,
                 job->subscribers == 1 ? "" : "s");
    const char *notify = shl_notify_name(job->notify);
    snprintf(buf, len, "%s %s%s%s %zu B%s", job_benchmark(job->kind), job->name,
             notify[0] ? ":" : "", notify, job->size, rate);
}

static double per_message(int64_t cpu_ns, uint64_t messages)
{
    return messages ? (double)cpu_ns / (double)messages : NAN;
}

/* Fills the CPU columns; the peer must have seen exactly the messages this side timed. */
static int set_cpu(struct shl_results_row *row, int64_t cpu_a, uint64_t messages,
                   const struct bench_peer_report *peer, struct shl_error *err)
{
    if (peer->messages != messages)
        return shl_fail(err, "verify", EBADMSG, "peer received %llu of %llu timed messages",
                        (unsigned long long)peer->messages, (unsigned long long)messages);
    row->messages = messages;
    row->cpu_ns_per_msg_a = per_message(cpu_a, messages);
    row->cpu_ns_per_msg_b = per_message(peer->cpu_ns, messages);
    row->cpu_ns_per_msg = per_message(cpu_a + peer->cpu_ns, messages);
    row->voluntary_b = peer->voluntary;
    row->involuntary_b = peer->involuntary;
    return 0;
}

/* The row takes the histogram over; the measurement's own copy is left empty. */
static int give_histogram(struct shl_results_row *row, struct shl_hist *hist, struct shl_error *err)
{
    row->hist = malloc(sizeof *row->hist);
    if (row->hist == NULL)
        return shl_fail(err, "malloc", ENOMEM, "histogram");
    *row->hist = *hist;
    hist->counts = NULL;
    return 0;
}

static int is_adaptive(const struct bench_job *job)
{
    return job->notify == SHL_NOTIFY_ADAPTIVE;
}

/* A floor measured briefly: between configurations, and at start-up. */
static struct bench_floor_plan brief_floor(const struct bench_env *env)
{
    return (struct bench_floor_plan){
        .warmup = 100,
        .min_samples = 100,
        .max_samples = env->plan.canary_samples,
        .budget_ns = env->plan.canary_budget_ns,
        .timer = env->timer,
        .peer_cpu = env->cpu_b,
        .timeout_ms = env->timeout_ms,
    };
}

static int measure_moment(const struct bench_env *env, struct bench_floor_moment *m,
                          struct shl_error *err)
{
    struct bench_floor_plan plan = brief_floor(env);
    return bench_floor_moment_measure(&plan, m, err);
}

/* A session of the job's transport, strategy and size between the run's two CPUs. */
static struct bench_session_config session_of(const struct bench_job *job,
                                              const struct bench_env *env, size_t depth,
                                              enum bench_serve_mode mode)
{
    return (struct bench_session_config){.transport = job->transport,
                                         .notify = job->notify,
                                         .size = job->size,
                                         .depth = depth,
                                         .peer_cpu = env->cpu_b,
                                         .timeout_ms = env->timeout_ms,
                                         .mode = mode,
                                         .spin_budget_ns = env->spin_budget_ns};
}

/* One ping-pong session of the job's transport, strategy and size (at the job's rate for
 * wake-up jobs), with one of `share` equal parts of its samples and time; pp must be freed
 * by the caller, also on failure. */
static int measure_pingpong(const struct bench_job *job, const struct bench_env *env,
                            unsigned share, struct bench_pingpong *pp,
                            struct bench_peer_report *peer, struct shl_error *err)
{
    const struct bench_plan *plan = &env->plan;
    struct bench_session_config cfg = session_of(job, env, 1, BENCH_SERVE_ECHO);
    size_t most = plan->max_samples / share;
    *pp = (struct bench_pingpong){
        .warmup = plan->warmup,
        .min_samples = plan->min_samples,
        .max_samples = most > plan->min_samples ? most : plan->min_samples,
        .budget_ns = plan->budget_ns / share,
        .timer = env->timer,
    };
    if (job->kind == JOB_WAKEUP) {
        pp->warmup = WAKEUP_WARMUP;
        pp->min_samples = pp->max_samples = job->samples / share > 0 ? job->samples / share : 1;
        pp->budget_ns = 0;
        pp->rate_hz = job->rate_hz;
    }
    return bench_session_run(&cfg, bench_pingpong_measure, pp, peer, err);
}

static enum shl_notify_kind adaptive_reference(const struct bench_job *job)
{
    return job->kind == JOB_WAKEUP ? SHL_NOTIFY_FUTEX : SHL_NOTIFY_SPIN;
}

/* Appends n samples to a growing array. */
static int append(double **all, size_t *n_all, const double *more, size_t n, struct shl_error *err)
{
    double *grown = realloc(*all, (*n_all + n + 1) * sizeof *grown);
    if (grown == NULL)
        return shl_fail(err, "realloc", ENOMEM, "%zu samples", *n_all + n);
    memcpy(grown + *n_all, more, n * sizeof *more);
    *all = grown;
    *n_all += n;
    return 0;
}

/* The reference strategy's figures over its slices of an adaptive job. */
struct interleaved_reference {
    double p50;
    double cpu_ns_per_msg_b; /* the serving peer's */
};

/* An adaptive job in adaptive_slices, each with a quarter of a configuration's samples and
 * time: `own` and `peer` sum adaptive's slices (its samples, histogram, CPU and switches),
 * and `ref` holds the reference's over the others. A peer never receives more than was
 * sent, so the totals are checked as one. */
static int measure_interleaved(const struct bench_job *job, const struct bench_env *env,
                               struct bench_pingpong *own, struct bench_peer_report *peer,
                               struct interleaved_reference *ref, struct shl_error *err)
{
    *own = (struct bench_pingpong){.samples = NULL};
    *peer = (struct bench_peer_report){.failed = 0};
    double *reference = NULL;
    size_t n_reference = 0;
    int64_t reference_cpu_b = 0;
    uint64_t reference_messages = 0;
    struct bench_job slice = *job;
    int rc = shl_hist_init(&own->hist, SHL_HIST_LATENCY_HIGHEST_NS, err);
    for (size_t i = 0; i < ADAPTIVE_SLICES && rc == 0; i++) {
        bool ours = adaptive_slices[i];
        slice.notify = ours ? job->notify : adaptive_reference(job);
        struct bench_pingpong pp;
        struct bench_peer_report theirs;
        rc = measure_pingpong(&slice, env, ADAPTIVE_SLICES / 2, &pp, &theirs, err);
        if (rc == 0 && !ours) {
            rc = append(&reference, &n_reference, pp.samples, pp.n, err);
            reference_cpu_b += theirs.cpu_ns;
            reference_messages += theirs.messages;
        }
        if (rc == 0 && ours) {
            rc = append(&own->samples, &own->n, pp.samples, pp.n, err);
            if (rc == 0)
                rc = shl_hist_merge(&own->hist, &pp.hist, err);
            own->cpu_ns += pp.cpu_ns;
            own->messages += pp.messages;
            own->voluntary += pp.voluntary;
            own->involuntary += pp.involuntary;
            peer->cpu_ns += theirs.cpu_ns;
            peer->messages += theirs.messages;
            peer->voluntary += theirs.voluntary;
            peer->involuntary += theirs.involuntary;
        }
        bench_pingpong_free(&pp);
    }
    if (rc == 0) {
        struct shl_stats stats;
        shl_stats_compute(reference, n_reference, &stats);
        ref->p50 = stats.p50;
        ref->cpu_ns_per_msg_b = per_message(reference_cpu_b, reference_messages);
    }
    free(reference);
    return rc;
}

/* A shared-memory latency configuration is measured between two moments of the floors: the
 * one after the previous configuration when that was one too, else a fresh one. */
static int run_pingpong(const struct bench_job *job, const struct bench_env *env,
                        const struct bench_floor_moment *last, struct shl_results_row *row,
                        struct shl_error *err)
{
    int between_floors = job->kind == JOB_LATENCY && job->notify != SHL_NOTIFY_NONE;
    struct bench_floor_moment before = *last, after;
    if (between_floors && !before.fresh && measure_moment(env, &before, err) != 0)
        return -1;
    struct bench_pingpong pp;
    struct bench_peer_report peer;
    struct interleaved_reference ref;
    int rc = is_adaptive(job) ? measure_interleaved(job, env, &pp, &peer, &ref, err)
                              : measure_pingpong(job, env, 1, &pp, &peer, err);
    if (rc == 0)
        rc = set_cpu(row, pp.cpu_ns, pp.messages, &peer, err);
    if (rc == 0) {
        shl_stats_compute(pp.samples, pp.n, &row->stats);
        row->voluntary_a = pp.voluntary;
        row->involuntary_a = pp.involuntary;
        if (job->kind == JOB_WAKEUP)
            row->rate_hz = job->rate_hz;
        if (is_adaptive(job)) {
            row->spin_budget_ns = (double)env->spin_budget_ns;
            row->interleaved_with = adaptive_reference(job);
            row->interleaved_ratio = row->stats.p50 / ref.p50;
            row->interleaved_cpu_b_ratio = row->cpu_ns_per_msg_b / ref.cpu_ns_per_msg_b;
        }
        rc = give_histogram(row, &pp.hist, err);
    }
    bench_pingpong_free(&pp);
    if (rc == 0 && between_floors) {
        rc = measure_moment(env, &after, err);
        if (rc == 0) {
            struct bench_floor_ratios r;
            bench_floor_compare(&before, &after, row->stats.p50, &r);
            row->floor_line_ns = r.line_ns;
            row->floor_pair_ns = r.pair_ns;
            row->ratio = r.ratio_line;
            row->ratio_pair = r.ratio_pair;
            row->floor_move = r.move;
            row->floor_moved = r.moved;
            snprintf(row->ratio_to, sizeof row->ratio_to, "cacheline");
            *env->moment = after;
            env->moment->fresh = 1;
        }
    }
    return rc;
}

/* One offered rate, open loop, latency from each message's intended send time. */
static int run_load(const struct bench_job *job, const struct bench_env *env,
                    struct shl_results_row *row, struct shl_error *err)
{
    size_t n = job->samples;
    size_t bytes = n * sizeof(uint64_t);
    uint64_t *received = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
                              0);
    if (received == MAP_FAILED)
        return shl_fail(err, "mmap", errno, "arrival times of %zu messages", n);
    struct bench_record record = {
        .timer = env->timer, .first_seq = LOAD_WARMUP + 1, .n = n, .received = received};
    struct bench_session_config cfg = session_of(job, env, bench_stream_depth(job->size),
                                                 BENCH_SERVE_RECORD);
    cfg.record = &record;
    struct bench_load_run run = {
        .timer = env->timer, .rate_hz = job->rate_hz, .warmup = LOAD_WARMUP, .record = &record};
    struct bench_peer_report peer;
    struct shl_hist hist;
    double *latencies = malloc(n * sizeof *latencies);
    int rc = latencies == NULL ? shl_fail(err, "malloc", ENOMEM, "%zu latencies", n)
                               : shl_hist_init(&hist, SHL_HIST_LATENCY_HIGHEST_NS, err);
    if (rc == 0)
        rc = bench_session_run(&cfg, bench_load_measure, &run, &peer, err);
    if (rc == 0)
        rc = set_cpu(row, run.cpu_ns, n, &peer, err);
    if (rc == 0) {
        row->achieved_hz = bench_load_record(env->timer, &run.schedule, received, &hist, latencies);
        row->offered_hz = job->rate_hz;
        row->reached = row->achieved_hz >= BENCH_LOAD_REACHED * job->rate_hz;
        row->voluntary_a = run.voluntary;
        row->involuntary_a = run.involuntary;
        if (is_adaptive(job))
            row->spin_budget_ns = (double)env->spin_budget_ns;
        shl_stats_compute(latencies, n, &row->stats);
        rc = give_histogram(row, &hist, err);
    }
    if (latencies != NULL)
        shl_hist_free(&hist);
    free(latencies);
    munmap(received, bytes);
    return rc;
}

int bench_calibrate_spin_budget(const struct bench_env *env, double *pair_ns, double *futex_ns,
                                long *budget_ns, struct shl_error *err)
{
    struct bench_floor_plan plan = brief_floor(env);
    if (bench_floor_p50(&plan, BENCH_FLOOR_LINE_PER_DIRECTION, pair_ns, err) != 0 ||
        bench_floor_p50(&plan, BENCH_FLOOR_FUTEX, futex_ns, err) != 0)
        return -1;
    *budget_ns = shl_notify_spin_budget_ns(*pair_ns, *futex_ns);
    return 0;
}

static int run_stream(const struct bench_job *job, const struct bench_env *env,
                      struct shl_results_row *row, struct shl_error *err)
{
    struct bench_session_config cfg = session_of(job, env, bench_stream_depth(job->size),
                                                 BENCH_SERVE_SINK);
    struct bench_stream st = {
        .min_rounds = 3,
        .max_rounds = env->plan.max_samples,
        .budget_ns = env->plan.stream_budget_ns,
    };
    struct bench_peer_report peer;
    int rc = bench_session_run(&cfg, bench_stream_measure, &st, &peer, err);
    if (rc == 0)
        rc = set_cpu(row, st.cpu_ns, st.messages, &peer, err);
    if (rc == 0)
        shl_stats_compute(st.samples, st.n, &row->stats);
    free(st.samples);
    return rc;
}

static int run_floor(const struct bench_job *job, const struct bench_env *env,
                     struct shl_results_row *row, struct shl_error *err)
{
    struct bench_floor_plan plan = {
        .warmup = env->plan.warmup,
        .min_samples = env->plan.min_samples,
        .max_samples = env->plan.max_samples,
        .budget_ns = job->kind == JOB_MEMCPY ? env->plan.budget_ns / 4 : env->plan.budget_ns,
        .timer = env->timer,
        .peer_cpu = env->cpu_b,
        .timeout_ms = env->timeout_ms,
    };
    struct bench_floor_result out;
    struct bench_peer_report peer;
    int rc;
    if (job->kind == JOB_MEMCPY) {
        rc = bench_floor_memcpy(&plan, job->size, &out, err);
        row->messages = out.messages;
    } else {
        rc = bench_floor_roundtrip(&plan, job->floor_form, &out, &peer, err);
        /* The spinning peer also spins while this side reads the clock between batches, so
         * its figure is per bounce of the whole measurement, warm-up excluded. */
        if (rc == 0) {
            row->messages = out.messages;
            row->cpu_ns_per_msg_a = per_message(out.cpu_ns, out.messages);
            row->cpu_ns_per_msg_b = per_message(peer.cpu_ns, peer.messages);
            row->cpu_ns_per_msg = row->cpu_ns_per_msg_a + row->cpu_ns_per_msg_b;
        }
    }
    if (rc == 0)
        shl_stats_compute(out.samples, out.n, &row->stats);
    if (rc == 0 && job->kind == JOB_CACHELINE)
        rc = give_histogram(row, &out.hist, err);
    bench_floor_result_free(&out);
    return rc;
}

/* The plain ping-pong and shmlab's own, in alternating slices of the budget, so that both see
 * the same state of a shared machine; the row holds the plain one's statistics and their
 * ratio. */
static int run_crosscheck(const struct bench_job *job, const struct bench_env *env,
                          struct shl_results_row *row, struct shl_error *err)
{
    const struct bench_plan *plan = &env->plan;
    double *plain = NULL, *shmlab = NULL;
    size_t n_plain = 0, n_shmlab = 0;
    int rc = 0;
    for (int slice = 0; slice < CROSSCHECK_SLICES && rc == 0; slice++) {
        struct bench_crosscheck cc = {
            .size = job->size,
            .warmup = plan->warmup,
            .min_samples = plan->min_samples,
            .max_samples = plan->max_samples / CROSSCHECK_SLICES,
            .budget_ns = plan->budget_ns / CROSSCHECK_SLICES,
            .peer_cpu = env->cpu_b,
            .timeout_ms = env->timeout_ms,
        };
        rc = bench_crosscheck_run(job->name, &cc, err);
        if (rc == 0)
            rc = append(&plain, &n_plain, cc.samples, cc.n, err);
        free(cc.samples);
        struct bench_pingpong pp = {.samples = NULL};
        struct bench_peer_report peer;
        if (rc == 0)
            rc = measure_pingpong(job, env, CROSSCHECK_SLICES, &pp, &peer, err);
        if (rc == 0)
            rc = append(&shmlab, &n_shmlab, pp.samples, pp.n, err);
        bench_pingpong_free(&pp);
    }
    if (rc == 0) {
        struct shl_stats theirs;
        shl_stats_compute(shmlab, n_shmlab, &theirs);
        shl_stats_compute(plain, n_plain, &row->stats);
        row->messages = n_plain;
        row->ratio = row->stats.p50 / theirs.p50;
        snprintf(row->ratio_to, sizeof row->ratio_to, "latency");
    }
    free(plain);
    free(shmlab);
    return rc;
}

static int run_setup(const struct bench_job *job, const struct bench_env *env,
                     struct shl_results_row *row, struct shl_error *err)
{
    if (env->shmlab == NULL)
        return shl_fail(err, "setup", ENOENT, "no shmlab binary in this build");
    char json[4096];
    snprintf(json, sizeof json, "%s/hyperfine-%s-%zu.json", env->out_dir, job->name, job->size);
    struct bench_setup s = {
        .hyperfine = env->hyperfine,
        .shmlab = env->shmlab,
        .mechanism = job->name,
        .size = job->size,
        .runs = env->plan.setup_runs,
        .warmup = env->plan.setup_warmup,
        .json_path = json,
    };
    int rc = bench_setup_run(&s, err);
    if (rc == 0) {
        shl_stats_compute(s.samples, s.n, &row->stats);
        row->messages = s.n;
    }
    free(s.samples);
    return rc;
}

/* Every process of a fan-out is a fresh child (bench_fanout.h); iceoryx's register with
 * RouDi themselves and exit, so the driver stays unregistered. */
static int run_fanout(const struct bench_job *job, const struct bench_env *env,
                      struct shl_results_row *row, struct shl_error *err)
{
    struct bench_fanout_plan plan = {
        .kind = job->fanout,
        .wait = job->notify,
        .subscribers = job->subscribers,
        .size = job->size,
        .warmup = FANOUT_WARMUP,
        .messages = env->plan.fanout_messages,
        .interval_ns = FANOUT_INTERVAL_NS,
        .timeout_ms = env->timeout_ms,
    };
    struct bench_fanout_result r;
    if (bench_fanout_run(&plan, &r, err) != 0)
        return -1;
    row->stats = r.all;
    row->subscribers = job->subscribers;
    row->slowest_p50 = r.per[r.slowest].p50;
    row->slowest_p99 = r.per[r.slowest].p99;
    row->publish_ns = r.publish_ns;
    row->cpu_ns_per_msg_a = r.publisher_cpu_ns;
    row->messages = (uint64_t)plan.messages * plan.subscribers;
    row->rate_hz = 1e9 / FANOUT_INTERVAL_NS;
    return 0;
}

int bench_fanout_job_unrunnable(const struct bench_job *job, char *why, size_t len)
{
    struct bench_fanout_plan plan = {
        .kind = job->fanout, .wait = job->notify, .subscribers = job->subscribers};
    return job->kind == JOB_FANOUT && bench_fanout_unrunnable(&plan, why, len);
}

static int run_zerocopy(const struct bench_job *job, const struct bench_env *env,
                        struct shl_results_row *row, struct shl_error *err)
{
    bool stream = job->kind == JOB_ZEROCOPY_THROUGHPUT;
    struct bench_zerocopy z = {
        .transport = job->transport,
        .notify = job->notify,
        .stream = stream,
        .size = job->size,
        .warmup = env->plan.warmup,
        /* A stream's sample is a round of many messages, as the copying throughput rows'. */
        .min_samples = stream ? 3 : env->plan.min_samples,
        .max_samples = env->plan.max_samples,
        .budget_ns = stream ? env->plan.stream_budget_ns : env->plan.budget_ns,
        .peer_cpu = env->cpu_b,
        .timeout_ms = env->timeout_ms,
    };
    int rc = bench_zerocopy_run(&z, err);
    if (rc == 0) {
        shl_stats_compute(z.samples, z.n, &row->stats);
        row->messages = z.messages;
        row->cpu_ns_per_msg_a = per_message(z.cpu_ns, z.messages);
    }
    free(z.samples);
    return rc;
}

/* The job's row before anything is measured: every runner hands back an initialised row. */
static void start_row(const struct bench_job *job, struct shl_results_row *row)
{
    int throughput = job->kind == JOB_THROUGHPUT || job->kind == JOB_MEMCPY ||
                     job->kind == JOB_ZEROCOPY_THROUGHPUT;
    shl_results_row_init(row, job_benchmark(job->kind), job->name, job->notify, job->size,
                         throughput ? "MB/s" : "ns");
    row->repetition = job->repetition;
}

static int run_job_here(const struct bench_job *job, const struct bench_env *env,
                        struct shl_results_row *row, struct shl_error *err)
{
    start_row(job, row);
    /* Only a floor measured right after the previous job can stand for this one's start. */
    struct bench_floor_moment last = *env->moment;
    env->moment->fresh = 0;
    switch (job->kind) {
    case JOB_WAKEUP:
    case JOB_LATENCY: return run_pingpong(job, env, &last, row, err);
    case JOB_LOAD: return run_load(job, env, row, err);
    case JOB_THROUGHPUT: return run_stream(job, env, row, err);
    case JOB_CACHELINE:
    case JOB_MEMCPY: return run_floor(job, env, row, err);
    case JOB_CROSSCHECK: return run_crosscheck(job, env, row, err);
    case JOB_FANOUT: return run_fanout(job, env, row, err);
    case JOB_ZEROCOPY:
    case JOB_ZEROCOPY_THROUGHPUT: return run_zerocopy(job, env, row, err);
    case JOB_SETUP: break;
    }
    return run_setup(job, env, row, err);
}

static int write_all(int fd, const void *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, (const char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* false when the writer stopped short, or SIGINT came (its handler has killed the host). */
static bool read_all(int fd, void *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    return true;
}

/* What a host tells the driver: the job's outcome and row. */
struct host_report {
    int rc;
    struct shl_error err;
    struct shl_results_row row;
};

/* An iceoryx job runs in a host process of its own: the process that creates an iceoryx
 * channel registers with RouDi for the rest of its life, and RouDi, stopped at the end of the
 * run, would SIGTERM a driver still registered. The host makes the channel, forks the peer
 * as any session does, measures, reports its row over a pipe and exits, which unregisters
 * it. It dies with the driver, and SIGINT kills it as it would a peer. */
static int run_in_host(const struct bench_job *job, const struct bench_env *env,
                       struct shl_results_row *row, struct shl_error *err)
{
    start_row(job, row);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return shl_fail(err, "pipe2", errno, "host report");
    pid_t driver = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        return shl_fail(err, "fork", saved, "host");
    }
    if (pid == 0) {
        close(fds[0]);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        struct host_report out;
        memset(&out, 0, sizeof out);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != driver)
            _exit(1);
        out.rc = run_job_here(job, env, &out.row, &out.err);
        /* The row's histogram lives in the host's memory: its header and counts follow. */
        if (write_all(fds[1], &out, sizeof out) == 0 && out.row.hist != NULL &&
            write_all(fds[1], out.row.hist, sizeof *out.row.hist) == 0)
            (void)write_all(fds[1], out.row.hist->counts,
                            (size_t)out.row.hist->counts_len * sizeof *out.row.hist->counts);
        exit(out.rc == 0 ? 0 : 1); /* exit, not _exit: leaving unregisters from RouDi */
    }
    close(fds[1]);
    bench_peer_track(pid);
    struct host_report in;
    bool whole = read_all(fds[0], &in, sizeof in);
    struct shl_hist *hist = NULL;
    if (whole && in.row.hist != NULL) {
        hist = malloc(sizeof *hist);
        whole = hist != NULL && read_all(fds[0], hist, sizeof *hist);
        if (hist != NULL) { /* the header as read holds the host's pointer: replaced here */
            size_t bytes = whole ? (size_t)hist->counts_len * sizeof *hist->counts : 0;
            hist->counts = whole ? malloc(bytes) : NULL;
            whole = whole && hist->counts != NULL && read_all(fds[0], hist->counts, bytes);
        }
        if (!whole && hist != NULL) {
            shl_hist_free(hist);
            free(hist);
            hist = NULL;
        }
    }
    in.row.hist = hist;
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bench_peer_track(0);
    if (!whole)
        return shl_fail(err, "host", ECHILD, "the %s host died without a report (%s %d)", job->name,
                        WIFSIGNALED(status) ? "signal" : "status",
                        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    *row = in.row;
    if (in.rc != 0)
        *err = in.err;
    return in.rc;
}

int bench_job_run(const struct bench_job *job, const struct bench_env *env,
                  struct shl_results_row *row, struct shl_error *err)
{
    int rc = job->kind != JOB_FANOUT && bench_job_needs_roudi(job)
                 ? run_in_host(job, env, row, err)
                 : run_job_here(job, env, row, err);
    /* A step after the row took its histogram can fail (the floors measured after it, when
     * the run is interrupted): a failed job hands back nothing to free. */
    if (rc != 0)
        shl_results_row_release(row);
    return rc;
}

void bench_results_add_ratios(struct shl_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct shl_results_row *row = &r->rows[i];
        const struct shl_results_row *ref = NULL;
        const char *ref_name = NULL;
        bool shared_memory = shl_results_is_shm(row->transport);
        /* Every zero-copy stream is weighed against memcpy, iceoryx's included: writing and
         * reading each byte in place is what it offers instead of copying. */
        if ((strcmp(row->benchmark, "throughput") == 0 && shared_memory) ||
            strcmp(row->benchmark, "zerocopy-throughput") == 0) {
            ref = shl_results_find(r, "floor", "memcpy", SHL_NOTIFY_NONE, row->size);
            ref_name = "memcpy";
        }
        if (ref == NULL || ref->stats.n == 0 || row->stats.n == 0)
            continue;
        row->ratio = row->stats.p50 / ref->stats.p50;
        snprintf(row->ratio_to, sizeof row->ratio_to, "%s", ref_name);
    }
}
