/* shl_plotdata: everything the charts and the report show, shaped from results.json (read
 * by src/results). render.sh and compare.sh call it and hand its output to gnuplot:
 *
 *   shl_plotdata check RESULTS [CONFORMANCE]     exit 1 with the first problem
 *   shl_plotdata chart NAME RESULTS WORK         gnuplot settings; data files in WORK
 *   shl_plotdata report RESULTS OUT [CONFORMANCE]  OUT/report.md and OUT/report.html
 *   shl_plotdata compare-chart NAME A B WORK     the same for two runs on one chart
 *   shl_plotdata compare-md A B                  the table of B/A ratios (Markdown)
 *
 * Exit status: 0 done, 1 bad input (one line on stderr), 2 usage, 3 the chart has no data
 * (the reason on stdout). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plots/plot_series.h"
#include "plots/plot_spectrum.h"
#include "plots/plot_table.h"
#include "src/results/shl_results.h"
#include "src/timing/shl_signif.h"

#define EXIT_NO_DATA 3

static void die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    exit(1);
}

static void out_of_memory(void)
{
    die("%s%s", "out of memory", "");
}

static void load(const char *path, struct shl_results *run)
{
    struct shl_error err = {0};
    if (shl_results_read(path, run, &err) != 0 || shl_results_check_complete(run, &err) != 0) {
        char text[320];
        die("%s: %s", path, err.detail[0] ? err.detail : shl_error_text(&err, text, sizeof text));
    }
}

static struct plot_rows rows_of(const struct shl_results *a, const struct shl_results *b,
                                const char *benchmark)
{
    struct plot_rows rows = {0};
    if (plot_rows_of(&rows, a, benchmark) != 0 || (b && plot_rows_of(&rows, b, benchmark) != 0))
        out_of_memory();
    return rows;
}

static struct plot_series_list series_of(const struct plot_rows *rows)
{
    struct plot_series_list list;
    if (plot_series_of(rows, &list) != 0)
        out_of_memory();
    return list;
}

static bool has_key(const struct shl_results_row *row, const char *key)
{
    char k[48];
    plot_series_key(row, k, sizeof k);
    return strcmp(k, key) == 0;
}

/* ---- gnuplot text. */

/* A gnuplot string literal: single quotes double inside single-quoted strings. */
static void gp_str(FILE *out, const char *text)
{
    fputc('\'', out);
    for (const char *c = text; *c; c++) {
        if (*c == '\'')
            fputc('\'', out);
        fputc(*c, out);
    }
    fputc('\'', out);
}

static char *memstream_text(FILE *f, char **buf)
{
    if (fclose(f) != 0)
        out_of_memory();
    return *buf;
}

/* The machine and the run, in two parts: what (CPU, kernel, mode) and where and when. */
static void machine_parts(const struct shl_results *run, char *what, size_t what_len, char *where,
                          size_t where_len)
{
    const struct shl_results_context *c = &run->context;
    snprintf(what, what_len, "%s, %s, %s run", c->cpu_model[0] ? c->cpu_model : "unknown CPU",
             c->kernel[0] ? c->kernel : "unknown kernel", c->mode[0] ? c->mode : "?");
    char pinning[64] = "";
    if (run->has_pinning && c->pinned)
        snprintf(pinning, sizeof pinning, "pinned to CPUs %d and %d", c->cpu_a, c->cpu_b);
    else if (run->has_pinning)
        snprintf(pinning, sizeof pinning, "unpinned");
    const char *parts[] = {c->host[0] ? "on " : NULL, pinning[0] ? pinning : NULL,
                           c->date[0] ? c->date : NULL};
    size_t used = 0;
    where[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        if (parts[i] == NULL)
            continue;
        used += (size_t)snprintf(where + used, where_len - used, "%s%s%s", used ? ", " : "",
                                 parts[i], i == 0 ? c->host : "");
        if (used >= where_len)
            break;
    }
}

static void machine_line(const struct shl_results *run, char *buf, size_t len)
{
    char what[512], where[256];
    machine_parts(run, what, sizeof what, where, sizeof where);
    snprintf(buf, len, "%s%s%s", what, where[0] ? " " : "", where);
}

/* n, keys, colours, dashes, points: the lists by_size.gp and friends read. `dash` overrides
 * the series' own when > 0; a key "-" draws a series without a legend entry. */
struct gp_series {
    const char *key;
    const struct plot_series *s;
    int dash;
};

