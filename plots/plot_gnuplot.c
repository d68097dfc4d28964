#include "plots/plot_gnuplot.h"

#include <math.h>
#include <stdlib.h>

#include "plots/plot_output.h"
#include "plots/plot_table.h"

/* Single quotes double inside single-quoted gnuplot strings. */
void plot_gp_str(FILE *out, const char *text)
{
    fputc('\'', out);
    for (const char *c = text; *c; c++) {
        if (*c == '\'')
            fputc('\'', out);
        fputc(*c, out);
    }
    fputc('\'', out);
}

void plot_gp_setting(FILE *out, const char *name, const char *text)
{
    fprintf(out, "%s=", name);
    plot_gp_str(out, text);
}

void plot_gp_number(FILE *out, double value)
{
    char buf[40];
    fputs(plot_number(value, buf, sizeof buf), out);
}

/* Two blank lines end a block; a series without data gets a line of NaN, because gnuplot
 * would merge the blank lines of an empty block and hand the next series' data to this one. */
void plot_gp_end_block(FILE *out, size_t lines, int columns)
{
    if (lines == 0) {
        for (int c = 0; c < columns; c++)
            fputs(c ? "\tNaN" : "NaN", out);
        fputc('\n', out);
    }
    fputs("\n\n", out);
}

void plot_gp_series_vars(FILE *out, const struct plot_gp_series *list, size_t n)
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

int plot_gp_series_of(FILE *out, const struct plot_series_list *list, char (*suffix)[32],
                      struct shl_error *err)
{
    struct plot_gp_series *gp = calloc(list->n + 1, sizeof *gp);
    char(*keys)[64] = calloc(list->n + 1, sizeof *keys);
    if (gp != NULL && keys != NULL) {
        for (size_t i = 0; i < list->n; i++) {
            snprintf(keys[i], sizeof keys[i], "%s%s", list->series[i].key, suffix ? suffix[i] : "");
            gp[i] = (struct plot_gp_series){keys[i], &list->series[i], 0};
        }
        plot_gp_series_vars(out, gp, list->n);
    }
    int status = gp != NULL && keys != NULL ? 0 : plot_out_of_memory(err);
    free(keys);
    free(gp);
    return status;
}

int plot_gp_size_blocks(FILE *out, const struct plot_rows *rows,
                        const struct plot_series_list *list, struct shl_error *err)
{
    const struct shl_results_row **sorted = calloc(rows->n + 1, sizeof *sorted);
    if (sorted == NULL)
        return plot_out_of_memory(err);
    for (size_t s = 0; s < list->n; s++) {
        size_t n = plot_rows_of_key(rows, list->series[s].key, sorted);
        for (size_t i = 0; i < n; i++) {
            plot_gp_number(out, (double)sorted[i]->size);
            fputc('\t', out);
            plot_gp_number(out, plot_base(sorted[i], "p50"));
            fputc('\t', out);
            plot_gp_number(out, plot_base(sorted[i], "p99"));
            fputc('\n', out);
        }
        plot_gp_end_block(out, n, 3);
    }
    free(sorted);
    return 0;
}

/* size_tics, size_lo and size_hi: a tic at each measured size, labelled "64 B", "4 KiB". */
static int size_axis(FILE *out, const struct plot_rows *rows, struct shl_error *err)
{
    double *sizes;
    size_t n;
    struct plot_text tics;
    if (plot_rows_sizes(rows, &sizes, &n) != 0)
        return plot_out_of_memory(err);
    if (plot_text_open(&tics, err) != 0) {
        free(sizes);
        return -1;
    }
    fputc('(', tics.f);
    for (size_t i = 0; i < n; i++) {
        char label[32], number[40];
        fprintf(tics.f, "%s\"%s\" %s", i ? ", " : "",
                plot_size_label(sizes[i], label, sizeof label),
                plot_number(sizes[i], number, sizeof number));
    }
    fputc(')', tics.f);
    int status = plot_text_close(&tics, err);
    if (status == 0) {
        char lo[40], hi[40];
        plot_gp_setting(out, "size_tics", tics.buf);
        fprintf(out, "; size_lo=%s; size_hi=%s", plot_number(n ? sizes[0] : NAN, lo, sizeof lo),
                plot_number(n ? sizes[n - 1] : NAN, hi, sizeof hi));
    }
    free(tics.buf);
    free(sizes);
    return status;
}

int plot_gp_by_size(FILE *out, const char *title, int whiskers, const struct plot_rows *rows,
                    const char *axis, struct shl_error *err)
{
    plot_gp_setting(out, "chart_title", title);
    fprintf(out, "; whiskers=%d; ", whiskers);
    if (size_axis(out, rows, err) != 0)
        return -1;
    fprintf(out, "; %s", axis);
    return 0;
}

static int floor_data(FILE *out, const struct shl_results_row **sorted, size_t n,
                      const struct plot_gp_floor *floor, const char *path)
{
    char value[40], human[48], title[160];
    if (n == 1) {
        double level = plot_base(sorted[0], "p50");
        snprintf(title, sizeof title, "%s, %s", floor->label,
                 plot_human(level, floor->unit, human, sizeof human));
        fprintf(out, ", %s with lines lc rgb \"%s\" dt 3 lw 2 title ",
                plot_number(level, value, sizeof value), floor->colour);
        plot_gp_str(out, title);
    } else if (n > 1) {
        fputs(", ", out);
        plot_gp_str(out, path);
        fprintf(out, " using 1:2 with linespoints lc rgb \"%s\" dt 3 lw 2 pt 2 title ",
                floor->colour);
        plot_gp_str(out, floor->label);
    }
    return 0;
}

int plot_gp_floor_reference(FILE *out, const struct shl_results *run,
                            const struct plot_gp_floor *floor, const char *work,
                            struct shl_error *err)
{
    struct plot_rows rows = {0};
    const struct shl_results_row **sorted = NULL;
    if (plot_rows_of(&rows, run, "floor") != 0 ||
        (sorted = calloc(rows.n + 1, sizeof *sorted)) == NULL) {
        plot_rows_free(&rows);
        return plot_out_of_memory(err);
    }
    size_t n = plot_rows_of_key(&rows, floor->transport, sorted);
    char path[4096];
    FILE *data = plot_create_in(work, floor->file, path, sizeof path, err);
    int status = data == NULL ? -1 : 0;
    for (size_t i = 0; i < n && data != NULL; i++) {
        plot_gp_number(data, (double)sorted[i]->size);
        fputc('\t', data);
        plot_gp_number(data, plot_base(sorted[i], "p50"));
        fputc('\n', data);
    }
    if (data != NULL)
        status = plot_close_created(data, path, err);
    if (status == 0)
        floor_data(out, sorted, n, floor, path);
    free(sorted);
    plot_rows_free(&rows);
    return status;
}

int plot_gp_references(FILE *out, const struct plot_gp_floor *floors,
                       const struct shl_results *const *runs, size_t n, const char *tail,
                       const char *work, struct shl_error *err)
{
    struct plot_text ref;
    if (plot_text_open(&ref, err) != 0)
        return -1;
    int status = 0;
    for (size_t i = 0; i < n && status == 0; i++)
        status = plot_gp_floor_reference(ref.f, runs[i], &floors[i], work, err);
    fputs(tail, ref.f);
    if (plot_text_close(&ref, err) != 0)
        status = -1;
    if (status == 0) {
        fputs("; ", out);
        plot_gp_setting(out, "reference", ref.buf);
    }
    free(ref.buf);
    return status;
}
