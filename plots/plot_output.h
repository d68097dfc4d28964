/* Files the tool writes into a folder, and text built in memory before it is handed over
 * whole: a failure leaves no half-written settings behind. Errors are returned as one line
 * ready to show (struct shl_error's detail). */
#ifndef SHMLAB_PLOT_OUTPUT_H
#define SHMLAB_PLOT_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "src/core/shl_error.h"
#include "src/results/shl_results.h"

/* Creates DIR/NAME for writing (its path in `path`); NULL and `err` when it cannot. */
FILE *plot_create_in(const char *dir, const char *name, char *path, size_t len,
                     struct shl_error *err);
/* Closes a file of plot_create_in; -1 and `err` when a write failed. */
int plot_close_created(FILE *f, const char *path, struct shl_error *err);

/* Text written with stdio into memory: open, write to `f`, close, then own `buf`. */
struct plot_text {
    FILE *f;
    char *buf;
    size_t len;
};
int plot_text_open(struct plot_text *t, struct shl_error *err);
/* Ends the writing; `t->buf` holds the text (free it) or is NULL after an error. */
int plot_text_close(struct plot_text *t, struct shl_error *err);

/* Closes `t` after writing that returned `status`; `*text` gets the text (free it) when
 * both went well, else NULL. Returns 0 or -1. */
int plot_text_finish(struct plot_text *t, int status, char **text, struct shl_error *err);

/* Records "out of memory" and returns -1. */
int plot_out_of_memory(struct shl_error *err);

/* Reads a complete results.json; the error names the path. */
int plot_load(const char *path, struct shl_results *run, struct shl_error *err);

#endif
