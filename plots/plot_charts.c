#include "plots/plot_charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plot_family.h"
#include "plots/plot_gnuplot.h"
#include "plots/plot_machine.h"
#include "plots/plot_output.h"
#include "plots/plot_spectrum.h"
#include "plots/plot_table.h"

/* The latency size nearest 64 B on a log scale: the distribution is drawn there. */
static int distribution_size(const struct plot_rows *rows, double *best, struct shl_error *err)
{
    double distance = INFINITY, *sizes;
    size_t n;
    if (plot_rows_sizes(rows, &sizes, &n) != 0)
        return plot_out_of_memory(err);
    *best = 64;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(log(sizes[i] / 64));
        if (d < distance) {
            distance = d;
            *best = sizes[i];
        }
    }
    free(sizes);
    return 0;
}

static int distribution_data(const struct plot_chart_data *c, struct shl_error *err)
{
    static const char *const quantiles[] = {"p50", "p90", "p99", "p999"};
    double size = 64;
    if (distribution_size(c->rows, &size, err) != 0)
        return -1;
    for (size_t s = 0; s < c->list->n; s++) {
        size_t lines = 0;
        const struct shl_results_row *at = NULL;
        for (size_t i = 0; i < c->rows->n; i++) {
            const struct shl_results_row *row = c->rows->rows[i];
            if (!plot_series_has_key(row, c->list->series[s].key))
                continue;
            if (at == NULL || ((double)row->size == size && (double)at->size != size))
                at = row;
            if ((double)row->size != size)
                continue;
            for (int q = 0; q < 4; q++) {
                fprintf(c->dat, "%d\t", q + 1);
                plot_gp_number(c->dat, plot_base(row, quantiles[q]));
                fputc('\n', c->dat);
                lines++;
            }
        }
        plot_gp_end_block(c->dat, lines, 3);
        /* A series of an older run timed in batches says so: its percentiles are those of
         * batch means, which understate the tail. */
        if (at != NULL && at->batch > 1)
            snprintf(c->suffix[s], sizeof c->suffix[s], " (batch %u)", at->batch);
    }
    char label[32], title[128];
    snprintf(title, sizeof title, "Round-trip latency percentiles at %s: where the tails show",
             plot_size_label(size, label, sizeof label));
    plot_gp_setting(c->settings, "chart_title", title);
    fputs("; ", c->settings);
    return 0;
}

static const char *without_histograms(const struct plot_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i]->hist != NULL)
            return NULL;
    return "no histograms (results written before they were kept)";
}

/* One block per series: its histogram at the size nearest 64 B, the repetitions merged, as
 * points of the percentile spectrum (x = 1/(1-p), y in seconds). */
static int spectrum_data(const struct plot_chart_data *c, struct shl_error *err)
{
    double size = 64;
    if (distribution_size(c->rows, &size, err) != 0)
        return -1;
    enum { max_points = 512 };
    struct plot_spectrum_point points[max_points];
    for (size_t s = 0; s < c->list->n; s++) {
        struct shl_hist merged = {0};
        for (size_t i = 0; i < c->rows->n; i++) {
            const struct shl_results_row *row = c->rows->rows[i];
            if (row->hist == NULL || (double)row->size != size ||
                !plot_series_has_key(row, c->list->series[s].key))
                continue;
            if (merged.counts == NULL && shl_hist_init(&merged, row->hist->highest, err) != 0)
                return -1;
            if (shl_hist_merge(&merged, row->hist, err) != 0) {
                shl_hist_free(&merged);
                return -1;
            }
        }
        size_t n = merged.counts ? plot_spectrum(&merged, points, max_points) : 0;
        if (n > max_points)
            n = max_points;
        for (size_t k = 0; k < n; k++) {
            plot_gp_number(c->dat, points[k].x);
            fputc('\t', c->dat);
            plot_gp_number(c->dat, points[k].value * 1e-9);
            fputc('\n', c->dat);
        }
        plot_gp_end_block(c->dat, n, 2);
        shl_hist_free(&merged);
    }
    char label[32], title[160];
    snprintf(title, sizeof title,
             "Percentile spectrum of the round trips at %s (every sample, up to p99.99 where "
             "n allows)",
             plot_size_label(size, label, sizeof label));
    plot_gp_setting(c->settings, "chart_title", title);
    fputs("; ", c->settings);
    return 0;
}