static void series_vars(FILE *out, const struct gp_series *list, size_t n)
{
    fprintf(out, "n=%zu; keys=\"", n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s\\\"%s\\\"", i ? " " : "", list[i].key);
    fputs("\"; colours=\"", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? " " : "", list[i].s->colour);
    fputs("\"; dashes=\"", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%d", i ? " " : "", list[i].dash > 0 ? list[i].dash : list[i].s->dash);
    fputs("\"; points=\"", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%d", i ? " " : "", list[i].s->point);
    fputs("\"", out);
}

static void series_vars_of(FILE *out, const struct plot_series_list *list, const char *suffix[])
{
    struct gp_series *gp = calloc(list->n + 1, sizeof *gp);
    char(*keys)[64] = calloc(list->n + 1, sizeof *keys);
    if (gp == NULL || keys == NULL)
        out_of_memory();
    for (size_t i = 0; i < list->n; i++) {
        snprintf(keys[i], sizeof keys[i], "%s%s", list->series[i].key,
                 suffix && suffix[i] ? suffix[i] : "");
        gp[i] = (struct gp_series){keys[i], &list->series[i], 0};
    }
    series_vars(out, gp, list->n);
    free(keys);
    free(gp);
}

/* Creates DIR/NAME for writing (its path in `path`). */
static FILE *create_in(const char *dir, const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        die("cannot write %s: %s", path, strerror(errno));
    return f;
}

static void close_created(FILE *f, const char *path)
{
    if (fclose(f) != 0)
        die("cannot write %s: %s", path, strerror(errno));
}

static void number_cell(FILE *out, double value)
{
    char buf[40];
    fputs(plot_number(value, buf, sizeof buf), out);
}

/* One gnuplot data block, ended by two blank lines so that `index i` selects a series. A
 * series without data gets a line of NaN: gnuplot would merge the blank lines of an empty
 * block and hand the next series' data to this one. */
static void end_block(FILE *out, size_t lines, int columns)
{
    if (lines == 0) {
        for (int c = 0; c < columns; c++)
            fputs(c ? "\tNaN" : "NaN", out);
        fputc('\n', out);
    }
    fputs("\n\n", out);
}

static int by_size(const void *a, const void *b)
{
    const struct shl_results_row *x = *(const struct shl_results_row *const *)a;
    const struct shl_results_row *y = *(const struct shl_results_row *const *)b;
    return (x->size > y->size) - (x->size < y->size);
}

/* The rows of `key` in `rows`, sorted by size (stable: mergesort-like insertion). */
static size_t key_rows(const struct plot_rows *rows, const char *key,
                       const struct shl_results_row **out)
{
    size_t n = 0;
    for (size_t i = 0; i < rows->n; i++) {
        if (!has_key(rows->rows[i], key))
            continue;
        size_t at = n++;
        while (at > 0 && by_size(&rows->rows[i], &out[at - 1]) < 0) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = rows->rows[i];
    }
    return n;
}

/* Columns: size, p50, p99 in base units; one block per series of `list`. */
static void size_blocks(FILE *out, const struct plot_rows *rows,
                        const struct plot_series_list *list)
{
    const struct shl_results_row **sorted = calloc(rows->n + 1, sizeof *sorted);
    if (sorted == NULL)
        out_of_memory();
    for (size_t s = 0; s < list->n; s++) {
        size_t n = key_rows(rows, list->series[s].key, sorted);
        for (size_t i = 0; i < n; i++) {
            number_cell(out, (double)sorted[i]->size);
            fputc('\t', out);
            number_cell(out, plot_base(sorted[i], "p50"));
            fputc('\t', out);
            number_cell(out, plot_base(sorted[i], "p99"));
            fputc('\n', out);
        }
        end_block(out, n, 3);
    }
    free(sorted);
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The distinct sizes of `rows`, ascending; returns how many. */
static size_t sizes_of(const struct plot_rows *rows, double *sizes)
{
    size_t n = 0;
    for (size_t i = 0; i < rows->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < n && !seen; j++)
            seen = sizes[j] == (double)rows->rows[i]->size;
        if (!seen)
            sizes[n++] = (double)rows->rows[i]->size;
    }
    qsort(sizes, n, sizeof *sizes, ascending);
    return n;
}

static void size_axis(FILE *out, const struct plot_rows *rows)
{
    double *sizes = calloc(rows->n + 1, sizeof *sizes);
    if (sizes == NULL)
        out_of_memory();
    size_t n = sizes_of(rows, sizes);
    char *tics = NULL;
    size_t len = 0;
    FILE *t = open_memstream(&tics, &len);
    if (t == NULL)
        out_of_memory();
    fputc('(', t);
    for (size_t i = 0; i < n; i++) {
        char label[32], number[40];
        fprintf(t, "%s\"%s\" %s", i ? ", " : "", plot_size_label(sizes[i], label, sizeof label),
                plot_number(sizes[i], number, sizeof number));
    }
    fputc(')', t);
    memstream_text(t, &tics);
    char lo[40], hi[40];
    fputs("size_tics=", out);
    gp_str(out, tics);
    fprintf(out, "; size_lo=%s; size_hi=%s", plot_number(n ? sizes[0] : NAN, lo, sizeof lo),
            plot_number(n ? sizes[n - 1] : NAN, hi, sizeof hi));
    free(tics);
    free(sizes);
}

/* A by_size.gp reference drawn from the floor rows of `transport` (kept in a data file): a
 * level line labelled with its value for one row, a line through them for several. */
static void floor_reference(FILE *out, const struct shl_results *run, const char *transport,
                            const char *label, const char *unit, const char *colour,
                            const char *work, const char *file)
{
    struct plot_rows rows = rows_of(run, NULL, "floor");
    const struct shl_results_row **sorted = calloc(rows.n + 1, sizeof *sorted);
    if (sorted == NULL)
        out_of_memory();
    size_t n = key_rows(&rows, transport, sorted);
    char path[4096];
    FILE *data = create_in(work, file, path, sizeof path);
    for (size_t i = 0; i < n; i++) {
        number_cell(data, (double)sorted[i]->size);
        fputc('\t', data);
        number_cell(data, plot_base(sorted[i], "p50"));
        fputc('\n', data);
    }
    close_created(data, path);
    char value[40], human[48], title[160];
    if (n == 1) {
        double level = plot_base(sorted[0], "p50");
        snprintf(title, sizeof title, "%s, %s", label,
                 plot_human(level, unit, human, sizeof human));
        fprintf(out, ", %s with lines lc rgb \"%s\" dt 3 lw 2 title ",
                plot_number(level, value, sizeof value), colour);
        gp_str(out, title);
    } else if (n > 1) {
        fputs(", ", out);
        gp_str(out, path);
        fprintf(out, " using 1:2 with linespoints lc rgb \"%s\" dt 3 lw 2 pt 2 title ", colour);
        gp_str(out, label);
    }
    free(sorted);
    plot_rows_free(&rows);
}

/* `reference=...` of a text built by `floor_reference` and friends. */
static void reference_setting(FILE *out, const char *text)
{
    fputs("; reference=", out);
    gp_str(out, text);
}

static void common_setting(FILE *out, const char *machine)
{
    fputs("machine=", out);
    gp_str(out, machine);
}

static void data_setting(FILE *out, const char *path)
{
    fputs("; data=", out);
    gp_str(out, path);
}

static bool any_shm(const struct plot_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        if (shl_results_is_shm(rows->rows[i]->transport))
            return true;
    return false;
}

/* The latency size nearest 64 B on a log scale: the distribution is drawn there. */
static double distribution_size(const struct plot_rows *rows)
{
    double best = 64, distance = INFINITY;
    double *sizes = calloc(rows->n + 1, sizeof *sizes);
    if (sizes == NULL)
        out_of_memory();
    size_t n = sizes_of(rows, sizes);
    for (size_t i = 0; i < n; i++) {
        double d = fabs(log(sizes[i] / 64));
        if (d < distance) {
            distance = d;
            best = sizes[i];
        }
    }
    free(sizes);
    return best;
}

/* One block per series: its histogram at the size nearest 64 B, the repetitions merged, as
 * points of the percentile spectrum (x = 1/(1-p), y in seconds); and the chart's title. */
static void spectrum_blocks(FILE *dat, const struct plot_rows *rows,
                            const struct plot_series_list *list, FILE *out)
{
    double size = distribution_size(rows);
    enum { max_points = 512 };
    struct plot_spectrum_point points[max_points];
    for (size_t s = 0; s < list->n; s++) {
        struct shl_hist merged = {0};
        for (size_t i = 0; i < rows->n; i++) {
            const struct shl_results_row *row = rows->rows[i];
            if (row->hist == NULL || (double)row->size != size ||
                !has_key(row, list->series[s].key))
                continue;
            if (merged.counts == NULL && shl_hist_init(&merged, row->hist->highest, NULL) != 0)
                out_of_memory();
            shl_hist_merge(&merged, row->hist, NULL);
        }
        size_t n = merged.counts ? plot_spectrum(&merged, points, max_points) : 0;
        if (n > max_points)
            n = max_points;
        for (size_t k = 0; k < n; k++)
            fprintf(dat, "%.6g\t%.9g\n", points[k].x, points[k].value * 1e-9);
        end_block(dat, n, 2);
        shl_hist_free(&merged);
    }
    char label[32], title[160];
    snprintf(title, sizeof title,
             "Percentile spectrum of the round trips at %s (every sample, up to p99.99 where "
             "n allows)",
             plot_size_label(size, label, sizeof label));
    fputs("chart_title=", out);
    gp_str(out, title);
    fputs("; ", out);
}

static int by_offered(const void *a, const void *b)
{
    double x = (*(const struct shl_results_row *const *)a)->offered_hz;
    double y = (*(const struct shl_results_row *const *)b)->offered_hz;
    return (x > y) - (x < y);
}

/* One block per series: offered rate, p50 and p99 in seconds, and whether it was reached;
 * the first repetition only, so that each line is one ladder. */
static void load_blocks(FILE *dat, const struct plot_rows *rows,
                        const struct plot_series_list *list)
{
    const struct shl_results_row **ladder = calloc(rows->n + 1, sizeof *ladder);
    if (ladder == NULL)
        out_of_memory();
    for (size_t s = 0; s < list->n; s++) {
        size_t n = 0;
        for (size_t i = 0; i < rows->n; i++)
            if (rows->rows[i]->repetition == 0 && has_key(rows->rows[i], list->series[s].key))
                ladder[n++] = rows->rows[i];
        qsort(ladder, n, sizeof *ladder, by_offered);
        for (size_t i = 0; i < n; i++) {
            number_cell(dat, ladder[i]->offered_hz);
            fputc('\t', dat);
            number_cell(dat, plot_base(ladder[i], "p50"));
            fputc('\t', dat);
            number_cell(dat, plot_base(ladder[i], "p99"));
            fprintf(dat, "\t%d\n", ladder[i]->reached == 1);
        }
        end_block(dat, n, 4);
    }
    free(ladder);
}

static const struct shl_results_row *row_at(const struct plot_rows *rows, const char *key,
                                            double size)
{
    for (size_t i = 0; i < rows->n; i++)
        if ((double)rows->rows[i]->size == size && has_key(rows->rows[i], key))
            return rows->rows[i];
    return NULL;
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

/* The charts drawn over message size (by_size.gp), one line each; the distribution and
 * the set-up charts have scripts of their own and no size axis. */
static const struct chart_kind {
    const char *name, *benchmark;
    const char *title;         /* NULL: made from the data */
    const char *compare_title; /* two runs on one chart; NULL: not compared */
    int whiskers;              /* -1: not drawn over message size */
    const char *axis;          /* the y axis' settings */
    const char *floor;         /* the floor row drawn as the reference, or NULL */
    const char *floor_label, *floor_short, *unit;
    const char *reference; /* a reference line of its own, or NULL */
} chart_kinds[] = {
    {"latency", "latency", "Round-trip latency by message size: p50, whisker up to p99",
     "Round-trip latency p50 by message size", 1,
     "ylabel_text='round-trip time (log scale)'; yformat='%.0s %cs'", "cacheline",
     "cache-line floor", "cache-line floor", "s", NULL},
    {"throughput", "throughput", "One-way throughput by message size (p50 of the runs)",
     "One-way throughput p50 by message size", 0,
     "ylabel_text='throughput (log scale)'; yformat='%.0s %cB/s'", "memcpy", "memcpy bandwidth",
     "memcpy", "B/s", NULL},
    {"distribution", "latency", NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL},
    {"setup", "setup",
     "Set-up cost: create, map, touch, unmap, destroy (hyperfine mean, error bar 1 stddev)", NULL,
     -1, NULL, NULL, NULL, NULL, NULL, NULL},
    {"spectrum", "latency", NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL},
    {"load", "load",
     "Latency against offered load: p50 (solid) and p99 (dotted) from the intended send time; "
     "a cross where a rate was not reached",
     NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL},
    {"advantage", "latency",
     "Shared memory advantage: p50 as a multiple of the best shared-memory p50", NULL, 0,
     "ylabel_text='p50 / best shared-memory p50 at that size (log scale)'; yformat='%g×'; "
     "ymin=0.8",
     NULL, NULL, NULL, NULL,
     ", 1 with lines lc rgb 'black' dt 3 lw 2 title 'best shared memory (1×)'"},
};

static const struct chart_kind *chart_kind(const char *name)
{
    for (size_t i = 0; i < sizeof chart_kinds / sizeof chart_kinds[0]; i++)
        if (strcmp(chart_kinds[i].name, name) == 0)
            return &chart_kinds[i];
    return NULL;
}

/* chart_title, whiskers, the size axis and the y axis of a chart over message size. */
static void by_size_settings(FILE *out, const char *title, int whiskers,
                             const struct plot_rows *rows, const char *axis)
{
    fputs("chart_title=", out);
    gp_str(out, title);
    fprintf(out, "; whiskers=%d; ", whiskers);
    size_axis(out, rows);
    fprintf(out, "; %s", axis);
}

/* Prints the settings of chart `name`; returns EXIT_NO_DATA (and the reason) when it has
 * nothing to draw. */
static int chart(const char *name, const char *path, const char *work)
{
    struct shl_results run;
    load(path, &run);
    char what[512], where[256], machine[800], data[4096];
    machine_parts(&run, what, sizeof what, where, sizeof where);
    snprintf(machine, sizeof machine, "%s%s%s", what, where[0] ? "\n" : "", where);
    const struct chart_kind *kind = chart_kind(name);
    if (kind == NULL)
        die("no chart named %s%s", name, "");
    struct plot_rows rows = rows_of(&run, NULL, kind->benchmark);
    bool histograms = false;
    for (size_t i = 0; i < rows.n; i++)
        histograms = histograms || rows.rows[i]->hist != NULL;
    const char *nothing = rows.n == 0 ? "no rows for it"
                          : strcmp(name, "spectrum") == 0 && !histograms
                              ? "no histograms (results written before they were kept)"
                          : strcmp(name, "advantage") == 0 && !any_shm(&rows)
                              ? "no shared-memory latency rows"
                              : NULL;
    if (nothing != NULL) {
        printf("%s\n", nothing);
        plot_rows_free(&rows);
        shl_results_free(&run);
        return EXIT_NO_DATA;
    }
    struct plot_series_list list = series_of(&rows);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out == NULL)
        out_of_memory();
    common_setting(out, machine);
    fputs("; ", out);
    FILE *dat = create_in(work, name, data, sizeof data);
    const char **suffix = NULL;
    char(*batch)[32] = NULL;
    if (strcmp(name, "latency") == 0 || strcmp(name, "throughput") == 0) {
        size_blocks(dat, &rows, &list);
    } else if (strcmp(name, "distribution") == 0) {
        double size = distribution_size(&rows);
        suffix = calloc(list.n + 1, sizeof *suffix);
        batch = calloc(list.n + 1, sizeof *batch);
        if (suffix == NULL || batch == NULL)
            out_of_memory();
        static const char *const quantiles[] = {"p50", "p90", "p99", "p999"};
        for (size_t s = 0; s < list.n; s++) {
            size_t lines = 0;
            const struct shl_results_row *at = NULL;
            for (size_t i = 0; i < rows.n; i++) {
                const struct shl_results_row *row = rows.rows[i];
                if (!has_key(row, list.series[s].key))
                    continue;
                if (at == NULL || ((double)row->size == size && (double)at->size != size))
                    at = row;
                if ((double)row->size != size)
                    continue;
                for (int q = 0; q < 4; q++) {
                    fprintf(dat, "%d\t", q + 1);
                    number_cell(dat, plot_base(row, quantiles[q]));
                    fputc('\n', dat);
                    lines++;
                }
            }
            end_block(dat, lines, 3);
            /* A series timed in batches says so: its percentiles are those of batch means,
             * which understate the tail. */
            if (at != NULL && at->batch > 1) {
                snprintf(batch[s], sizeof batch[s], " (batch %u)", at->batch);
                suffix[s] = batch[s];
            }
        }
        char label[32], title[128];
        snprintf(title, sizeof title, "Round-trip latency percentiles at %s: where the tails show",
                 plot_size_label(size, label, sizeof label));
        fputs("chart_title=", out);
        gp_str(out, title);
        fputs("; ", out);
    } else if (strcmp(name, "spectrum") == 0) {
        spectrum_blocks(dat, &rows, &list, out);
    } else if (strcmp(name, "load") == 0) {
        load_blocks(dat, &rows, &list);
    } else if (strcmp(name, "setup") == 0) {
        double *sizes = calloc(rows.n + 1, sizeof *sizes);
        if (sizes == NULL)
            out_of_memory();
        size_t n = sizes_of(&rows, sizes);
        for (size_t z = 0; z < n; z++) {
            char label[32];
            fputs(plot_size_label(sizes[z], label, sizeof label), dat);
            for (size_t s = 0; s < list.n; s++) {
                const struct shl_results_row *row = row_at(&rows, list.series[s].key, sizes[z]);
                double stddev = row ? plot_base(row, "stddev") : NAN;
                fputc('\t', dat);
                number_cell(dat, row ? plot_base(row, "mean") : NAN);
                fputc('\t', dat);
                number_cell(dat, row && isnan(stddev) ? 0 : stddev);
            }
            fputc('\n', dat);
        }
        free(sizes);
    } else { /* advantage: each series' p50 over the best shared-memory p50 at its size */
        const struct shl_results_row **sorted = calloc(rows.n + 1, sizeof *sorted);
        if (sorted == NULL)
            out_of_memory();
        for (size_t s = 0; s < list.n; s++) {
            size_t n = key_rows(&rows, list.series[s].key, sorted), lines = 0;
            for (size_t i = 0; i < n; i++) {
                double best = best_shm_p50(&rows, (double)sorted[i]->size);
                if (isnan(best))
                    continue;
                number_cell(dat, (double)sorted[i]->size);
                fputc('\t', dat);
                number_cell(dat, plot_base(sorted[i], "p50") / best);
                fputc('\n', dat);
                lines++;
            }
            end_block(dat, lines, 2);
        }
        free(sorted);
    }
    close_created(dat, data);
    series_vars_of(out, &list, suffix);
    data_setting(out, data);
    fputs("; ", out);
    if (kind->whiskers >= 0) {
        by_size_settings(out, kind->title, kind->whiskers, &rows, kind->axis);
        char *reference = NULL;
        size_t reference_len = 0;
        FILE *ref = open_memstream(&reference, &reference_len);
        if (ref == NULL)
            out_of_memory();
        if (kind->floor != NULL) {
            char file[64];
            snprintf(file, sizeof file, "%s.dat", kind->floor);
            floor_reference(ref, &run, kind->floor, kind->floor_label, kind->unit, "black", work,
                            file);
        }
        fputs(kind->reference ? kind->reference : "", ref);
        memstream_text(ref, &reference);
        reference_setting(out, reference);
        free(reference);
    } else if (kind->title != NULL) {
        fputs("chart_title=", out);
        gp_str(out, kind->title);
    }
    memstream_text(out, &text);
    fputs(text, stdout);
    free(text);
    free(suffix);
    free(batch);
    plot_series_free(&list);
    plot_rows_free(&rows);
    shl_results_free(&run);
    return 0;
}

/* ---- Two runs: A solid and named in the legend, B dashed and named only where A lacks
 * the series. */

static int compare_chart(const char *benchmark, const char *path_a, const char *path_b,
                         const char *work)
{
    const struct chart_kind *kind = chart_kind(benchmark);
    if (kind == NULL || kind->compare_title == NULL)
        die("no comparison chart named %s%s", benchmark, "");
    struct shl_results a, b;
    load(path_a, &a);
    load(path_b, &b);
    struct plot_rows both = rows_of(&a, &b, benchmark);
    if (both.n == 0) {
        printf("neither run has \"%s\" rows\n", benchmark);
        plot_rows_free(&both);
        shl_results_free(&a);
        shl_results_free(&b);
        return EXIT_NO_DATA;
    }
    struct plot_rows rows_a = rows_of(&a, NULL, benchmark), rows_b = rows_of(&b, NULL, benchmark);
    struct plot_series_list list = series_of(&both);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out == NULL)
        out_of_memory();
    char machine[1200], what[512], where[256], date_a[20], date_b[20];
    machine_parts(&a, what, sizeof what, where, sizeof where);
    const struct shl_results *runs[2] = {&a, &b};
    char *dates[2] = {date_a, date_b};
    for (int r = 0; r < 2; r++) {
        const char *date = runs[r]->context.date;
        snprintf(dates[r], 20, "%.16s", date[0] ? date : "undated");
        char *t = strchr(dates[r], 'T');
        if (t != NULL)
            *t = ' ';
    }
    char what_b[512];
    machine_parts(&b, what_b, sizeof what_b, where, sizeof where);
    snprintf(machine, sizeof machine, "solid A: %s, %s\ndashed B: %s, %s", what, date_a, what_b,
             date_b);
    common_setting(out, machine);
    fputs("; ", out);
    struct gp_series *gp = calloc(2 * list.n + 1, sizeof *gp);
    if (gp == NULL)
        out_of_memory();
    for (size_t s = 0; s < list.n; s++) {
        bool in_a = false;
        for (size_t i = 0; i < rows_a.n && !in_a; i++)
            in_a = has_key(rows_a.rows[i], list.series[s].key);
        gp[s] = (struct gp_series){in_a ? list.series[s].key : "-", &list.series[s], 1};
        gp[list.n + s] = (struct gp_series){in_a ? "-" : list.series[s].key, &list.series[s], 2};
    }
    series_vars(out, gp, 2 * list.n);
    free(gp);
    char name[64], data[4096];
    snprintf(name, sizeof name, "%s.dat", benchmark);
    FILE *dat = create_in(work, name, data, sizeof data);
    size_blocks(dat, &rows_a, &list);
    size_blocks(dat, &rows_b, &list);
    close_created(dat, data);
    char title[160];
    snprintf(title, sizeof title, "%s: run A against run B", kind->compare_title);
    data_setting(out, data);
    fputs("; ", out);
    by_size_settings(out, title, 0, &both, kind->axis);
    char *reference = NULL;
    size_t reference_len = 0;
    FILE *ref = open_memstream(&reference, &reference_len);
    if (ref == NULL)
        out_of_memory();
    for (int r = 0; r < 2; r++) {
        char label[64], file[64];
        snprintf(label, sizeof label, "%s %c", kind->floor_short, "AB"[r]);
        snprintf(file, sizeof file, "%s-%c.dat", kind->floor, "ab"[r]);
        floor_reference(ref, runs[r], kind->floor, label, kind->unit, r ? "#999999" : "black", work,
                        file);
    }
    fputs(", NaN with lines lc rgb 'black' dt 1 lw 2 title 'run A (solid)', NaN with lines lc "
          "rgb 'black' dt 2 lw 2 title 'run B (dashed)'",
          ref);
    memstream_text(ref, &reference);
    reference_setting(out, reference);
    memstream_text(out, &text);
    fputs(text, stdout);
    free(reference);
    free(text);
    plot_series_free(&list);
    plot_rows_free(&both);
    plot_rows_free(&rows_a);
    plot_rows_free(&rows_b);
    shl_results_free(&a);
    shl_results_free(&b);
    return 0;
}

/* B's p50 over A's per series and size, for every series and size both runs measured. */
static void ratio_table(FILE *out, const struct shl_results *a, const struct shl_results *b,
                        const char *benchmark)
{
    struct plot_rows both = rows_of(a, b, benchmark);
    struct plot_rows rows_a = rows_of(a, NULL, benchmark), rows_b = rows_of(b, NULL, benchmark);
    struct plot_series_list list = series_of(&both);
    double *sizes = calloc(both.n + 1, sizeof *sizes);
    if (sizes == NULL)
        out_of_memory();
    size_t n = sizes_of(&both, sizes);
    if (n + 1 > PLOT_COLS_MAX)
        n = PLOT_COLS_MAX - 1;
    struct plot_table t;
    const char *header[PLOT_COLS_MAX];
    char labels[PLOT_COLS_MAX][32], title[64];
    snprintf(title, sizeof title, "%s p50, B / A", benchmark);
    header[0] = title;
    for (size_t i = 0; i < n; i++)
        header[i + 1] = plot_size_label(sizes[i], labels[i], sizeof labels[i]);
    if (plot_table_init(&t, n + 1, header) != 0)
        out_of_memory();
    for (size_t s = 0; s < list.n; s++) {
        char(*row)[PLOT_CELL_MAX] = plot_table_row(&t);
        if (row == NULL)
            out_of_memory();
        snprintf(row[0], PLOT_CELL_MAX, "%s", list.series[s].key);
        for (size_t i = 0; i < n; i++) {
            const struct shl_results_row *x = row_at(&rows_a, list.series[s].key, sizes[i]);
            const struct shl_results_row *y = row_at(&rows_b, list.series[s].key, sizes[i]);
            double ratio = NAN;
            if (x && y && x->stats.p50 > 0)
                ratio = plot_base(y, "p50") / plot_base(x, "p50");
            plot_cell_ratio(row[i + 1], ratio);
        }
    }
    plot_table_markdown(&t, out);
    plot_table_free(&t);
    free(sizes);
    plot_series_free(&list);
    plot_rows_free(&both);
    plot_rows_free(&rows_a);
    plot_rows_free(&rows_b);
}

/* The p50 of every repetition of one configuration (series key and size) in rows. */
static size_t repetition_p50s(const struct plot_rows *rows, const char *key, double size,
                              double *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < rows->n && n < max; i++)
        if (has_key(rows->rows[i], key) && (double)rows->rows[i]->size == size &&
            !isnan(rows->rows[i]->stats.p50))
            out[n++] = rows->rows[i]->stats.p50;
    return n;
}

