#include "bench/bench_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_crosscheck.h"
#include "bench/bench_floor.h"
#include "bench/bench_pingpong.h"
#include "bench/bench_session.h"
#include "bench/bench_setup.h"
#include "bench/bench_stream.h"
#include "bench/bench_zerocopy.h"

#define CACHE_LINE 64
#define WAKEUP_WARMUP 10
#define CROSSCHECK_SLICES 3
#define PROCESS_COST_S 0.05 /* create, fork, join, reap: a rough figure for the estimate */

static int add_job(struct bench_jobs *jobs, const struct bench_job *job, struct shl_error *err) {
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

void bench_jobs_free(struct bench_jobs *jobs) {
    free(jobs->jobs);
    jobs->jobs = NULL;
    jobs->n = jobs->cap = 0;
}

double bench_jobs_expected_s(const struct bench_jobs *jobs) {
    double total = 0;
    for (size_t i = 0; i < jobs->n; i++)
        total += jobs->jobs[i].expected_s;
    return total;
}

static int wanted(const struct bench_options *opts, const char *name) {
    if (opts->n_transports == 0)
        return 1;
    for (size_t i = 0; i < opts->n_transports; i++)
        if (strcmp(opts->transports[i], name) == 0)
            return 1;
    return 0;
}

static int crosscheck_size(const struct bench_plan *plan, size_t size) {
    for (size_t i = 0; i < plan->n_crosscheck_sizes; i++)
        if (plan->crosscheck_sizes[i] == size)
            return 1;
    return 0;
}

/* One job per (transport, strategy) for each kind, in the order: all sizes of latency (each
 * kernel transport's plain cross-check right beside it), then throughput, then wake-up. */
static int plan_channel_jobs(const struct bench_options *opts, const struct bench_env *env,
                             const size_t *sizes, size_t n_sizes, enum bench_job_kind kind,
                             struct bench_jobs *jobs, struct shl_error *err) {
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
            struct bench_job job = {.kind = kind, .transport = t, .name = t->name,
                                    .notify = (enum shl_notify_kind)notify};
            if (kind == JOB_WAKEUP) {
                for (int r = 0; r < 3; r++) {
                    job.size = plan->wakeup_size;
                    job.rate_hz = bench_wakeup_rates_hz[r];
                    job.samples = plan->wakeup_samples[r];
                    job.expected_s = (double)job.samples / job.rate_hz + PROCESS_COST_S;
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
                if (add_job(jobs, &job, err) != 0)
                    return -1;
                if (kind == JOB_LATENCY && !ring &&
                    (opts->benchmarks & BENCH_CROSSCHECK) &&
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
                            struct bench_jobs *jobs, struct shl_error *err) {
    for (int k = 0; k < BENCH_FANOUT_KINDS; k++) {
        const struct bench_fanout_kind_info *info = &bench_fanout_kinds[k];
        if (!wanted(opts, info->name))
            continue;
        int first = info->notify ? SHL_NOTIFY_FIRST : SHL_NOTIFY_NONE;
        int end = info->notify ? SHL_NOTIFY_COUNT : SHL_NOTIFY_NONE + 1;
        for (int notify = first; notify < end; notify++) {
            for (size_t n = 0; n < sizeof fanout_subscribers / sizeof fanout_subscribers[0]; n++) {
                struct bench_job job = {
                    .kind = JOB_FANOUT, .name = info->name, .notify = (enum shl_notify_kind)notify,
                    .size = FANOUT_SIZE, .fanout = (enum bench_fanout_kind)k,
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

/* The zero-copy round trip of every transport that has one, at every size: a ring with
 * its spinning strategy only (the others differ from it as in the copy rows), a middleware
 * as it is. */
static int plan_zerocopy_jobs(const struct bench_options *opts, const struct bench_env *env,
                              const size_t *sizes, size_t n_sizes, struct bench_jobs *jobs,
                              struct shl_error *err) {
    for (size_t ti = 0; shl_transports[ti] != NULL; ti++) {
        const struct shl_transport *t = shl_transports[ti];
        if (t->loan == NULL || !wanted(opts, t->name))
            continue;
        for (size_t k = 0; k < n_sizes; k++) {
            struct bench_job job = {
                .kind = JOB_ZEROCOPY, .transport = t, .name = t->name, .size = sizes[k],
                .notify = t->kind == SHL_TRANSPORT_RING ? SHL_NOTIFY_SPIN : SHL_NOTIFY_NONE,
                .expected_s = (double)env->plan.budget_ns / 1e9 + PROCESS_COST_S};
            if (add_job(jobs, &job, err) != 0)
                return -1;
        }
    }
    return 0;
}

int bench_job_needs_roudi(const struct bench_job *job) {
    if (job->kind == JOB_FANOUT)
        return job->fanout == BENCH_FANOUT_ICEORYX || job->fanout == BENCH_FANOUT_ICEORYX_WAITSET;
    return job->transport != NULL && job->transport->needs_roudi;
}

int bench_jobs_plan(const struct bench_options *opts, const struct bench_env *env,
                    struct bench_jobs *jobs, struct shl_error *err) {
    memset(jobs, 0, sizeof *jobs);
    const struct bench_plan *plan = &env->plan;
    const size_t *sizes = opts->n_sizes ? opts->sizes : plan->default_sizes;
    size_t n_sizes = opts->n_sizes ? opts->n_sizes : plan->n_default_sizes;
    double budget_s = (double)plan->budget_ns / 1e9;
    int rc = 0;
    if (opts->benchmarks & BENCH_FLOOR) {
        struct bench_job line = {.kind = JOB_CACHELINE, .name = "cacheline", .size = CACHE_LINE,
                                 .expected_s = budget_s + PROCESS_COST_S};
        rc |= add_job(jobs, &line, err);
        for (size_t k = 0; k < n_sizes && rc == 0; k++) {
            struct bench_job copy = {.kind = JOB_MEMCPY, .name = "memcpy", .size = sizes[k],
                                     .expected_s = budget_s / 4};
            rc |= add_job(jobs, &copy, err);
        }
    }
    /* The plain cross-check only runs beside latency, which it is there to check. */
    if (rc == 0 && (opts->benchmarks & BENCH_LATENCY))
        rc = plan_channel_jobs(opts, env, sizes, n_sizes, JOB_LATENCY, jobs, err);
    if (rc == 0 && (opts->benchmarks & BENCH_THROUGHPUT))
        rc = plan_channel_jobs(opts, env, sizes, n_sizes, JOB_THROUGHPUT, jobs, err);
    if (rc == 0 && (opts->benchmarks & BENCH_WAKEUP))
        rc = plan_channel_jobs(opts, env, sizes, n_sizes, JOB_WAKEUP, jobs, err);
    if (rc == 0 && (opts->benchmarks & BENCH_ZEROCOPY))
        rc = plan_zerocopy_jobs(opts, env, sizes, n_sizes, jobs, err);
    if (rc == 0 && (opts->benchmarks & BENCH_FANOUT))
        rc = plan_fanout_jobs(opts, env, jobs, err);
    if (rc == 0 && (opts->benchmarks & BENCH_SETUP)) {
        /* The mechanisms under the ring transports, named as their transports; a ring over
         * memory with no name has no `shmlab lifecycle` to time. */
        for (size_t ti = 0; shl_transports[ti] != NULL && rc == 0; ti++) {
            const char *mechanism = shl_transports[ti]->name;
            if (shl_transports[ti]->kind != SHL_TRANSPORT_RING || shl_transports[ti]->unnamed ||
                !wanted(opts, mechanism))
                continue;
            for (int k = 0; k < 3 && rc == 0; k++) {
                size_t size = plan->setup_sizes[k];
                /* Touching a page costs about a microsecond here; add process start-up. */
                double per_run = 0.003 + (double)(size / 4096) * 1.5e-6;
                struct bench_job job = {.kind = JOB_SETUP, .name = mechanism, .size = size,
                                        .expected_s = per_run * (plan->setup_runs +
                                                                 plan->setup_warmup) +
                                                      0.05};
                rc = add_job(jobs, &job, err);
            }
        }
    }
    if (rc != 0)
        bench_jobs_free(jobs);
    return rc;
}

static const char *job_benchmark(enum bench_job_kind kind) {
    switch (kind) {
    case JOB_CACHELINE:
    case JOB_MEMCPY:
        return "floor";
    case JOB_LATENCY:
        return "latency";
    case JOB_CROSSCHECK:
        return "crosscheck";
    case JOB_THROUGHPUT:
        return "throughput";
    case JOB_WAKEUP:
        return "wakeup";
    case JOB_FANOUT:
        return "fanout";
    case JOB_ZEROCOPY:
        return "zerocopy";
    case JOB_SETUP:
        break;
    }
    return "setup";
}

void bench_job_describe(const struct bench_job *job, char *buf, size_t len) {
    char rate[32] = "";
    if (job->kind == JOB_WAKEUP)
        snprintf(rate, sizeof rate, " @ %.0f Hz", job->rate_hz);
    else if (job->kind == JOB_FANOUT)
        snprintf(rate, sizeof rate, " to %u subscriber%s", job->subscribers,
                 job->subscribers == 1 ? "" : "s");
    const char *notify = shl_notify_name(job->notify);
    snprintf(buf, len, "%s %s%s%s %zu B%s", job_benchmark(job->kind), job->name,
             notify[0] ? ":" : "", notify, job->size, rate);
}

static double per_message(int64_t cpu_ns, uint64_t messages) {
    return messages ? (double)cpu_ns / (double)messages : NAN;
}

/* Fills the CPU columns; the peer must have seen exactly the messages this side timed. */
static int set_cpu(struct shl_results_row *row, int64_t cpu_a, uint64_t messages,
                   const struct bench_peer_report *peer, struct shl_error *err) {
    if (peer->messages != messages)
        return shl_fail(err, "verify", EBADMSG, "peer received %llu of %llu timed messages",
                        (unsigned long long)peer->messages, (unsigned long long)messages);
    row->messages = messages;
    row->cpu_ns_per_msg_a = per_message(cpu_a, messages);
    row->cpu_ns_per_msg_b = per_message(peer->cpu_ns, messages);
    row->cpu_ns_per_msg = per_message(cpu_a + peer->cpu_ns, messages);
    return 0;
}

/* One ping-pong session of the job's transport, strategy and size (at the job's rate for
 * wake-up jobs); pp->samples must be freed by the caller, also on failure. */
static int measure_pingpong(const struct bench_job *job, const struct bench_env *env,
                            int64_t budget_ns, struct bench_pingpong *pp,
                            struct bench_peer_report *peer, struct shl_error *err) {
    const struct bench_plan *plan = &env->plan;
    struct bench_session_config cfg = {
        .transport = job->transport, .notify = job->notify, .size = job->size, .depth = 1,
        .peer_cpu = env->cpu_b, .timeout_ms = env->timeout_ms, .mode = BENCH_SERVE_ECHO};
    *pp = (struct bench_pingpong){
        .warmup = plan->warmup,
        .min_samples = plan->min_samples,
        .max_samples = plan->max_samples,
        .budget_ns = budget_ns,
        .clock_overhead_ns = env->clock_overhead_ns,
    };
    if (job->kind == JOB_WAKEUP) {
        pp->warmup = WAKEUP_WARMUP;
        pp->min_samples = pp->max_samples = job->samples;
        pp->budget_ns = 0;
        pp->rate_hz = job->rate_hz;
    }
    return bench_session_run(&cfg, bench_pingpong_measure, pp, peer, err);
}

static int run_pingpong(const struct bench_job *job, const struct bench_env *env,
                        struct shl_results_row *row, struct shl_error *err) {
    struct bench_pingpong pp;
    struct bench_peer_report peer;
    int rc = measure_pingpong(job, env, env->plan.budget_ns, &pp, &peer, err);
    if (rc == 0)
        rc = set_cpu(row, pp.cpu_ns, pp.messages, &peer, err);
    if (rc == 0) {
        shl_stats_compute(pp.samples, pp.n, &row->stats);
        row->batch = pp.batch;
        if (job->kind == JOB_WAKEUP)
            row->rate_hz = job->rate_hz;
    }
    free(pp.samples);
    return rc;
}

static int run_stream(const struct bench_job *job, const struct bench_env *env,
                      struct shl_results_row *row, struct shl_error *err) {
    struct bench_session_config cfg = {
        .transport = job->transport, .notify = job->notify, .size = job->size,
        .depth = bench_stream_depth(job->size), .peer_cpu = env->cpu_b, .timeout_ms = env->timeout_ms,
        .mode = BENCH_SERVE_SINK};
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
                     struct shl_results_row *row, struct shl_error *err) {
    struct bench_floor_plan plan = {
        .warmup = env->plan.warmup,
        .min_samples = env->plan.min_samples,
        .max_samples = env->plan.max_samples,
        .budget_ns = job->kind == JOB_MEMCPY ? env->plan.budget_ns / 4 : env->plan.budget_ns,
        .clock_overhead_ns = env->clock_overhead_ns,
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
        rc = bench_floor_cacheline(&plan, &out, &peer, err);
        /* The spinning peer also spins while this side reads the clock between batches, so
         * its figure is per bounce of the whole measurement, warm-up excluded. */
        if (rc == 0) {
            row->messages = out.messages;
            row->cpu_ns_per_msg_a = per_message(out.cpu_ns, out.messages);
            row->cpu_ns_per_msg_b = per_message(peer.cpu_ns, peer.messages);
            row->cpu_ns_per_msg = row->cpu_ns_per_msg_a + row->cpu_ns_per_msg_b;
        }
    }
    if (rc == 0) {
        shl_stats_compute(out.samples, out.n, &row->stats);
        row->batch = out.batch;
    }
    free(out.samples);
    return rc;
}

/* Appends n samples to a growing array. */
static int append(double **all, size_t *n_all, const double *more, size_t n,
                  struct shl_error *err) {
    double *grown = realloc(*all, (*n_all + n + 1) * sizeof *grown);
    if (grown == NULL)
        return shl_fail(err, "realloc", ENOMEM, "%zu samples", *n_all + n);
    memcpy(grown + *n_all, more, n * sizeof *more);
    *all = grown;
    *n_all += n;
    return 0;
}

/* The plain ping-pong and shmlab's own, in alternating slices of the budget, so that both see
 * the same state of a shared machine; the row holds the plain one's statistics and their
 * ratio. */
static int run_crosscheck(const struct bench_job *job, const struct bench_env *env,
                          struct shl_results_row *row, struct shl_error *err) {
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
            rc = measure_pingpong(job, env, plan->budget_ns / CROSSCHECK_SLICES, &pp, &peer,
                                  err);
        if (rc == 0)
            rc = append(&shmlab, &n_shmlab, pp.samples, pp.n, err);
        free(pp.samples);
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
                     struct shl_results_row *row, struct shl_error *err) {
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
                      struct shl_results_row *row, struct shl_error *err) {
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

int bench_fanout_job_unrunnable(const struct bench_job *job, char *why, size_t len) {
    struct bench_fanout_plan plan = {.kind = job->fanout, .wait = job->notify,
                                     .subscribers = job->subscribers};
    return job->kind == JOB_FANOUT && bench_fanout_unrunnable(&plan, why, len);
}

static int run_zerocopy(const struct bench_job *job, const struct bench_env *env,
                        struct shl_results_row *row, struct shl_error *err) {
    struct bench_zerocopy z = {
        .transport = job->transport,
        .notify = job->notify,
        .size = job->size,
        .warmup = env->plan.warmup,
        .min_samples = env->plan.min_samples,
        .max_samples = env->plan.max_samples,
        .budget_ns = env->plan.budget_ns,
        .peer_cpu = env->cpu_b,
        .timeout_ms = env->timeout_ms,
    };
    int rc = bench_zerocopy_run(&z, err);
    if (rc == 0) {
        shl_stats_compute(z.samples, z.n, &row->stats);
        row->messages = z.n;
        row->cpu_ns_per_msg_a = per_message(z.cpu_ns, z.n);
    }
    free(z.samples);
    return rc;
}

static int run_job_here(const struct bench_job *job, const struct bench_env *env,
                        struct shl_results_row *row, struct shl_error *err) {
    int throughput = job->kind == JOB_THROUGHPUT || job->kind == JOB_MEMCPY;
    shl_results_row_init(row, job_benchmark(job->kind), job->name, shl_notify_name(job->notify),
                         job->size, throughput ? "MB/s" : "ns");
    switch (job->kind) {
    case JOB_LATENCY:
    case JOB_WAKEUP:
        return run_pingpong(job, env, row, err);
    case JOB_THROUGHPUT:
        return run_stream(job, env, row, err);
    case JOB_CACHELINE:
    case JOB_MEMCPY:
        return run_floor(job, env, row, err);
    case JOB_CROSSCHECK:
        return run_crosscheck(job, env, row, err);
    case JOB_FANOUT:
        return run_fanout(job, env, row, err);
    case JOB_ZEROCOPY:
        return run_zerocopy(job, env, row, err);
    case JOB_SETUP:
        break;
    }
    return run_setup(job, env, row, err);
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
                       struct shl_results_row *row, struct shl_error *err) {
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
        (void)!write(fds[1], &out, sizeof out);
        exit(out.rc == 0 ? 0 : 1); /* exit, not _exit: leaving unregisters from RouDi */
    }
    close(fds[1]);
    bench_peer_track(pid);
    struct host_report in;
    size_t got = 0;
    while (got < sizeof in) {
        ssize_t n = read(fds[0], (char *)&in + got, sizeof in - got);
        if (n < 0 && errno == EINTR)
            break; /* SIGINT: the handler has killed the host */
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bench_peer_track(0);
    if (got < sizeof in)
        return shl_fail(err, "host", ECHILD, "the %s host died without a report (%s %d)",
                        job->name, WIFSIGNALED(status) ? "signal" : "status",
                        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    *row = in.row;
    if (in.rc != 0)
        *err = in.err;
    return in.rc;
}

int bench_job_run(const struct bench_job *job, const struct bench_env *env,
                  struct shl_results_row *row, struct shl_error *err) {
    if (job->kind != JOB_FANOUT && bench_job_needs_roudi(job))
        return run_in_host(job, env, row, err);
    return run_job_here(job, env, row, err);
}

void bench_results_add_ratios(struct shl_results *r) {
    for (size_t i = 0; i < r->n; i++) {
        struct shl_results_row *row = &r->rows[i];
        const struct shl_results_row *ref = NULL;
        const char *ref_name = NULL;
        const struct shl_transport *t = shl_transport_find(row->transport);
        int shared_memory = t != NULL && t->kind == SHL_TRANSPORT_RING;
        if (strcmp(row->benchmark, "latency") == 0 && shared_memory) {
            ref = shl_results_find(r, "floor", "cacheline", NULL, CACHE_LINE);
            ref_name = "cacheline";
        } else if (strcmp(row->benchmark, "throughput") == 0 && shared_memory) {
            ref = shl_results_find(r, "floor", "memcpy", NULL, row->size);
            ref_name = "memcpy";
        }
        if (ref == NULL || ref->stats.n == 0 || row->stats.n == 0)
            continue;
        row->ratio = row->stats.p50 / ref->stats.p50;
        snprintf(row->ratio_to, sizeof row->ratio_to, "%s", ref_name);
    }
}
