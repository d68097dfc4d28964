#include "bench/bench_results.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bench_row_init(struct bench_row *row, const char *benchmark, const char *transport,
                    const char *notify, size_t size, const char *unit) {
    memset(row, 0, sizeof *row);
    snprintf(row->benchmark, sizeof row->benchmark, "%s", benchmark);
    snprintf(row->transport, sizeof row->transport, "%s", transport);
    snprintf(row->notify, sizeof row->notify, "%s", notify ? notify : "");
    snprintf(row->unit, sizeof row->unit, "%s", unit);
    row->size = size;
    row->batch = 1;
    shl_stats_compute(NULL, 0, &row->stats);
    row->rate_hz = row->cpu_ns_per_msg = row->cpu_ns_per_msg_a = row->cpu_ns_per_msg_b = NAN;
    row->ratio = NAN;
    row->floor_line_ns = row->floor_pair_ns = row->ratio_pair = row->floor_move = NAN;
    row->voluntary_a = row->involuntary_a = row->voluntary_b = row->involuntary_b = -1;
    row->offered_hz = row->achieved_hz = row->spin_budget_ns = NAN;
    row->reached = -1;
}

int bench_results_add(struct bench_results *r, const struct bench_row *row,
                      struct shl_error *err) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct bench_row *rows = realloc(r->rows, cap * sizeof *rows);
        if (rows == NULL)
            return shl_fail(err, "realloc", ENOMEM, "%zu result rows", cap);
        r->rows = rows;
        r->cap = cap;
    }
    r->rows[r->n++] = *row;
    return 0;
}

void bench_results_free(struct bench_results *r) {
    for (size_t i = 0; i < r->n; i++) {
        if (r->rows[i].hist != NULL)
            shl_hist_free(r->rows[i].hist);
        free(r->rows[i].hist);
    }
    free(r->rows);
    r->rows = NULL;
    r->n = r->cap = 0;
}

const struct bench_row *bench_results_find(const struct bench_results *r,
                                           const char *benchmark, const char *transport,
                                           const char *notify, size_t size) {
    for (size_t i = 0; i < r->n; i++) {
        const struct bench_row *row = &r->rows[i];
        if (row->size == size && strcmp(row->benchmark, benchmark) == 0 &&
            strcmp(row->transport, transport) == 0 &&
            strcmp(row->notify, notify ? notify : "") == 0)
            return row;
    }
    return NULL;
}

/* JSON has no NaN: an absent measurement is null. */
static void add_number(cJSON *obj, const char *key, double value) {
    if (isnan(value) || isinf(value))
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddNumberToObject(obj, key, value);
}

static void add_string_or_null(cJSON *obj, const char *key, const char *value) {
    if (value == NULL || value[0] == '\0')
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddStringToObject(obj, key, value);
}

static void add_int_or_null(cJSON *obj, const char *key, long value) {
    if (value < 0)
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddNumberToObject(obj, key, (double)value);
}

static void add_bool_or_null(cJSON *obj, const char *key, int value) {
    if (value < 0)
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddBoolToObject(obj, key, value);
}

static void add_place(cJSON *obj, const char *key, const struct shl_cpu_place *p) {
    if (p->cpu < 0) {
        cJSON_AddNullToObject(obj, key);
        return;
    }
    cJSON *o = cJSON_AddObjectToObject(obj, key);
    cJSON_AddNumberToObject(o, "cpu", p->cpu);
    add_int_or_null(o, "core", p->core);
    add_int_or_null(o, "package", p->package);
    add_int_or_null(o, "node", p->node);
    add_string_or_null(o, "siblings", p->siblings);
    add_string_or_null(o, "governor", p->governor);
}