/* For each configuration both runs measured: a Mann-Whitney U test on the per-repetition
 * p50s of A against B, and its verdict (src/timing/shl_signif.h). */
static void significance_table(FILE *out, const struct shl_results *a, const struct shl_results *b,
                               const char *benchmark)
{
    struct plot_rows both = rows_of(a, b, benchmark);
    struct plot_rows rows_a = rows_of(a, NULL, benchmark), rows_b = rows_of(b, NULL, benchmark);
    struct plot_series_list list = series_of(&both);
    double *sizes = calloc(both.n + 1, sizeof *sizes);
    if (sizes == NULL)
        out_of_memory();
    size_t n_sizes = sizes_of(&both, sizes);
    char title[64];
    snprintf(title, sizeof title, "%s significance", benchmark);
    const char *header[] = {title, "size", "repetitions A / B", "p = ", "verdict (B against A)"};
    struct plot_table t;
    if (plot_table_init(&t, 5, header) != 0)
        out_of_memory();
    enum { max_repetitions = 100 };
    double pa[max_repetitions], pb[max_repetitions];
    for (size_t s = 0; s < list.n; s++) {
        for (size_t z = 0; z < n_sizes; z++) {
            size_t na = repetition_p50s(&rows_a, list.series[s].key, sizes[z], pa, max_repetitions);
            size_t nb = repetition_p50s(&rows_b, list.series[s].key, sizes[z], pb, max_repetitions);
            if (na == 0 || nb == 0)
                continue;
            struct shl_mann_whitney mw;
            char(*row)[PLOT_CELL_MAX] = plot_table_row(&t);
            if (row == NULL || shl_mann_whitney_test(pa, na, pb, nb, &mw, NULL) != 0)
                out_of_memory();
            snprintf(row[0], PLOT_CELL_MAX, "%s", list.series[s].key);
            plot_size_label(sizes[z], row[1], PLOT_CELL_MAX);
            snprintf(row[2], PLOT_CELL_MAX, "%zu / %zu", na, nb);
            snprintf(row[3], PLOT_CELL_MAX, "%.3g%s", mw.p, mw.exact ? "" : " (normal)");
            snprintf(row[4], PLOT_CELL_MAX, "%s", shl_verdict_names[mw.verdict]);
        }
    }
    plot_table_markdown(&t, out);
    plot_table_free(&t);
    free(sizes);
    plot_series_free(&list);
    plot_rows_free(&both);
    plot_rows_free(&rows_a);
    plot_rows_free(&rows_b);
}

