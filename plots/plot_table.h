/* A table of text cells built row by row, written as Markdown or as HTML; and the numbers
 * in it, shown with SI prefixes ("141 ns", "9.87 GB/s") or as ratios ("1.30×"). */
#ifndef SHMLAB_PLOT_TABLE_H
#define SHMLAB_PLOT_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define PLOT_CELL_MAX 192
#define PLOT_COLS_MAX 16

struct plot_table {
    size_t cols, rows, cap; /* row 0 is the header */
    char (*cells)[PLOT_COLS_MAX][PLOT_CELL_MAX];
};

/* Starts a table with its header (`cols` names). Returns -1 when out of memory. */
int plot_table_init(struct plot_table *t, size_t cols, const char *const *header);
/* Appends an empty row and returns it (cells to fill with snprintf), or NULL. */
char (*plot_table_row(struct plot_table *t))[PLOT_CELL_MAX];
void plot_table_free(struct plot_table *t);

void plot_table_markdown(const struct plot_table *t, FILE *out);
/* Cells that state a verdict get a class: "met" or "unmet". */
void plot_table_html(const struct plot_table *t, FILE *out);

/* A quantity in base units (seconds, bytes per second) with an SI prefix and three
 * significant figures: plot_human(1.41e-7, "s") is "141 ns"; NaN is "n/a". */
const char *plot_human(double value, const char *unit, char *buf, size_t len);
/* A cell of one quantity ("–" when not measured), of two ("183 ns / 250 ns"), a ratio. */
void plot_cell_quantity(char *cell, double value, const char *unit);
void plot_cell_pair(char *cell, double a, double b, const char *unit);
void plot_cell_ratio(char *cell, double ratio);

/* "64 B", "4 KiB", "1 MiB". */
const char *plot_size_label(double size, char *buf, size_t len);
/* The shortest text that reads back as the same double (as JSON tools print numbers). */
const char *plot_number(double value, char *buf, size_t len);

void plot_html_escape(const char *text, FILE *out);

#endif