/* What the kernel shows of the machine's state; null for what it does not. */
static void add_machine(cJSON *c, const struct bench_context *ctx) {
    const struct shl_machine *m = &ctx->machine;
    cJSON *o = cJSON_AddObjectToObject(c, "machine");
    add_place(o, "cpu_a", &m->a);
    add_place(o, "cpu_b", &m->b);
    add_bool_or_null(o, "smt_siblings", m->smt_siblings);
    add_bool_or_null(o, "turbo", m->turbo);
    cJSON_AddBoolToObject(o, "hypervisor", m->hypervisor);
    add_string_or_null(o, "hypervisor_signs", m->hypervisor_detail);
    cJSON_AddStringToObject(o, "isolcpus", m->isolcpus);
    cJSON_AddStringToObject(o, "nohz_full", m->nohz_full);
    add_string_or_null(o, "clocksource", m->clocksource);
    cJSON *load = cJSON_AddArrayToObject(o, "loadavg");
    for (int i = 0; i < 3; i++)
        cJSON_AddItemToArray(load, m->loadavg[i] < 0 ? cJSON_CreateNull()
                                                     : cJSON_CreateNumber(m->loadavg[i]));
    add_number(o, "steal", ctx->steal);
    cJSON *busy = cJSON_AddArrayToObject(o, "pinned_busy");
    for (int i = 0; i < 2; i++)
        cJSON_AddItemToArray(busy, isnan(ctx->pinned_busy[i])
                                       ? cJSON_CreateNull()
                                       : cJSON_CreateNumber(ctx->pinned_busy[i]));
}

static cJSON *context_json(const struct bench_context *ctx) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "schema_version", BENCH_SCHEMA_VERSION);
    cJSON_AddStringToObject(c, "host", ctx->host);
    cJSON_AddStringToObject(c, "kernel", ctx->kernel);
    cJSON_AddStringToObject(c, "cpu_model", ctx->cpu_model);
    cJSON_AddNumberToObject(c, "cpus", ctx->cpus);
    cJSON *pin = cJSON_AddObjectToObject(c, "pinning");
    cJSON_AddBoolToObject(pin, "pinned", ctx->pinned);
    if (ctx->pinned) {
        cJSON_AddNumberToObject(pin, "cpu_a", ctx->cpu_a);
        cJSON_AddNumberToObject(pin, "cpu_b", ctx->cpu_b);
    } else {
        cJSON_AddNullToObject(pin, "cpu_a");
        cJSON_AddNullToObject(pin, "cpu_b");
    }
    cJSON *buf = cJSON_AddObjectToObject(c, "buffers");
    cJSON_AddNumberToObject(buf, "pipe", (double)ctx->pipe_buffer);
    cJSON_AddNumberToObject(buf, "unix_stream_sndbuf", ctx->unix_stream_sndbuf);
    cJSON_AddNumberToObject(buf, "unix_stream_rcvbuf", ctx->unix_stream_rcvbuf);
    cJSON_AddNumberToObject(buf, "unix_dgram_sndbuf", ctx->unix_dgram_sndbuf);
    cJSON_AddNumberToObject(buf, "unix_dgram_rcvbuf", ctx->unix_dgram_rcvbuf);
    cJSON_AddNumberToObject(buf, "tcp_sndbuf", ctx->tcp_sndbuf);
    cJSON_AddNumberToObject(buf, "tcp_rcvbuf", ctx->tcp_rcvbuf);
    cJSON_AddStringToObject(c, "mode", ctx->mode ? ctx->mode : "default");
    cJSON_AddStringToObject(c, "date", ctx->date);
    cJSON_AddStringToObject(c, "clock", ctx->clock ? ctx->clock : "");
    add_number(c, "timer_overhead_ns", ctx->timer_overhead_ns);
    add_number(c, "timer_subtracted_ns", ctx->timer_subtracted_ns);
    add_number(c, "timer_drift", ctx->timer_drift);
    cJSON_AddStringToObject(c, "clock_why", ctx->clock_why);
    add_number(c, "fastest_p50_ns", ctx->fastest_p50_ns);
    add_number(c, "clock_share_of_fastest_p50", ctx->timer_overhead_ns / ctx->fastest_p50_ns);
    cJSON_AddNumberToObject(c, "clock_resolution_ns", (double)ctx->clock_resolution_ns);
    add_machine(c, ctx);
    cJSON *adaptive = cJSON_AddObjectToObject(c, "adaptive");
    add_number(adaptive, "spin_budget_ns", ctx->spin_budget_ns);
    add_string_or_null(adaptive, "from", ctx->spin_budget_from);
    add_number(adaptive, "floor_pair_ns", ctx->calibration_pair_ns);
    add_number(adaptive, "futex_roundtrip_ns", ctx->calibration_futex_ns);
    cJSON_AddNumberToObject(c, "repetitions", ctx->repetitions);
    cJSON_AddNumberToObject(c, "seed", (double)ctx->seed);
    cJSON *warnings = cJSON_AddArrayToObject(c, "warnings");
    for (size_t i = 0; i < ctx->n_warnings; i++)
        cJSON_AddItemToArray(warnings, cJSON_CreateString(ctx->warnings[i]));
    cJSON_AddNumberToObject(c, "timeout_ms", ctx->timeout_ms);
    add_string_or_null(c, "charts", ctx->charts);
    cJSON *notes = cJSON_AddArrayToObject(c, "notes");
    for (size_t i = 0; i < ctx->n_notes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(ctx->notes[i]));
    return c;
}

