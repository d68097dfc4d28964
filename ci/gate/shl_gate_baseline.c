#include "ci/gate/shl_gate_baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A way to form ratios from a run's rows: each row of `benchmark` (of `only_shm`,
 * `only_notify` and `only_size` when given) divided by its reference figure in the same run.
 * Which ratios fail and which only warn, and why: ci/README.md ("Noise"), from repeated
 * --quick runs on this VM. In short, only ratios of figures with hundreds of samples fail:
 * quick mode takes 3-50 samples of throughput and wake-up, and a spinning peer that loses
 * its CPU to another job makes those 30-600x worse for one run. */
struct rule {
    const char *benchmark;
    bool only_shm;                    /* shared-memory rows only; otherwise every transport */
    enum shl_notify_kind only_notify; /* SHL_NOTIFY_NONE for every strategy */
    double only_size;                 /* -1 for every size */
    const char *stat;
    const char *ref_benchmark; /* NULL: none, the row's `stat` is already a ratio */
    const char *ref_transport; /* NULL: the row's own transport */
    double ref_size;           /* 0: the row's own size; -1: any size */
    bool same_rate;
    enum shl_results_better better;
    double tolerance;
    double hard_size_max; /* rows up to this size fail when out of bounds, larger ones only
                           * warn; -1: every size fails; 0: none (the ratio only warns) */
};

static const struct rule rules[] = {
    {"latency", false, SHL_NOTIFY_NONE, -1, "p50", "latency", "pipe", 0, false, SHL_RESULTS_LOWER,
     2.5, 65536},
    {"wakeup", false, SHL_NOTIFY_NONE, -1, "p50", "wakeup", "pipe", 0, true, SHL_RESULTS_LOWER, 2.5,
     0},
    {"throughput", false, SHL_NOTIFY_NONE, -1, "p50", "throughput", "pipe", 0, false,
     SHL_RESULTS_HIGHER, 2.5, 0},
    /* The driver's own ratios (bench/RESULTS.md): shared-memory throughput over memcpy at
     * the same size, and spinning shared memory over the cache-line floor. Only spinning is
     * near the floor; a blocking strategy's distance from it is the kernel's wake-up cost,
     * which the ratio to the pipe already follows. The floor itself jumps between about
     * 130 and 485 ns with the host's vCPU placement: hence 4. */
    {"throughput", true, SHL_NOTIFY_NONE, -1, "ratio", NULL, NULL, 0, false, SHL_RESULTS_HIGHER,
     2.5, 0},
    {"latency", true, SHL_NOTIFY_SPIN, 64, "ratio", NULL, NULL, 0, false, SHL_RESULTS_LOWER, 4.0,
     -1},
    {"setup", false, SHL_NOTIFY_NONE, -1, "p50", "setup", NULL, 4096, false, SHL_RESULTS_LOWER, 2.5,
     0},
};

/* How far above the runs' spread a calibrated tolerance goes. */
#define CALIBRATION_MARGIN 1.5

void shl_gate_baseline_free(struct shl_gate_baseline *baseline)
{
    free(baseline->entries);
    baseline->entries = NULL;
    baseline->count = 0;
}

void shl_gate_baseline_check(const struct shl_gate_entry *entry, struct shl_gate_check *check)
{
    memset(check, 0, sizeof *check);
    check->ratio = entry->ratio;
    check->baseline = entry->baseline;
    check->allowed = shl_gate_allowed(entry->baseline, entry->tolerance, entry->ratio.better);
    check->hard = entry->hard;
}

/* ---- parsing ---- */

