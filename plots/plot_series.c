#include "plots/plot_series.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/transport/shl_notify_kind.h"

/* Shared-memory mechanisms in cool colours, kernel transports in warm ones and grey; each
 * has its own point shape too, since mechanisms overlap where they cost the same: filled
 * for the first strategy, open for the second. What counts as shared memory is the
 * transport table's, not this list's: a transport without a look is drawn in the default. */
static const struct {
    const char *transport;
    const char *colour;
    int points[2];
} looks[] = {
    {"mmap", "#0072B2", {7, 6}},         {"sysv", "#009E73", {5, 4}},
    {"posix", "#7B3294", {15, 14}},      {"pipe", "#D55E00", {9, 9}},
    {"fifo", "#E69F00", {8, 8}},         {"unix-stream", "#8C564B", {13, 13}},
    {"unix-dgram", "#CC79A7", {12, 12}}, {"tcp", "#555555", {11, 11}},
};
#define N_LOOKS (sizeof looks / sizeof looks[0])

static size_t look_of(const char *transport)
{
    size_t i = 0;
    while (i < N_LOOKS && strcmp(looks[i].transport, transport) != 0)
        i++;
    return i;
}

/* Shared memory first, then the kernel transports with a look, then the rest. */
static int group_of(const char *transport)
{
    return shl_results_is_shm(transport) ? 0 : look_of(transport) < N_LOOKS ? 1 : 2;
}

/* Strategies in the order the table lists them, cheapest-looking first; none after them. */
static int strategy_rank(const struct shl_results_row *row)
{
    return row->notify == SHL_NOTIFY_NONE ? SHL_NOTIFY_COUNT : (int)row->notify;
}

void plot_series_key(const struct shl_results_row *row, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s", row->transport, row->notify != SHL_NOTIFY_NONE ? "/" : "",
             shl_notify_name(row->notify));
}

int plot_series_compare(const struct shl_results_row *a, const struct shl_results_row *b)
{
    int ga = group_of(a->transport), gb = group_of(b->transport);
    size_t la = look_of(a->transport), lb = look_of(b->transport);
    if (ga != gb)
        return ga - gb;
    if (la != lb)
        return la < lb ? -1 : 1;
    int by_name = strcmp(a->transport, b->transport);
    if (by_name != 0)
        return by_name;
    return strategy_rank(a) - strategy_rank(b);
}

int plot_rows_of(struct plot_rows *rows, const struct shl_results *run, const char *benchmark)
{
    const struct shl_results_row **grown = realloc(rows->rows,
                                                   (rows->n + run->n + 1) * sizeof *rows->rows);
    if (grown == NULL)
        return -1;
    rows->rows = grown;
    for (size_t i = 0; i < run->n; i++)
        if (strcmp(run->rows[i].benchmark, benchmark) == 0)
            rows->rows[rows->n++] = &run->rows[i];
    return 0;
}

void plot_rows_free(struct plot_rows *rows)
{
    free(rows->rows);
    rows->rows = NULL;
    rows->n = 0;
}

static void describe(const struct shl_results_row *row, struct plot_series *s)
{
    plot_series_key(row, s->key, sizeof s->key);
    s->transport = row->transport;
    s->notify = shl_notify_name(row->notify);
    size_t look = look_of(row->transport);
    s->colour = look < N_LOOKS ? looks[look].colour : "#17BECF";
    bool named = row->notify != SHL_NOTIFY_NONE;
    int rank = strategy_rank(row) - SHL_NOTIFY_FIRST;
    s->dash = shl_results_is_shm(row->transport) && named ? rank % 5 + 1 : 1;
    int index = named ? rank % 2 : 0;
    s->point = look < N_LOOKS ? looks[look].points[index] : 1;
}

int plot_series_of(const struct plot_rows *rows, struct plot_series_list *out)
{
    out->n = 0;
    out->series = calloc(rows->n + 1, sizeof *out->series);
    if (out->series == NULL)
        return -1;
    const struct shl_results_row **first = calloc(rows->n + 1, sizeof *first);
    if (first == NULL) {
        free(out->series);
        return -1;
    }
    for (size_t i = 0; i < rows->n; i++) {
        char key[48];
        plot_series_key(rows->rows[i], key, sizeof key);
        size_t at = 0;
        while (at < out->n && strcmp(out->series[at].key, key) != 0)
            at++;
        if (at < out->n)
            continue;
        /* Insertion in order: a series sorts by its first row. */
        while (at > 0 && plot_series_compare(rows->rows[i], first[at - 1]) < 0) {
            out->series[at] = out->series[at - 1];
            first[at] = first[at - 1];
            at--;
        }
        describe(rows->rows[i], &out->series[at]);
        first[at] = rows->rows[i];
        out->n++;
    }
    free(first);
    return 0;
}

void plot_series_free(struct plot_series_list *list)
{
    free(list->series);
    list->series = NULL;
    list->n = 0;
}

double plot_base(const struct shl_results_row *row, const char *stat)
{
    return shl_results_stat(row, stat) * shl_results_unit_scale(row->unit);
}

int plot_series_has_key(const struct shl_results_row *row, const char *key)
{
    char k[48];
    plot_series_key(row, k, sizeof k);
    return strcmp(k, key) == 0;
}

size_t plot_rows_of_key(const struct plot_rows *rows, const char *key,
                        const struct shl_results_row **out)
{
    size_t n = 0;
    for (size_t i = 0; i < rows->n; i++) {
        if (!plot_series_has_key(rows->rows[i], key))
            continue;
        size_t at = n++;
        while (at > 0 && rows->rows[i]->size < out[at - 1]->size) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = rows->rows[i];
    }
    return n;
}

const struct shl_results_row *plot_row_at(const struct plot_rows *rows, const char *key,
                                          double size)
{
    for (size_t i = 0; i < rows->n; i++)
        if ((double)rows->rows[i]->size == size && plot_series_has_key(rows->rows[i], key))
            return rows->rows[i];
    return NULL;
}

int plot_ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int plot_rows_sizes(const struct plot_rows *rows, double **sizes, size_t *n)
{
    *n = 0;
    *sizes = calloc(rows->n + 1, sizeof **sizes);
    if (*sizes == NULL)
        return -1;
    for (size_t i = 0; i < rows->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < *n && !seen; j++)
            seen = (*sizes)[j] == (double)rows->rows[i]->size;
        if (!seen)
            (*sizes)[(*n)++] = (double)rows->rows[i]->size;
    }
    qsort(*sizes, *n, sizeof **sizes, plot_ascending);
    return 0;
}
