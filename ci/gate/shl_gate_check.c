#include "ci/gate/shl_gate_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/transport/shl_transport.h"

double shl_gate_allowed(double baseline, double tolerance, enum shl_results_better better)
{
    return better == SHL_RESULTS_LOWER ? baseline * tolerance : baseline / tolerance;
}

bool shl_gate_within(double now, double bound, enum shl_results_better better)
{
    return better == SHL_RESULTS_LOWER ? now <= bound : now >= bound;
}

bool shl_gate_select_set(struct shl_gate_select *sel, const char *benchmark, const char *transport,
                         enum shl_notify_kind notify, double size, const char *stat)
{
    memset(sel, 0, sizeof *sel);
    sel->size = size;
    if (strlen(benchmark) >= SHL_GATE_NAME_MAX || strlen(stat) >= SHL_GATE_NAME_MAX)
        return false;
    strcpy(sel->benchmark, benchmark);
    sel->notify = notify;
    strcpy(sel->stat, stat);
    const char *start = transport;
    for (int i = 0; i < SHL_GATE_CHOICES; i++) {
        size_t len = strcspn(start, "|");
        if (len == 0 || len >= SHL_GATE_NAME_MAX)
            return false;
        memcpy(sel->transport[i], start, len);
        if (start[len] == '\0')
            return true;
        start += len + 1;
    }
    return false;
}

const char *shl_gate_ratio_text(const struct shl_gate_ratio *ratio, char *buf, size_t len)
{
    char of[128], to[128];
    shl_gate_select_text(&ratio->of, of, sizeof of);
    const struct shl_gate_select *a = &ratio->of, *b = &ratio->to;
    if (b->benchmark[0] == '\0') {
        snprintf(buf, len, "%s", of);
    } else if (strcmp(a->benchmark, b->benchmark) == 0 && a->size == b->size &&
               a->rate_hz == b->rate_hz && strcmp(a->stat, b->stat) == 0 &&
               b->notify == SHL_NOTIFY_NONE) {
        /* Only the transport differs: "... / pipe" says it all. */
        snprintf(buf, len, "%s / %s", of, shl_gate_transports_text(b, to, sizeof to));
    } else {
        snprintf(buf, len, "%s / %s", of, shl_gate_select_text(b, to, sizeof to));
    }
    return buf;
}

bool shl_gate_ratio_value(const struct shl_results *results, const struct shl_gate_ratio *ratio,
                          double *value, char *why, size_t why_len)
{
    double of, to = 1;
    if (!shl_gate_results_find(results, &ratio->of, ratio->better, &of, why, why_len) ||
        (ratio->to.benchmark[0] != '\0' &&
         !shl_gate_results_find(results, &ratio->to, ratio->better, &to, why, why_len)))
        return false;
    *value = of / to;
    return true;
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double shl_gate_pick(double *values, size_t count, enum shl_results_better better)
{
    qsort(values, count, sizeof *values, ascending);
    size_t from_best = (count - 1) / 2;
    return values[better == SHL_RESULTS_LOWER ? from_best : count - 1 - from_best];
}

void shl_gate_evaluate(const struct shl_results *const *runs, size_t nruns,
                       const struct shl_gate_check *check, struct shl_gate_line *line)
{
    memset(line, 0, sizeof *line);
    shl_gate_ratio_text(&check->ratio, line->figure, sizeof line->figure);
    line->baseline = check->baseline;
    line->allowed = check->allowed;
    line->better = check->ratio.better;
    line->hard = check->hard;
    double values[SHL_GATE_RUNS_MAX];
    char why[200];
    if (nruns > SHL_GATE_RUNS_MAX)
        nruns = SHL_GATE_RUNS_MAX;
    for (size_t i = 0; i < nruns; i++) {
        if (!shl_gate_ratio_value(runs[i], &check->ratio, &values[i], why, sizeof why)) {
            char run[32] = "";
            if (nruns > 1)
                snprintf(run, sizeof run, " (run %zu)", i + 1);
            line->verdict = check->hard ? SHL_GATE_MISSING : SHL_GATE_WARN;
            snprintf(line->note, sizeof line->note, "%s: %s%s",
                     check->hard ? "missing" : "cannot check", why, run);
            return;
        }
    }
    line->now = shl_gate_pick(values, nruns, check->ratio.better);
    if (check->baseline > 0)
        line->change = line->now / check->baseline;
    if (check->title != NULL)
        snprintf(line->note, sizeof line->note, "%s", check->title);
    if (!shl_gate_within(line->now, check->allowed, check->ratio.better)) {
        line->verdict = check->hard ? SHL_GATE_FAIL : SHL_GATE_WARN;
        return;
    }
    line->verdict = SHL_GATE_PASS;
    /* The tolerance mirrored to the good side: beyond it the baseline is stale. */
    if (check->baseline > 0) {
        double mirrored = check->baseline * check->baseline / check->allowed;
        if (line->now != mirrored && shl_gate_within(line->now, mirrored, check->ratio.better)) {
            line->verdict = SHL_GATE_BETTER;
            snprintf(line->note, sizeof line->note,
                     "better than the baseline by more than its tolerance: consider "
                     "--update-baseline");
        }
    }
}

/* Every shared-memory transport in the table, as alternatives: "mmap|sysv|posix". */
static const char *shm_transports(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const struct shl_transport *const *t = shl_transports; *t != NULL; t++)
        if (shl_results_is_shm((*t)->name) && used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "|" : "", (*t)->name);
    return buf;
}

