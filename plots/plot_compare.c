#include "plots/plot_compare.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plot_gnuplot.h"
#include "plots/plot_machine.h"
#include "plots/plot_output.h"
#include "plots/plot_table.h"

/* The rows of `benchmark`: of A, of B and of both. */
struct compare_rows {
    struct plot_rows a, b, both;
    struct plot_series_list list; /* of both */
};

static void compare_rows_free(struct compare_rows *r)
{
    plot_series_free(&r->list);
    plot_rows_free(&r->both);
    plot_rows_free(&r->a);
    plot_rows_free(&r->b);
}

static int compare_rows_of(struct compare_rows *r, const struct shl_results *a,
                           const struct shl_results *b, const char *benchmark,
                           struct shl_error *err)
{
    memset(r, 0, sizeof *r);
    if (plot_rows_of(&r->a, a, benchmark) == 0 && plot_rows_of(&r->b, b, benchmark) == 0 &&
        plot_rows_of(&r->both, a, benchmark) == 0 && plot_rows_of(&r->both, b, benchmark) == 0 &&
        plot_series_of(&r->both, &r->list) == 0)
        return 0;
    compare_rows_free(r);
    return plot_out_of_memory(err);
}

static void machine_setting(FILE *out, const struct shl_results *a, const struct shl_results *b)
{
    const struct shl_results *runs[2] = {a, b};
    char what[2][512], where[256], dates[2][20], machine[1200];
    for (int r = 0; r < 2; r++) {
        plot_machine_parts(runs[r], what[r], sizeof what[r], where, sizeof where);
        const char *date = runs[r]->context.date;
        snprintf(dates[r], sizeof dates[r], "%.16s", date[0] ? date : "undated");
        char *t = strchr(dates[r], 'T');
        if (t != NULL)
            *t = ' ';
    }
    snprintf(machine, sizeof machine, "solid A: %s, %s\ndashed B: %s, %s", what[0], dates[0],
             what[1], dates[1]);
    plot_gp_setting(out, "machine", machine);
    fputs("; ", out);
}

static int series_setting(FILE *out, const struct compare_rows *r, struct shl_error *err)
{
    size_t n = r->list.n;
    struct plot_gp_series *gp = calloc(2 * n + 1, sizeof *gp);
    if (gp == NULL)
        return plot_out_of_memory(err);
    for (size_t s = 0; s < n; s++) {
        const struct plot_series *series = &r->list.series[s];
        bool in_a = false;
        for (size_t i = 0; i < r->a.n && !in_a; i++)
            in_a = plot_series_has_key(r->a.rows[i], series->key);
        gp[s] = (struct plot_gp_series){in_a ? series->key : "-", series, 1};
        gp[n + s] = (struct plot_gp_series){in_a ? "-" : series->key, series, 2};
    }
    plot_gp_series_vars(out, gp, 2 * n);
    free(gp);
    return 0;
}

static int data_setting(FILE *out, const struct plot_chart_kind *kind, const struct compare_rows *r,
                        const char *work, struct shl_error *err)
{
    char name[64], data[4096];
    snprintf(name, sizeof name, "%s.dat", kind->benchmark);
    FILE *dat = plot_create_in(work, name, data, sizeof data, err);
    if (dat == NULL)
        return -1;
    int status = plot_gp_size_blocks(dat, &r->a, &r->list, err);
    if (status == 0)
        status = plot_gp_size_blocks(dat, &r->b, &r->list, err);
    if (plot_close_created(dat, data, err) != 0)
        status = -1;
    if (status == 0) {
        fputs("; ", out);
        plot_gp_setting(out, "data", data);
        fputs("; ", out);
    }
    return status;
}

static int reference_setting(FILE *out, const struct plot_chart_kind *kind,
                             const struct shl_results *a, const struct shl_results *b,
                             const char *work, struct shl_error *err)
{
    const struct shl_results *runs[2] = {a, b};
    char labels[2][64], files[2][64];
    struct plot_gp_floor floors[2];
    for (int r = 0; r < 2; r++) {
        snprintf(labels[r], sizeof labels[r], "%s %c", kind->floor_short, "AB"[r]);
        snprintf(files[r], sizeof files[r], "%s-%c.dat", kind->floor, "ab"[r]);
        floors[r] = (struct plot_gp_floor){kind->floor, labels[r], kind->unit,
                                           r ? "#999999" : "black", files[r]};
    }
    return plot_gp_references(out, floors, runs, 2,
                              ", NaN with lines lc rgb 'black' dt 1 lw 2 title 'run A (solid)', "
                              "NaN with lines lc rgb 'black' dt 2 lw 2 title 'run B (dashed)'",
                              work, err);
}

