#include "plots/plot_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int plot_table_init(struct plot_table *t, size_t cols, const char *const *header)
{
    memset(t, 0, sizeof *t);
    t->cols = cols < PLOT_COLS_MAX ? cols : PLOT_COLS_MAX;
    char(*row)[PLOT_CELL_MAX] = plot_table_row(t);
    if (row == NULL)
        return -1;
    for (size_t i = 0; i < t->cols; i++)
        snprintf(row[i], PLOT_CELL_MAX, "%s", header[i]);
    return 0;
}

char (*plot_table_row(struct plot_table *t))[PLOT_CELL_MAX]
{
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        void *cells = realloc(t->cells, cap * sizeof *t->cells);
        if (cells == NULL)
            return NULL;
        t->cells = cells;
        t->cap = cap;
    }
    memset(t->cells[t->rows], 0, sizeof t->cells[0]);
    return t->cells[t->rows++];
}

void plot_table_free(struct plot_table *t)
{
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* A '|' inside a cell would end it. */
static void markdown_cell(const char *cell, FILE *out)
{
    for (const char *c = cell; *c; c++) {
        if (*c == '|')
            fputc('\\', out);
        fputc(*c, out);
    }
}

void plot_table_markdown(const struct plot_table *t, FILE *out)
{
    for (size_t r = 0; r < t->rows; r++) {
        fputc('|', out);
        for (size_t c = 0; c < t->cols; c++) {
            fputc(' ', out);
            markdown_cell(t->cells[r][c], out);
            fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t c = 0; c < t->cols; c++)
                fputs(" --- |", out);
            fputc('\n', out);
        }
    }
}

static void escape_text(const char *text, FILE *out)
{
    for (const char *c = text; *c; c++) {
        if (*c == '&')
            fputs("&amp;", out);
        else if (*c == '<')
            fputs("&lt;", out);
        else if (*c == '>')
            fputs("&gt;", out);
        else
            fputc(*c, out);
    }
}

void plot_html_escape(const char *text, FILE *out)
{
    for (const char *c = text; *c; c++) {
        if (*c == '\'')
            fputs("&apos;", out);
        else if (*c == '"')
            fputs("&quot;", out);
        else {
            char one[2] = {*c, '\0'};
            escape_text(one, out);
        }
    }
}

static const char *verdict_class(const char *cell)
{
    if (strcmp(cell, "met") == 0 || strncmp(cell, "within ", 7) == 0)
        return " class=\"met\"";
    if (strcmp(cell, "not met") == 0 || strncmp(cell, "outside ", 8) == 0 ||
        strcmp(cell, "FAIL") == 0 || strcmp(cell, "BROKEN") == 0)
        return " class=\"unmet\"";
    return "";
}

void plot_table_html(const struct plot_table *t, FILE *out)
{
    if (t->rows == 0)
        return;
    fputs("<table><thead><tr>\n", out);
    for (size_t c = 0; c < t->cols; c++) {
        fputs("<th>", out);
        escape_text(t->cells[0][c], out);
        fputs("</th>\n", out);
    }
    fputs("</tr></thead><tbody>\n", out);
    for (size_t r = 1; r < t->rows; r++) {
        fputs("<tr>", out);
        for (size_t c = 0; c < t->cols; c++) {
            fprintf(out, "<td%s>", verdict_class(t->cells[r][c]));
            escape_text(t->cells[r][c], out);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

const char *plot_human(double value, const char *unit, char *buf, size_t len)
{
    static const char *const prefixes[] = {"p", "n", "µ", "m", "", "k", "M", "G", "T"};
    if (isnan(value)) {
        snprintf(buf, len, "n/a");
        return buf;
    }
    int exponent = 4;
    double scaled = value;
    while (scaled != 0 && fabs(scaled) < 1 && exponent > 0) {
        scaled *= 1000;
        exponent--;
    }
    while (fabs(scaled) >= 999.5 && exponent < 8) {
        scaled /= 1000;
        exponent++;
    }
    const char *format = fabs(scaled) >= 99.95   ? "%.0f %s%s"
                         : fabs(scaled) >= 9.995 ? "%.1f %s%s"
                                                 : "%.2f %s%s";
    snprintf(buf, len, format, scaled, prefixes[exponent], unit);
    return buf;
}

void plot_cell_quantity(char *cell, double value, const char *unit)
{
    if (isnan(value))
        snprintf(cell, PLOT_CELL_MAX, "–");
    else
        plot_human(value, unit, cell, PLOT_CELL_MAX);
}

void plot_cell_pair(char *cell, double a, double b, const char *unit)
{
    char x[48], y[48];
    snprintf(cell, PLOT_CELL_MAX, "%s / %s", plot_human(a, unit, x, sizeof x),
             plot_human(b, unit, y, sizeof y));
}

void plot_cell_ratio(char *cell, double ratio)
{
    if (isnan(ratio))
        snprintf(cell, PLOT_CELL_MAX, "–");
    else
        snprintf(cell, PLOT_CELL_MAX, "%.2f×", ratio);
}

const char *plot_size_label(double size, char *buf, size_t len)
{
    if (size >= 1048576 && fmod(size, 1048576) == 0)
        snprintf(buf, len, "%.0f MiB", size / 1048576);
    else if (size >= 1024 && fmod(size, 1024) == 0)
        snprintf(buf, len, "%.0f KiB", size / 1024);
    else
        snprintf(buf, len, "%s B", plot_number(size, (char[32]){0}, 32));
    return buf;
}

const char *plot_number(double value, char *buf, size_t len)
{
    if (isnan(value)) {
        snprintf(buf, len, "NaN");
        return buf;
    }
    if (value == floor(value) && fabs(value) < 1e17) {
        snprintf(buf, len, "%.0f", value);
        return buf;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, len, "%.*g", digits, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    return buf;
}