static int by_offered(const void *a, const void *b)
{
    double x = (*(const struct shl_results_row *const *)a)->offered_hz;
    double y = (*(const struct shl_results_row *const *)b)->offered_hz;
    return (x > y) - (x < y);
}

static int by_subscribers(const void *a, const void *b)
{
    unsigned x = (*(const struct shl_results_row *const *)a)->subscribers;
    unsigned y = (*(const struct shl_results_row *const *)b)->subscribers;
    return (x > y) - (x < y);
}

/* One block of `columns` per series: its rows of the first repetition (so that each line
 * is one ladder) in `order`, each written by `line`. */
static int ladder_blocks(const struct plot_chart_data *c, int (*order)(const void *, const void *),
                         void (*line)(FILE *, const struct shl_results_row *), int columns,
                         struct shl_error *err)
{
    const struct shl_results_row **ladder = calloc(c->rows->n + 1, sizeof *ladder);
    if (ladder == NULL)
        return plot_out_of_memory(err);
    for (size_t s = 0; s < c->list->n; s++) {
        size_t n = 0;
        for (size_t i = 0; i < c->rows->n; i++)
            if (c->rows->rows[i]->repetition == 0 &&
                plot_series_has_key(c->rows->rows[i], c->list->series[s].key))
                ladder[n++] = c->rows->rows[i];
        qsort(ladder, n, sizeof *ladder, order);
        for (size_t i = 0; i < n; i++)
            line(c->dat, ladder[i]);
        plot_gp_end_block(c->dat, n, columns);
    }
    free(ladder);
    return 0;
}

/* Offered rate, p50 and p99 in seconds, and 1 where the rate was reached. */
static void load_line(FILE *dat, const struct shl_results_row *row)
{
    plot_gp_number(dat, row->offered_hz);
    fputc('\t', dat);
    plot_gp_number(dat, plot_base(row, "p50"));
    fputc('\t', dat);
    plot_gp_number(dat, plot_base(row, "p99"));
    fprintf(dat, "\t%d\n", row->reached == 1);
}

static int load_data(const struct plot_chart_data *c, struct shl_error *err)
{
    return ladder_blocks(c, by_offered, load_line, 4, err);
}

/* One line per size: its label, then mean and stddev of each series. */
static int setup_data(const struct plot_chart_data *c, struct shl_error *err)
{
    double *sizes;
    size_t n;
    if (plot_rows_sizes(c->rows, &sizes, &n) != 0)
        return plot_out_of_memory(err);
    for (size_t z = 0; z < n; z++) {
        char label[32];
        fputs(plot_size_label(sizes[z], label, sizeof label), c->dat);
        for (size_t s = 0; s < c->list->n; s++) {
            const struct shl_results_row *row = plot_row_at(c->rows, c->list->series[s].key,
                                                            sizes[z]);
            double stddev = row ? plot_base(row, "stddev") : NAN;
            fputc('\t', c->dat);
            plot_gp_number(c->dat, row ? plot_base(row, "mean") : NAN);
            fputc('\t', c->dat);
            plot_gp_number(c->dat, row && isnan(stddev) ? 0 : stddev);
        }
        fputc('\n', c->dat);
    }
    free(sizes);
    return 0;
}

/* The best (lowest) shared-memory p50 at `size`, in seconds; NaN when none. */
static double best_shm_p50(const struct plot_rows *rows, double size)
{
    double best = NAN;
    for (size_t i = 0; i < rows->n; i++) {
        const struct shl_results_row *row = rows->rows[i];
        double p50 = plot_base(row, "p50");
        if ((double)row->size == size && shl_results_is_shm(row->transport) && !isnan(p50) &&
            (isnan(best) || p50 < best))
            best = p50;
    }
    return best;
}

static const char *without_shm(const struct plot_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        if (shl_results_is_shm(rows->rows[i]->transport))
            return NULL;
    return "no shared-memory latency rows";
}