static const char *string_of(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* An optional number: absent gives `absent`; present must be finite and >= 0. */
static bool number_of(const cJSON *object, const char *key, double absent, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (item == NULL) {
        *out = absent;
        return true;
    }
    *out = item->valuedouble;
    return cJSON_IsNumber(item) && isfinite(item->valuedouble) && item->valuedouble >= 0;
}

static int parse_select(const cJSON *json, size_t index, const char *side,
                        struct shl_gate_select *sel, struct shl_error *err)
{
    if (!cJSON_IsObject(json))
        return shl_fail(err, "baseline", EINVAL, "ratio %zu: '%s' is not an object", index, side);
    const char *benchmark = string_of(json, "benchmark");
    const char *transport = string_of(json, "transport");
    const char *notify = string_of(json, "notify");
    const char *stat = string_of(json, "stat");
    const char *ratio_to = string_of(json, "ratio_to");
    const cJSON *notify_item = cJSON_GetObjectItemCaseSensitive(json, "notify");
    if (notify_item != NULL && notify == NULL)
        return shl_fail(err, "baseline", EINVAL, "ratio %zu: %s.notify is not a string", index,
                        side);
    bool except = notify != NULL && notify[0] == '!';
    if (except && notify[1] == '\0')
        return shl_fail(err, "baseline", EINVAL, "ratio %zu: %s.notify \"!\" names no strategy",
                        index, side);
    enum shl_notify_kind kind = SHL_NOTIFY_NONE;
    if (notify != NULL && notify[except] != '\0' && shl_notify_parse(notify + except, &kind) != 0)
        return shl_fail(err, "baseline", EINVAL, "ratio %zu: %s.notify \"%s\" is no strategy",
                        index, side, notify + except);
    double size, rate_hz;
    if (benchmark == NULL || transport == NULL || stat == NULL || benchmark[0] == '\0' ||
        stat[0] == '\0' || !shl_gate_select_set(sel, benchmark, transport, kind, -1, stat))
        return shl_fail(err, "baseline", EINVAL,
                        "ratio %zu: '%s' needs benchmark, transport "
                        "and stat names of 1-%d characters",
                        index, side, SHL_GATE_NAME_MAX - 1);
    if (!number_of(json, "size", -1, &size) || !number_of(json, "rate_hz", 0, &rate_hz))
        return shl_fail(err, "baseline", EINVAL,
                        "ratio %zu: %s.size and %s.rate_hz must be "
                        "numbers >= 0",
                        index, side, side);
    if (cJSON_GetObjectItemCaseSensitive(json, "ratio_to") != NULL &&
        (ratio_to == NULL || strlen(ratio_to) >= sizeof sel->ratio_to))
        return shl_fail(err, "baseline", EINVAL,
                        "ratio %zu: %s.ratio_to must be a name of "
                        "0-%d characters",
                        index, side, SHL_GATE_NAME_MAX - 1);
    if (ratio_to != NULL)
        strcpy(sel->ratio_to, ratio_to);
    sel->notify_except = except;
    sel->size = size;
    sel->rate_hz = rate_hz;
    return 0;
}

static int parse_entry(const cJSON *json, size_t index, struct shl_gate_entry *entry,
                       struct shl_error *err)
{
    if (!cJSON_IsObject(json))
        return shl_fail(err, "baseline", EINVAL, "ratio %zu is not an object", index);
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(json, "to");
    if (parse_select(cJSON_GetObjectItemCaseSensitive(json, "of"), index, "of", &entry->ratio.of,
                     err) != 0 ||
        (to != NULL && parse_select(to, index, "to", &entry->ratio.to, err) != 0))
        return -1;
    const char *better = string_of(json, "better");
    if (better != NULL && strcmp(better, "lower") == 0)
        entry->ratio.better = SHL_RESULTS_LOWER;
    else if (better != NULL && strcmp(better, "higher") == 0)
        entry->ratio.better = SHL_RESULTS_HIGHER;
    else
        return shl_fail(err, "baseline", EINVAL,
                        "ratio %zu: 'better' must be \"lower\" or "
                        "\"higher\"",
                        index);
    if (!number_of(json, "baseline", -1, &entry->baseline) || !(entry->baseline > 0))
        return shl_fail(err, "baseline", EINVAL, "ratio %zu: 'baseline' must be a number > 0",
                        index);
    if (!number_of(json, "tolerance", -1, &entry->tolerance) || !(entry->tolerance >= 1))
        return shl_fail(err, "baseline", EINVAL, "ratio %zu: 'tolerance' must be a factor >= 1",
                        index);
    const cJSON *severity = cJSON_GetObjectItemCaseSensitive(json, "severity");
    const char *level = string_of(json, "severity");
    entry->hard = severity == NULL || (level != NULL && strcmp(level, "fail") == 0);
    if (!entry->hard && (level == NULL || strcmp(level, "warn") != 0))
        return shl_fail(err, "baseline", EINVAL,
                        "ratio %zu: 'severity' must be \"fail\" or "
                        "\"warn\"",
                        index);
    return 0;
}

int shl_gate_baseline_parse(const char *text, size_t len, struct shl_gate_baseline *out,
                            struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (root == NULL)
        return shl_fail(err, "baseline", EINVAL, "not JSON (error near byte %td)",
                        cJSON_GetErrorPtr() != NULL ? cJSON_GetErrorPtr() - text : (ptrdiff_t)0);
    const char *format = string_of(root, "format");
    const cJSON *ratios = cJSON_GetObjectItemCaseSensitive(root, "ratios");
    int rc = 0;
    if (!cJSON_IsObject(root))
        rc = shl_fail(err, "baseline", EINVAL, "the top level is not an object");
    else if (format == NULL || strcmp(format, SHL_GATE_BASELINE_FORMAT) != 0)
        rc = shl_fail(err, "baseline", EINVAL, "'format' is not \"%s\"", SHL_GATE_BASELINE_FORMAT);
    else if (!cJSON_IsArray(ratios) || cJSON_GetArraySize(ratios) == 0)
        rc = shl_fail(err, "baseline", EINVAL, "no \"ratios\" to compare");
    if (rc == 0) {
        out->entries = calloc((size_t)cJSON_GetArraySize(ratios), sizeof *out->entries);
        if (out->entries == NULL)
            rc = shl_fail(err, "calloc", ENOMEM, NULL);
        const cJSON *item = ratios->child;
        for (size_t i = 0; rc == 0 && item != NULL; i++, item = item->next) {
            rc = parse_entry(item, i, &out->entries[i], err);
            out->count = i + 1;
        }
    }
    cJSON_Delete(root);
    if (rc != 0)
        shl_gate_baseline_free(out);
    return rc;
}

/* ---- deriving from a run ---- */

static bool select_equal(const struct shl_gate_select *a, const struct shl_gate_select *b)
{
    for (int i = 0; i < SHL_GATE_CHOICES; i++)
        if (strcmp(a->transport[i], b->transport[i]) != 0)
            return false;
    return strcmp(a->benchmark, b->benchmark) == 0 && a->notify == b->notify &&
           a->notify_except == b->notify_except && a->size == b->size && a->rate_hz == b->rate_hz &&
           strcmp(a->stat, b->stat) == 0 && strcmp(a->ratio_to, b->ratio_to) == 0;
}

static bool ratio_equal(const struct shl_gate_ratio *a, const struct shl_gate_ratio *b)
{
    return a->better == b->better && select_equal(&a->of, &b->of) && select_equal(&a->to, &b->to);
}

static const struct shl_gate_entry *find_entry(const struct shl_gate_baseline *baseline,
                                               const struct shl_gate_ratio *ratio)
{
    for (size_t i = 0; baseline != NULL && i < baseline->count; i++)
        if (ratio_equal(&baseline->entries[i].ratio, ratio))
            return &baseline->entries[i];
    return NULL;
}

/* The ratio `rule` forms for `row`; false when the rule does not apply to it. */
static bool rule_ratio(const struct rule *rule, const struct shl_results_row *row,
                       struct shl_gate_ratio *ratio)
{
    if (strcmp(row->benchmark, rule->benchmark) != 0 ||
        (rule->only_shm && !shl_results_is_shm(row->transport)) ||
        (rule->only_notify != SHL_NOTIFY_NONE && row->notify != rule->only_notify) ||
        (rule->only_size >= 0 && row->size != rule->only_size))
        return false;
    memset(ratio, 0, sizeof *ratio);
    ratio->better = rule->better;
    if (!shl_gate_select_set(&ratio->of, row->benchmark, row->transport, row->notify, row->size,
                             rule->stat))
        return false;
    ratio->of.rate_hz = isnan(row->rate_hz) ? 0 : row->rate_hz;
    if (rule->ref_benchmark == NULL) {
        snprintf(ratio->of.ratio_to, sizeof ratio->of.ratio_to, "%s", row->ratio_to);
        return true;
    }
    if (!shl_gate_select_set(&ratio->to, rule->ref_benchmark,
                             rule->ref_transport != NULL ? rule->ref_transport : row->transport,
                             SHL_NOTIFY_NONE, rule->ref_size == 0 ? row->size : rule->ref_size,
                             rule->stat))
        return false;
    if (rule->same_rate)
        ratio->to.rate_hz = ratio->of.rate_hz;
    /* The reference row itself would only ever give 1. */
    return !(strcmp(ratio->of.benchmark, ratio->to.benchmark) == 0 &&
             strcmp(ratio->of.transport[0], ratio->to.transport[0]) == 0 &&
             ratio->of.size == ratio->to.size);
}

static double round_to_4_digits(double value)
{
    char text[32];
    snprintf(text, sizeof text, "%.4g", value);
    return strtod(text, NULL);
}

static bool rule_hard(const struct rule *rule, const struct shl_results_row *row)
{
    return rule->hard_size_max < 0 || (rule->hard_size_max > 0 && row->size <= rule->hard_size_max);
}

/* Worst over best of the runs' values, leaving out the single best and worst run when
 * there are four or more, so that one disturbed run does not set the tolerance. */
static double spread(double *values, size_t count, enum shl_results_better better)
{
    shl_gate_pick(values, count, better); /* sorts them */
    size_t trim = count >= 4 ? 1 : 0;
    return values[count - 1 - trim] / values[trim];
}

int shl_gate_baseline_derive(const struct shl_results *const *runs, size_t nruns,
                             const struct shl_gate_baseline *previous, double tolerance,
                             struct shl_gate_baseline *out, size_t *kept, struct shl_error *err)
{
    memset(out, 0, sizeof *out);
    *kept = 0;
    if (nruns == 0 || nruns > SHL_GATE_RUNS_MAX)
        return shl_fail(err, "baseline", EINVAL, "from 1 to %d runs, not %zu", SHL_GATE_RUNS_MAX,
                        nruns);
    size_t rows = runs[0]->n;
    size_t cap = rows * (sizeof rules / sizeof rules[0]);
    out->entries = calloc(cap > 0 ? cap : 1, sizeof *out->entries);
    if (out->entries == NULL)
        return shl_fail(err, "calloc", ENOMEM, NULL);
    for (size_t i = 0; i < rows; i++) {
        const struct shl_results_row *row = &runs[0]->rows[i];
        for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
            struct shl_gate_entry entry = {0};
            double values[SHL_GATE_RUNS_MAX];
            char why[8];
            if (!rule_ratio(&rules[r], row, &entry.ratio) || find_entry(out, &entry.ratio))
                continue;
            size_t have = 0;
            while (have < nruns &&
                   shl_gate_ratio_value(runs[have], &entry.ratio, &values[have], why, sizeof why))
                have++;
            if (have < nruns)
                continue;
            entry.baseline = round_to_4_digits(shl_gate_pick(values, nruns, entry.ratio.better));
            const struct shl_gate_entry *before = find_entry(previous, &entry.ratio);
            double base = rules[r].tolerance;
            entry.hard = rule_hard(&rules[r], row);
            if (tolerance > 0) {
                base = tolerance;
            } else if (before != NULL) {
                base = before->tolerance;
                entry.hard = before->hard;
            }
            double needed = round_to_4_digits(CALIBRATION_MARGIN *
                                              spread(values, nruns, entry.ratio.better));
            entry.tolerance = needed > base ? needed : base;
            if (needed > base && needed >= SHL_GATE_CATCH_FACTOR)
                entry.hard = false;
            if (before != NULL && tolerance <= 0 && entry.tolerance == before->tolerance)
                (*kept)++;
            if (entry.baseline > 0)
                out->entries[out->count++] = entry;
        }
    }
    if (out->count == 0) {
        shl_gate_baseline_free(out);
        return shl_fail(err, "baseline", EINVAL, "the results give no ratio to record");
    }
    return 0;
}

