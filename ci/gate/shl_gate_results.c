#include "ci/gate/shl_gate_results.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row_entry {
    struct shl_gate_row row;
    const cJSON *json; /* the statistics are looked up in place, by name */
};

struct shl_gate_results {
    cJSON *root;
    const cJSON *context;
    struct row_entry *rows;
    size_t count;
};

/* Statistics the schema defines: present ones must be numbers (null means "not measured"). */
static const char *const known_stats[] = {
    "min", "p50", "p90", "p99", "p999", "max", "mean", "stddev", "n", "cpu_ns_per_msg",
    "ratio",
};

static bool valid_name(const cJSON *item, bool may_be_empty)
{
    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return false;
    size_t len = strlen(item->valuestring);
    return (may_be_empty || len > 0) && len < SHL_GATE_NAME_MAX;
}

/* Reads an optional non-negative number: absent or null gives `absent`. */
static bool optional_number(const cJSON *row, const char *key, double absent, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(row, key);
    if (item == NULL || cJSON_IsNull(item)) {
        *out = absent;
        return true;
    }
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) || item->valuedouble < 0)
        return false;
    *out = item->valuedouble;
    return true;
}

static int parse_row(const cJSON *json, size_t index, struct row_entry *entry,
                     struct shl_error *err)
{
    if (!cJSON_IsObject(json))
        return shl_fail(err, "results", EINVAL, "row %zu is not an object", index);
    const cJSON *benchmark = cJSON_GetObjectItemCaseSensitive(json, "benchmark");
    const cJSON *transport = cJSON_GetObjectItemCaseSensitive(json, "transport");
    const cJSON *notify = cJSON_GetObjectItemCaseSensitive(json, "notify");
    if (!valid_name(benchmark, false))
        return shl_fail(err, "results", EINVAL, "row %zu: 'benchmark' must be a name of 1-%d "
                        "characters", index, SHL_GATE_NAME_MAX - 1);
    if (!valid_name(transport, false))
        return shl_fail(err, "results", EINVAL, "row %zu: 'transport' must be a name of 1-%d "
                        "characters", index, SHL_GATE_NAME_MAX - 1);
    const cJSON *ratio_to = cJSON_GetObjectItemCaseSensitive(json, "ratio_to");
    if (notify != NULL && !cJSON_IsNull(notify) && !valid_name(notify, true))
        return shl_fail(err, "results", EINVAL, "row %zu: 'notify' must be null or a name "
                        "of 0-%d characters", index, SHL_GATE_NAME_MAX - 1);
    if (ratio_to != NULL && !cJSON_IsNull(ratio_to) && !valid_name(ratio_to, true))
        return shl_fail(err, "results", EINVAL, "row %zu: 'ratio_to' must be null or a name "
                        "of 0-%d characters", index, SHL_GATE_NAME_MAX - 1);
    entry->json = json;
    entry->row.benchmark = benchmark->valuestring;
    entry->row.transport = transport->valuestring;
    entry->row.notify = cJSON_IsString(notify) ? notify->valuestring : "";
    entry->row.ratio_to = cJSON_IsString(ratio_to) ? ratio_to->valuestring : "";
    if (!optional_number(json, "size", -1, &entry->row.size))
        return shl_fail(err, "results", EINVAL, "row %zu: 'size' must be a number >= 0", index);
    if (!optional_number(json, "rate_hz", 0, &entry->row.rate_hz))
        return shl_fail(err, "results", EINVAL, "row %zu: 'rate_hz' must be a number >= 0",
                        index);
    for (size_t i = 0; i < sizeof known_stats / sizeof known_stats[0]; i++) {
        const cJSON *stat = cJSON_GetObjectItemCaseSensitive(json, known_stats[i]);
        if (stat != NULL && !cJSON_IsNull(stat) &&
            !(cJSON_IsNumber(stat) && isfinite(stat->valuedouble)))
            return shl_fail(err, "results", EINVAL, "row %zu: '%s' must be a number or null",
                            index, known_stats[i]);
    }
    return 0;
}