/* Each series' p50 over the best shared-memory p50 at its size. */
static int advantage_data(const struct plot_chart_data *c, struct shl_error *err)
{
    const struct shl_results_row **sorted = calloc(c->rows->n + 1, sizeof *sorted);
    if (sorted == NULL)
        return plot_out_of_memory(err);
    for (size_t s = 0; s < c->list->n; s++) {
        size_t n = plot_rows_of_key(c->rows, c->list->series[s].key, sorted), lines = 0;
        for (size_t i = 0; i < n; i++) {
            double best = best_shm_p50(c->rows, (double)sorted[i]->size);
            if (isnan(best))
                continue;
            plot_gp_number(c->dat, (double)sorted[i]->size);
            fputc('\t', c->dat);
            plot_gp_number(c->dat, plot_base(sorted[i], "p50") / best);
            fputc('\n', c->dat);
            lines++;
        }
        plot_gp_end_block(c->dat, lines, 2);
    }
    free(sorted);
    return 0;
}

/* The most series one panel of a crowded chart carries. */
enum { panel_series_max = 12 };

/* Widens [*lo, *hi] to the p50 and p99 of `rows` (those of `transport` only, when given). */
static void widen_range(const struct plot_rows *rows, const char *transport, double *lo, double *hi)
{
    static const char *const stats[] = {"p50", "p99"};
    for (size_t i = 0; i < rows->n; i++)
        for (size_t k = 0; k < 2; k++) {
            double v = plot_base(rows->rows[i], stats[k]);
            if ((transport == NULL || strcmp(rows->rows[i]->transport, transport) == 0) && v > 0 &&
                !isnan(v)) {
                *lo = fmin(*lo, v);
                *hi = fmax(*hi, v);
            }
        }
}

/* ymin and ymax: one y range for every panel (the rows and the chart's floor), so that the
 * panels compare at a glance. */
static int shared_range(const struct plot_chart_data *c, struct shl_error *err)
{
    double lo = INFINITY, hi = -INFINITY;
    struct plot_rows floor = {0};
    if (plot_rows_of(&floor, c->run, "floor") != 0) {
        plot_rows_free(&floor);
        return plot_out_of_memory(err);
    }
    widen_range(c->rows, NULL, &lo, &hi);
    if (c->kind->floor != NULL)
        widen_range(&floor, c->kind->floor, &lo, &hi);
    plot_rows_free(&floor);
    if (lo <= hi) {
        fputs("ymin=", c->settings);
        plot_gp_number(c->settings, lo / 1.5);
        fputs("; ymax=", c->settings);
        plot_gp_number(c->settings, hi * 1.5);
        fputs("; ", c->settings);
    }
    return 0;
}

/* panelK (K = 1..panels): block0, panel_title and the series lists of panel K, as text
 * by_family.gp evaluates. */
static int panel_settings(FILE *out, const struct plot_panel *panel,
                          const struct plot_gp_series *gp, size_t k, struct shl_error *err)
{
    struct plot_text text;
    if (plot_text_open(&text, err) != 0)
        return -1;
    fprintf(text.f, "block0=%zu; ", panel->first);
    plot_gp_setting(text.f, "panel_title", panel->title);
    fputs("; ", text.f);
    plot_gp_series_vars(text.f, gp + panel->first, panel->n);
    if (plot_text_close(&text, err) != 0)
        return -1;
    char name[32];
    snprintf(name, sizeof name, "panel%zu", k + 1);
    plot_gp_setting(out, name, text.buf);
    fputs("; ", out);
    free(text.buf);
    return 0;
}

/* Small multiples: p50 and p99 over message size (plot_gp_size_blocks) panel by panel,
 * each panel a family or part of one (plot_panels), all on the same axes. */
