#include "plots/plot_machine.h"

#include <stdio.h>

void plot_machine_parts(const struct shl_results *run, char *what, size_t what_len, char *where,
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

void plot_machine_line(const struct shl_results *run, char *buf, size_t len)
{
    char what[512], where[256];
    plot_machine_parts(run, what, sizeof what, where, sizeof where);
    snprintf(buf, len, "%s%s%s", what, where[0] ? " " : "", where);
}