/* ---- rendering ---- */

static cJSON *select_json(const struct shl_gate_select *sel)
{
    char transports[SHL_GATE_CHOICES * SHL_GATE_NAME_MAX], notify[SHL_GATE_NAME_MAX + 1];
    cJSON *json = cJSON_CreateObject();
    if (json == NULL)
        return NULL;
    cJSON_AddStringToObject(json, "benchmark", sel->benchmark);
    cJSON_AddStringToObject(json, "transport",
                            shl_gate_transports_text(sel, transports, sizeof transports));
    if (sel->notify != SHL_NOTIFY_NONE) {
        snprintf(notify, sizeof notify, "%s%s", sel->notify_except ? "!" : "",
                 shl_notify_name(sel->notify));
        cJSON_AddStringToObject(json, "notify", notify);
    }
    if (sel->size >= 0)
        cJSON_AddNumberToObject(json, "size", sel->size);
    if (sel->rate_hz > 0)
        cJSON_AddNumberToObject(json, "rate_hz", sel->rate_hz);
    cJSON_AddStringToObject(json, "stat", sel->stat);
    if (sel->ratio_to[0] != '\0')
        cJSON_AddStringToObject(json, "ratio_to", sel->ratio_to);
    return json;
}

static bool add_select(cJSON *object, const char *key, const struct shl_gate_select *sel)
{
    cJSON *json = select_json(sel);
    if (json != NULL && cJSON_AddItemToObject(object, key, json))
        return true;
    cJSON_Delete(json);
    return false;
}

