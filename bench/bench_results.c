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
    cJSON_AddNumberToObject(c, "clock_resolution_ns", (double)ctx->clock_resolution_ns);
    cJSON_AddNumberToObject(c, "timeout_ms", ctx->timeout_ms);
    add_string_or_null(c, "charts", ctx->charts);
    cJSON *notes = cJSON_AddArrayToObject(c, "notes");
    for (size_t i = 0; i < ctx->n_notes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(ctx->notes[i]));
    return c;
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
    for (size_t i = 0; i < r->n; i++)
        cJSON_AddItemToArray(rows, row_json(&r->rows[i]));
    return write_json(root, path, err);
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
    if (!isnan(row->rate_hz))
        snprintf(rate, sizeof rate, "/%.0fHz", row->rate_hz);
    snprintf(buf, len, "%s/%s%s%s/%zu%s", row->benchmark, row->transport,
             row->notify[0] ? ":" : "", row->notify, row->size, rate);
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
    cJSON_AddBoolToObject(c, "cpu_scaling_enabled", 0);
    cJSON_AddArrayToObject(c, "caches");
    cJSON_AddStringToObject(c, "library_build_type", "release");
    cJSON *list = cJSON_AddArrayToObject(root, "benchmarks");
    for (size_t i = 0; i < r->n; i++) {
        const struct bench_row *row = &r->rows[i];
        if (row->stats.n == 0)
            continue;
        char name[128];
        gbench_name(row, name, sizeof name);
        /* Google Benchmark's times are per iteration; one iteration here is one message or
         * round trip. real_time is the median, so that compare.py compares medians. */
        double real_ns, bytes_per_second = NAN;
        if (strcmp(row->unit, "MB/s") == 0) {
            real_ns = (double)row->size / (row->stats.p50 * 1e6) * 1e9;
            bytes_per_second = row->stats.p50 * 1e6;
        } else {
            real_ns = row->stats.p50;
        }
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "name", name);
        cJSON_AddStringToObject(b, "run_name", name);
        cJSON_AddStringToObject(b, "run_type", "iteration");
        cJSON_AddNumberToObject(b, "repetitions", 1);
        cJSON_AddNumberToObject(b, "repetition_index", 0);
        cJSON_AddNumberToObject(b, "threads", 1);
        cJSON_AddNumberToObject(b, "iterations", row->messages ? (double)row->messages
                                                               : (double)row->stats.n);
        cJSON_AddNumberToObject(b, "real_time", real_ns);
        add_number(b, "cpu_time",
                   isnan(row->cpu_ns_per_msg) ? real_ns : row->cpu_ns_per_msg);
        cJSON_AddStringToObject(b, "time_unit", "ns");
        if (!isnan(bytes_per_second))
            cJSON_AddNumberToObject(b, "bytes_per_second", bytes_per_second);
        cJSON_AddItemToArray(list, b);
    }
    return write_json(root, path, err);
}
