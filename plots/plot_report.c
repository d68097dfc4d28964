#include "plots/plot_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plots/plot_charts.h"
#include "plots/plot_conformance.h"
#include "plots/plot_machine.h"
#include "plots/plot_output.h"
#include "plots/plot_series.h"

void plot_report_heading(struct plot_report *r, const char *text)
{
    fprintf(r->md, "## %s\n\n", text);
    fputs("<h2>", r->html);
    plot_html_escape(text, r->html);
    fputs("</h2>\n", r->html);
}

void plot_report_paragraph(struct plot_report *r, const char *text)
{
    fprintf(r->md, "%s\n\n", text);
    fputs("<p>", r->html);
    plot_html_escape(text, r->html);
    fputs("</p>\n", r->html);
}

void plot_report_table(struct plot_report *r, struct plot_table *t)
{
    plot_table_markdown(t, r->md);
    fputc('\n', r->md);
    plot_table_html(t, r->html);
    plot_table_free(t);
}

void plot_report_out_of_memory(struct plot_report *r)
{
    if (!r->failed)
        plot_out_of_memory(r->err);
    r->failed = true;
}

void plot_report_new_table(struct plot_report *r, struct plot_table *t, size_t cols,
                           const char *const *header)
{
    if (plot_table_init(t, cols, header) != 0)
        plot_report_out_of_memory(r);
}

char (*plot_report_row(struct plot_report *r, struct plot_table *t))[PLOT_CELL_MAX]
{
    char(*row)[PLOT_CELL_MAX] = plot_table_row(t);
    if (row != NULL)
        return row;
    plot_report_out_of_memory(r);
    return r->scratch;
}

/* The rows of `benchmark` in the report's run; out of memory is recorded in `r`. */
static struct plot_rows rows_of(struct plot_report *r, const char *benchmark)
{
    struct plot_rows rows = {0};
    if (plot_rows_of(&rows, r->run, benchmark) != 0)
        plot_report_out_of_memory(r);
    return rows;
}

static struct plot_series_list series_of(struct plot_report *r, const struct plot_rows *rows)
{
    struct plot_series_list list = {0};
    if (plot_series_of(rows, &list) != 0)
        plot_report_out_of_memory(r);
    return list;
}