int shl_gate_results_parse(const char *text, size_t len, struct shl_gate_results **out,
                           struct shl_error *err)
{
    *out = NULL;
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (root == NULL)
        return shl_fail(err, "results", EINVAL, "not JSON (error near byte %td)",
                        cJSON_GetErrorPtr() != NULL ? cJSON_GetErrorPtr() - text : (ptrdiff_t)0);
    struct shl_gate_results *results = calloc(1, sizeof *results);
    if (results == NULL) {
        cJSON_Delete(root);
        return shl_fail(err, "calloc", ENOMEM, NULL);
    }
    results->root = root;
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "results");
    const cJSON *context = cJSON_GetObjectItemCaseSensitive(root, "context");
    int rc = 0;
    if (!cJSON_IsObject(root))
        rc = shl_fail(err, "results", EINVAL, "the top level is not an object");
    else if (!cJSON_IsArray(rows))
        rc = shl_fail(err, "results", EINVAL, "no \"results\" array of rows");
    else if (context != NULL && !cJSON_IsObject(context))
        rc = shl_fail(err, "results", EINVAL, "\"context\" is not an object");
    if (rc == 0) {
        results->context = context;
        size_t count = (size_t)cJSON_GetArraySize(rows);
        results->rows = calloc(count > 0 ? count : 1, sizeof *results->rows);
        if (results->rows == NULL)
            rc = shl_fail(err, "calloc", ENOMEM, NULL);
        const cJSON *row = rows->child;
        for (size_t i = 0; rc == 0 && row != NULL; i++, row = row->next) {
            rc = parse_row(row, i, &results->rows[i], err);
            results->count = i + 1;
        }
    }
    if (rc != 0) {
        shl_gate_results_free(results);
        return rc;
    }
    *out = results;
    return 0;
}

void shl_gate_results_free(struct shl_gate_results *results)
{
    if (results == NULL)
        return;
    cJSON_Delete(results->root);
    free(results->rows);
    free(results);
}

size_t shl_gate_results_count(const struct shl_gate_results *results)
{
    return results->count;
}

const struct shl_gate_row *shl_gate_results_row(const struct shl_gate_results *results,
                                                size_t index)
{
    return index < results->count ? &results->rows[index].row : NULL;
}