void bench_row_hgrm_name(const struct bench_row *row, char *buf, size_t len) {
    char rate[32] = "";
    double hz = !isnan(row->offered_hz) ? row->offered_hz : row->rate_hz;
    if (!isnan(hz))
        snprintf(rate, sizeof rate, "-%.0fHz", hz);
    char repetition[24] = "";
    if (row->repetition > 0)
        snprintf(repetition, sizeof repetition, "-r%u", row->repetition);
    snprintf(buf, len, "%s-%s%s%s-%zu%s%s.hgrm", row->benchmark, row->transport,
             row->notify[0] ? "-" : "", row->notify, row->size, rate, repetition);
}

/* The histogram in its compact form (shl_hist_encode), with what a reader needs to rebuild
 * it: the layout's range, and the exact min and max. */
static int add_histogram(cJSON *o, const struct bench_row *row) {
    if (row->hist == NULL) {
        cJSON_AddNullToObject(o, "histogram");
        cJSON_AddNullToObject(o, "hgrm");
        return 0;
    }
    char *counts = shl_hist_encode(row->hist, NULL);
    if (counts == NULL)
        return -1;
    cJSON *h = cJSON_AddObjectToObject(o, "histogram");
    cJSON_AddStringToObject(h, "unit", "ns");
    cJSON_AddNumberToObject(h, "significant_digits", SHL_HIST_SIGNIFICANT_DIGITS);
    cJSON_AddNumberToObject(h, "lowest", 1);
    cJSON_AddNumberToObject(h, "highest", (double)row->hist->highest);
    cJSON_AddNumberToObject(h, "total", (double)row->hist->total);
    cJSON_AddNumberToObject(h, "min", row->hist->total ? (double)row->hist->min : 0);
    cJSON_AddNumberToObject(h, "max", (double)row->hist->max);
    cJSON_AddStringToObject(h, "counts", counts);
    free(counts);
    char name[160];
    bench_row_hgrm_name(row, name, sizeof name);
    cJSON_AddStringToObject(o, "hgrm", name);
    return 0;
}

