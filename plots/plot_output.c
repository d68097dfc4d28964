#include "plots/plot_output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

FILE *plot_create_in(const char *dir, const char *name, char *path, size_t len,
                     struct shl_error *err)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        shl_fail(err, "fopen", errno, "cannot write %s: %s", path, strerror(errno));
    return f;
}

int plot_close_created(FILE *f, const char *path, struct shl_error *err)
{
    if (fclose(f) != 0)
        return shl_fail(err, "fclose", errno, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

int plot_out_of_memory(struct shl_error *err)
{
    return shl_fail(err, "malloc", ENOMEM, "out of memory");
}

int plot_text_open(struct plot_text *t, struct shl_error *err)
{
    t->buf = NULL;
    t->len = 0;
    t->f = open_memstream(&t->buf, &t->len);
    return t->f == NULL ? plot_out_of_memory(err) : 0;
}

int plot_text_close(struct plot_text *t, struct shl_error *err)
{
    if (t->f == NULL)
        return 0;
    int failed = fclose(t->f) != 0;
    t->f = NULL;
    if (failed) {
        free(t->buf);
        t->buf = NULL;
        return plot_out_of_memory(err);
    }
    return 0;
}

int plot_text_finish(struct plot_text *t, int status, char **text, struct shl_error *err)
{
    if (plot_text_close(t, err) != 0)
        status = -1;
    *text = status == 0 ? t->buf : NULL;
    if (status != 0)
        free(t->buf);
    return status;
}

int plot_load(const char *path, struct shl_results *run, struct shl_error *err)
{
    struct shl_error why = {0};
    if (shl_results_read(path, run, &why) == 0 && shl_results_check_complete(run, &why) == 0)
        return 0;
    shl_results_free(run);
    char text[320];
    return shl_fail(err, why.call, why.errnum, "%s: %s", path,
                    why.detail[0] ? why.detail : shl_error_text(&why, text, sizeof text));
}