static int compare_md(const char *path_a, const char *path_b)
{
    struct shl_results a, b;
    load(path_a, &a);
    load(path_b, &b);
    char ma[800], mb[800];
    machine_line(&a, ma, sizeof ma);
    machine_line(&b, mb, sizeof mb);
    printf("# shmlab: run B against run A\n\n- A: %s (%s)\n- B: %s (%s)\n\n", ma, path_a, mb,
           path_b);
    printf("Ratios of p50, B / A: below 1× B is faster for latency; above 1× B is faster for "
           "throughput.\n");
    static const char *const benchmarks[] = {"latency", "throughput"};
    for (int i = 0; i < 2; i++) {
        putchar('\n');
        ratio_table(stdout, &a, &b, benchmarks[i]);
    }
    printf("\nWhether each difference is significant: a Mann-Whitney U test on the p50s of "
           "every repetition (--repetitions) of A against those of B, two-sided, at p < %g. "
           "With few repetitions (3 against 3, say) no ordering reaches that, and the verdict "
           "says so rather than claim there is no difference.\n",
           SHL_SIGNIF_ALPHA);
    for (int i = 0; i < 2; i++) {
        putchar('\n');
        significance_table(stdout, &a, &b, benchmarks[i]);
    }
    shl_results_free(&a);
    shl_results_free(&b);
    return 0;
}

/* ---- The conformance checker's JSON report ("shmlab-conformance/1", documented in
 * conformance/checker/cf_matrix.h): platform, cases and counts per mechanism and "all".
 * The counts are the checker's; they are computed from the cases only when a report has
 * none. */

static const char *const verdicts[] = {"pass", "fail", "skip", "broken"};

static cJSON *read_conformance(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        die("%s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0;
    FILE *buf = open_memstream(&text, &len);
    if (buf == NULL)
        out_of_memory();
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, buf);
    fclose(f);
    memstream_text(buf, &text);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    while (root != NULL && end != NULL && end < text + len &&
           (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r'))
        end++;
    size_t rest = end != NULL && end < text + len ? (size_t)(text + len - end) : 0;
    free(text);
    if (root == NULL || rest > 0) {
        cJSON_Delete(root);
        die("%s is not one JSON document%s", path, "");
    }
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    const char *problem = NULL;
    if (!cJSON_IsObject(root))
        problem = "the top level is not an object";
    else if (!cJSON_IsArray(cases))
        problem = "no \"cases\" array";
    const cJSON *c;
    int index = 0;
    char text_problem[64];
    const cJSON *list = problem == NULL ? cases : NULL;
    cJSON_ArrayForEach(c, list)
    {
        if (problem == NULL && !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "verdict"))) {
            snprintf(text_problem, sizeof text_problem, "cases[%d] has no \"verdict\" text", index);
            problem = text_problem;
        }
        index++;
    }
    if (problem != NULL) {
        cJSON_Delete(root);
        die("%s: %s", path, problem);
    }
    return root;
}

static const char *text_of(const cJSON *obj, const char *key, const char *otherwise)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(value) ? value->valuestring : otherwise;
}

static bool verdict_is(const cJSON *c, const char *verdict)
{
    return strcasecmp(text_of(c, "verdict", ""), verdict) == 0;
}

struct tally {
    char mechanism[64];
    int cases, count[4];
};