static cJSON *row_json(const struct bench_row *row) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "benchmark", row->benchmark);
    cJSON_AddStringToObject(o, "transport", row->transport);
    add_string_or_null(o, "notify", row->notify);
    cJSON_AddNumberToObject(o, "size", (double)row->size);
    cJSON_AddStringToObject(o, "unit", row->unit);
    cJSON_AddNumberToObject(o, "n", (double)row->stats.n);
    add_number(o, "min", row->stats.min);
    add_number(o, "p50", row->stats.p50);
    add_number(o, "p90", row->stats.p90);
    add_number(o, "p99", row->stats.p99);
    add_number(o, "p999", row->stats.p999);
    add_number(o, "p9999", row->stats.p9999);
    add_number(o, "max", row->stats.max);
    add_number(o, "mean", row->stats.mean);
    add_number(o, "stddev", row->stats.stddev);
    cJSON_AddNumberToObject(o, "batch", row->batch);
    add_number(o, "rate_hz", row->rate_hz);
    add_number(o, "cpu_ns_per_msg", row->cpu_ns_per_msg);
    add_number(o, "cpu_ns_per_msg_a", row->cpu_ns_per_msg_a);
    add_number(o, "cpu_ns_per_msg_b", row->cpu_ns_per_msg_b);
    cJSON_AddNumberToObject(o, "messages", (double)row->messages);
    add_number(o, "ratio", row->ratio);
    add_string_or_null(o, "ratio_to", row->ratio_to);
    add_number(o, "floor_line_ns", row->floor_line_ns);
    add_number(o, "floor_pair_ns", row->floor_pair_ns);
    add_number(o, "ratio_pair", row->ratio_pair);
    add_number(o, "floor_move", row->floor_move);
    add_bool_or_null(o, "floor_moved", isnan(row->floor_move) ? -1 : row->floor_moved);
    add_int_or_null(o, "voluntary_switches_a", row->voluntary_a);
    add_int_or_null(o, "involuntary_switches_a", row->involuntary_a);
    add_int_or_null(o, "voluntary_switches_b", row->voluntary_b);
    add_int_or_null(o, "involuntary_switches_b", row->involuntary_b);
    add_number(o, "offered_hz", row->offered_hz);
    add_number(o, "achieved_hz", row->achieved_hz);
    add_bool_or_null(o, "reached", row->reached);
    add_number(o, "spin_budget_ns", row->spin_budget_ns);
    cJSON_AddNumberToObject(o, "repetition", row->repetition);
    if (add_histogram(o, row) != 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int write_json(cJSON *root, const char *path, struct shl_error *err) {
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL)
        return shl_fail(err, "cJSON_Print", ENOMEM, "%s", path);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        int saved = errno;
        free(text);
        return shl_fail(err, "fopen", saved, "%s", path);
    }
    int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    free(text);
    if (fclose(f) != 0 || !ok)
        return shl_fail(err, "write", errno ? errno : EIO, "%s", path);
    return 0;
}

int bench_results_write_json(const struct bench_context *ctx, const struct bench_results *r,
                             const char *path, struct shl_error *err) {
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return shl_fail(err, "cJSON_CreateObject", ENOMEM, "%s", path);
    cJSON_AddItemToObject(root, "context", context_json(ctx));
    cJSON *rows = cJSON_AddArrayToObject(root, "results");
    for (size_t i = 0; i < r->n; i++) {
        cJSON *row = row_json(&r->rows[i]);
        if (row == NULL) {
            cJSON_Delete(root);
            return shl_fail(err, "shl_hist_encode", ENOMEM, "%s", path);
        }
        cJSON_AddItemToArray(rows, row);
    }
    return write_json(root, path, err);
}