const char *shl_gate_results_context(const struct shl_gate_results *results, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(results->context, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static bool transport_matches(const struct shl_gate_select *sel, const char *transport)
{
    for (int i = 0; i < SHL_GATE_CHOICES && sel->transport[i][0] != '\0'; i++)
        if (strcmp(sel->transport[i], transport) == 0)
            return true;
    return false;
}

static bool notify_matches(const struct shl_gate_select *sel, const char *notify)
{
    if (sel->notify[0] == '\0')
        return true;
    return (strcmp(sel->notify, notify) == 0) != sel->notify_except;
}

static bool place_matches(const struct shl_gate_select *sel, const struct shl_gate_row *row)
{
    return (sel->size < 0 || sel->size == row->size) &&
           (sel->rate_hz == 0 || sel->rate_hz == row->rate_hz);
}

static bool is_better(double a, double b, enum shl_gate_better better)
{
    return better == SHL_GATE_LOWER ? a < b : a > b;
}

const char *shl_gate_transports_text(const struct shl_gate_select *sel, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < SHL_GATE_CHOICES && sel->transport[i][0] != '\0' && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i > 0 ? "|" : "",
                                 sel->transport[i]);
    return buf;
}

bool shl_gate_results_find(const struct shl_gate_results *results,
                           const struct shl_gate_select *sel, enum shl_gate_better better,
                           double *value, char *why, size_t why_len)
{
    size_t of_kind = 0, with_notify = 0, at_place = 0;
    bool found = false, non_positive = false;
    double best = 0, rejected = 0;
    for (size_t i = 0; i < results->count; i++) {
        const struct shl_gate_row *row = &results->rows[i].row;
        if (strcmp(row->benchmark, sel->benchmark) != 0 || !transport_matches(sel, row->transport))
            continue;
        of_kind++;
        if (!notify_matches(sel, row->notify))
            continue;
        with_notify++;
        if (!place_matches(sel, row))
            continue;
        at_place++;
        const cJSON *stat = cJSON_GetObjectItemCaseSensitive(results->rows[i].json, sel->stat);
        if (!cJSON_IsNumber(stat) ||
            (sel->ratio_to[0] != '\0' && strcmp(sel->ratio_to, row->ratio_to) != 0))
            continue;
        if (!(stat->valuedouble > 0)) {
            non_positive = true;
            rejected = stat->valuedouble;
            continue;
        }
        if (!found || is_better(stat->valuedouble, best, better))
            best = stat->valuedouble;
        found = true;
    }
    if (found) {
        *value = best;
        return true;
    }
    char transports[SHL_GATE_CHOICES * SHL_GATE_NAME_MAX], size[32], what[160];
    shl_gate_transports_text(sel, transports, sizeof transports);
    if (of_kind == 0)
        snprintf(why, why_len, "no %s rows for transport %s", sel->benchmark, transports);
    else if (with_notify == 0)
        snprintf(why, why_len, "no %s rows for %s with notify %s%s", sel->benchmark, transports,
                 sel->notify_except ? "other than " : "", sel->notify);
    else if (at_place == 0) {
        char rate[48] = "";
        if (sel->rate_hz > 0)
            snprintf(rate, sizeof rate, " and rate %g Hz", sel->rate_hz);
        snprintf(why, why_len, "no %s row for %s%s%s at size %s%s", sel->benchmark,
                 transports, sel->notify[0] != '\0' ? (sel->notify_except ? "/!" : "/") : "",
                 sel->notify, shl_gate_size_text(sel->size, size, sizeof size), rate);
    }
    else if (non_positive)
        snprintf(why, why_len, "%s is %g, not a positive figure",
                 shl_gate_select_text(sel, what, sizeof what), rejected);
    else
        snprintf(why, why_len, "metric '%s' missing in %s", sel->stat,
                 shl_gate_select_text(sel, what, sizeof what));
    return false;
}

const char *shl_gate_size_text(double size, char *buf, size_t len)
{
    if (size < 0)
        snprintf(buf, len, "any");
    else if (size >= 1048576 && fmod(size, 1048576) == 0)
        snprintf(buf, len, "%g MiB", size / 1048576);
    else if (size >= 1024 && fmod(size, 1024) == 0)
        snprintf(buf, len, "%g KiB", size / 1024);
    else
        snprintf(buf, len, "%g B", size);
    return buf;
}

const char *shl_gate_select_text(const struct shl_gate_select *sel, char *buf, size_t len)
{
    char transports[SHL_GATE_CHOICES * SHL_GATE_NAME_MAX], size[32] = "", rate[32] = "";
    char notify[SHL_GATE_NAME_MAX + 2] = "";
    if (sel->notify[0] != '\0')
        snprintf(notify, sizeof notify, "/%s%s", sel->notify_except ? "!" : "", sel->notify);
    if (sel->size >= 0) {
        size[0] = ' ';
        shl_gate_size_text(sel->size, size + 1, sizeof size - 1);
    }
    if (sel->rate_hz > 0)
        snprintf(rate, sizeof rate, " @%g Hz", sel->rate_hz);
    snprintf(buf, len, "%s %s%s%s%s %s%s%s", sel->benchmark,
             shl_gate_transports_text(sel, transports, sizeof transports), notify, size, rate,
             sel->stat, sel->ratio_to[0] != '\0' ? " to " : "", sel->ratio_to);
    return buf;
}