/* Appends the check for `inv` (with `transports` and `size` when it leaves them open) if
 * there is room; returns the count there would be. */
static size_t add_invariant(struct shl_gate_check *out, size_t count, size_t cap,
                            const struct shl_results_target *inv, const char *transports,
                            double size)
{
    if (count < cap) {
        struct shl_gate_check *check = &out[count];
        memset(check, 0, sizeof *check);
        char shm[SHL_GATE_CHOICES * SHL_GATE_NAME_MAX];
        if (inv->of_shm)
            transports = shm_transports(shm, sizeof shm);
        else if (inv->transports != NULL)
            transports = inv->transports;
        shl_gate_select_set(&check->ratio.of, inv->benchmark, transports, inv->notify,
                            inv->size > 0 ? inv->size : size, inv->stat);
        check->ratio.of.notify_except = inv->notify_except;
        snprintf(check->ratio.of.ratio_to, sizeof check->ratio.of.ratio_to, "%s", inv->ratio_to);
        if (inv->ref_benchmark != NULL)
            shl_gate_select_set(&check->ratio.to, inv->ref_benchmark,
                                inv->ref_transport != NULL ? inv->ref_transport : transports,
                                SHL_NOTIFY_NONE, inv->ref_size != 0 ? inv->ref_size : size,
                                inv->stat);
        check->ratio.better = inv->better;
        check->allowed = inv->limit;
        check->hard = inv->hard;
        check->title = inv->title;
    }
    return count + 1;
}

/* Sizes of the run's pipe latency rows up to the small size limit, in the order they
 * appear. */
static size_t small_pipe_sizes(const struct shl_results *results, double *sizes, size_t cap)
{
    size_t count = 0;
    for (size_t i = 0; i < results->n; i++) {
        const struct shl_results_row *row = &results->rows[i];
        if (strcmp(row->benchmark, "latency") != 0 || strcmp(row->transport, "pipe") != 0 ||
            (double)row->size > shl_results_small_size_max)
            continue;
        bool seen = false;
        for (size_t j = 0; j < count; j++)
            seen = seen || sizes[j] == row->size;
        if (!seen && count < cap)
            sizes[count++] = row->size;
    }
    return count;
}

static bool has_latency(const struct shl_results *results, const char *transport)
{
    for (size_t i = 0; i < results->n; i++)
        if (strcmp(results->rows[i].benchmark, "latency") == 0 &&
            strcmp(results->rows[i].transport, transport) == 0)
            return true;
    return false;
}

/* The rings over a mechanism's segment are in every run and held to the pipe invariant
 * always (a missing row is a regression); the rings over memory with no name (anon,
 * memfd) only when the run measured them. */
static bool held_always(const struct shl_transport *t)
{
    return t->unnamed == 0;
}

size_t shl_gate_invariants(const struct shl_results *results, struct shl_gate_check *out,
                           size_t cap)
{
    static const char *const checked[] = {"pipe", "unix-stream", "tcp", "zeromq-ipc", "iceoryx"};
    double sizes[32];
    size_t nsizes = small_pipe_sizes(results, sizes, sizeof sizes / sizeof sizes[0]);
    if (nsizes == 0)
        sizes[nsizes++] = 64; /* no pipe row at all: the check then names what is missing */
    size_t count = 0;
    for (const struct shl_transport *const *t = shl_transports; *t != NULL; t++) {
        const char *name = (*t)->name;
        if (!shl_results_is_shm(name) || !(held_always(*t) || has_latency(results, name)))
            continue;
        for (size_t s = 0; s < nsizes; s++)
            count = add_invariant(out, count, cap, &shl_results_beats_pipe, name, sizes[s]);
    }
    /* A run without iceoryx (no RouDi could be had: its notes say why) is warned about, not
     * failed: the ring is not at fault. */
    bool iceoryx = has_latency(results, "iceoryx");
    for (size_t i = 0; i < results->n; i++) {
        const struct shl_results_row *row = &results->rows[i];
        if (strcmp(row->benchmark, "latency") == 0 && strcmp(row->transport, "iceoryx") == 0)
            count = add_invariant(out, count, cap, &shl_results_against_iceoryx[1], NULL,
                                  (double)row->size);
    }
    count = add_invariant(out, count, cap, &shl_results_zero_copy, NULL, 0);
    size_t worth_having = count;
    count = add_invariant(out, count, cap, &shl_results_against_iceoryx[0], NULL, 0);
    if (worth_having < cap)
        out[worth_having].hard = out[worth_having].hard && iceoryx;
    size_t targets = sizeof shl_results_efficiency / sizeof shl_results_efficiency[0];
    for (size_t i = 0; i < targets; i++)
        count = add_invariant(out, count, cap, &shl_results_efficiency[i], NULL, 0);
    size_t bounds = sizeof shl_results_crosscheck / sizeof shl_results_crosscheck[0];
    for (size_t t = 0; t < sizeof checked / sizeof checked[0]; t++)
        for (size_t i = 0; i < bounds; i++)
            count = add_invariant(out, count, cap, &shl_results_crosscheck[i], checked[t], 0);
    return count;
}