static int panels_data(const struct plot_chart_data *c, struct shl_error *err)
{
    size_t n = c->list->n;
    size_t *order = calloc(n + 1, sizeof *order);
    struct plot_panel *panels = calloc(n + plot_families_n, sizeof *panels);
    struct plot_series_list ordered = {calloc(n + 1, sizeof *ordered.series), n};
    struct plot_gp_series *gp = calloc(n + 1, sizeof *gp);
    int status = order && panels && ordered.series && gp ? 0 : plot_out_of_memory(err);
    size_t n_panels = status == 0 ? plot_panels(c->list, panel_series_max, order, panels) : 0;
    for (size_t i = 0; status == 0 && i < n; i++) {
        ordered.series[i] = c->list->series[order[i]];
        gp[i] = (struct plot_gp_series){ordered.series[i].key, &ordered.series[i], 0};
    }
    if (status == 0)
        status = plot_gp_size_blocks(c->dat, c->rows, &ordered, err);
    size_t widest = 0;
    for (size_t k = 0; status == 0 && k < n_panels; k++) {
        widest = panels[k].n > widest ? panels[k].n : widest;
        status = panel_settings(c->settings, &panels[k], gp, k, err);
    }
    if (status == 0) {
        fprintf(c->settings, "panels=%zu; dodge_n=%zu; ", n_panels, widest);
        status = shared_range(c, err);
        *c->own_series = 1;
    }
    free(gp);
    free(ordered.series);
    free(panels);
    free(order);
    return status;
}

/* The row of family `f` with the lowest p50 at `size`, or NULL. */
static const struct shl_results_row *best_of_family(const struct plot_rows *rows, size_t f,
                                                    double size)
{
    const struct shl_results_row *best = NULL;
    for (size_t i = 0; i < rows->n; i++) {
        const struct shl_results_row *row = rows->rows[i];
        double p50 = plot_base(row, "p50");
        if ((double)row->size == size && plot_family_of(row->transport) == f && !isnan(p50) &&
            (best == NULL || p50 < plot_base(best, "p50")))
            best = row;
    }
    return best;
}

/* One block per family with rows: at each size its best p50 and that row's p99, and the
 * series that won there (drawn as a label at the point). */
static int best_data(const struct plot_chart_data *c, struct shl_error *err)
{
    double *sizes;
    size_t n_sizes, n = 0;
    if (plot_rows_sizes(c->rows, &sizes, &n_sizes) != 0)
        return plot_out_of_memory(err);
    struct plot_series looks[plot_families_n];
    struct plot_gp_series gp[plot_families_n];
    for (size_t f = 0; f < plot_families_n; f++) {
        size_t lines = 0;
        for (size_t z = 0; z < n_sizes; z++) {
            const struct shl_results_row *best = best_of_family(c->rows, f, sizes[z]);
            if (best == NULL)
                continue;
            char key[48];
            plot_series_key(best, key, sizeof key);
            plot_gp_number(c->dat, sizes[z]);
            fputc('\t', c->dat);
            plot_gp_number(c->dat, plot_base(best, "p50"));
            fputc('\t', c->dat);
            plot_gp_number(c->dat, plot_base(best, "p99"));
            fprintf(c->dat, "\t%s\n", key);
            lines++;
        }
        if (lines == 0)
            continue;
        plot_gp_end_block(c->dat, lines, 4);
        looks[n] = (struct plot_series){.colour = plot_families[f].colour, .dash = 1, .point = 7};
        gp[n] = (struct plot_gp_series){plot_family_label(f), &looks[n], 0};
        n++;
    }
    free(sizes);
    plot_gp_series_vars(c->settings, gp, n);
    fputs("; point_labels=1; ", c->settings);
    *c->own_series = 1;
    return 0;
}

/* Subscribers, the p50 and p99 of every subscriber's one-way latencies, and those of the
 * slowest subscriber, in seconds. */
static void fanout_line(FILE *dat, const struct shl_results_row *row)
{
    static const char *const stats[] = {"p50", "p99", "slowest_p50", "slowest_p99"};
    fprintf(dat, "%u", row->subscribers);
    for (size_t k = 0; k < 4; k++) {
        fputc('\t', dat);
        plot_gp_number(dat, plot_base(row, stats[k]));
    }
    fputc('\n', dat);
}

static int fanout_data(const struct plot_chart_data *c, struct shl_error *err)
{
    return ladder_blocks(c, by_subscribers, fanout_line, 5, err);
}

/* Two blocks per zero-copy series: its rows, then the copying latency rows of the same
 * transport and strategy; drawn in one colour, solid and dashed. */
