/* results.json and gbench.json: the writer and the one reader. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/results/shl_results.h"

/* JSON has no NaN: an absent measurement is null. */
static void add_number(cJSON *obj, const char *key, double value)
{
    if (isnan(value) || isinf(value))
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddNumberToObject(obj, key, value);
}

static void add_string_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value == NULL || value[0] == '\0')
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddStringToObject(obj, key, value);
}

static void add_int_or_null(cJSON *obj, const char *key, long value)
{
    if (value < 0)
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddNumberToObject(obj, key, (double)value);
}

static void add_bool_or_null(cJSON *obj, const char *key, int value)
{
    if (value < 0)
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddBoolToObject(obj, key, value);
}

static void add_place(cJSON *obj, const char *key, const struct shl_cpu_place *p)
{
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
static void add_machine(cJSON *c, const struct shl_results_context *ctx)
{
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

static cJSON *context_json(const struct shl_results_context *ctx)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "schema_version", SHL_RESULTS_SCHEMA_VERSION);
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
    cJSON_AddStringToObject(c, "mode", ctx->mode[0] ? ctx->mode : "default");
    cJSON_AddStringToObject(c, "date", ctx->date);
    cJSON_AddStringToObject(c, "clock", ctx->clock);
    add_number(c, "timer_overhead_ns", ctx->timer_overhead_ns);
    add_number(c, "timer_subtracted_ns", ctx->timer_subtracted_ns);
    add_number(c, "timer_drift", ctx->timer_drift);
    add_string_or_null(c, "clock_why", ctx->clock_why);
    add_number(c, "fastest_p50_ns", ctx->fastest_p50_ns);
    add_number(c, "clock_share_of_fastest_p50", ctx->timer_overhead_ns / ctx->fastest_p50_ns);
    cJSON_AddNumberToObject(c, "clock_resolution_ns", (double)ctx->clock_resolution_ns);
    cJSON_AddNumberToObject(c, "timeout_ms", ctx->timeout_ms);
    add_machine(c, ctx);
    cJSON *adaptive = cJSON_AddObjectToObject(c, "adaptive");
    add_number(adaptive, "spin_budget_ns", ctx->spin_budget_ns);
    add_string_or_null(adaptive, "from", ctx->spin_budget_from);
    add_number(adaptive, "floor_pair_ns", ctx->calibration_pair_ns);
    add_number(adaptive, "futex_roundtrip_ns", ctx->calibration_futex_ns);
    cJSON_AddNumberToObject(c, "repetitions", ctx->repetitions ? ctx->repetitions : 1);
    cJSON_AddNumberToObject(c, "seed", (double)ctx->seed);
    cJSON *notes = cJSON_AddArrayToObject(c, "notes");
    for (size_t i = 0; i < ctx->n_notes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(ctx->notes[i]));
    cJSON *warnings = cJSON_AddArrayToObject(c, "warnings");
    for (size_t i = 0; i < ctx->n_warnings; i++)
        cJSON_AddItemToArray(warnings, cJSON_CreateString(ctx->warnings[i]));
    return c;
}

void shl_results_hgrm_name(const struct shl_results_row *row, char *buf, size_t len)
{
    char rate[32] = "";
    double hz = !isnan(row->offered_hz) ? row->offered_hz : row->rate_hz;
    if (!isnan(hz))
        snprintf(rate, sizeof rate, "-%.0fHz", hz);
    char repetition[24] = "";
    if (row->repetition > 0)
        snprintf(repetition, sizeof repetition, "-r%u", row->repetition);
    snprintf(buf, len, "%s-%s%s%s-%zu%s%s.hgrm", row->benchmark, row->transport,
             row->notify != SHL_NOTIFY_NONE ? "-" : "", shl_notify_name(row->notify), row->size,
             rate, repetition);
}

/* The histogram in its compact form (shl_hist_encode, bench/RESULTS.md), with what a reader
 * needs to rebuild it: the layout's range, and the exact min and max. */
static int add_histogram(cJSON *o, const struct shl_results_row *row)
{
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
    shl_results_hgrm_name(row, name, sizeof name);
    cJSON_AddStringToObject(o, "hgrm", name);
    return 0;
}