static cJSON *entry_json(const struct shl_gate_entry *entry)
{
    cJSON *item = cJSON_CreateObject();
    bool ok = item != NULL && add_select(item, "of", &entry->ratio.of) &&
              (entry->ratio.to.benchmark[0] == '\0' || add_select(item, "to", &entry->ratio.to)) &&
              cJSON_AddStringToObject(
                  item, "better", entry->ratio.better == SHL_RESULTS_LOWER ? "lower" : "higher") &&
              cJSON_AddNumberToObject(item, "baseline", entry->baseline) &&
              cJSON_AddNumberToObject(item, "tolerance", entry->tolerance) &&
              cJSON_AddStringToObject(item, "severity", entry->hard ? "fail" : "warn");
    if (!ok) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

/* Prints `json` (consumed) on one line of `out`. */
static bool print_line(FILE *out, const char *before, cJSON *json, const char *after)
{
    char *line = json != NULL ? cJSON_PrintUnformatted(json) : NULL;
    cJSON_Delete(json);
    if (line == NULL)
        return false;
    fprintf(out, "%s%s%s", before, line, after);
    cJSON_free(line);
    return true;
}

/* One ratio per line: readable, and a diff of two baselines shows which ratios moved. */
int shl_gate_baseline_format(const struct shl_gate_baseline *baseline,
                             const struct shl_results *source, char **text, struct shl_error *err)
{
    static const char *const context_keys[] = {"host", "kernel", "cpu_model", "mode", "date"};
    *text = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL)
        return shl_fail(err, "open_memstream", errno, NULL);
    cJSON *made_from = cJSON_CreateObject();
    for (size_t i = 0; made_from != NULL && i < sizeof context_keys / sizeof context_keys[0]; i++) {
        const char *value = shl_results_context_text(source, context_keys[i]);
        if (value != NULL && cJSON_AddStringToObject(made_from, context_keys[i], value) == NULL) {
            cJSON_Delete(made_from);
            made_from = NULL;
        }
    }
    fprintf(out, "{\n  \"format\": \"%s\",\n", SHL_GATE_BASELINE_FORMAT);
    bool ok = print_line(out, "  \"made_from\": ", made_from, ",\n  \"ratios\": [\n");
    for (size_t i = 0; ok && i < baseline->count; i++)
        ok = print_line(out, "    ", entry_json(&baseline->entries[i]),
                        i + 1 < baseline->count ? ",\n" : "\n");
    fputs("  ]\n}", out);
    if (fclose(out) != 0 || !ok) {
        free(buf);
        return shl_fail(err, "cJSON_PrintUnformatted", ENOMEM, NULL);
    }
    *text = buf;
    return 0;
}