/* The checker's counts, or counts computed from the cases; "all" last. */
static size_t conformance_counts(const cJSON *root, struct tally *out, size_t cap)
{
    size_t n = 0;
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
    if (cJSON_IsObject(counts)) {
        const cJSON *m;
        for (int all = 0; all < 2; all++)
            cJSON_ArrayForEach(m, counts)
            {
                if ((strcmp(m->string, "all") == 0) != all || n == cap)
                    continue;
                struct tally *t = &out[n++];
                memset(t, 0, sizeof *t);
                snprintf(t->mechanism, sizeof t->mechanism, "%s", m->string);
                t->cases = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(m, "cases"));
                for (int v = 0; v < 4; v++) {
                    const cJSON *x = cJSON_GetObjectItemCaseSensitive(m, verdicts[v]);
                    t->count[v] = cJSON_IsNumber(x) ? (int)x->valuedouble : 0;
                }
            }
        return n;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases"))
    {
        const char *mechanism = text_of(c, "mechanism", "?");
        size_t at = 0;
        while (at < n && strcmp(out[at].mechanism, mechanism) != 0)
            at++;
        if (at == n && n + 1 < cap) {
            size_t pos = n++;
            while (pos > 0 && strcmp(out[pos - 1].mechanism, mechanism) > 0) {
                out[pos] = out[pos - 1];
                pos--;
            }
            memset(&out[pos], 0, sizeof out[pos]);
            snprintf(out[pos].mechanism, sizeof out[pos].mechanism, "%s", mechanism);
            at = pos;
        }
        if (at == n)
            continue;
        out[at].cases++;
        for (int v = 0; v < 4; v++)
            out[at].count[v] += verdict_is(c, verdicts[v]);
    }
    struct tally *all = &out[n++];
    memset(all, 0, sizeof *all);
    snprintf(all->mechanism, sizeof all->mechanism, "all");
    for (size_t i = 0; i + 1 < n; i++) {
        all->cases += out[i].cases;
        for (int v = 0; v < 4; v++)
            all->count[v] += out[i].count[v];
    }
    return n;
}

static void trimmed(char *buf)
{
    size_t start = strspn(buf, " ");
    memmove(buf, buf + start, strlen(buf + start) + 1);
    size_t len = strlen(buf);
    while (len > 0 && buf[len - 1] == ' ')
        buf[--len] = '\0';
}

static void conformance_platform(const cJSON *root, char *buf, size_t len)
{
    buf[0] = '\0';
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "platform");
    if (!cJSON_IsObject(p))
        return;
    char parts[3][256];
    size_t n = 0;
    const cJSON *libc = cJSON_GetObjectItemCaseSensitive(p, "libc");
    if (libc != NULL && !cJSON_IsNull(libc) && !cJSON_IsFalse(libc))
        snprintf(parts[n++], sizeof parts[0], "%s %s", text_of(libc, "name", "?"),
                 text_of(libc, "version", ""));
    const cJSON *kernel = cJSON_GetObjectItemCaseSensitive(p, "kernel");
    if (kernel != NULL && !cJSON_IsNull(kernel) && !cJSON_IsFalse(kernel))
        snprintf(parts[n++], sizeof parts[0], "%s %s %s", text_of(kernel, "sysname", ""),
                 text_of(kernel, "release", ""), text_of(kernel, "machine", ""));
    const char *fs = text_of(p, "shm_dir_fs", NULL);
    if (fs != NULL)
        snprintf(parts[n++], sizeof parts[0], "/dev/shm on %s", fs);
    size_t used = 0;
    for (size_t i = 0; i < n && used < len; i++) {
        trimmed(parts[i]);
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", parts[i]);
    }
}

/* ---- The report. */

struct report {
    FILE *md, *html;
};

static void heading(struct report *r, const char *text)
{
    fprintf(r->md, "## %s\n\n", text);
    fputs("<h2>", r->html);
    plot_html_escape(text, r->html);
    fputs("</h2>\n", r->html);
}

static void paragraph(struct report *r, const char *text)
{
    fprintf(r->md, "%s\n\n", text);
    fputs("<p>", r->html);
    plot_html_escape(text, r->html);
    fputs("</p>\n", r->html);
}

static void table(struct report *r, struct plot_table *t)
{
    plot_table_markdown(t, r->md);
    fputc('\n', r->md);
    plot_table_html(t, r->html);
    plot_table_free(t);
}

static char (*new_row(struct plot_table *t))[PLOT_CELL_MAX]
{
    char(*row)[PLOT_CELL_MAX] = plot_table_row(t);
    if (row == NULL)
        out_of_memory();
    return row;
}

static void new_table(struct plot_table *t, size_t cols, const char *const *header)
{
    if (plot_table_init(t, cols, header) != 0)
        out_of_memory();
}

/* The row of `rows` (shared memory only when `shm`, not spinning when `blocking`) at `size`
 * with the best p50. */
static const struct shl_results_row *best_at(const struct plot_rows *rows, double size,
                                             bool blocking, enum shl_results_better better)
{
    const struct shl_results_row *best = NULL;
    for (size_t i = 0; i < rows->n; i++) {
        const struct shl_results_row *row = rows->rows[i];
        double p50 = plot_base(row, "p50");
        if ((double)row->size != size || !shl_results_is_shm(row->transport) || isnan(p50) ||
            (blocking && strcmp(row->notify, "spin") == 0))
            continue;
        double b = best ? plot_base(best, "p50") : 0;
        if (best == NULL || (better == SHL_RESULTS_LOWER ? p50 < b : p50 > b))
            best = row;
    }
    return best;
}

static const struct shl_results_row *first_of(const struct plot_rows *rows, const char *transport,
                                              double size)
{
    for (size_t i = 0; i < rows->n; i++)
        if (strcmp(rows->rows[i]->transport, transport) == 0 &&
            (size < 0 || (double)rows->rows[i]->size == size))
            return rows->rows[i];
    return NULL;
}

/* measure, value, reference, ratio, target, verdict: each target of src/results. */
static void efficiency_row(struct plot_table *t, const struct shl_results_target *target,
                           const char *what, const struct shl_results_row *best,
                           const char *reference_text, const struct shl_results_row *reference,
                           double ratio, const char *unit)
{
    char(*row)[PLOT_CELL_MAX] = new_row(t);
    char key[48] = "not measured", size[32];
    if (best != NULL)
        plot_series_key(best, key, sizeof key);
    snprintf(row[0], PLOT_CELL_MAX, "%s at %s (%s) / %s", what,
             plot_size_label(target->size, size, sizeof size), key, reference_text);
    plot_cell_quantity(row[1], best ? plot_base(best, "p50") : NAN, unit);
    plot_cell_quantity(row[2], reference ? plot_base(reference, "p50") : NAN, unit);
    plot_cell_ratio(row[3], ratio);
    shl_results_target_text(target, row[4], PLOT_CELL_MAX);
    snprintf(row[5], PLOT_CELL_MAX, "%s",
             isnan(ratio)                            ? "not measured"
             : shl_results_target_met(target, ratio) ? "met"
                                                     : "not met");
}

static void efficiency_table(struct report *r, const struct shl_results *run)
{
    static const char *const header[] = {"measure", "value",  "reference",
                                         "ratio",   "target", "verdict"};
    struct plot_table t;
    new_table(&t, 6, header);
    struct plot_rows latency = rows_of(run, NULL, "latency");
    struct plot_rows floor = rows_of(run, NULL, "floor");
    struct plot_rows throughput = rows_of(run, NULL, "throughput");
    const struct shl_results_target *line = &shl_results_efficiency[0];
    const struct shl_results_target *blocking = &shl_results_efficiency[1];
    const struct shl_results_target *memcpy_share = &shl_results_efficiency[2];

    const struct shl_results_row *fast = best_at(&latency, line->size, false, SHL_RESULTS_LOWER);
    efficiency_row(&t, line, "best shared-memory p50", fast, "cache-line floor p50",
                   first_of(&floor, "cacheline", -1), fast ? fast->ratio : NAN, "s");

    const struct shl_results_row *slow = best_at(&latency, blocking->size, true, SHL_RESULTS_LOWER);
    const struct shl_results_row *pipe = first_of(&latency, "pipe", blocking->ref_size);
    double ratio = slow && pipe ? plot_base(slow, "p50") / plot_base(pipe, "p50") : NAN;
    efficiency_row(&t, blocking, "best blocking shared-memory p50", slow, "pipe p50", pipe, ratio,
                   "s");

    const struct shl_results_row *top =
        best_at(&throughput, memcpy_share->size, false, SHL_RESULTS_HIGHER);
    efficiency_row(&t, memcpy_share, "best shared-memory throughput", top, "memcpy bandwidth",
                   first_of(&floor, "memcpy", memcpy_share->size), top ? top->ratio : NAN, "B/s");
    table(r, &t);
    plot_rows_free(&latency);
    plot_rows_free(&floor);
    plot_rows_free(&throughput);
}

/* The sizes a reader usually asks about, as far as the run measured them. */
static size_t table_sizes(const struct plot_rows *rows, double *out)
{
    static const double usual[] = {64, 4096, 65536, 1048576};
    double *have = calloc(rows->n + 1, sizeof *have);
    if (have == NULL)
        out_of_memory();
    size_t n_have = sizes_of(rows, have), n = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < n_have; j++)
            if (have[j] == usual[i])
                out[n++] = usual[i];
    if (n == 0 && n_have > 0) {
        out[n++] = have[0];
        if (have[n_have - 1] != have[0])
            out[n++] = have[n_have - 1];
    }
    free(have);
    return n;
}