int bench_results_write_hgrm(const struct bench_results *r, const char *dir,
                             struct shl_error *err) {
    for (size_t i = 0; i < r->n; i++) {
        const struct bench_row *row = &r->rows[i];
        if (row->hist == NULL)
            continue;
        char name[160], path[4096];
        bench_row_hgrm_name(row, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "w");
        if (f == NULL)
            return shl_fail(err, "fopen", errno, "%s", path);
        /* Microseconds, the unit HdrHistogram's own plotter expects. */
        int rc = shl_hist_write_hgrm(row->hist, f, 1000.0, err);
        if (fclose(f) != 0 && rc == 0)
            return shl_fail(err, "fclose", errno, "%s", path);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static void csv_number(FILE *f, double value) {
    if (isnan(value) || isinf(value))
        fputc(',', f);
    else
        fprintf(f, ",%.6g", value);
}

int bench_results_write_csv(const struct bench_results *r, const char *path,
                            struct shl_error *err) {
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return shl_fail(err, "fopen", errno, "%s", path);
    fputs("benchmark,transport,notify,size,unit,n,min,p50,p90,p99,p999,max,mean,stddev,batch,"
          "rate_hz,cpu_ns_per_msg,cpu_ns_per_msg_a,cpu_ns_per_msg_b,messages,ratio,ratio_to\n",
          f);
    for (size_t i = 0; i < r->n; i++) {
        const struct bench_row *row = &r->rows[i];
        const struct shl_stats *s = &row->stats;
        fprintf(f, "%s,%s,%s,%zu,%s,%zu", row->benchmark, row->transport, row->notify,
                row->size, row->unit, s->n);
        double stats[] = {s->min, s->p50, s->p90, s->p99, s->p999, s->max, s->mean, s->stddev};
        for (size_t k = 0; k < sizeof stats / sizeof *stats; k++)
            csv_number(f, stats[k]);
        fprintf(f, ",%u", row->batch);
        csv_number(f, row->rate_hz);
        csv_number(f, row->cpu_ns_per_msg);
        csv_number(f, row->cpu_ns_per_msg_a);
        csv_number(f, row->cpu_ns_per_msg_b);
        fprintf(f, ",%llu", (unsigned long long)row->messages);
        csv_number(f, row->ratio);
        fprintf(f, ",%s\n", row->ratio_to);
    }
    if (fclose(f) != 0)
        return shl_fail(err, "fclose", errno, "%s", path);
    return 0;
}

/* "latency/pipe/64", "latency/posix:futex/64", "wakeup/pipe/64/1000Hz". */
static void gbench_name(const struct bench_row *row, char *buf, size_t len) {
    char rate[32] = "";
    double hz = !isnan(row->offered_hz) ? row->offered_hz : row->rate_hz;
    if (!isnan(hz))
        snprintf(rate, sizeof rate, "/%.0fHz", hz);
    snprintf(buf, len, "%s/%s%s%s/%zu%s", row->benchmark, row->transport,
             row->notify[0] ? ":" : "", row->notify, row->size, rate);
}

/* Google Benchmark's times are per iteration; one iteration here is one message or round
 * trip. real_time is the median, so that compare.py compares medians. */
struct gbench_times {
    double real_ns, cpu_ns, bytes_per_second;
};

static struct gbench_times gbench_times(const struct bench_row *row) {
    struct gbench_times t = {row->stats.p50, NAN, NAN};
    if (strcmp(row->unit, "MB/s") == 0) {
        t.real_ns = (double)row->size / (row->stats.p50 * 1e6) * 1e9;
        t.bytes_per_second = row->stats.p50 * 1e6;
    }
    t.cpu_ns = isnan(row->cpu_ns_per_msg) ? t.real_ns : row->cpu_ns_per_msg;
    return t;
}

static cJSON *gbench_entry(const char *name, unsigned repetitions, const char *run_type,
                           const char *aggregate) {
    cJSON *b = cJSON_CreateObject();
    char full[160];
    snprintf(full, sizeof full, "%s%s%s", name, aggregate ? "_" : "", aggregate ? aggregate : "");
    cJSON_AddStringToObject(b, "name", full);
    cJSON_AddStringToObject(b, "run_name", name);
    cJSON_AddStringToObject(b, "run_type", run_type);
    cJSON_AddNumberToObject(b, "repetitions", repetitions ? repetitions : 1);
    cJSON_AddNumberToObject(b, "threads", 1);
    if (aggregate != NULL)
        cJSON_AddStringToObject(b, "aggregate_name", aggregate);
    return b;
}

static void gbench_add_times(cJSON *b, double real_ns, double cpu_ns, double bytes_per_second) {
    add_number(b, "real_time", real_ns);
    add_number(b, "cpu_time", cpu_ns);
    cJSON_AddStringToObject(b, "time_unit", "ns");
    if (!isnan(bytes_per_second))
        cJSON_AddNumberToObject(b, "bytes_per_second", bytes_per_second);
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* mean, median and stddev over the repetitions of the configuration called `name`. */
static void add_aggregates(cJSON *list, const struct bench_results *r, const char *name,
                           unsigned repetitions) {
    double real[100], cpu[100];
    size_t n = 0;
    for (size_t i = 0; i < r->n && n < 100; i++) {
        const struct bench_row *o = &r->rows[i];
        char other[128];
        gbench_name(o, other, sizeof other);
        if (o->stats.n == 0 || strcmp(other, name) != 0)
            continue;
        struct gbench_times t = gbench_times(o);
        real[n] = t.real_ns;
        cpu[n++] = t.cpu_ns;
    }
    if (n < 2)
        return;
    const char *names[] = {"mean", "median", "stddev"};
    double *series[] = {real, cpu};
    double figures[2][3];
    for (int s = 0; s < 2; s++) {
        double sum = 0, squares = 0;
        for (size_t i = 0; i < n; i++)
            sum += series[s][i];
        double mean = sum / (double)n;
        for (size_t i = 0; i < n; i++)
            squares += (series[s][i] - mean) * (series[s][i] - mean);
        qsort(series[s], n, sizeof *series[s], compare_doubles);
        figures[s][0] = mean;
        figures[s][1] = n % 2 ? series[s][n / 2] : (series[s][n / 2 - 1] + series[s][n / 2]) / 2;
        figures[s][2] = sqrt(squares / (double)(n - 1));
    }
    for (int a = 0; a < 3; a++) {
        cJSON *b = gbench_entry(name, repetitions, "aggregate", names[a]);
        cJSON_AddNumberToObject(b, "iterations", (double)n);
        gbench_add_times(b, figures[0][a], figures[1][a], NAN);
        cJSON_AddItemToArray(list, b);
    }
}

int bench_results_write_gbench(const struct bench_context *ctx, const struct bench_results *r,
                               const char *path, struct shl_error *err) {
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return shl_fail(err, "cJSON_CreateObject", ENOMEM, "%s", path);
    cJSON *c = cJSON_AddObjectToObject(root, "context");
    cJSON_AddStringToObject(c, "date", ctx->date);
    cJSON_AddStringToObject(c, "host_name", ctx->host);
    cJSON_AddStringToObject(c, "executable", "shmlab bench");
    cJSON_AddNumberToObject(c, "num_cpus", ctx->cpus);
    cJSON_AddNumberToObject(c, "mhz_per_cpu", 0);
    /* As Google Benchmark decides it: a visible governor other than "performance". */
    const char *governors[] = {ctx->machine.a.governor, ctx->machine.b.governor};
    int scaling = 0;
    for (int i = 0; i < 2; i++)
        if (governors[i][0] != '\0' && strcmp(governors[i], "performance") != 0)
            scaling = 1;
    cJSON_AddBoolToObject(c, "cpu_scaling_enabled", scaling);
    cJSON_AddArrayToObject(c, "caches");
    cJSON_AddStringToObject(c, "library_build_type", "release");
    cJSON *list = cJSON_AddArrayToObject(root, "benchmarks");
    for (size_t i = 0; i < r->n; i++) {
        const struct bench_row *row = &r->rows[i];
        if (row->stats.n == 0)
            continue;
        char name[128];
        gbench_name(row, name, sizeof name);
        struct gbench_times t = gbench_times(row);
        cJSON *b = gbench_entry(name, ctx->repetitions, "iteration", NULL);
        cJSON_AddNumberToObject(b, "repetition_index", row->repetition);
        cJSON_AddNumberToObject(b, "iterations", row->messages ? (double)row->messages
                                                               : (double)row->stats.n);
        gbench_add_times(b, t.real_ns, t.cpu_ns, t.bytes_per_second);
        cJSON_AddItemToArray(list, b);
        /* After the last repetition of a configuration: its mean, median and stddev, as
         * Google Benchmark writes them, for compare.py's U test. */
        if (ctx->repetitions > 1 && row->repetition + 1 == ctx->repetitions)
            add_aggregates(list, r, name, ctx->repetitions);
    }
    return write_json(root, path, err);
}