static int zerocopy_data(const struct plot_chart_data *c, struct shl_error *err)
{
    size_t n = c->list->n;
    struct plot_rows copying = {0};
    struct plot_gp_series *gp = calloc(2 * n + 1, sizeof *gp);
    char(*keys)[64] = calloc(2 * n + 1, sizeof *keys);
    int status = gp && keys && plot_rows_of(&copying, c->run, "latency") == 0
                     ? 0
                     : plot_out_of_memory(err);
    for (size_t s = 0; status == 0 && s < n; s++) {
        struct plot_series_list one = {&c->list->series[s], 1};
        status = plot_gp_size_blocks(c->dat, c->rows, &one, err);
        if (status == 0)
            status = plot_gp_size_blocks(c->dat, &copying, &one, err);
        snprintf(keys[2 * s], sizeof keys[0], "%s zero-copy", one.series->key);
        snprintf(keys[2 * s + 1], sizeof keys[0], "%s copying", one.series->key);
        gp[2 * s] = (struct plot_gp_series){keys[2 * s], one.series, 1};
        gp[2 * s + 1] = (struct plot_gp_series){keys[2 * s + 1], one.series, 2};
    }
    if (status == 0) {
        plot_gp_series_vars(c->settings, gp, 2 * n);
        fputs("; ", c->settings);
        *c->own_series = 1;
    }
    plot_rows_free(&copying);
    free(keys);
    free(gp);
    return status;
}

/* Drawn over message size (by_size.gp) when whiskers >= 0; the distribution and the set-up
 * charts have scripts of their own and no size axis. The report shows them in this order. */
const struct plot_chart_kind plot_charts[] = {
    {"latency", "latency", "by_family.gp",
     "Round-trip latency by message size (p50, whisker up to p99) against the cache-line floor, "
     "a panel per family of transports",
     "Round-trip latency by message size: p50, whisker up to p99",
     "Round-trip latency p50 by message size", 1,
     "ylabel_text='round-trip time (log scale)'; yformat='%.0s %cs'", "cacheline",
     "cache-line floor", "cache-line floor", "s", NULL, NULL, panels_data},
    {"best", "latency", "by_size.gp",
     "The best round-trip p50 of each family of transports at each size, against the "
     "cache-line floor",
     "Best round-trip p50 of each family by message size (the winner named at each point)", NULL, 0,
     "ylabel_text='round-trip time (log scale)'; yformat='%.0s %cs'", "cacheline",
     "cache-line floor", "cache-line floor", "s", NULL, NULL, best_data},
    {"throughput", "throughput", "by_family.gp",
     "One-way throughput by message size against memcpy bandwidth, a panel per family of "
     "transports",
     "One-way throughput by message size (p50 of the runs)",
     "One-way throughput p50 by message size", 0,
     "ylabel_text='throughput (log scale)'; yformat='%.0s %cB/s'", "memcpy", "memcpy bandwidth",
     "memcpy", "B/s", NULL, NULL, panels_data},
    {"distribution", "latency", "distribution.gp", "Latency percentiles at a small size", NULL,
     NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, distribution_data},
    {"spectrum", "latency", "spectrum.gp",
     "Percentile spectrum of every round trip at a small size, up to p99.99", NULL, NULL, -1, NULL,
     NULL, NULL, NULL, NULL, NULL, without_histograms, spectrum_data},
    {"load", "load", "load.gp", "Latency against offered load, from the intended send time",
     "Latency against offered load: p50 (solid) and p99 (dotted) from the intended send time; "
     "a cross where a rate was not reached",
     NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, load_data},
    {"setup", "setup", "setup.gp", "Set-up cost per mechanism and segment size",
     "Set-up cost: create, map, touch, unmap, destroy (hyperfine mean, error bar 1 stddev)", NULL,
     -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, setup_data},
    {"advantage", "latency", "by_size.gp",
     "Each transport's p50 as a multiple of the best shared-memory p50",
     "Shared memory advantage: p50 as a multiple of the best shared-memory p50", NULL, 0,
     "ylabel_text='p50 / best shared-memory p50 at that size (log scale)'; yformat='%g×'; "
     "ymin=0.8",
     NULL, NULL, NULL, NULL,
     ", 1 with lines lc rgb 'black' dt 3 lw 2 title 'best shared memory (1×)'", without_shm,
     advantage_data},
    {"fanout", "fanout", "fanout.gp",
     "One-way latency from one publisher to N subscribers: all of them, and the slowest",
     "Fan-out: one-way latency against subscribers (p50, whisker up to p99)", NULL, -1, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, fanout_data},
    {"zerocopy", "zerocopy", "by_size.gp",
     "Zero-copy round trip (solid) against the copying round trip (dashed) of the same "
     "transport and strategy",
     "Zero-copy (solid) against copying (dashed) round trip: p50 by message size", NULL, 0,
     "ylabel_text='round-trip time (log scale)'; yformat='%.0s %cs'", NULL, NULL, NULL, NULL, NULL,
     NULL, zerocopy_data},
};
const size_t plot_charts_n = sizeof plot_charts / sizeof plot_charts[0];