static int compare_settings(FILE *out, const struct plot_chart_kind *kind,
                            const struct shl_results *a, const struct shl_results *b,
                            const struct compare_rows *r, const char *work, struct shl_error *err)
{
    machine_setting(out, a, b);
    if (series_setting(out, r, err) != 0 || data_setting(out, kind, r, work, err) != 0)
        return -1;
    char title[160];
    snprintf(title, sizeof title, "%s: run A against run B", kind->compare_title);
    if (plot_gp_by_size(out, title, 0, &r->both, kind->axis, err) != 0)
        return -1;
    return reference_setting(out, kind, a, b, work, err);
}

int plot_compare_chart(const struct plot_chart_kind *kind, const struct shl_results *a,
                       const struct shl_results *b, const char *work, char **settings,
                       char *nothing, size_t nothing_len, struct shl_error *err)
{
    *settings = NULL;
    nothing[0] = '\0';
    struct compare_rows r;
    if (compare_rows_of(&r, a, b, kind->benchmark, err) != 0)
        return -1;
    int status = 0;
    struct plot_text out;
    if (r.both.n == 0)
        snprintf(nothing, nothing_len, "neither run has \"%s\" rows", kind->benchmark);
    else if ((status = plot_text_open(&out, err)) == 0) {
        status = compare_settings(out.f, kind, a, b, &r, work, err);
        status = plot_text_finish(&out, status, settings, err);
    }
    compare_rows_free(&r);
    return status;
}

/* B's p50 over A's per series and size, for every series and size both runs measured. */
static int ratio_table(FILE *out, const struct shl_results *a, const struct shl_results *b,
                       const char *benchmark, struct shl_error *err)
{
    struct compare_rows r;
    if (compare_rows_of(&r, a, b, benchmark, err) != 0)
        return -1;
    double *sizes;
    size_t n;
    struct plot_table t;
    if (plot_rows_sizes(&r.both, &sizes, &n) != 0) {
        compare_rows_free(&r);
        return plot_out_of_memory(err);
    }
    if (n + 1 > PLOT_COLS_MAX)
        n = PLOT_COLS_MAX - 1;
    const char *header[PLOT_COLS_MAX];
    char labels[PLOT_COLS_MAX][32], title[64];
    snprintf(title, sizeof title, "%s p50, B / A", benchmark);
    header[0] = title;
    for (size_t i = 0; i < n; i++)
        header[i + 1] = plot_size_label(sizes[i], labels[i], sizeof labels[i]);
    int status = plot_table_init(&t, n + 1, header);
    for (size_t s = 0; s < r.list.n && status == 0; s++) {
        const char *key = r.list.series[s].key;
        char(*row)[PLOT_CELL_MAX] = plot_table_row(&t);
        if (row == NULL) {
            status = -1;
            break;
        }
        snprintf(row[0], PLOT_CELL_MAX, "%s", key);
        for (size_t i = 0; i < n; i++) {
            const struct shl_results_row *x = plot_row_at(&r.a, key, sizes[i]);
            const struct shl_results_row *y = plot_row_at(&r.b, key, sizes[i]);
            double ratio = NAN;
            if (x && y && x->stats.p50 > 0)
                ratio = plot_base(y, "p50") / plot_base(x, "p50");
            plot_cell_ratio(row[i + 1], ratio);
        }
    }
    if (status == 0)
        plot_table_markdown(&t, out);
    else
        plot_out_of_memory(err);
    plot_table_free(&t);
    free(sizes);
    compare_rows_free(&r);
    return status;
}

int plot_compare_md(const struct shl_results *a, const char *path_a, const struct shl_results *b,
                    const char *path_b, char **text, struct shl_error *err)
{
    static const char *const benchmarks[] = {"latency", "throughput"};
    struct plot_text md;
    *text = NULL;
    if (plot_text_open(&md, err) != 0)
        return -1;
    char ma[800], mb[800];
    plot_machine_line(a, ma, sizeof ma);
    plot_machine_line(b, mb, sizeof mb);
    fprintf(md.f, "# shmlab: run B against run A\n\n- A: %s (%s)\n- B: %s (%s)\n\n", ma, path_a, mb,
            path_b);
    fprintf(md.f, "Ratios of p50, B / A: below 1× B is faster for latency; above 1× B is faster "
                  "for throughput.\n");
    int status = 0;
    for (int i = 0; i < 2 && status == 0; i++) {
        fputc('\n', md.f);
        status = ratio_table(md.f, a, b, benchmarks[i], err);
    }
    return plot_text_finish(&md, status, text, err);
}