/* The whole tail at the size nearest 64 B: every sample is one round trip, so these are
 * percentiles of round trips. p99.99 needs 10^4 samples; n says how many there were. */
static void tails_table(struct report *r, const struct plot_rows *rows,
                        const struct plot_series_list *list)
{
    double size = distribution_size(rows);
    static const char *const header[] = {"transport", "p99", "p99.9", "p99.99", "max", "n"};
    struct plot_table t;
    new_table(&t, 6, header);
    for (size_t s = 0; s < list->n; s++) {
        const struct shl_results_row *at = row_at(rows, list->series[s].key, size);
        if (at == NULL)
            continue;
        char(*row)[PLOT_CELL_MAX] = new_row(&t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", list->series[s].key);
        static const char *const stats[] = {"p99", "p999", "p9999", "max"};
        for (int k = 0; k < 4; k++)
            plot_cell_quantity(row[k + 1], plot_base(at, stats[k]), "s");
        snprintf(row[5], PLOT_CELL_MAX, "%zu", at->stats.n);
    }
    char label[32], text[200];
    snprintf(text, sizeof text, "Round-trip tails at %s, each sample one round trip",
             plot_size_label(size, label, sizeof label));
    heading(r, text);
    paragraph(r, "p99.99 is shown only from 10^4 samples on; below that it would be the max.");
    table(r, &t);
}

static void latency_section(struct report *r, const struct shl_results *run)
{
    heading(r, "Round-trip latency, p50 / p99");
    struct plot_rows rows = rows_of(run, NULL, "latency");
    struct plot_series_list list = series_of(&rows);
    double sizes[4];
    size_t n = table_sizes(&rows, sizes);
    const char *header[5] = {"transport"};
    char labels[4][32];
    for (size_t i = 0; i < n; i++)
        header[i + 1] = plot_size_label(sizes[i], labels[i], sizeof labels[i]);
    struct plot_table t;
    new_table(&t, n + 1, header);
    for (size_t s = 0; s < list.n; s++) {
        const char *key = list.series[s].key;
        char(*row)[PLOT_CELL_MAX] = new_row(&t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", key);
        for (size_t i = 0; i < n; i++) {
            const struct shl_results_row *at = row_at(&rows, key, sizes[i]);
            if (at == NULL)
                snprintf(row[i + 1], PLOT_CELL_MAX, "–");
            else
                plot_cell_pair(row[i + 1], plot_base(at, "p50"), plot_base(at, "p99"), "s");
        }
    }
    table(r, &t);
    tails_table(r, &rows, &list);
    plot_series_free(&list);
    plot_rows_free(&rows);
}

static int descending(const void *a, const void *b)
{
    return -ascending(a, b);
}

static void wakeup_section(struct report *r, const struct shl_results *run)
{
    struct plot_rows rows = rows_of(run, NULL, "wakeup");
    if (rows.n == 0) {
        plot_rows_free(&rows);
        return;
    }
    heading(r, "Wake-up latency at low rates: p50 / the serving peer's CPU time per message");
    paragraph(r, "A blocking strategy pays for the wake-up; a spinning peer burns a whole core "
                 "between messages.");
    double rates[PLOT_COLS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < rows.n; i++) {
        double rate = rows.rows[i]->rate_hz;
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || rates[j] == rate || (isnan(rate) && isnan(rates[j]));
        if (!seen && n + 1 < PLOT_COLS_MAX)
            rates[n++] = rate;
    }
    qsort(rates, n, sizeof *rates, descending);
    const char *header[PLOT_COLS_MAX] = {"transport"};
    char labels[PLOT_COLS_MAX][40];
    for (size_t i = 0; i < n; i++) {
        char number[40];
        snprintf(labels[i], sizeof labels[i], "%s Hz",
                 isnan(rates[i]) ? "null" : plot_number(rates[i], number, sizeof number));
        header[i + 1] = labels[i];
    }
    struct plot_table t;
    new_table(&t, n + 1, header);
    struct plot_series_list list = series_of(&rows);
    for (size_t s = 0; s < list.n; s++) {
        char(*row)[PLOT_CELL_MAX] = new_row(&t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", list.series[s].key);
        for (size_t i = 0; i < n; i++) {
            const struct shl_results_row *at = NULL;
            for (size_t k = 0; k < rows.n && at == NULL; k++)
                if (has_key(rows.rows[k], list.series[s].key) && rows.rows[k]->rate_hz == rates[i])
                    at = rows.rows[k];
            if (at == NULL)
                snprintf(row[i + 1], PLOT_CELL_MAX, "–");
            else
                plot_cell_pair(row[i + 1], plot_base(at, "p50"), at->cpu_ns_per_msg_b * 1e-9, "s");
        }
    }
    table(r, &t);
    plot_series_free(&list);
    plot_rows_free(&rows);
}

/* Each transport's ladder: the highest offered rate it reached (95% of it achieved), the
 * first it did not, and p50 / p99 from the intended send time at the fixed rates. */
static void load_section(struct report *r, const struct shl_results *run)
{
    struct plot_rows rows = rows_of(run, NULL, "load");
    if (rows.n == 0) {
        plot_rows_free(&rows);
        return;
    }
    heading(r, "Latency under offered load (from the intended send time)");
    paragraph(r, "An open-loop sender keeps its schedule whatever the replies do; each "
                 "message's latency counts from when it was due, so a stall counts against "
                 "every message due during it. A transport saturates between the highest "
                 "rate it reached and the first it did not; higher rates are not offered.");
    static const double fixed[] = {1e3, 1e4, 1e5, 1e6};
    static const char *const header[] = {"transport", "reached up to", "not reached at",
                                         "1k/s",      "10k/s",         "100k/s",
                                         "1M/s"};
    struct plot_table t;
    new_table(&t, 7, header);
    struct plot_series_list list = series_of(&rows);
    for (size_t s = 0; s < list.n; s++) {
        double reached = NAN, short_at = NAN;
        char(*row)[PLOT_CELL_MAX] = new_row(&t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", list.series[s].key);
        for (size_t i = 0; i < rows.n; i++) {
            const struct shl_results_row *at = rows.rows[i];
            if (at->repetition != 0 || !has_key(at, list.series[s].key))
                continue;
            if (at->reached == 1 && !(at->offered_hz <= reached))
                reached = at->offered_hz;
            if (at->reached == 0 && !(at->offered_hz >= short_at))
                short_at = at->offered_hz;
        }
        char number[40];
        snprintf(row[1], PLOT_CELL_MAX, "%s",
                 isnan(reached) ? "none" : plot_number(reached, number, sizeof number));
        if (isnan(short_at))
            snprintf(row[2], PLOT_CELL_MAX, "every rate offered was reached");
        else
            snprintf(row[2], PLOT_CELL_MAX, "%s", plot_number(short_at, number, sizeof number));
        for (int k = 0; k < 4; k++) {
            const struct shl_results_row *at = NULL;
            for (size_t i = 0; i < rows.n && at == NULL; i++)
                if (rows.rows[i]->repetition == 0 && has_key(rows.rows[i], list.series[s].key) &&
                    rows.rows[i]->offered_hz == fixed[k])
                    at = rows.rows[i];
            if (at == NULL)
                snprintf(row[k + 3], PLOT_CELL_MAX, "not offered");
            else if (at->reached == 0)
                snprintf(row[k + 3], PLOT_CELL_MAX, "not reached (%.0f/s)", at->achieved_hz);
            else
                plot_cell_pair(row[k + 3], plot_base(at, "p50"), plot_base(at, "p99"), "s");
        }
    }
    table(r, &t);
    plot_series_free(&list);
    plot_rows_free(&rows);
}

static const struct shl_results_row *find_in(const struct plot_rows *rows, const char *transport,
                                             const char *notify, double size, double rate)
{
    for (size_t i = 0; i < rows->n; i++) {
        const struct shl_results_row *row = rows->rows[i];
        if (strcmp(row->transport, transport) == 0 && strcmp(row->notify, notify) == 0 &&
            (double)row->size == size && (isnan(rate) || row->rate_hz == rate) &&
            row->repetition == 0)
            return row;
    }
    return NULL;
}

static void fidelity_row(struct plot_table *t, const char *measure, double value,
                         double reference, const char *unit, double ratio, double limit,
                         const char *remark)
{
    char(*row)[PLOT_CELL_MAX] = new_row(t);
    snprintf(row[0], PLOT_CELL_MAX, "%s", measure);
    plot_cell_quantity(row[1], value, unit);
    plot_cell_quantity(row[2], reference, unit);
    plot_cell_ratio(row[3], ratio);
    snprintf(row[4], PLOT_CELL_MAX, "at most %g×", limit);
    snprintf(row[5], PLOT_CELL_MAX, "%s%s", isnan(ratio) ? "not measured"
                                            : ratio <= limit ? "met"
                                                             : "not met",
             remark);
}

/* The measurement's targets (src/results), each a ratio of two figures of this run. */
static void fidelity_table(struct report *r, const struct shl_results *run)
{
    heading(r, "Measurement targets (ratios within this run)");
    static const char *const header[] = {"measure", "value",  "reference",
                                         "ratio",   "target", "verdict"};
    struct plot_table t;
    new_table(&t, 6, header);
    struct plot_rows latency = rows_of(run, NULL, "latency");
    struct plot_rows wakeup = rows_of(run, NULL, "wakeup");
    const struct shl_results_row *best = best_at(&latency, 64, false, SHL_RESULTS_LOWER);
    char what[160], key[48] = "none";
    if (best != NULL)
        plot_series_key(best, key, sizeof key);
    snprintf(what, sizeof what, "best ring round trip at 64 B (%s) / line-per-direction floor",
             key);
    fidelity_row(&t, what, best ? plot_base(best, "p50") : NAN,
                 best ? best->floor_pair_ns * 1e-9 : NAN, "s", best ? best->ratio_pair : NAN,
                 shl_results_pair_floor_max,
                 best && best->floor_moved ? " (the floor moved during it)" : "");
    static const char *const mechanisms[] = {"mmap", "sysv", "posix", "memfd"};
    for (size_t m = 0; m < sizeof mechanisms / sizeof *mechanisms; m++) {
        const char *mech = mechanisms[m];
        const struct shl_results_row *adaptive = find_in(&latency, mech, "adaptive", 64, NAN);
        const struct shl_results_row *spin = find_in(&latency, mech, "spin", 64, NAN);
        if (adaptive == NULL && spin == NULL)
            continue;
        double a = adaptive ? plot_base(adaptive, "p50") : NAN;
        double s = spin ? plot_base(spin, "p50") : NAN;
        snprintf(what, sizeof what, "%s/adaptive round trip at 64 B / %s/spin", mech, mech);
        fidelity_row(&t, what, a, s, "s", a / s, shl_results_adaptive_spin_max, "");
        const struct shl_results_row *idle = find_in(&wakeup, mech, "adaptive", 64, 100);
        const struct shl_results_row *futex_idle = find_in(&wakeup, mech, "futex", 64, 100);
        double ci = idle ? idle->cpu_ns_per_msg_b * 1e-9 : NAN;
        double cf = futex_idle ? futex_idle->cpu_ns_per_msg_b * 1e-9 : NAN;
        snprintf(what, sizeof what, "%s/adaptive serving peer's CPU per message at 100 Hz / futex",
                 mech);
        fidelity_row(&t, what, ci, cf, "s", ci / cf, shl_results_adaptive_idle_cpu_max, "");
        const struct shl_results_row *fast = find_in(&wakeup, mech, "adaptive", 64, 10000);
        const struct shl_results_row *futex_fast = find_in(&wakeup, mech, "futex", 64, 10000);
        double wa = fast ? plot_base(fast, "p50") : NAN;
        double wf = futex_fast ? plot_base(futex_fast, "p50") : NAN;
        snprintf(what, sizeof what, "%s/adaptive wake-up p50 at 10 kHz / futex", mech);
        fidelity_row(&t, what, wa, wf, "s", wa / wf, shl_results_adaptive_wakeup_max, "");
    }
    const struct shl_results_context *c = &run->context;
    snprintf(what, sizeof what, "the clock's cost per sample (%s) / the fastest p50", c->clock);
    fidelity_row(&t, what, c->timer_overhead_ns * 1e-9, c->fastest_p50_ns * 1e-9, "s",
                 c->timer_overhead_ns / c->fastest_p50_ns, shl_results_clock_share_max, "");
    table(r, &t);
    plot_rows_free(&latency);
    plot_rows_free(&wakeup);
}

static void crosscheck_section(struct report *r, const struct shl_results *run)
{
    struct plot_rows rows = rows_of(run, NULL, "crosscheck");
    if (rows.n == 0) {
        plot_rows_free(&rows);
        return;
    }
    /* The two bounds of the agreement target, low first. */
    const struct shl_results_target *upper = &shl_results_crosscheck[0];
    const struct shl_results_target *lower = &shl_results_crosscheck[1];
    if (upper->better != SHL_RESULTS_LOWER) {
        upper = &shl_results_crosscheck[1];
        lower = &shl_results_crosscheck[0];
    }
    char range[48], text[512];
    snprintf(range, sizeof range, "%g–%g", lower->limit, upper->limit);
    heading(r, "The measurement checked against a plain ping-pong");
    snprintf(text, sizeof text,
             "An independent plain ping-pong (straight read/write loops) run interleaved with "
             "shmlab's own loop on the same transport and size; the two must agree (plain / "
             "shmlab between %g and %g), or the benchmark measures its own overhead rather than "
             "the transport's.",
             lower->limit, upper->limit);
    paragraph(r, text);
    static const char *const header[] = {"transport", "size", "plain ping-pong p50",
                                         "plain / shmlab (interleaved)", "verdict"};
    struct plot_table t;
    new_table(&t, 5, header);
    const struct shl_results_row **sorted = calloc(rows.n + 1, sizeof *sorted);
    if (sorted == NULL)
        out_of_memory();
    for (size_t i = 0; i < rows.n; i++) {
        size_t at = i;
        while (at > 0 && (plot_series_compare(rows.rows[i], sorted[at - 1]) < 0 ||
                          (plot_series_compare(rows.rows[i], sorted[at - 1]) == 0 &&
                           rows.rows[i]->size < sorted[at - 1]->size))) {
            sorted[at] = sorted[at - 1];
            at--;
        }
        sorted[at] = rows.rows[i];
    }
    for (size_t i = 0; i < rows.n; i++) {
        const struct shl_results_row *x = sorted[i];
        char(*row)[PLOT_CELL_MAX] = new_row(&t);
        plot_series_key(x, row[0], PLOT_CELL_MAX);
        plot_size_label((double)x->size, row[1], PLOT_CELL_MAX);
        plot_cell_quantity(row[2], plot_base(x, "p50"), "s");
        plot_cell_ratio(row[3], x->ratio);
        if (isnan(x->ratio))
            snprintf(row[4], PLOT_CELL_MAX, "not measured");
        else
            snprintf(row[4], PLOT_CELL_MAX, "%s %s",
                     shl_results_target_met(lower, x->ratio) &&
                             shl_results_target_met(upper, x->ratio)
                         ? "within"
                         : "outside",
                     range);
    }
    free(sorted);
    table(r, &t);
    plot_rows_free(&rows);
}

static void base64(FILE *in, FILE *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char b[3];
    size_t got;
    while ((got = fread(b, 1, 3, in)) > 0) {
        unsigned v =
            (unsigned)b[0] << 16 | (got > 1 ? (unsigned)b[1] << 8 : 0) | (got > 2 ? b[2] : 0);
        fputc(digits[v >> 18 & 63], out);
        fputc(digits[v >> 12 & 63], out);
        fputc(got > 1 ? digits[v >> 6 & 63] : '=', out);
        fputc(got > 2 ? digits[v & 63] : '=', out);
    }
}

static void charts_section(struct report *r, const char *out_dir)
{
    static const struct {
        const char *chart, *title;
    } charts[] = {
        {"latency", "Round-trip latency by message size (p50, whisker up to p99) against the "
                    "cache-line floor"},
        {"throughput", "One-way throughput by message size against memcpy bandwidth"},
        {"distribution", "Latency percentiles at a small size"},
        {"spectrum", "Percentile spectrum of every round trip at a small size, up to p99.99"},
        {"load", "Latency against offered load, from the intended send time"},
        {"setup", "Set-up cost per mechanism and segment size"},
        {"advantage", "Each transport's p50 as a multiple of the best shared-memory p50"},
    };
    heading(r, "Charts");
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char path[4096], text[256];
        snprintf(path, sizeof path, "%s/%s.svg", out_dir, charts[i].chart);
        struct stat st;
        FILE *svg = stat(path, &st) == 0 && st.st_size > 0 ? fopen(path, "rb") : NULL;
        if (svg == NULL) {
            snprintf(text, sizeof text, "%s: not drawn, the results hold no rows for it.",
                     charts[i].title);
            paragraph(r, text);
            continue;
        }
        fprintf(r->md, "### %s\n\n![%s](%s.png) ([SVG](%s.svg))\n\n", charts[i].title,
                charts[i].title, charts[i].chart, charts[i].chart);
        fputs("<figure><img alt=\"", r->html);
        plot_html_escape(charts[i].title, r->html);
        fputs("\" src=\"data:image/svg+xml;base64,", r->html);
        base64(svg, r->html);
        fclose(svg);
        fputs("\">\n<figcaption>", r->html);
        plot_html_escape(charts[i].title, r->html);
        fputs("</figcaption></figure>\n", r->html);
    }
}

static void conformance_section(struct report *r, const char *path)
{
    cJSON *root = read_conformance(path);
    heading(r, "Conformance");
    struct tally counts[64];
    size_t n = conformance_counts(root, counts, 64);
    const struct tally *all = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(counts[i].mechanism, "all") == 0)
            all = &counts[i];
    char platform[800], summary[160] = "", text[1200];
    conformance_platform(root, platform, sizeof platform);
    size_t used = 0;
    for (int v = 0; v < 4; v++) {
        int count = all ? all->count[v] : 0;
        if (count > 0 || v < 2)
            used += (size_t)snprintf(summary + used, sizeof summary - used, "%s%d %s",
                                     used ? ", " : "", count, verdicts[v]);
    }
    const char *base = strrchr(path, '/');
    snprintf(text, sizeof text, "Checker result %s%s%s%s: %s.", base ? base + 1 : path,
             platform[0] ? " (" : "", platform, platform[0] ? ")" : "", summary);
    paragraph(r, text);
    static const char *const by_mechanism[] = {"mechanism", "cases", "pass",
                                               "fail",      "skip",  "broken"};
    struct plot_table t;
    new_table(&t, 6, by_mechanism);
    for (size_t i = 0; i < n; i++) {
        char(*row)[PLOT_CELL_MAX] = new_row(&t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", counts[i].mechanism);
        snprintf(row[1], PLOT_CELL_MAX, "%d", counts[i].cases);
        for (int v = 0; v < 4; v++)
            snprintf(row[v + 2], PLOT_CELL_MAX, "%d", counts[i].count[v]);
    }
    table(r, &t);
    /* Cases that neither passed nor were skipped (FAIL, BROKEN), with the checker's reason. */
    static const char *const failures[] = {"case", "mechanism", "verdict", "reason"};
    new_table(&t, 4, failures);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases"))
    {
        if (verdict_is(c, "pass") || verdict_is(c, "skip"))
            continue;
        char(*row)[PLOT_CELL_MAX] = new_row(&t);
        const char *cells[] = {text_of(c, "id", "?"), text_of(c, "mechanism", "?"),
                               text_of(c, "verdict", ""), text_of(c, "reason", "")};
        for (int k = 0; k < 4; k++) {
            snprintf(row[k], PLOT_CELL_MAX, "%s", cells[k]);
            for (char *p = row[k]; *p; p++)
                if (*p == '\t' || *p == '\n')
                    *p = ' ';
        }
    }
    if (t.rows > 1) {
        paragraph(r, "Cases that failed or could not be set up:");
        table(r, &t);
    } else {
        plot_table_free(&t);
    }
    cJSON_Delete(root);
}

static void context_row(struct plot_table *t, const char *field, const char *value)
{
    char(*row)[PLOT_CELL_MAX] = new_row(t);
    snprintf(row[0], PLOT_CELL_MAX, "%s", field);
    snprintf(row[1], PLOT_CELL_MAX, "%s", value);
}

static void context_number(struct plot_table *t, const char *field, double value)
{
    char buf[40];
    context_row(t, field, isnan(value) ? "–" : plot_number(value, buf, sizeof buf));
}

static void context_section(struct report *r, const struct shl_results *run)
{
    heading(r, "Machine and run");
    const struct shl_results_context *c = &run->context;
    static const char *const header[] = {"field", "value"};
    struct plot_table t;
    new_table(&t, 2, header);
    context_number(&t, "schema_version", c->schema_version);
    context_row(&t, "host", c->host);
    context_row(&t, "kernel", c->kernel);
    context_row(&t, "cpu_model", c->cpu_model);
    context_number(&t, "cpus", c->cpus);
    if (run->has_pinning) {
        context_row(&t, "pinning.pinned", c->pinned ? "true" : "false");
        context_number(&t, "pinning.cpu_a", c->pinned ? c->cpu_a : NAN);
        context_number(&t, "pinning.cpu_b", c->pinned ? c->cpu_b : NAN);
    }
    context_number(&t, "buffers.pipe", (double)c->pipe_buffer);
    context_number(&t, "buffers.unix_stream_sndbuf", c->unix_stream_sndbuf);
    context_number(&t, "buffers.unix_stream_rcvbuf", c->unix_stream_rcvbuf);
    context_number(&t, "buffers.unix_dgram_sndbuf", c->unix_dgram_sndbuf);
    context_number(&t, "buffers.unix_dgram_rcvbuf", c->unix_dgram_rcvbuf);
    context_number(&t, "buffers.tcp_sndbuf", c->tcp_sndbuf);
    context_number(&t, "buffers.tcp_rcvbuf", c->tcp_rcvbuf);
    context_row(&t, "mode", c->mode);
    context_row(&t, "date", c->date);
    context_row(&t, "clock", c->clock);
    context_row(&t, "clock_why", c->clock_why);
    context_number(&t, "timer_overhead_ns", c->timer_overhead_ns);
    context_number(&t, "timer_subtracted_ns", c->timer_subtracted_ns);
    context_number(&t, "timer_drift", c->timer_drift);
    context_number(&t, "machine.steal", c->steal);
    context_row(&t, "machine.hypervisor", c->machine.hypervisor ? "true" : "false");
    context_row(&t, "machine.smt_siblings", c->machine.smt_siblings < 0   ? "unknown"
                                            : c->machine.smt_siblings ? "true"
                                                                      : "false");
    context_row(&t, "machine.clocksource", c->machine.clocksource);
    context_number(&t, "adaptive.spin_budget_ns", c->spin_budget_ns);
    context_row(&t, "adaptive.from", c->spin_budget_from);
    context_number(&t, "repetitions", c->repetitions);
    context_number(&t, "seed", (double)c->seed);
    context_number(&t, "clock_resolution_ns", (double)c->clock_resolution_ns);
    context_number(&t, "timeout_ms", c->timeout_ms);
    char notes[PLOT_CELL_MAX] = "none";
    size_t used = 0;
    for (size_t i = 0; i < c->n_notes && used < sizeof notes; i++)
        used +=
            (size_t)snprintf(notes + used, sizeof notes - used, "%s%s", i ? "; " : "", c->notes[i]);
    context_row(&t, "notes", notes);
    table(r, &t);
}

static const char html_head[] =
    "<style>\n"
    "body { font-family: \"DejaVu Sans\", Arial, sans-serif; max-width: 1240px; margin: 2em "
    "auto; padding: 0 1em; color: #222; }\n"
    "h1 { margin-bottom: 0.2em; } .machine { color: #555; margin-top: 0; }\n"
    "table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }\n"
    "th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }\n"
    "th:first-child, td:first-child { text-align: left; } th { background: #f2f2f2; }\n"
    "figure { margin: 1em 0 2em; } figure img { width: 100%; height: auto; border: 1px solid "
    "#eee; }\n"
    "figcaption { color: #555; font-size: 0.9em; }\n"
    "td.met { color: #1a7f37; } td.unmet { color: #b42318; font-weight: bold; }\n"
    "</style></head><body>\n";

static int report(const char *path, const char *out_dir, const char *conformance)
{
    struct shl_results run;
    load(path, &run);
    char md_path[4096], html_path[4096], machine[800];
    struct report r = {create_in(out_dir, "report.md", md_path, sizeof md_path), NULL};
    r.html = create_in(out_dir, "report.html", html_path, sizeof html_path);
    machine_line(&run, machine, sizeof machine);
    fprintf(r.md, "# shmlab benchmark report\n\n%s\n\n", machine);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>shmlab "
          "benchmark report: ",
          r.html);
    plot_html_escape(machine, r.html);
    fprintf(r.html, "</title>\n%s<h1>shmlab benchmark report</h1>\n<p class=\"machine\">",
            html_head);
    plot_html_escape(machine, r.html);
    fputs("</p>\n", r.html);
    /* What the run skipped or failed changes what the tables mean: said before them. */
    for (size_t i = 0; i < run.context.n_notes; i++) {
        char text[200];
        snprintf(text, sizeof text, "Note from the run: %s", run.context.notes[i]);
        paragraph(&r, text);
    }
    /* So are the signs that the machine was noisy. */
    for (size_t i = 0; i < run.context.n_warnings; i++) {
        char text[240];
        snprintf(text, sizeof text, "Warning from the run: %s", run.context.warnings[i]);
        paragraph(&r, text);
    }
    heading(&r, "Efficiency against the floor");
    efficiency_table(&r, &run);
    fidelity_table(&r, &run);
    latency_section(&r, &run);
    wakeup_section(&r, &run);
    load_section(&r, &run);
    crosscheck_section(&r, &run);
    charts_section(&r, out_dir);
    if (conformance != NULL)
        conformance_section(&r, conformance);
    context_section(&r, &run);
    fputs("</body></html>\n", r.html);
    if (fclose(r.md) != 0)
        die("cannot write %s: %s", md_path, strerror(errno));
    if (fclose(r.html) != 0)
        die("cannot write %s: %s", html_path, strerror(errno));
    shl_results_free(&run);
    return 0;
}

static int check(const char *path, const char *conformance)
{
    struct shl_results run;
    load(path, &run);
    shl_results_free(&run);
    if (conformance != NULL)
        cJSON_Delete(read_conformance(conformance));
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: shl_plotdata check RESULTS [CONFORMANCE] | chart NAME RESULTS WORK "
                    "| report RESULTS OUT [CONFORMANCE] | compare-chart NAME A B WORK | "
                    "compare-md A B\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *command = argv[1];
    if (strcmp(command, "check") == 0 && (argc == 3 || argc == 4))
        return check(argv[2], argc == 4 ? argv[3] : NULL);
    if (strcmp(command, "chart") == 0 && argc == 5)
        return chart(argv[2], argv[3], argv[4]);
    if (strcmp(command, "report") == 0 && (argc == 4 || argc == 5))
        return report(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    if (strcmp(command, "compare-chart") == 0 && argc == 6)
        return compare_chart(argv[2], argv[3], argv[4], argv[5]);
    if (strcmp(command, "compare-md") == 0 && argc == 4)
        return compare_md(argv[2], argv[3]);
    return usage();
}
