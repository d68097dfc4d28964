/* results.json and gbench.json: the writer and the one reader. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
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
    cJSON_AddNumberToObject(c, "clock_resolution_ns", (double)ctx->clock_resolution_ns);
    cJSON_AddNumberToObject(c, "timeout_ms", ctx->timeout_ms);
    cJSON *notes = cJSON_AddArrayToObject(c, "notes");
    for (size_t i = 0; i < ctx->n_notes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(ctx->notes[i]));
    return c;
}

static cJSON *row_json(const struct shl_results_row *row)
{
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
    for (size_t i = 0; i < r->n; i++)
        cJSON_AddItemToArray(rows, row_json(&r->rows[i]));
    return write_json(root, path, err);
}

/* "latency/pipe/64", "latency/posix:futex/64", "wakeup/pipe/64/1000Hz". */
static void gbench_name(const struct shl_results_row *row, char *buf, size_t len)
{
    char rate[32] = "";
    if (!isnan(row->rate_hz))
        snprintf(rate, sizeof rate, "/%.0fHz", row->rate_hz);
    else if (row->subscribers > 0)
        snprintf(rate, sizeof rate, "/%usubscribers", row->subscribers);
    snprintf(buf, len, "%s/%s%s%s/%zu%s", row->benchmark, row->transport, row->notify[0] ? ":" : "",
             row->notify, row->size, rate);
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
    cJSON_AddBoolToObject(c, "cpu_scaling_enabled", 0);
    cJSON_AddArrayToObject(c, "caches");
    cJSON_AddStringToObject(c, "library_build_type", "release");
    cJSON *list = cJSON_AddArrayToObject(root, "benchmarks");
    for (size_t i = 0; i < r->n; i++) {
        const struct shl_results_row *row = &r->rows[i];
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
        cJSON_AddNumberToObject(b, "iterations",
                                row->messages ? (double)row->messages : (double)row->stats.n);
        cJSON_AddNumberToObject(b, "real_time", real_ns);
        add_number(b, "cpu_time", isnan(row->cpu_ns_per_msg) ? real_ns : row->cpu_ns_per_msg);
        cJSON_AddStringToObject(b, "time_unit", "ns");
        if (!isnan(bytes_per_second))
            cJSON_AddNumberToObject(b, "bytes_per_second", bytes_per_second);
        cJSON_AddItemToArray(list, b);
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

static int parse_row(const cJSON *json, size_t index, struct shl_results_row *row,
                     struct shl_error *err)
{
    if (!cJSON_IsObject(json))
        return shl_fail(err, "results", EINVAL, "row %zu is not an object", index);
    memset(row, 0, sizeof *row);
    if (read_name(json, "benchmark", index, false, row->benchmark, sizeof row->benchmark, err) !=
            0 ||
        read_name(json, "transport", index, false, row->transport, sizeof row->transport, err) !=
            0 ||
        read_name(json, "notify", index, true, row->notify, sizeof row->notify, err) != 0 ||
        read_name(json, "unit", index, true, row->unit, sizeof row->unit, err) != 0 ||
        read_name(json, "ratio_to", index, true, row->ratio_to, sizeof row->ratio_to, err) != 0)
        return -1;
    double size, n, batch, messages, subscribers;
    if (read_count(json, "size", index, -1, &size, err) != 0 ||
        read_count(json, "n", index, 0, &n, err) != 0 ||
        read_count(json, "batch", index, 1, &batch, err) != 0 ||
        read_count(json, "messages", index, 0, &messages, err) != 0 ||
        read_count(json, "subscribers", index, 0, &subscribers, err) != 0)
        return -1;
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
        {"max", &row->stats.max},
        {"mean", &row->stats.mean},
        {"stddev", &row->stats.stddev},
        {"rate_hz", &row->rate_hz},
        {"cpu_ns_per_msg", &row->cpu_ns_per_msg},
        {"cpu_ns_per_msg_a", &row->cpu_ns_per_msg_a},
        {"cpu_ns_per_msg_b", &row->cpu_ns_per_msg_b},
        {"ratio", &row->ratio},
        {"slowest_p50", &row->slowest_p50},
        {"slowest_p99", &row->slowest_p99},
        {"publish_ns", &row->publish_ns},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        if (read_number(json, numbers[i].key, index, numbers[i].field, err) != 0)
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

/* The context is the run's description: read what is there, as it is there. */
static void parse_context(const cJSON *c, struct shl_results *out)
{
    struct shl_results_context *ctx = &out->context;
    ctx->schema_version = (int)number_or(c, "schema_version", 0);
    copy_string(c, "host", ctx->host, sizeof ctx->host);
    copy_string(c, "kernel", ctx->kernel, sizeof ctx->kernel);
    copy_string(c, "cpu_model", ctx->cpu_model, sizeof ctx->cpu_model);
    copy_string(c, "mode", ctx->mode, sizeof ctx->mode);
    copy_string(c, "date", ctx->date, sizeof ctx->date);
    copy_string(c, "clock", ctx->clock, sizeof ctx->clock);
    ctx->cpus = (int)number_or(c, "cpus", 0);
    const cJSON *pin = item(c, "pinning");
    if (cJSON_IsObject(pin)) {
        out->has_pinning = true;
        ctx->pinned = cJSON_IsTrue(item(pin, "pinned"));
        ctx->cpu_a = (int)number_or(pin, "cpu_a", -1);
        ctx->cpu_b = (int)number_or(pin, "cpu_b", -1);
    }
    const cJSON *buf = item(c, "buffers");
    ctx->pipe_buffer = (long)number_or(buf, "pipe", 0);
    ctx->unix_stream_sndbuf = (int)number_or(buf, "unix_stream_sndbuf", 0);
    ctx->unix_stream_rcvbuf = (int)number_or(buf, "unix_stream_rcvbuf", 0);
    ctx->unix_dgram_sndbuf = (int)number_or(buf, "unix_dgram_sndbuf", 0);
    ctx->unix_dgram_rcvbuf = (int)number_or(buf, "unix_dgram_rcvbuf", 0);
    ctx->tcp_sndbuf = (int)number_or(buf, "tcp_sndbuf", 0);
    ctx->tcp_rcvbuf = (int)number_or(buf, "tcp_rcvbuf", 0);
    ctx->timer_overhead_ns = number_or(c, "timer_overhead_ns", NAN);
    ctx->clock_resolution_ns = (int64_t)number_or(c, "clock_resolution_ns", 0);
    ctx->timeout_ms = (int)number_or(c, "timeout_ms", 0);
    const cJSON *note;
    cJSON_ArrayForEach(note, item(c, "notes"))
        shl_results_note(ctx, "%s", cJSON_IsString(note) ? note->valuestring : "?");
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
        if (parse_row(json, index++, &row, err) != 0 || shl_results_add(out, &row, err) != 0)
            return -1;
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
    {"fanout", {"p50", "p99", "slowest_p99"}},
    {"zerocopy", {"p50", "p99"}},
};

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
        if (shl_results_unit_scale(row->unit) == 0)
            return shl_fail(err, "results", EINVAL,
                            "results[%zu] (%s %s %zu B) has unknown "
                            "unit \"%s\"",
                            i, row->benchmark, row->transport, row->size, row->unit);
    }
    return 0;
}
