#include "ci/gate/shl_gate_select.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static bool transport_matches(const struct shl_gate_select *sel, const char *transport)
{
    for (int i = 0; i < SHL_GATE_CHOICES && sel->transport[i][0] != '\0'; i++)
        if (strcmp(sel->transport[i], transport) == 0)
            return true;
    return false;
}

static bool notify_matches(const struct shl_gate_select *sel, enum shl_notify_kind notify)
{
    if (sel->notify == SHL_NOTIFY_NONE)
        return true;
    if (!sel->notify_except)
        return sel->notify == notify;
    /* Not a spinning strategy: not any that spins ("!spin" is every sleeping one). */
    return notify != sel->notify && !(shl_notify_spins(sel->notify) && shl_notify_spins(notify));
}

static bool place_matches(const struct shl_gate_select *sel, const struct shl_results_row *row)
{
    return (sel->size < 0 || sel->size == row->size) &&
           (sel->rate_hz == 0 || sel->rate_hz == row->rate_hz);
}

static bool is_better(double a, double b, enum shl_results_better better)
{
    return better == SHL_RESULTS_LOWER ? a < b : a > b;
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

bool shl_gate_results_find(const struct shl_results *results, const struct shl_gate_select *sel,
                           enum shl_results_better better, double *value, char *why, size_t why_len)
{
    size_t of_kind = 0, with_notify = 0, at_place = 0;
    bool found = false, non_positive = false;
    double best = 0, rejected = 0;
    for (size_t i = 0; i < results->n; i++) {
        const struct shl_results_row *row = &results->rows[i];
        if (strcmp(row->benchmark, sel->benchmark) != 0 || !transport_matches(sel, row->transport))
            continue;
        of_kind++;
        if (!notify_matches(sel, row->notify))
            continue;
        with_notify++;
        if (!place_matches(sel, row))
            continue;
        at_place++;
        double stat = shl_results_stat(row, sel->stat);
        if (isnan(stat) || (sel->ratio_to[0] != '\0' && strcmp(sel->ratio_to, row->ratio_to) != 0))
            continue;
        if (!(stat > 0)) {
            non_positive = true;
            rejected = stat;
            continue;
        }
        if (!found || is_better(stat, best, better))
            best = stat;
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
                 sel->notify_except ? "other than " : "", shl_notify_name(sel->notify));
    else if (at_place == 0) {
        char rate[48] = "";
        if (sel->rate_hz > 0)
            snprintf(rate, sizeof rate, " and rate %g Hz", sel->rate_hz);
        snprintf(why, why_len, "no %s row for %s%s%s at size %s%s", sel->benchmark, transports,
                 sel->notify != SHL_NOTIFY_NONE ? (sel->notify_except ? "/!" : "/") : "",
                 shl_notify_name(sel->notify), shl_gate_size_text(sel->size, size, sizeof size),
                 rate);
    } else if (non_positive)
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
    if (sel->notify != SHL_NOTIFY_NONE)
        snprintf(notify, sizeof notify, "/%s%s", sel->notify_except ? "!" : "",
                 shl_notify_name(sel->notify));
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