static const struct shl_results_row *best_at(const struct plot_rows *rows, double size,
                                             bool blocking, enum shl_results_better better)
{
    const struct shl_results_row *best = NULL;
    for (size_t i = 0; i < rows->n; i++) {
        const struct shl_results_row *row = rows->rows[i];
        double p50 = plot_base(row, "p50");
        if ((double)row->size != size || !shl_results_is_shm(row->transport) || isnan(p50) ||
            (blocking && shl_notify_spins(row->notify)))
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
static void efficiency_row(struct plot_report *r, struct plot_table *t,
                           const struct shl_results_target *target, const char *what,
                           const struct shl_results_row *best, const char *reference_text,
                           double reference, double ratio, const char *unit)
{
    char(*row)[PLOT_CELL_MAX] = plot_report_row(r, t);
    char key[48] = "not measured", size[32];
    if (best != NULL)
        plot_series_key(best, key, sizeof key);
    snprintf(row[0], PLOT_CELL_MAX, "%s at %s (%s) / %s", what,
             plot_size_label(target->size, size, sizeof size), key, reference_text);
    plot_cell_quantity(row[1], best ? plot_base(best, "p50") : NAN, unit);
    plot_cell_quantity(row[2], reference, unit);
    plot_cell_ratio(row[3], ratio);
    shl_results_target_text(target, row[4], PLOT_CELL_MAX);
    const char *why = shl_results_why_missed(target);
    if (isnan(ratio))
        snprintf(row[5], PLOT_CELL_MAX, "not measured");
    else if (shl_results_target_met(target, ratio))
        snprintf(row[5], PLOT_CELL_MAX, "met");
    else
        snprintf(row[5], PLOT_CELL_MAX, "not met%s%s", why ? ": " : "", why ? why : "");
}

static void efficiency_section(struct plot_report *r)
{
    plot_report_heading(r, "Efficiency against the floor");
    static const char *const header[] = {"measure", "value",  "reference",
                                         "ratio",   "target", "verdict"};
    struct plot_table t;
    plot_report_new_table(r, &t, 6, header);
    struct plot_rows latency = rows_of(r, "latency");
    struct plot_rows floor = rows_of(r, "floor");
    struct plot_rows throughput = rows_of(r, "throughput");
    const struct shl_results_target *line = &shl_results_efficiency[0];
    const struct shl_results_target *blocking = &shl_results_efficiency[1];
    const struct shl_results_target *memcpy_share = &shl_results_efficiency[2];
    const struct shl_results_target *in_place_share = &shl_results_efficiency[3];

    /* The floor of the row's own moment where the run measured one around it. */
    const struct shl_results_row *fast = best_at(&latency, line->size, false, SHL_RESULTS_LOWER);
    const struct shl_results_row *cacheline = first_of(&floor, "cacheline", -1);
    double floor_p50 = fast && !isnan(fast->floor_line_ns) ? fast->floor_line_ns * 1e-9
                       : cacheline                         ? plot_base(cacheline, "p50")
                                                           : NAN;
    efficiency_row(r, &t, line, "best shared-memory p50", fast, "cache-line floor p50", floor_p50,
                   fast ? fast->ratio : NAN, "s");

    const struct shl_results_row *slow = best_at(&latency, blocking->size, true, SHL_RESULTS_LOWER);
    const struct shl_results_row *pipe = first_of(&latency, "pipe", blocking->ref_size);
    double ratio = slow && pipe ? plot_base(slow, "p50") / plot_base(pipe, "p50") : NAN;
    efficiency_row(r, &t, blocking, "best blocking shared-memory p50", slow, "pipe p50",
                   pipe ? plot_base(pipe, "p50") : NAN, ratio, "s");

    const struct shl_results_row *top = best_at(&throughput, memcpy_share->size, false,
                                                SHL_RESULTS_HIGHER);
    const struct shl_results_row *copy = first_of(&floor, "memcpy", memcpy_share->size);
    efficiency_row(r, &t, memcpy_share, "best shared-memory throughput", top, "memcpy bandwidth",
                   copy ? plot_base(copy, "p50") : NAN, top ? top->ratio : NAN, "B/s");

    struct plot_rows streamed = rows_of(r, "zerocopy-throughput");
    const struct shl_results_row *in_place_top = best_at(&streamed, in_place_share->size, false,
                                                         SHL_RESULTS_HIGHER);
    efficiency_row(r, &t, in_place_share, "best zero-copy throughput", in_place_top,
                   "memcpy bandwidth", copy ? plot_base(copy, "p50") : NAN,
                   in_place_top ? in_place_top->ratio : NAN, "B/s");
    plot_rows_free(&streamed);

    struct plot_rows zero = rows_of(r, "zerocopy");
    const struct shl_results_target *zc = &shl_results_zero_copy;
    const struct shl_results_row *in_place = best_at(&zero, zc->size, false, SHL_RESULTS_LOWER);
    const struct shl_results_row *copying = best_at(&latency, zc->ref_size, false,
                                                    SHL_RESULTS_LOWER);
    ratio = in_place && copying ? plot_base(in_place, "p50") / plot_base(copying, "p50") : NAN;
    efficiency_row(r, &t, zc, "best zero-copy p50", in_place, "best copying p50",
                   copying ? plot_base(copying, "p50") : NAN, ratio, "s");
    plot_rows_free(&zero);

    const struct shl_results_target *worth = &shl_results_against_iceoryx[0];
    const struct shl_results_row *ring = best_at(&latency, worth->size, false, SHL_RESULTS_LOWER);
    const struct shl_results_row *iceoryx = first_of(&latency, "iceoryx", worth->size);
    ratio = ring && iceoryx ? plot_base(ring, "p50") / plot_base(iceoryx, "p50") : NAN;
    efficiency_row(r, &t, worth, "best shared-memory p50", ring, "iceoryx p50",
                   iceoryx ? plot_base(iceoryx, "p50") : NAN, ratio, "s");
    plot_report_table(r, &t);
    plot_rows_free(&latency);
    plot_rows_free(&floor);
    plot_rows_free(&throughput);
}

/* The sizes a reader usually asks about, as far as the run measured them. */
static size_t table_sizes(struct plot_report *r, const struct plot_rows *rows, double *out)
{
    static const double usual[] = {64, 4096, 65536, 1048576};
    double *have;
    size_t n_have, n = 0;
    if (plot_rows_sizes(rows, &have, &n_have) != 0) {
        plot_report_out_of_memory(r);
        return 0;
    }
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

/* A row that waits for its message without burning a core: not a spinning ring, not
 * iceoryx's busy-polling receiver. */
static bool sleeps(const struct shl_results_row *row)
{
    return !shl_notify_spins(row->notify) && strcmp(row->transport, "iceoryx") != 0;
}

/* The row at `size` with the least `stat` among `rows` (sleeping ones only when asked). */
static const struct shl_results_row *least_at(const struct plot_rows *rows, double size,
                                              const char *stat, bool sleeping_only)
{
    const struct shl_results_row *best = NULL;
    for (size_t i = 0; i < rows->n; i++) {
        const struct shl_results_row *row = rows->rows[i];
        double v = plot_base(row, stat);
        if ((double)row->size != size || isnan(v) || (sleeping_only && !sleeps(row)))
            continue;
        if (best == NULL || v < plot_base(best, stat))
            best = row;
    }
    return best;
}

/* "posix/spin 146 ns, 0.01x" into cell: a choice, its figure, and that figure as a multiple
 * of the UNIX socket's. */
static void choice_cell(char *cell, const struct shl_results_row *choice, const char *stat,
                        const struct shl_results_row *socket)
{
    if (choice == NULL) {
        snprintf(cell, PLOT_CELL_MAX, "not measured");
        return;
    }
    char key[48], quantity[32], ratio[32] = "";
    plot_series_key(choice, key, sizeof key);
    plot_cell_quantity(quantity, plot_base(choice, stat), "s");
    double ref = socket ? plot_base(socket, stat) : NAN;
    if (!isnan(ref) && ref > 0)
        snprintf(ratio, sizeof ratio, ", %.2gx", plot_base(choice, stat) / ref);
    snprintf(cell, PLOT_CELL_MAX, "%s %s%s", key, quantity, ratio);
}

/* The answer first: for the usual sizes and two kinds of need, the fastest choice and the
 * one cheapest in CPU per round trip, each also as a multiple of a UNIX stream socket of the
 * same run. */
static void decision_section(struct plot_report *r)
{
    struct plot_rows rows = rows_of(r, "latency");
    double have[4], sizes[4] = {0};
    size_t n = table_sizes(r, &rows, have);
    /* "up to 256 B": the largest small size the run measured. */
    double *all;
    size_t n_all;
    if (rows.n == 0 || plot_rows_sizes(&rows, &all, &n_all) != 0) {
        plot_rows_free(&rows);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n_all; i++)
        if (all[i] <= 256)
            sizes[0] = all[i];
    free(all);
    k = sizes[0] > 0 ? 1 : 0;
    for (size_t i = 0; i < n; i++)
        if (have[i] > 256 && k < 4)
            sizes[k++] = have[i];
    plot_report_heading(r, "Which mechanism to use");
    plot_report_paragraph(
        r, "Round trips of this run. Latency-critical with a core to spare: every transport and "
           "strategy, spinning ones included. Low rate, CPU matters: only those that sleep while "
           "they wait (no spinning ring, not iceoryx's busy-polling receiver). Each choice is "
           "also given as a multiple of a UNIX stream socket's figure at the same size; CPU is "
           "both processes' time per round trip.");
    static const char *const header[] = {"message size", "need", "fastest (p50)",
                                         "cheapest (CPU per round trip)"};
    struct plot_table t;
    plot_report_new_table(r, &t, 4, header);
    static const char *const needs[] = {"latency-critical, a core to spare",
                                        "low rate, CPU matters"};
    for (size_t i = 0; i < k; i++) {
        const struct shl_results_row *socket = first_of(&rows, "unix-stream", sizes[i]);
        for (int need = 0; need < 2; need++) {
            char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
            char size[32];
            plot_size_label(sizes[i], size, sizeof size);
            snprintf(row[0], PLOT_CELL_MAX, "%s%s", i == 0 ? "up to 256 B: " : "", size);
            snprintf(row[1], PLOT_CELL_MAX, "%s", needs[need]);
            choice_cell(row[2], least_at(&rows, sizes[i], "p50", need == 1), "p50", socket);
            choice_cell(row[3], least_at(&rows, sizes[i], "cpu_ns_per_msg", need == 1),
                        "cpu_ns_per_msg", socket);
        }
    }
    plot_report_table(r, &t);
    plot_rows_free(&rows);
}

/* One publisher, N subscribers: each one's one-way latency, the slowest subscriber's, and
 * what publishing costs. */
static void fanout_section(struct plot_report *r)
{
    struct plot_rows rows = rows_of(r, "fanout");
    if (rows.n == 0) {
        plot_rows_free(&rows);
        return;
    }
    plot_report_heading(r, "Fan-out: one publisher, N subscribers");
    plot_report_paragraph(
        r, "One-way latency from the publisher's CLOCK_MONOTONIC stamp to each subscriber's "
           "reading, messages 100 us apart; the slowest subscriber is the one with the highest "
           "p99; publish is the time inside the publish call, CPU the publisher's per message.");
    static const char *const header[] = {"transport",         "subscribers", "p50 / p99",
                                         "slowest p50 / p99", "publish",     "publisher CPU"};
    struct plot_table t;
    plot_report_new_table(r, &t, 6, header);
    for (size_t i = 0; i < rows.n; i++) {
        const struct shl_results_row *f = rows.rows[i];
        char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
        plot_series_key(f, row[0], PLOT_CELL_MAX);
        snprintf(row[1], PLOT_CELL_MAX, "%u", f->subscribers);
        plot_cell_pair(row[2], plot_base(f, "p50"), plot_base(f, "p99"), "s");
        plot_cell_pair(row[3], plot_base(f, "slowest_p50"), plot_base(f, "slowest_p99"), "s");
        plot_cell_quantity(row[4], plot_base(f, "publish_ns"), "s");
        plot_cell_quantity(row[5], plot_base(f, "cpu_ns_per_msg_a"), "s");
    }
    plot_report_table(r, &t);
    plot_rows_free(&rows);
}

/* Which sizes of series `key` were timed in batches, per batch length ("pipe: batch 8 at
 * 64 B, 4 KiB"), "; " between series. */
static void batched_sizes(FILE *b, const struct plot_rows *rows, const char *key,
                          bool *first_series)
{
    unsigned done[64];
    size_t n_done = 0;
    bool first_batch = true;
    for (;;) {
        unsigned next = 0;
        for (size_t i = 0; i < rows->n; i++) {
            unsigned batch = rows->rows[i]->batch;
            bool seen = false;
            for (size_t d = 0; d < n_done; d++)
                seen = seen || done[d] == batch;
            if (batch > 1 && !seen && plot_series_has_key(rows->rows[i], key) &&
                (!next || batch < next))
                next = batch;
        }
        if (next == 0 || n_done == 64)
            break;
        done[n_done++] = next;
        fprintf(b, "%s%s", first_batch ? (*first_series ? "" : "; ") : "; ",
                first_batch ? key : "");
        fprintf(b, "%sbatch %u at ", first_batch ? ": " : "", next);
        bool first_size = true;
        for (size_t i = 0; i < rows->n; i++) {
            char label[32];
            if (rows->rows[i]->batch == next && plot_series_has_key(rows->rows[i], key)) {
                fprintf(b, "%s%s", first_size ? "" : ", ",
                        plot_size_label((double)rows->rows[i]->size, label, sizeof label));
                first_size = false;
            }
        }
        first_batch = false;
        *first_series = false;
    }
}

/* Percentiles of batch means understate the tail: said under the table. */
static void batched_note(struct plot_report *r, const struct plot_rows *rows,
                         const struct plot_series_list *list)
{
    struct plot_text batched;
    if (plot_text_open(&batched, r->err) != 0) {
        r->failed = true;
        return;
    }
    bool first_series = true;
    for (size_t s = 0; s < list->n; s++)
        batched_sizes(batched.f, rows, list->series[s].key, &first_series);
    if (plot_text_close(&batched, r->err) != 0) {
        r->failed = true;
        return;
    }
    char *text;
    if (batched.buf[0] == '\0') {
    } else if (asprintf(&text,
                        "Timed in batches, where one round trip is too short for the clock: %s. "
                        "Their percentiles are percentiles of batch means and understate the "
                        "tail.",
                        batched.buf) < 0) {
        plot_report_out_of_memory(r);
    } else {
        plot_report_paragraph(r, text);
        free(text);
    }
    free(batched.buf);
}

static void latency_section(struct plot_report *r)
{
    plot_report_heading(r, "Round-trip latency, p50 / p99");
    struct plot_rows rows = rows_of(r, "latency");
    struct plot_series_list list = series_of(r, &rows);
    double sizes[4];
    size_t n = table_sizes(r, &rows, sizes);
    const char *header[5] = {"transport"};
    char labels[4][32];
    for (size_t i = 0; i < n; i++)
        header[i + 1] = plot_size_label(sizes[i], labels[i], sizeof labels[i]);
    struct plot_table t;
    plot_report_new_table(r, &t, n + 1, header);
    for (size_t s = 0; s < list.n; s++) {
        const char *key = list.series[s].key;
        char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", key);
        for (size_t i = 0; i < n; i++) {
            const struct shl_results_row *at = plot_row_at(&rows, key, sizes[i]);
            if (at == NULL)
                snprintf(row[i + 1], PLOT_CELL_MAX, "–");
            else
                plot_cell_pair(row[i + 1], plot_base(at, "p50"), plot_base(at, "p99"), "s");
        }
    }
    plot_report_table(r, &t);
    batched_note(r, &rows, &list);
    plot_series_free(&list);
    plot_rows_free(&rows);
}

/* The measured latency size nearest 64 B on a log scale. */
static double small_size(struct plot_report *r, const struct plot_rows *rows)
{
    double *sizes, best = 64, distance = INFINITY;
    size_t n;
    if (plot_rows_sizes(rows, &sizes, &n) != 0) {
        plot_report_out_of_memory(r);
        return best;
    }
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

/* The whole tail at the size nearest 64 B: every sample is one round trip, so these are
 * percentiles of round trips. p99.99 needs 10^4 samples; n says how many there were. */
static void tails_section(struct plot_report *r)
{
    struct plot_rows rows = rows_of(r, "latency");
    struct plot_series_list list = series_of(r, &rows);
    double size = small_size(r, &rows);
    char label[32], text[200];
    snprintf(text, sizeof text, "Round-trip tails at %s, each sample one round trip",
             plot_size_label(size, label, sizeof label));
    if (rows.n > 0) {
        plot_report_heading(r, text);
        plot_report_paragraph(
            r, "p99.99 is shown only from 10^4 samples on; below that it would be the max.");
        static const char *const header[] = {"transport", "p99", "p99.9", "p99.99", "max", "n"};
        struct plot_table t;
        plot_report_new_table(r, &t, 6, header);
        static const char *const stats[] = {"p99", "p999", "p9999", "max"};
        for (size_t s = 0; s < list.n; s++) {
            const struct shl_results_row *at = plot_row_at(&rows, list.series[s].key, size);
            if (at == NULL)
                continue;
            char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
            snprintf(row[0], PLOT_CELL_MAX, "%s", list.series[s].key);
            for (int k = 0; k < 4; k++)
                plot_cell_quantity(row[k + 1], plot_base(at, stats[k]), "s");
            snprintf(row[5], PLOT_CELL_MAX, "%zu", at->stats.n);
        }
        plot_report_table(r, &t);
    }
    plot_series_free(&list);
    plot_rows_free(&rows);
}

static int descending(const void *a, const void *b)
{
    return -plot_ascending(a, b);
}

static void wakeup_section(struct plot_report *r)
{
    struct plot_rows rows = rows_of(r, "wakeup");
    if (rows.n == 0) {
        plot_rows_free(&rows);
        return;
    }
    plot_report_heading(
        r, "Wake-up latency at low rates: p50 / the serving peer's CPU time per message");
    plot_report_paragraph(
        r, "A blocking strategy pays for the wake-up; a spinning peer burns a whole core "
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
    plot_report_new_table(r, &t, n + 1, header);
    struct plot_series_list list = series_of(r, &rows);
    for (size_t s = 0; s < list.n; s++) {
        char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", list.series[s].key);
        for (size_t i = 0; i < n; i++) {
            const struct shl_results_row *at = NULL;
            for (size_t k = 0; k < rows.n && at == NULL; k++)
                if (plot_series_has_key(rows.rows[k], list.series[s].key) &&
                    rows.rows[k]->rate_hz == rates[i])
                    at = rows.rows[k];
            if (at == NULL)
                snprintf(row[i + 1], PLOT_CELL_MAX, "–");
            else
                plot_cell_pair(row[i + 1], plot_base(at, "p50"), at->cpu_ns_per_msg_b * 1e-9, "s");
        }
    }
    plot_report_table(r, &t);
    plot_series_free(&list);
    plot_rows_free(&rows);
}

/* The highest and the first unreached offered rate of series `key`, first repetition. */
static void ladder_ends(const struct plot_rows *rows, const char *key, double *reached,
                        double *short_at)
{
    *reached = *short_at = NAN;
    for (size_t i = 0; i < rows->n; i++) {
        const struct shl_results_row *at = rows->rows[i];
        if (at->repetition != 0 || !plot_series_has_key(at, key))
            continue;
        if (at->reached == 1 && !(at->offered_hz <= *reached))
            *reached = at->offered_hz;
        if (at->reached == 0 && !(at->offered_hz >= *short_at))
            *short_at = at->offered_hz;
    }
}

/* Each transport's ladder: the highest offered rate it reached (95% of it achieved), the
 * first it did not, and p50 / p99 from the intended send time at the fixed rates. */
static void load_section(struct plot_report *r)
{
    struct plot_rows rows = rows_of(r, "load");
    if (rows.n == 0) {
        plot_rows_free(&rows);
        return;
    }
    plot_report_heading(r, "Latency under offered load (from the intended send time)");
    plot_report_paragraph(
        r, "An open-loop sender keeps its schedule whatever the replies do; each message's "
           "latency counts from when it was due, so a stall counts against every message due "
           "during it. A transport saturates between the highest rate it reached and the first "
           "it did not; higher rates are not offered.");
    static const double fixed[] = {1e3, 1e4, 1e5, 1e6};
    static const char *const header[] = {
        "transport", "reached up to", "not reached at", "1k/s", "10k/s", "100k/s", "1M/s"};
    struct plot_table t;
    plot_report_new_table(r, &t, 7, header);
    struct plot_series_list list = series_of(r, &rows);
    for (size_t s = 0; s < list.n; s++) {
        const char *key = list.series[s].key;
        double reached, short_at;
        ladder_ends(&rows, key, &reached, &short_at);
        char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
        char number[40];
        snprintf(row[0], PLOT_CELL_MAX, "%s", key);
        snprintf(row[1], PLOT_CELL_MAX, "%s",
                 isnan(reached) ? "none" : plot_number(reached, number, sizeof number));
        snprintf(row[2], PLOT_CELL_MAX, "%s",
                 isnan(short_at) ? "every rate offered was reached"
                                 : plot_number(short_at, number, sizeof number));
        for (int k = 0; k < 4; k++) {
            const struct shl_results_row *at = NULL;
            for (size_t i = 0; i < rows.n && at == NULL; i++)
                if (rows.rows[i]->repetition == 0 && plot_series_has_key(rows.rows[i], key) &&
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
    plot_report_table(r, &t);
    plot_series_free(&list);
    plot_rows_free(&rows);
}

/* The median over the repetitions of one configuration (rate NaN: any) of its `stat` in base
 * units, where "cpu_b" is the serving peer's CPU time per message, and the interleaved
 * ratios are the row's own (to the reference measured between its slices); NaN when not
 * measured.
 * With repetitions in a random order, the median is what drift moves least. */
static double median_of(const struct plot_rows *rows, const char *transport,
                        enum shl_notify_kind notify, double size, double rate, const char *stat)
{
    enum { most = 128 };
    double values[most];
    size_t n = 0;
    for (size_t i = 0; i < rows->n && n < most; i++) {
        const struct shl_results_row *row = rows->rows[i];
        if (strcmp(row->transport, transport) != 0 || row->notify != notify ||
            (double)row->size != size || !(isnan(rate) || row->rate_hz == rate))
            continue;
        double v = strcmp(stat, "cpu_b") == 0                     ? row->cpu_ns_per_msg_b * 1e-9
                   : strcmp(stat, "interleaved_ratio") == 0       ? row->interleaved_ratio
                   : strcmp(stat, "interleaved_cpu_b_ratio") == 0 ? row->interleaved_cpu_b_ratio
                                                                  : plot_base(row, stat);
        if (!isnan(v))
            values[n++] = v;
    }
    if (n == 0)
        return NAN;
    qsort(values, n, sizeof *values, plot_ascending);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void fidelity_row(struct plot_report *r, struct plot_table *t, const char *measure,
                         double value, double reference, double limit, const char *remark)
{
    double ratio = value / reference;
    char(*row)[PLOT_CELL_MAX] = plot_report_row(r, t);
    snprintf(row[0], PLOT_CELL_MAX, "%s", measure);
    plot_cell_quantity(row[1], value, "s");
    plot_cell_quantity(row[2], reference, "s");
    plot_cell_ratio(row[3], ratio);
    snprintf(row[4], PLOT_CELL_MAX, "at most %g×", limit);
    snprintf(row[5], PLOT_CELL_MAX, "%s%s",
             isnan(ratio)     ? "not measured"
             : ratio <= limit ? "met"
                              : "not met",
             remark);
}

/* The adaptive strategy against spin and futex, on one mechanism. */
static void adaptive_rows(struct plot_report *r, struct plot_table *t,
                          const struct plot_rows *latency, const struct plot_rows *wakeup,
                          const char *mech)
{
    /* Both against the reference measured in the slices between adaptive's own (the rows'
     * interleaved_ratio), not the spin and futex rows, which met the machine at other
     * moments: the vCPUs' placement alone can triple a round trip. */
    double adaptive = median_of(latency, mech, SHL_NOTIFY_ADAPTIVE, 64, NAN, "p50");
    double to_spin = median_of(latency, mech, SHL_NOTIFY_ADAPTIVE, 64, NAN, "interleaved_ratio");
    if (isnan(adaptive))
        return;
    char what[160];
    snprintf(what, sizeof what, "%s/adaptive round trip at 64 B / spin, same moments", mech);
    fidelity_row(r, t, what, adaptive, adaptive / to_spin, shl_results_adaptive_spin_max, "");
    snprintf(what, sizeof what,
             "%s/adaptive serving peer's CPU per message at 100 Hz / futex, same moments", mech);
    double cpu = median_of(wakeup, mech, SHL_NOTIFY_ADAPTIVE, 64, 100, "cpu_b");
    double cpu_to_futex = median_of(wakeup, mech, SHL_NOTIFY_ADAPTIVE, 64, 100,
                                    "interleaved_cpu_b_ratio");
    fidelity_row(r, t, what, cpu, cpu / cpu_to_futex, shl_results_adaptive_idle_cpu_max, "");
    double wake = median_of(wakeup, mech, SHL_NOTIFY_ADAPTIVE, 64, 10000, "p50");
    double to_futex = median_of(wakeup, mech, SHL_NOTIFY_ADAPTIVE, 64, 10000, "interleaved_ratio");
    snprintf(what, sizeof what, "%s/adaptive wake-up p50 at 10 kHz / futex, same moments", mech);
    fidelity_row(r, t, what, wake, wake / to_futex, shl_results_adaptive_wakeup_max, "");
}

/* The measurement's targets (src/results), each a ratio of two figures of this run. */
static void fidelity_section(struct plot_report *r)
{
    struct plot_rows latency = rows_of(r, "latency");
    struct plot_rows wakeup = rows_of(r, "wakeup");
    if (latency.n > 0) {
        plot_report_heading(r, "Measurement targets (ratios within this run)");
        plot_report_paragraph(
            r, "The adaptive rows compare medians over the repetitions (--repetitions); its "
               "round trip is weighed against spin's, and its wake-up and idle CPU against "
               "futex's, measured in alternating slices of the same job. The best ring is the "
               "fastest single row whose floors did not move, against the floor of its own "
               "moment.");
        static const char *const header[] = {"measure", "value",  "reference",
                                             "ratio",   "target", "verdict"};
        struct plot_table t;
        plot_report_new_table(r, &t, 6, header);
        /* The fastest ring whose floors held still around it: a moved floor compares the
         * round trip with another placement of the vCPUs. */
        const struct shl_results_row *best = NULL;
        for (size_t i = 0; i < latency.n; i++) {
            const struct shl_results_row *row = latency.rows[i];
            if (row->size == 64 && !isnan(row->floor_pair_ns) && !row->floor_moved &&
                (best == NULL || row->stats.p50 < best->stats.p50))
                best = row;
        }
        if (best == NULL)
            best = best_at(&latency, 64, false, SHL_RESULTS_LOWER);
        char what[160], key[48] = "none";
        if (best != NULL)
            plot_series_key(best, key, sizeof key);
        snprintf(what, sizeof what, "best ring round trip at 64 B (%s) / line-per-direction floor",
                 key);
        fidelity_row(r, &t, what, best ? plot_base(best, "p50") : NAN,
                     best ? best->floor_pair_ns * 1e-9 : NAN, shl_results_pair_floor_max,
                     best && best->floor_moved ? " (the floor moved during it)" : "");
        /* Each shared-memory transport the run measured, once, in the rows' order. */
        for (size_t i = 0; i < latency.n; i++) {
            const char *transport = latency.rows[i]->transport;
            bool seen = !shl_results_is_shm(transport);
            for (size_t j = 0; j < i && !seen; j++)
                seen = strcmp(latency.rows[j]->transport, transport) == 0;
            if (!seen)
                adaptive_rows(r, &t, &latency, &wakeup, transport);
        }
        const struct shl_results_context *c = &r->run->context;
        snprintf(what, sizeof what, "the clock's cost per sample (%s) / the fastest p50", c->clock);
        fidelity_row(r, &t, what, c->timer_overhead_ns * 1e-9, c->fastest_p50_ns * 1e-9,
                     shl_results_clock_share_max, "");
        plot_report_table(r, &t);
    }
    plot_rows_free(&latency);
    plot_rows_free(&wakeup);
}

static void crosscheck_section(struct plot_report *r)
{
    struct plot_rows rows = rows_of(r, "crosscheck");
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
    plot_report_heading(r, "The measurement checked against a plain ping-pong");
    snprintf(text, sizeof text,
             "An independent plain ping-pong (straight read/write loops) run interleaved with "
             "shmlab's own loop on the same transport and size; the two must agree (plain / "
             "shmlab between %g and %g), or the benchmark measures its own overhead rather than "
             "the transport's.",
             lower->limit, upper->limit);
    plot_report_paragraph(r, text);
    static const char *const header[] = {"transport", "size", "plain ping-pong p50",
                                         "plain / shmlab (interleaved)", "verdict"};
    struct plot_table t;
    plot_report_new_table(r, &t, 5, header);
    const struct shl_results_row **sorted = calloc(rows.n + 1, sizeof *sorted);
    if (sorted == NULL) {
        plot_report_out_of_memory(r);
        plot_table_free(&t);
        plot_rows_free(&rows);
        return;
    }
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
        char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
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
    plot_report_table(r, &t);
    plot_rows_free(&rows);
}

static void base64(FILE *in, FILE *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char b[3];
    size_t got;
    while ((got = fread(b, 1, 3, in)) > 0) {
        unsigned v = (unsigned)b[0] << 16 | (got > 1 ? (unsigned)b[1] << 8 : 0) |
                     (got > 2 ? b[2] : 0);
        fputc(digits[v >> 18 & 63], out);
        fputc(digits[v >> 12 & 63], out);
        fputc(got > 1 ? digits[v >> 6 & 63] : '=', out);
        fputc(got > 2 ? digits[v & 63] : '=', out);
    }
}

static void charts_section(struct plot_report *r)
{
    plot_report_heading(r, "Charts");
    for (size_t i = 0; i < plot_charts_n; i++) {
        char path[4096], text[256];
        snprintf(path, sizeof path, "%s/%s.svg", r->out_dir, plot_charts[i].name);
        struct stat st;
        FILE *svg = stat(path, &st) == 0 && st.st_size > 0 ? fopen(path, "rb") : NULL;
        if (svg == NULL) {
            snprintf(text, sizeof text, "%s: not drawn, the results hold no rows for it.",
                     plot_charts[i].caption);
            plot_report_paragraph(r, text);
            continue;
        }
        fprintf(r->md, "### %s\n\n![%s](%s.png) ([SVG](%s.svg))\n\n", plot_charts[i].caption,
                plot_charts[i].caption, plot_charts[i].name, plot_charts[i].name);
        fputs("<figure><img alt=\"", r->html);
        plot_html_escape(plot_charts[i].caption, r->html);
        fputs("\" src=\"data:image/svg+xml;base64,", r->html);
        base64(svg, r->html);
        fclose(svg);
        fputs("\">\n<figcaption>", r->html);
        plot_html_escape(plot_charts[i].caption, r->html);
        fputs("</figcaption></figure>\n", r->html);
    }
}

static void context_row(struct plot_report *r, struct plot_table *t, const char *field,
                        const char *value)
{
    char(*row)[PLOT_CELL_MAX] = plot_report_row(r, t);
    snprintf(row[0], PLOT_CELL_MAX, "%s", field);
    snprintf(row[1], PLOT_CELL_MAX, "%s", value);
}

static void context_number(struct plot_report *r, struct plot_table *t, const char *field,
                           double value)
{
    char buf[40];
    context_row(r, t, field, isnan(value) ? "–" : plot_number(value, buf, sizeof buf));
}

static void context_section(struct plot_report *r)
{
    plot_report_heading(r, "Machine and run");
    const struct shl_results_context *c = &r->run->context;
    static const char *const header[] = {"field", "value"};
    struct plot_table t;
    plot_report_new_table(r, &t, 2, header);
    context_number(r, &t, "schema_version", c->schema_version);
    context_row(r, &t, "host", c->host);
    context_row(r, &t, "kernel", c->kernel);
    context_row(r, &t, "cpu_model", c->cpu_model);
    context_number(r, &t, "cpus", c->cpus);
    if (r->run->has_pinning) {
        context_row(r, &t, "pinning.pinned", c->pinned ? "true" : "false");
        context_number(r, &t, "pinning.cpu_a", c->pinned ? c->cpu_a : NAN);
        context_number(r, &t, "pinning.cpu_b", c->pinned ? c->cpu_b : NAN);
    }
    context_number(r, &t, "buffers.pipe", (double)c->pipe_buffer);
    context_number(r, &t, "buffers.unix_stream_sndbuf", c->unix_stream_sndbuf);
    context_number(r, &t, "buffers.unix_stream_rcvbuf", c->unix_stream_rcvbuf);
    context_number(r, &t, "buffers.unix_dgram_sndbuf", c->unix_dgram_sndbuf);
    context_number(r, &t, "buffers.unix_dgram_rcvbuf", c->unix_dgram_rcvbuf);
    context_number(r, &t, "buffers.tcp_sndbuf", c->tcp_sndbuf);
    context_number(r, &t, "buffers.tcp_rcvbuf", c->tcp_rcvbuf);
    context_row(r, &t, "mode", c->mode);
    context_row(r, &t, "date", c->date);
    context_row(r, &t, "clock", c->clock);
    context_row(r, &t, "clock_why", c->clock_why);
    context_number(r, &t, "timer_overhead_ns", c->timer_overhead_ns);
    context_number(r, &t, "timer_subtracted_ns", c->timer_subtracted_ns);
    context_number(r, &t, "timer_drift", c->timer_drift);
    context_number(r, &t, "machine.steal", c->steal);
    context_row(r, &t, "machine.hypervisor", c->machine.hypervisor ? "true" : "false");
    context_row(r, &t, "machine.smt_siblings",
                c->machine.smt_siblings < 0 ? "unknown"
                : c->machine.smt_siblings   ? "true"
                                            : "false");
    context_row(r, &t, "machine.clocksource", c->machine.clocksource);
    context_number(r, &t, "adaptive.spin_budget_ns", c->spin_budget_ns);
    context_row(r, &t, "adaptive.from", c->spin_budget_from);
    context_number(r, &t, "repetitions", c->repetitions);
    context_number(r, &t, "seed", (double)c->seed);
    context_number(r, &t, "clock_resolution_ns", (double)c->clock_resolution_ns);
    context_number(r, &t, "timeout_ms", c->timeout_ms);
    char notes[PLOT_CELL_MAX] = "none";
    size_t used = 0;
    for (size_t i = 0; i < c->n_notes && used < sizeof notes; i++)
        used += (size_t)snprintf(notes + used, sizeof notes - used, "%s%s", i ? "; " : "",
                                 c->notes[i]);
    context_row(r, &t, "notes", notes);
    plot_report_table(r, &t);
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

/* What the run skipped or failed changes what the tables mean: said before them. */
static void notes_section(struct plot_report *r)
{
    for (size_t i = 0; i < r->run->context.n_notes; i++) {
        char text[200];
        snprintf(text, sizeof text, "Note from the run: %s", r->run->context.notes[i]);
        plot_report_paragraph(r, text);
    }
}

/* The signs that the machine was noisy change what every figure means: said first too. */
static void warnings_section(struct plot_report *r)
{
    for (size_t i = 0; i < r->run->context.n_warnings; i++) {
        char text[240];
        snprintf(text, sizeof text, "Warning from the run: %s", r->run->context.warnings[i]);
        plot_report_paragraph(r, text);
    }
}

/* The report, top to bottom; a section with nothing to say writes nothing. */
static void (*const sections[])(struct plot_report *r) = {
    decision_section,
    notes_section,
    warnings_section,
    efficiency_section,
    fidelity_section,
    latency_section,
    tails_section,
    wakeup_section,
    load_section,
    fanout_section,
    crosscheck_section,
    charts_section,
    plot_conformance_section,
    context_section,
};

static void head(struct plot_report *r)
{
    char machine[800];
    plot_machine_line(r->run, machine, sizeof machine);
    fprintf(r->md, "# shmlab benchmark report\n\n%s\n\n", machine);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>shmlab "
          "benchmark report: ",
          r->html);
    plot_html_escape(machine, r->html);
    fprintf(r->html, "</title>\n%s<h1>shmlab benchmark report</h1>\n<p class=\"machine\">",
            html_head);
    plot_html_escape(machine, r->html);
    fputs("</p>\n", r->html);
}

int plot_report(const struct shl_results *run, const char *out_dir, const char *conformance,
                struct shl_error *err)
{
    char md_path[4096], html_path[4096];
    struct plot_report r = {.run = run, .out_dir = out_dir, .conformance = conformance, .err = err};
    r.md = plot_create_in(out_dir, "report.md", md_path, sizeof md_path, err);
    if (r.md == NULL)
        return -1;
    r.html = plot_create_in(out_dir, "report.html", html_path, sizeof html_path, err);
    if (r.html == NULL) {
        fclose(r.md);
        return -1;
    }
    head(&r);
    for (size_t i = 0; i < sizeof sections / sizeof sections[0] && !r.failed; i++)
        sections[i](&r);
    fputs("</body></html>\n", r.html);
    struct shl_error *close_err = r.failed ? NULL : err;
    bool closed = plot_close_created(r.md, md_path, close_err) == 0;
    closed = plot_close_created(r.html, html_path, closed ? close_err : NULL) == 0 && closed;
    return r.failed || !closed ? -1 : 0;
}
