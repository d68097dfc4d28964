/* The benchmark driver (//bench:measure): runs the planned configurations and writes
 * results.json and gbench.json. `bazel run //bench:all` runs it, then the charts. The only
 * place in the driver that prints or exits. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_context.h"
#include "bench/bench_driver.h"
#include "bench/bench_options.h"
#include "bench/bench_paths.h"
#include "bench/bench_peer.h"
#include "src/results/shl_results.h"
#include "src/core/shl_name.h"
#include "src/shm/shl_stale.h"
#include "src/timing/shl_clock.h"
#include "src/timing/shl_machine.h"
#include "src/timing/shl_pin.h"
#include "src/timing/shl_timer.h"
#include "src/transport/shl_notify.h"
#include "src/shm/shl_segment.h"
#include "src/transport/shl_roudi.h"
#include "src/transport/shl_transport.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
    bench_peer_kill_running();
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a blocked call returns and the run stops */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A vanished peer shows as EPIPE from send, not as a dead driver. */
    signal(SIGPIPE, SIG_IGN);
}

static void usage_error(const char *msg)
{
    fprintf(stderr, "bench: %s\n", msg);
    exit(2);
}

static int mkdir_p(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static void format_duration(double s, char *buf, size_t len)
{
    if (s >= 60)
        snprintf(buf, len, "%dm%02ds", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, len, "%.0fs", s);
}

static void format_figure(const struct shl_results_row *row, char *buf, size_t len)
{
    if (row->stats.n == 0)
        snprintf(buf, len, "no samples");
    else if (strcmp(row->unit, "MB/s") == 0)
        snprintf(buf, len, "p50 %.0f MB/s", row->stats.p50);
    else if (row->stats.p50 >= 1e6)
        snprintf(buf, len, "p50 %.2f ms", row->stats.p50 / 1e6);
    else if (row->stats.p50 >= 1e3)
        snprintf(buf, len, "p50 %.2f us, p99 %.2f us", row->stats.p50 / 1e3, row->stats.p99 / 1e3);
    else
        snprintf(buf, len, "p50 %.0f ns, p99 %.0f ns", row->stats.p50, row->stats.p99);
    size_t used = strlen(buf);
    if (!isnan(row->ratio) && used < len)
        snprintf(buf + used, len - used, ", %.2fx %s", row->ratio, row->ratio_to);
    used = strlen(buf);
    if (!isnan(row->ratio_pair) && used < len)
        snprintf(buf + used, len - used, ", %.2fx cacheline-pair", row->ratio_pair);
    used = strlen(buf);
    if (!isnan(row->interleaved_ratio) && used < len)
        snprintf(buf + used, len - used, ", %.2fx %s between its slices", row->interleaved_ratio,
                 shl_notify_name(row->interleaved_with));
    used = strlen(buf);
    if (!isnan(row->achieved_hz) && used < len)
        snprintf(buf + used, len - used, ", achieved %.0f msg/s", row->achieved_hz);
}

/* How busy the two pinned CPUs are with other work while this process sleeps. */
static void measure_pinned_busy(const struct bench_env *env, struct shl_results_context *ctx)
{
    int cpus[2] = {env->cpu_a, env->cpu_b};
    struct shl_cpu_times before[2], after[2];
    int ok[2];
    for (int i = 0; i < 2; i++) {
        ctx->pinned_busy[i] = NAN;
        ok[i] = cpus[i] >= 0 && shl_cpu_times_read("", cpus[i], &before[i], NULL) == 0;
    }
    struct timespec window = {0, 200 * 1000000L};
    nanosleep(&window, NULL);
    for (int i = 0; i < 2; i++)
        if (ok[i] && shl_cpu_times_read("", cpus[i], &after[i], NULL) == 0)
            ctx->pinned_busy[i] = shl_cpu_times_busy(&before[i], &after[i]);
}

/* The adaptive strategy's budget: given, or calibrated now from this machine. */
static void choose_spin_budget(const struct bench_options *opts, struct bench_env *env,
                               struct shl_results_context *ctx)
{
    ctx->calibration_pair_ns = ctx->calibration_futex_ns = NAN;
    const char *from = "calibrated";
    if (opts->spin_budget_ns > 0) {
        env->spin_budget_ns = opts->spin_budget_ns;
        from = "--spin-budget";
    } else {
        struct shl_error err = {0};
        long budget;
        if (bench_calibrate_spin_budget(env, &ctx->calibration_pair_ns, &ctx->calibration_futex_ns,
                                        &budget, &err) == 0) {
            env->spin_budget_ns = budget;
        } else {
            char text[256];
            env->spin_budget_ns = SHL_NOTIFY_SPIN_BUDGET_DEFAULT_NS;
            from = "default";
            shl_results_note(ctx, "adaptive: calibration failed (%s); default budget",
                             shl_error_text(&err, text, sizeof text));
        }
    }
    snprintf(ctx->spin_budget_from, sizeof ctx->spin_budget_from, "%s", from);
    ctx->spin_budget_ns = (double)env->spin_budget_ns;
}

/* The noise warnings (steal, busy pinned CPUs, moved floors) and the clock's share of the
 * fastest p50, in the context and on stderr. */
static void judge_run(struct shl_results *results)
{
    struct shl_results_context *ctx = &results->context;
    struct shl_noise noise = {
        ctx->steal, {ctx->pinned_busy[0], ctx->pinned_busy[1]}, {ctx->cpu_a, ctx->cpu_b}, 0, 0};
    ctx->fastest_p50_ns = NAN;
    for (size_t i = 0; i < results->n; i++) {
        const struct shl_results_row *row = &results->rows[i];
        if (row->floor_moved) {
            noise.floor_moved_rows++;
            if (row->floor_move > noise.floor_move_max)
                noise.floor_move_max = row->floor_move;
        }
        int timed = strcmp(row->unit, "ns") == 0 && row->hist != NULL;
        if (timed && (isnan(ctx->fastest_p50_ns) || row->stats.p50 < ctx->fastest_p50_ns))
            ctx->fastest_p50_ns = row->stats.p50;
    }
    char lines[4][200];
    size_t n = shl_noise_warnings(&noise, lines, 4);
    for (size_t i = 0; i < n && i < 4; i++)
        shl_results_warn(ctx, "%s", lines[i]);
    double share = ctx->timer_overhead_ns / ctx->fastest_p50_ns;
    if (share > shl_results_clock_share_max)
        shl_results_warn(ctx,
                         "the clock's cost (%.1f ns per sample) is %.0f%% of the fastest p50 "
                         "(%.0f ns), above %.0f%%",
                         ctx->timer_overhead_ns, 100 * share, ctx->fastest_p50_ns,
                         100 * shl_results_clock_share_max);
    for (size_t i = 0; i < ctx->n_warnings; i++)
        fprintf(stderr, "bench: WARNING: %s\n", ctx->warnings[i]);
}

static int count_stale(const struct shl_stale *obj, void *arg)
{
    *(int *)arg += obj->stale;
    return 0;
}

/* A run killed with SIGKILL could not remove its objects: say so, so that they are not
 * left to fill the machine. Only `shmlab clean` removes them (it knows whose they are). */
static void report_stale(void)
{
    int stale = 0;
    struct shl_error err;
    int scanned = shl_stale_scan("/dev/shm", shl_tmpdir(), SHL_STALE_MQUEUE_DIR, count_stale,
                                 &stale, &err) == 0;
    if (scanned && stale > 0)
        fprintf(stderr,
                "bench: %d stale shmlab object%s left by killed runs; `shmlab clean` removes "
                "them\n",
                stale, stale == 1 ? "" : "s");
}

static int choose_cpus(const struct bench_options *opts, struct bench_env *env,
                       struct shl_results_context *ctx)
{
    struct shl_error err = {0};
    int count, first, second;
    if (shl_cpus_allowed(&count, &first, &second, &err) != 0)
        return -1;
    if (opts->cpu_a >= 0) {
        char msg[96];
        if (!shl_cpu_allowed(opts->cpu_a) || !shl_cpu_allowed(opts->cpu_b)) {
            snprintf(msg, sizeof msg, "--cpus: CPU %d or %d is not available to this process",
                     opts->cpu_a, opts->cpu_b);
            usage_error(msg);
        }
        env->cpu_a = opts->cpu_a;
        env->cpu_b = opts->cpu_b;
    } else if (count >= 2) {
        env->cpu_a = first;
        env->cpu_b = second;
    } else {
        env->cpu_a = env->cpu_b = -1;
        shl_results_note(ctx, "unpinned: only one CPU available, so round trips include "
                              "scheduler hand-offs");
    }
    ctx->pinned = env->cpu_a >= 0;
    ctx->cpu_a = env->cpu_a;
    ctx->cpu_b = env->cpu_b;
    if (env->cpu_a >= 0 && shl_pin_to_cpu(env->cpu_a, &err) != 0)
        return -1;
    return 0;
}

static int write_outputs(const struct shl_results *results, const char *out_dir)
{
    char path[4096 + 16];
    struct shl_error err = {0};
    char text[256];
    snprintf(path, sizeof path, "%s/results.json", out_dir);
    int rc = shl_results_write_json(results, path, &err);
    snprintf(path, sizeof path, "%s/gbench.json", out_dir);
    if (rc == 0)
        rc = shl_results_write_gbench(results, path, &err);
    if (rc == 0)
        rc = shl_results_write_hgrm(results, out_dir, &err);
    if (rc != 0)
        fprintf(stderr, "bench: writing results: %s\n", shl_error_text(&err, text, sizeof text));
    return rc;
}

/* --transports names transports; a ring's name is also its mechanism's, whose set-up cost
 * is measured too. */
static void check_transports(const struct bench_options *opts)
{
    for (size_t i = 0; i < opts->n_transports; i++) {
        /* A mechanism the benchmark measures is the name of its ring transport; a fan-out
         * transport has its own name (broadcast, zeromq). */
        int fanout = 0;
        for (int k = 0; k < BENCH_FANOUT_KINDS; k++)
            fanout |= strcmp(opts->transports[i], bench_fanout_kinds[k].name) == 0;
        if (shl_transport_find(opts->transports[i]) == NULL && !fanout) {
            char msg[96];
            snprintf(msg, sizeof msg, "--transports: unknown transport '%s'", opts->transports[i]);
            usage_error(msg);
        }
    }
}

static int same_configuration(const struct bench_job *job, const char *transport,
                              enum shl_notify_kind notify)
{
    if (transport == NULL || job->transport == NULL || strcmp(job->name, transport) != 0)
        return 0;
    return job->notify == notify;
}

/* Runs every job, one progress line each; returns how many failed. */
static int run_jobs(const struct bench_jobs *jobs, const struct bench_env *env,
                    struct shl_results_context *ctx, struct shl_results *results)
{
    int failures = 0, fanout_spin_noted = 0;
    const char *failed_transport = NULL;
    enum shl_notify_kind failed_notify = SHL_NOTIFY_NONE;
    const struct bench_job *saturated = NULL; /* the load ladder that fell short */
    double expected_total = bench_jobs_expected_s(jobs), expected_done = 0;
    int64_t start = shl_now_ns();
    for (size_t i = 0; i < jobs->n && !interrupted; i++) {
        const struct bench_job *job = &jobs->jobs[i];
        char what[128], text[256];
        bench_job_describe(job, what, sizeof what);
        expected_done += job->expected_s;
        /* After a failure the same transport and strategy is not tried again: a broken
         * transport would otherwise cost a timeout per configuration. */
        if (same_configuration(job, failed_transport, failed_notify)) {
            fprintf(stderr, "[%3zu/%zu] %s: skipped after the failure above\n", i + 1, jobs->n,
                    what);
            continue;
        }
        if (saturated != NULL && job->kind == JOB_LOAD && job->transport == saturated->transport &&
            job->notify == saturated->notify && job->repetition == saturated->repetition) {
            fprintf(stderr, "[%3zu/%zu] %s: not offered: saturated at a lower rate\n", i + 1,
                    jobs->n, what);
            continue;
        }
        if (bench_job_needs_roudi(job) && env->no_roudi != NULL) {
            fprintf(stderr, "[%3zu/%zu] %s: skipped: %s\n", i + 1, jobs->n, what, env->no_roudi);
            continue;
        }
        char why[256];
        if (bench_fanout_job_unrunnable(job, why, sizeof why)) {
            fprintf(stderr, "[%3zu/%zu] %s: skipped: %s\n", i + 1, jobs->n, what, why);
            if (!fanout_spin_noted)
                shl_results_note(ctx,
                                 "fanout: spinning skipped where its processes outnumber "
                                 "the %ld CPUs (the blocking strategies run every case)",
                                 sysconf(_SC_NPROCESSORS_ONLN));
            fanout_spin_noted = 1;
            continue;
        }
        if (job->kind == JOB_SETUP && (env->shmlab == NULL || env->hyperfine == NULL)) {
            fprintf(stderr, "[%3zu/%zu] %s: skipped: %s\n", i + 1, jobs->n, what,
                    env->shmlab == NULL ? "no shmlab binary in this build"
                                        : "hyperfine is not installed");
            continue;
        }
        struct shl_results_row row;
        struct shl_error err = {0};
        int rc = bench_job_run(job, env, &row, &err);
        if (rc == 0 && (rc = shl_results_add(results, &row, &err)) != 0)
            shl_results_row_release(&row);
        if (rc != 0 && interrupted)
            break;
        if (rc != 0) {
            shl_error_text(&err, text, sizeof text);
            fprintf(stderr, "[%3zu/%zu] %s: FAILED: %s\n", i + 1, jobs->n, what, text);
            shl_results_note(ctx, "FAILED %s: %s", what, text);
            failures++;
            failed_transport = job->transport ? job->name : NULL;
            failed_notify = job->notify;
            continue;
        }
        double elapsed = (double)(shl_now_ns() - start) / 1e9;
        char figure[96], left[32];
        format_duration((expected_total - expected_done) * (elapsed / expected_done), left,
                        sizeof left);
        format_figure(&row, figure, sizeof figure);
        fprintf(stderr, "[%3zu/%zu] %s: %s (n=%zu%s%s) ~%s left\n", i + 1, jobs->n, what, figure,
                row.stats.n, isnan(row.cpu_ns_per_msg) ? "" : ", cpu measured",
                row.floor_moved ? ", FLOOR MOVED" : "", left);
        if (row.reached == 0) {
            saturated = job;
            fprintf(stderr, "[%3zu/%zu] %s: rate not reached: %.0f of %.0f msg/s; saturated\n",
                    i + 1, jobs->n, what, row.achieved_hz, row.offered_hz);
        }
    }
    return failures;
}

/* The names --transports takes, a line for each kind, from the transports' table. */
static void transport_lines(char *buf, size_t len)
{
    static const enum shl_transport_kind kinds[] = {SHL_TRANSPORT_RING, SHL_TRANSPORT_MIDDLEWARE,
                                                    SHL_TRANSPORT_KERNEL};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const char *sep = "";
        used += (size_t)snprintf(buf + used, len - used, "  %-21s",
                                 shl_transport_kind_labels[kinds[k]]);
        for (size_t i = 0; shl_transports[i] != NULL && used < len; i++) {
            if (shl_transports[i]->kind != kinds[k])
                continue;
            used += (size_t)snprintf(buf + used, len - used, "%s%s", sep, shl_transports[i]->name);
            sep = ", ";
        }
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "\n");
        if (used >= len)
            return;
    }
}