const struct plot_chart_kind *plot_chart_kind(const char *name)
{
    for (size_t i = 0; i < plot_charts_n; i++)
        if (strcmp(plot_charts[i].name, name) == 0)
            return &plot_charts[i];
    return NULL;
}

/* reference=: the floor row's line and the chart's own reference line. */
static int references(FILE *out, const struct plot_chart_kind *kind, const struct shl_results *run,
                      const char *work, struct shl_error *err)
{
    char file[64];
    snprintf(file, sizeof file, "%s.dat", kind->floor ? kind->floor : "");
    struct plot_gp_floor floor = {kind->floor, kind->floor_label, kind->unit, "black", file};
    return plot_gp_references(out, &floor, &run, kind->floor ? 1 : 0,
                              kind->reference ? kind->reference : "", work, err);
}

/* The settings after the data file: its path and the chart's axes and title. */
static int chart_settings(FILE *out, const struct plot_chart_kind *kind,
                          const struct shl_results *run, const struct plot_rows *rows,
                          const char *data, const char *work, struct shl_error *err)
{
    fputs("; ", out);
    plot_gp_setting(out, "data", data);
    fputs("; ", out);
    if (kind->whiskers >= 0)
        return plot_gp_by_size(out, kind->title, kind->whiskers, rows, kind->axis, err) != 0
                   ? -1
                   : references(out, kind, run, work, err);
    if (kind->title != NULL)
        plot_gp_setting(out, "chart_title", kind->title);
    return 0;
}

static int chart_of_rows(const struct plot_chart_kind *kind, const struct shl_results *run,
                         const struct plot_rows *rows, const char *work, FILE *out,
                         struct shl_error *err)
{
    char what[512], where[256], machine[800], data[4096];
    plot_machine_parts(run, what, sizeof what, where, sizeof where);
    snprintf(machine, sizeof machine, "%s%s%s", what, where[0] ? "\n" : "", where);
    plot_gp_setting(out, "machine", machine);
    fputs("; ", out);
    struct plot_series_list list = {0};
    if (plot_series_of(rows, &list) != 0)
        return plot_out_of_memory(err);
    char(*suffix)[32] = calloc(list.n + 1, sizeof *suffix);
    FILE *dat = suffix ? plot_create_in(work, kind->name, data, sizeof data, err) : NULL;
    int status = -1, own_series = 0;
    if (suffix == NULL) {
        plot_out_of_memory(err);
    } else if (dat != NULL) {
        struct plot_chart_data c = {kind, run, rows, &list, dat, out, suffix, &own_series};
        status = kind->data(&c, err);
        if (plot_close_created(dat, data, err) != 0)
            status = -1;
    }
    if (status == 0 && !own_series)
        status = plot_gp_series_of(out, &list, suffix, err);
    if (status == 0)
        status = chart_settings(out, kind, run, rows, data, work, err);
    free(suffix);
    plot_series_free(&list);
    return status;
}

int plot_chart(const struct plot_chart_kind *kind, const struct shl_results *run, const char *work,
               char **settings, const char **nothing, struct shl_error *err)
{
    *settings = NULL;
    struct plot_rows rows = {0};
    if (plot_rows_of(&rows, run, kind->benchmark) != 0) {
        plot_rows_free(&rows);
        return plot_out_of_memory(err);
    }
    *nothing = rows.n == 0 ? "no rows for it" : kind->nothing ? kind->nothing(&rows) : NULL;
    struct plot_text out;
    int status = 0;
    if (*nothing == NULL && (status = plot_text_open(&out, err)) == 0) {
        status = chart_of_rows(kind, run, &rows, work, out.f, err);
        status = plot_text_finish(&out, status, settings, err);
    }
    plot_rows_free(&rows);
    return status;
}