static cJSON *row_json(const struct shl_results_row *row)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "benchmark", row->benchmark);
    cJSON_AddStringToObject(o, "transport", row->transport);
    add_string_or_null(o, "notify", shl_notify_name(row->notify));
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
    add_string_or_null(o, "interleaved_with", shl_notify_name(row->interleaved_with));
    add_number(o, "interleaved_ratio", row->interleaved_ratio);
    add_number(o, "interleaved_cpu_b_ratio", row->interleaved_cpu_b_ratio);
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
    if (row->subscribers > 0) {
        cJSON_AddNumberToObject(o, "subscribers", row->subscribers);
        add_number(o, "slowest_p50", row->slowest_p50);
        add_number(o, "slowest_p99", row->slowest_p99);
        add_number(o, "publish_ns", row->publish_ns);
    }
    return o;
}

static int write_json(cJSON *root, const char *path, struct shl_error *err)
{
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

int shl_results_write_json(const struct shl_results *r, const char *path, struct shl_error *err)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return shl_fail(err, "cJSON_CreateObject", ENOMEM, "%s", path);
    cJSON_AddItemToObject(root, "context", context_json(&r->context));
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

int shl_results_write_hgrm(const struct shl_results *r, const char *dir, struct shl_error *err)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct shl_results_row *row = &r->rows[i];
        if (row->hist == NULL)
            continue;
        char name[160], path[4096 + 160];
        shl_results_hgrm_name(row, name, sizeof name);
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

/* "latency/pipe/64", "latency/posix:futex/64", "wakeup/pipe/64/1000Hz". */
static void gbench_name(const struct shl_results_row *row, char *buf, size_t len)
{
    char rate[32] = "";
    double hz = !isnan(row->offered_hz) ? row->offered_hz : row->rate_hz;
    if (!isnan(hz))
        snprintf(rate, sizeof rate, "/%.0fHz", hz);
    else if (row->subscribers > 0)
        snprintf(rate, sizeof rate, "/%usubscribers", row->subscribers);
    snprintf(buf, len, "%s/%s%s%s/%zu%s", row->benchmark, row->transport,
             row->notify != SHL_NOTIFY_NONE ? ":" : "", shl_notify_name(row->notify), row->size,
             rate);
}

/* Google Benchmark's times are per iteration; one iteration here is one message or round
 * trip. real_time is the median, so that compare.py compares medians. */
struct gbench_times {
    double real_ns, cpu_ns, bytes_per_second;
};

static struct gbench_times gbench_times(const struct shl_results_row *row)
{
    struct gbench_times t = {row->stats.p50, NAN, NAN};
    if (strcmp(row->unit, "MB/s") == 0) {
        t.real_ns = (double)row->size / (row->stats.p50 * 1e6) * 1e9;
        t.bytes_per_second = row->stats.p50 * 1e6;
    }
    t.cpu_ns = isnan(row->cpu_ns_per_msg) ? t.real_ns : row->cpu_ns_per_msg;
    return t;
}

static cJSON *gbench_entry(const char *name, unsigned repetitions, const char *run_type,
                           const char *aggregate)
{
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

static void gbench_add_times(cJSON *b, double real_ns, double cpu_ns, double bytes_per_second)
{
    add_number(b, "real_time", real_ns);
    add_number(b, "cpu_time", cpu_ns);
    cJSON_AddStringToObject(b, "time_unit", "ns");
    if (!isnan(bytes_per_second))
        cJSON_AddNumberToObject(b, "bytes_per_second", bytes_per_second);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* mean, median and stddev over the repetitions of the configuration called `name`. */
static void add_aggregates(cJSON *list, const struct shl_results *r, const char *name,
                           unsigned repetitions)
{
    double real[100], cpu[100];
    size_t n = 0;
    for (size_t i = 0; i < r->n && n < 100; i++) {
        const struct shl_results_row *o = &r->rows[i];
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

int shl_results_write_gbench(const struct shl_results *r, const char *path, struct shl_error *err)
{
    const struct shl_results_context *ctx = &r->context;
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
    unsigned repetitions = ctx->repetitions ? ctx->repetitions : 1;
    for (size_t i = 0; i < r->n; i++) {
        const struct shl_results_row *row = &r->rows[i];
        if (row->stats.n == 0)
            continue;
        char name[128];
        gbench_name(row, name, sizeof name);
        struct gbench_times t = gbench_times(row);
        cJSON *b = gbench_entry(name, repetitions, "iteration", NULL);
        cJSON_AddNumberToObject(b, "repetition_index", row->repetition);
        cJSON_AddNumberToObject(b, "iterations",
                                row->messages ? (double)row->messages : (double)row->stats.n);
        gbench_add_times(b, t.real_ns, t.cpu_ns, t.bytes_per_second);
        cJSON_AddItemToArray(list, b);
        /* After the last repetition of a configuration: its mean, median and stddev, as
         * Google Benchmark writes them, for compare.py's U test. */
        if (repetitions > 1 && row->repetition + 1 == repetitions)
            add_aggregates(list, r, name, repetitions);
    }
    return write_json(root, path, err);
}

/* ---- The reader. */

static const cJSON *item(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static bool absent(const cJSON *value)
{
    return value == NULL || cJSON_IsNull(value);
}

/* A name field: a string that fits (non-empty unless `may_be_empty`); absent or null is ""
 * where `optional`. */
static int read_name(const cJSON *row, const char *key, size_t index, bool optional, char *buf,
                     size_t cap, struct shl_error *err)
{
    const cJSON *value = item(row, key);
    buf[0] = '\0';
    if (optional && absent(value))
        return 0;
    if (!cJSON_IsString(value) || value->valuestring == NULL)
        return shl_fail(err, "results", EINVAL, "row %zu: '%s' must be %s", index, key,
                        optional ? "null or text" : "text");
    size_t len = strlen(value->valuestring);
    if ((!optional && len == 0) || len >= cap)
        return shl_fail(err, "results", EINVAL,
                        "row %zu: '%s' must be a name of %d-%zu "
                        "characters",
                        index, key, optional ? 0 : 1, cap - 1);
    memcpy(buf, value->valuestring, len + 1);
    return 0;
}

/* A finite number, or NaN when absent or null. */
static int read_number(const cJSON *row, const char *key, size_t index, double *out,
                       struct shl_error *err)
{
    const cJSON *value = item(row, key);
    if (absent(value)) {
        *out = NAN;
        return 0;
    }
    if (!cJSON_IsNumber(value) || !isfinite(value->valuedouble))
        return shl_fail(err, "results", EINVAL, "row %zu: '%s' must be a number or null", index,
                        key);
    *out = value->valuedouble;
    return 0;
}

/* A count: a whole number >= 0; `absent_value` when absent or null. */
static int read_count(const cJSON *row, const char *key, size_t index, double absent_value,
                      double *out, struct shl_error *err)
{
    double value;
    if (read_number(row, key, index, &value, err) != 0)
        return -1;
    if (isnan(value)) {
        *out = absent_value;
        return 0;
    }
    if (value < 0 || value != floor(value) || value > 9007199254740992.0)
        return shl_fail(err, "results", EINVAL, "row %zu: '%s' must be a whole number >= 0", index,
                        key);
    *out = value;
    return 0;
}

/* The row's histogram (null or absent: none), rebuilt from its encoded counts. */
static int read_histogram(const cJSON *json, size_t index, struct shl_results_row *row,
                          struct shl_error *err)
{
    const cJSON *h = item(json, "histogram");
    row->hist = NULL;
    if (absent(h))
        return 0;
    const cJSON *counts = item(h, "counts");
    const cJSON *highest = item(h, "highest");
    if (!cJSON_IsObject(h) || !cJSON_IsString(counts) || !cJSON_IsNumber(highest))
        return shl_fail(err, "results", EINVAL,
                        "row %zu: 'histogram' must hold 'highest' and 'counts'", index);
    row->hist = malloc(sizeof *row->hist);
    if (row->hist == NULL)
        return shl_fail(err, "malloc", ENOMEM, "row %zu: histogram", index);
    struct shl_error why;
    if (shl_hist_init(row->hist, (int64_t)highest->valuedouble, &why) != 0 ||
        shl_hist_decode(row->hist, counts->valuestring, &why) != 0) {
        shl_hist_free(row->hist);
        free(row->hist);
        row->hist = NULL;
        return shl_fail(err, "results", EINVAL, "row %zu: 'histogram': %s", index, why.detail);
    }
    /* The exact extremes, where the file has them. */
    const cJSON *min = item(h, "min"), *max = item(h, "max");
    if (row->hist->total > 0 && cJSON_IsNumber(min) && cJSON_IsNumber(max)) {
        row->hist->min = (int64_t)min->valuedouble;
        row->hist->max = (int64_t)max->valuedouble;
    }
    return 0;
}

/* The strategy: absent, null or "" is none; any other text must be a strategy's name. */
static int read_notify(const cJSON *row, const char *key, size_t index, enum shl_notify_kind *kind,
                       struct shl_error *err)
{
    char name[16]; /* the longest the schema ever allowed, so a long name fails as before */
    *kind = SHL_NOTIFY_NONE;
    if (read_name(row, key, index, true, name, sizeof name, err) != 0)
        return -1;
    if (name[0] != '\0' && shl_notify_parse(name, kind) != 0)
        return shl_fail(err, "results", EINVAL, "row %zu: '%s' \"%s\" is no strategy", index, key,
                        name);
    return 0;
}

static int parse_row(const cJSON *json, size_t index, struct shl_results_row *row,
                     struct shl_error *err)
{
    if (!cJSON_IsObject(json))
        return shl_fail(err, "results", EINVAL, "row %zu is not an object", index);
    memset(row, 0, sizeof *row);
    row->reached = -1;
    if (read_name(json, "benchmark", index, false, row->benchmark, sizeof row->benchmark, err) !=
            0 ||
        read_name(json, "transport", index, false, row->transport, sizeof row->transport, err) !=
            0 ||
        read_notify(json, "notify", index, &row->notify, err) != 0 ||
        read_notify(json, "interleaved_with", index, &row->interleaved_with, err) != 0 ||
        read_name(json, "unit", index, true, row->unit, sizeof row->unit, err) != 0 ||
        read_name(json, "ratio_to", index, true, row->ratio_to, sizeof row->ratio_to, err) != 0)
        return -1;
    double size, n, batch, messages, repetition, subscribers;
    if (read_count(json, "size", index, -1, &size, err) != 0 ||
        read_count(json, "n", index, 0, &n, err) != 0 ||
        read_count(json, "batch", index, 1, &batch, err) != 0 ||
        read_count(json, "messages", index, 0, &messages, err) != 0 ||
        read_count(json, "repetition", index, 0, &repetition, err) != 0 ||
        read_count(json, "subscribers", index, 0, &subscribers, err) != 0)
        return -1;
    row->repetition = repetition < 4294967296.0 ? (unsigned)repetition : 0;
    row->subscribers = subscribers < 4294967296.0 ? (unsigned)subscribers : 0;
    if (size < 0)
        return shl_fail(err, "results", EINVAL, "row %zu: 'size' must be a number >= 0", index);
    row->size = (size_t)size;
    row->stats.n = (size_t)n;
    row->batch = batch > 0 && batch < 4294967296.0 ? (unsigned)batch : 1;
    row->messages = (uint64_t)messages;
    struct {
        const char *key;
        double *field;
    } numbers[] = {
        {"min", &row->stats.min},
        {"p50", &row->stats.p50},
        {"p90", &row->stats.p90},
        {"p99", &row->stats.p99},
        {"p999", &row->stats.p999},
        {"p9999", &row->stats.p9999},
        {"max", &row->stats.max},
        {"mean", &row->stats.mean},
        {"stddev", &row->stats.stddev},
        {"rate_hz", &row->rate_hz},
        {"cpu_ns_per_msg", &row->cpu_ns_per_msg},
        {"cpu_ns_per_msg_a", &row->cpu_ns_per_msg_a},
        {"cpu_ns_per_msg_b", &row->cpu_ns_per_msg_b},
        {"ratio", &row->ratio},
        {"floor_line_ns", &row->floor_line_ns},
        {"floor_pair_ns", &row->floor_pair_ns},
        {"ratio_pair", &row->ratio_pair},
        {"floor_move", &row->floor_move},
        {"interleaved_ratio", &row->interleaved_ratio},
        {"interleaved_cpu_b_ratio", &row->interleaved_cpu_b_ratio},
        {"offered_hz", &row->offered_hz},
        {"achieved_hz", &row->achieved_hz},
        {"spin_budget_ns", &row->spin_budget_ns},
        {"slowest_p50", &row->slowest_p50},
        {"slowest_p99", &row->slowest_p99},
        {"publish_ns", &row->publish_ns},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        if (read_number(json, numbers[i].key, index, numbers[i].field, err) != 0)
            return -1;
    struct {
        const char *key;
        long *field;
    } counts[] = {
        {"voluntary_switches_a", &row->voluntary_a},
        {"involuntary_switches_a", &row->involuntary_a},
        {"voluntary_switches_b", &row->voluntary_b},
        {"involuntary_switches_b", &row->involuntary_b},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        double value;
        if (read_count(json, counts[i].key, index, -1, &value, err) != 0)
            return -1;
        *counts[i].field = (long)value;
    }
    row->floor_moved = cJSON_IsTrue(item(json, "floor_moved"));
    const cJSON *reached = item(json, "reached");
    row->reached = cJSON_IsBool(reached) ? cJSON_IsTrue(reached) : -1;
    if (read_histogram(json, index, row, err) != 0)
        return -1;
    if (row->rate_hz < 0)
        return shl_fail(err, "results", EINVAL, "row %zu: 'rate_hz' must be a number >= 0", index);
    return 0;
}

static void copy_string(const cJSON *obj, const char *key, char *buf, size_t cap)
{
    const cJSON *value = item(obj, key);
    if (cJSON_IsString(value) && value->valuestring != NULL)
        snprintf(buf, cap, "%s", value->valuestring);
}

static double number_or(const cJSON *obj, const char *key, double otherwise)
{
    const cJSON *value = item(obj, key);
    return cJSON_IsNumber(value) && isfinite(value->valuedouble) ? value->valuedouble : otherwise;
}

/* A whole number within [lo, hi], or `otherwise`: a file may hold any double, and converting
 * one outside the target type's range is undefined behaviour. */
static long long whole_or(const cJSON *obj, const char *key, double lo, double hi,
                          long long otherwise)
{
    double value = number_or(obj, key, NAN);
    return value >= lo && value <= hi ? (long long)value : otherwise;
}
#define INT_OR(obj, key, otherwise) ((int)whole_or(obj, key, INT_MIN, INT_MAX, otherwise))
/* Beyond any count of bytes or nanoseconds a run records, and inside every 64-bit type. */
#define WHOLE64_LIMIT 9.0e18

/* The context is the run's description: read what is there, as it is there. */
static void parse_context(const cJSON *c, struct shl_results *out)
{
    struct shl_results_context *ctx = &out->context;
    ctx->schema_version = INT_OR(c, "schema_version", 0);
    copy_string(c, "host", ctx->host, sizeof ctx->host);
    copy_string(c, "kernel", ctx->kernel, sizeof ctx->kernel);
    copy_string(c, "cpu_model", ctx->cpu_model, sizeof ctx->cpu_model);
    copy_string(c, "mode", ctx->mode, sizeof ctx->mode);
    copy_string(c, "date", ctx->date, sizeof ctx->date);
    copy_string(c, "clock", ctx->clock, sizeof ctx->clock);
    ctx->cpus = INT_OR(c, "cpus", 0);
    const cJSON *pin = item(c, "pinning");
    if (cJSON_IsObject(pin)) {
        out->has_pinning = true;
        ctx->pinned = cJSON_IsTrue(item(pin, "pinned"));
        ctx->cpu_a = INT_OR(pin, "cpu_a", -1);
        ctx->cpu_b = INT_OR(pin, "cpu_b", -1);
    }
    const cJSON *buf = item(c, "buffers");
    ctx->pipe_buffer = (long)whole_or(buf, "pipe", 0, INT_MAX, 0);
    ctx->unix_stream_sndbuf = INT_OR(buf, "unix_stream_sndbuf", 0);
    ctx->unix_stream_rcvbuf = INT_OR(buf, "unix_stream_rcvbuf", 0);
    ctx->unix_dgram_sndbuf = INT_OR(buf, "unix_dgram_sndbuf", 0);
    ctx->unix_dgram_rcvbuf = INT_OR(buf, "unix_dgram_rcvbuf", 0);
    ctx->tcp_sndbuf = INT_OR(buf, "tcp_sndbuf", 0);
    ctx->tcp_rcvbuf = INT_OR(buf, "tcp_rcvbuf", 0);
    ctx->timer_overhead_ns = number_or(c, "timer_overhead_ns", NAN);
    ctx->timer_subtracted_ns = number_or(c, "timer_subtracted_ns", NAN);
    ctx->timer_drift = number_or(c, "timer_drift", NAN);
    copy_string(c, "clock_why", ctx->clock_why, sizeof ctx->clock_why);
    ctx->fastest_p50_ns = number_or(c, "fastest_p50_ns", NAN);
    const cJSON *machine = item(c, "machine");
    ctx->steal = number_or(machine, "steal", NAN);
    ctx->machine.smt_siblings = cJSON_IsBool(item(machine, "smt_siblings"))
                                    ? cJSON_IsTrue(item(machine, "smt_siblings"))
                                    : -1;
    ctx->machine.hypervisor = cJSON_IsTrue(item(machine, "hypervisor"));
    copy_string(machine, "clocksource", ctx->machine.clocksource, sizeof ctx->machine.clocksource);
    const cJSON *adaptive = item(c, "adaptive");
    ctx->spin_budget_ns = number_or(adaptive, "spin_budget_ns", NAN);
    copy_string(adaptive, "from", ctx->spin_budget_from, sizeof ctx->spin_budget_from);
    ctx->calibration_pair_ns = number_or(adaptive, "floor_pair_ns", NAN);
    ctx->calibration_futex_ns = number_or(adaptive, "futex_roundtrip_ns", NAN);
    ctx->repetitions = (unsigned)whole_or(c, "repetitions", 1, UINT_MAX, 1);
    ctx->seed = (unsigned long long)whole_or(c, "seed", 0, WHOLE64_LIMIT, 0);
    ctx->clock_resolution_ns = (int64_t)whole_or(c, "clock_resolution_ns", -WHOLE64_LIMIT,
                                                 WHOLE64_LIMIT, 0);
    ctx->timeout_ms = INT_OR(c, "timeout_ms", 0);
    const cJSON *note;
    cJSON_ArrayForEach(note, item(c, "notes"))
        shl_results_note(ctx, "%s", cJSON_IsString(note) ? note->valuestring : "?");
    const cJSON *warning;
    cJSON_ArrayForEach(warning, item(c, "warnings"))
        shl_results_warn(ctx, "%s", cJSON_IsString(warning) ? warning->valuestring : "?");
}

static int parse_document(const cJSON *root, struct shl_results *out, struct shl_error *err)
{
    const cJSON *rows = item(root, "results");
    const cJSON *context = item(root, "context");
    if (!cJSON_IsObject(root))
        return shl_fail(err, "results", EINVAL, "the top level is not an object");
    if (!cJSON_IsArray(rows))
        return shl_fail(err, "results", EINVAL, "no \"results\" array of rows");
    if (context != NULL && !cJSON_IsObject(context))
        return shl_fail(err, "results", EINVAL, "\"context\" is not an object");
    if (context != NULL) {
        out->has_context = true;
        parse_context(context, out);
    }
    size_t index = 0;
    const cJSON *json;
    cJSON_ArrayForEach(json, rows)
    {
        struct shl_results_row row;
        if (parse_row(json, index++, &row, err) != 0)
            return -1;
        if (shl_results_add(out, &row, err) != 0) {
            if (row.hist != NULL)
                shl_hist_free(row.hist);
            free(row.hist);
            return -1;
        }
    }
    return 0;
}

int shl_results_parse(const char *text, size_t len, struct shl_results *out, struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL) {
        const char *at = cJSON_GetErrorPtr();
        return shl_fail(err, "results", EINVAL, "not JSON (error near byte %td)",
                        at != NULL && at >= text ? at - text : (ptrdiff_t)0);
    }
    while (end != NULL && end < text + len && isspace((unsigned char)*end))
        end++;
    int rc = 0;
    if (end != NULL && end < text + len && *end != '\0')
        rc = shl_fail(err, "results", EINVAL,
                      "more than one JSON document (the second at "
                      "byte %td)",
                      end - text);
    if (rc == 0)
        rc = parse_document(root, out, err);
    cJSON_Delete(root);
    if (rc != 0)
        shl_results_free(out);
    return rc;
}

int shl_results_read(const char *path, struct shl_results *out, struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return shl_fail(err, "open", errno, "%s", path);
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            char *bigger = realloc(text, cap);
            if (bigger == NULL) {
                free(text);
                fclose(f);
                return shl_fail(err, "realloc", ENOMEM, "%s", path);
            }
            text = bigger;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(text);
        return shl_fail(err, "read", EIO, "%s", path);
    }
    int rc = shl_results_parse(text, len, out, err);
    free(text);
    return rc;
}

/* The statistics a row of each benchmark is defined with (bench/RESULTS.md). */
static const struct {
    const char *benchmark;
    const char *stats[3];
} defined_stats[] = {
    {"latency", {"p50", "p90", "p99"}},
    {"wakeup", {"p50", "p99", "rate_hz"}},
    {"throughput", {"p50"}},
    {"setup", {"mean"}},
    {"floor", {"p50"}},
    {"load", {"p50", "p99", "offered_hz"}},
    {"fanout", {"p50", "p99", "slowest_p99"}},
    {"zerocopy", {"p50", "p99"}},
    {"zerocopy-throughput", {"p50"}},
};

/* Whether a row's percentile agrees with its histogram: within the bucket of the sample one
 * rank either side of it (the exact statistic counts ranks by ceil(p * n), the histogram as
 * HdrHistogram does, by round(p * n)). */
static bool agrees_with_histogram(const struct shl_results_row *row, double p, double value)
{
    const struct shl_hist *h = row->hist;
    double step = 100.0 / (double)h->total;
    int64_t low = shl_hist_value_at_percentile(h, p - step > 0 ? p - step : 0);
    int64_t high = shl_hist_value_at_percentile(h, p + step < 100 ? p + step : 100);
    return value >= (double)shl_hist_lowest_equivalent(h, low) &&
           value <= (double)shl_hist_highest_equivalent(h, high);
}

int shl_results_check_complete(const struct shl_results *r, struct shl_error *err)
{
    if (!r->has_context)
        return shl_fail(err, "results", EINVAL, "no \"context\" object");
    if (r->n == 0)
        return shl_fail(err, "results", EINVAL, "\"results\" is empty");
    for (size_t i = 0; i < r->n; i++) {
        const struct shl_results_row *row = &r->rows[i];
        if (row->unit[0] == '\0')
            return shl_fail(err, "results", EINVAL, "results[%zu] (%s %s %zu B) lacks \"unit\"", i,
                            row->benchmark, row->transport, row->size);
        for (size_t b = 0; b < sizeof defined_stats / sizeof defined_stats[0]; b++) {
            if (strcmp(defined_stats[b].benchmark, row->benchmark) != 0)
                continue;
            for (size_t s = 0; s < 3 && defined_stats[b].stats[s] != NULL; s++)
                if (isnan(shl_results_stat(row, defined_stats[b].stats[s])))
                    return shl_fail(err, "results", EINVAL,
                                    "results[%zu] (%s %s %zu B) lacks "
                                    "\"%s\"",
                                    i, row->benchmark, row->transport, row->size,
                                    defined_stats[b].stats[s]);
        }
        static const struct {
            const char *stat;
            double p;
        } percentiles[] = {{"p50", 50}, {"p90", 90}, {"p99", 99}};
        for (size_t k = 0; row->hist != NULL && row->hist->total == row->stats.n && k < 3; k++) {
            double value = shl_results_stat(row, percentiles[k].stat);
            if (!isnan(value) && !agrees_with_histogram(row, percentiles[k].p, value))
                return shl_fail(err, "results", EINVAL,
                                "results[%zu] (%s %s %zu B): %s %g disagrees with its histogram", i,
                                row->benchmark, row->transport, row->size, percentiles[k].stat,
                                value);
        }
        if (shl_results_unit_scale(row->unit) == 0)
            return shl_fail(err, "results", EINVAL,
                            "results[%zu] (%s %s %zu B) has unknown "
                            "unit \"%s\"",
                            i, row->benchmark, row->transport, row->size, row->unit);
    }
    return 0;
}