int main(int argc, char **argv)
{
    struct bench_options opts;
    char msg[256];
    if (bench_options_parse(argc, argv, &opts, msg, sizeof msg) != 0)
        usage_error(msg);
    if (opts.help) {
        char usage[4096], transports[512];
        transport_lines(transports, sizeof transports);
        bench_options_usage(usage, sizeof usage, transports);
        fputs(usage, stdout);
        return 0;
    }
    check_transports(&opts);
    install_signals();
    report_stale();

    struct shl_error err = {0};
    char text[256];
    struct shl_results results = {0};
    struct shl_results_context *ctx = &results.context;
    struct bench_env env;
    struct shl_timer timer;
    memset(&env, 0, sizeof env);
    if (bench_context_collect(ctx, &err) != 0 || choose_cpus(&opts, &env, ctx) != 0 ||
        shl_timer_init(&timer, 1, "/proc/cpuinfo", 50, &err) != 0 ||
        shl_clock_resolution_ns(&ctx->clock_resolution_ns, &err) != 0) {
        fprintf(stderr, "bench: %s\n", shl_error_text(&err, text, sizeof text));
        return 1;
    }
    bench_plan_for(opts.mode, &env.plan);
    env.timeout_ms = opts.timeout_ms;
    snprintf(ctx->mode, sizeof ctx->mode, "%s", bench_mode_name(opts.mode));
    env.timer = &timer;
    snprintf(ctx->clock, sizeof ctx->clock, "%s", shl_timer_source_names[timer.source]);
    ctx->timer_overhead_ns = timer.cost_ns;
    ctx->timer_subtracted_ns = timer.subtract_ns;
    ctx->timer_drift = NAN;
    snprintf(ctx->clock_why, sizeof ctx->clock_why, "%s", timer.why);
    ctx->timeout_ms = opts.timeout_ms;
    struct bench_floor_moment moment = {0};
    env.moment = &moment;
    struct shl_cpu_times times_before;
    int have_times = shl_cpu_times_read("", -1, &times_before, NULL) == 0;
    shl_machine_collect("", env.cpu_a, env.cpu_b, &ctx->machine, NULL);
    measure_pinned_busy(&env, ctx);
    choose_spin_budget(&opts, &env, ctx);
    ctx->repetitions = opts.repetitions;
    ctx->seed = opts.seed ? opts.seed : (unsigned long long)shl_now_ns() ^ (unsigned)getpid();

    char out_dir[4096], shmlab_path[4096], hyperfine_path[4096];
    bench_out_dir(opts.out_dir, out_dir, sizeof out_dir);
    if (mkdir_p(out_dir) != 0) {
        fprintf(stderr, "bench: cannot create %s: %s\n", out_dir, strerror(errno));
        return 1;
    }
    env.out_dir = out_dir;
    env.hyperfine = bench_in_path("hyperfine", hyperfine_path, sizeof hyperfine_path);
    env.shmlab = bench_runfile(argv[0], "src/shmlab", shmlab_path, sizeof shmlab_path);

    struct bench_jobs jobs;
    if (bench_jobs_plan(&opts, &env, &jobs, &err) != 0 ||
        bench_jobs_repeat(&jobs, opts.repetitions, ctx->seed, &err) != 0) {
        fprintf(stderr, "bench: %s\n", shl_error_text(&err, text, sizeof text));
        return 1;
    }
    fprintf(stderr,
            "bench: %s mode, %zu configurations, about %.0f s; clock %s costs %.1f ns per "
            "sample%s (%s); %s; results in %s\n",
            ctx->mode, jobs.n, bench_jobs_expected_s(&jobs), ctx->clock, timer.cost_ns,
            timer.subtract_ns > 0 ? ", subtracted from each" : "", timer.why,
            ctx->pinned ? "pinned" : "unpinned", out_dir);
    if (ctx->pinned)
        fprintf(stderr, "bench: processes pinned to CPU %d (timing) and CPU %d (peer)\n", env.cpu_a,
                env.cpu_b);
    if (opts.repetitions > 1)
        fprintf(stderr,
                "bench: %u repetitions in a random order, seed %llu (--seed %llu "
                "repeats it)\n",
                opts.repetitions, ctx->seed, ctx->seed);
    fprintf(stderr, "bench: adaptive spin budget %ld ns (%s)\n", env.spin_budget_ns,
            ctx->spin_budget_from);

    /* The memfd ring's seals, as this kernel applies them to a segment made the same way. */
    for (size_t i = 0; i < jobs.n; i++) {
        if (jobs.jobs[i].transport == NULL || jobs.jobs[i].transport->unnamed != SHL_UNNAMED_MEMFD)
            continue;
        struct shl_segment probe;
        char seals[128];
        if (shl_segment_create_memfd(&probe, 4096, &err) == 0)
            shl_results_note(ctx, "memfd: each ring's segment is sealed %s",
                             shl_segment_seals_text(probe.seals, seals, sizeof seals));
        else
            shl_results_note(ctx, "memfd: %s", shl_error_text(&err, text, sizeof text));
        shl_segment_release(&probe);
        break;
    }

    /* iceoryx's daemon, when an iceoryx job is planned: started here, never shared with one
     * this run did not start, stopped (and its objects checked gone) below on every path. */
    struct shl_roudi roudi = {.pid = 0};
    char no_roudi[sizeof err.detail + 64];
    for (size_t i = 0; i < jobs.n; i++) {
        if (!bench_job_needs_roudi(&jobs.jobs[i]))
            continue;
        if (shl_roudi_start(&roudi, opts.timeout_ms, &err) != 0) {
            snprintf(no_roudi, sizeof no_roudi, "no RouDi: %s",
                     shl_error_text(&err, text, sizeof text));
            env.no_roudi = no_roudi;
            shl_results_note(ctx, "iceoryx: not measured, %s", no_roudi);
            fprintf(stderr, "bench: iceoryx skipped, %s\n", no_roudi);
        }
        break;
    }

    int64_t start = shl_now_ns();
    int failures = run_jobs(&jobs, &env, ctx, &results);
    bench_jobs_free(&jobs);
    if (shl_roudi_stop(&roudi, &err) != 0) {
        fprintf(stderr, "bench: stopping RouDi: %s\n", shl_error_text(&err, text, sizeof text));
        failures++;
    }
    if (interrupted) {
        fprintf(stderr, "bench: interrupted by signal %d; peers killed, nothing written\n",
                (int)interrupted);
        shl_results_free(&results);
        return 128 + (int)interrupted;
    }
    if (env.shmlab == NULL && (opts.benchmarks & BENCH_SETUP))
        shl_results_note(ctx, "setup: not measured, no shmlab binary in this build");
    else if (env.hyperfine == NULL && (opts.benchmarks & BENCH_SETUP))
        shl_results_note(ctx, "setup: not measured, hyperfine is not installed "
                              "(ci/setup.sh installs it)");
    if (shl_timer_check(&timer, &err) != 0) {
        fprintf(stderr, "bench: the clock cannot be trusted, nothing written: %s\n",
                shl_error_text(&err, text, sizeof text));
        shl_results_free(&results);
        return 1;
    }
    ctx->timer_drift = timer.source == SHL_TIMER_TSC ? timer.drift : NAN;
    struct shl_cpu_times times_after;
    ctx->steal = have_times && shl_cpu_times_read("", -1, &times_after, NULL) == 0
                     ? shl_cpu_times_steal(&times_before, &times_after)
                     : NAN;
    judge_run(&results);
    bench_results_add_ratios(&results);
    int rc = write_outputs(&results, out_dir);
    double total = (double)(shl_now_ns() - start) / 1e9;
    fprintf(stderr, "bench: %zu rows in %.1f s -> %s/results.json\n", results.n, total, out_dir);
    shl_results_free(&results);
    if (failures > 0) {
        fprintf(stderr, "bench: %d configuration%s FAILED (see above)\n", failures,
                failures == 1 ? "" : "s");
        return 1;
    }
    return rc == 0 ? 0 : 1;
}
