#include "plots/plot_family.h"

#include <stdio.h>
#include <string.h>

#include "src/transport/shl_transport.h"

const struct plot_family plot_families[plot_families_n] = {
    {SHL_TRANSPORT_RING, "#0072B2"},
    {SHL_TRANSPORT_MIDDLEWARE, "#009E73"},
    {SHL_TRANSPORT_KERNEL, "#D55E00"},
    {-1, "#555555"},
};

const char *plot_family_label(size_t f)
{
    int kind = f < plot_families_n ? plot_families[f].kind : -1;
    return kind >= 0 ? shl_transport_kind_labels[kind] : "other transports";
}

size_t plot_family_of(const char *transport)
{
    const struct shl_transport *t = shl_transport_find(transport);
    size_t f = 0;
    while (f + 1 < plot_families_n && (t == NULL || plot_families[f].kind != (int)t->kind))
        f++;
    return f;
}

/* The strategies of family `f`'s series, in the order they first appear. */
static size_t strategies_of(const struct plot_series_list *list, size_t f, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++) {
        if (plot_family_of(list->series[i].transport) != f)
            continue;
        size_t at = 0;
        while (at < n && strcmp(out[at], list->series[i].notify) != 0)
            at++;
        if (at == n)
            out[n++] = list->series[i].notify;
    }
    return n;
}

static size_t series_of_strategy(const struct plot_series_list *list, size_t f,
                                 const char *strategy)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += plot_family_of(list->series[i].transport) == f &&
             strcmp(list->series[i].notify, strategy) == 0;
    return n;
}

/* A new panel of family `f` starting at order[at]. */
static struct plot_panel *open_panel(struct plot_panel *panels, size_t *n, size_t f, size_t at)
{
    struct plot_panel *p = &panels[(*n)++];
    snprintf(p->title, sizeof p->title, "%s", plot_family_label(f));
    p->first = at;
    p->n = 0;
    return p;
}

/* A panel of a family cut in several: its title names the strategies it shows. */
static void name_strategies(const struct plot_series_list *list, const size_t *order,
                            struct plot_panel *p)
{
    size_t len = strlen(p->title);
    for (size_t k = 0; k < p->n; k++) {
        const char *strategy = list->series[order[p->first + k]].notify;
        if (k > 0 && strcmp(strategy, list->series[order[p->first + k - 1]].notify) == 0)
            continue;
        len += (size_t)snprintf(p->title + len, len < sizeof p->title ? sizeof p->title - len : 0,
                                "%s%s", k ? ", " : ": ", strategy[0] ? strategy : "none");
        if (len >= sizeof p->title)
            return;
    }
}

size_t plot_panels(const struct plot_series_list *list, size_t max, size_t *order,
                   struct plot_panel *panels)
{
    const char *strategies[SHL_NOTIFY_COUNT + 2];
    size_t n_panels = 0, at = 0;
    for (size_t f = 0; f < plot_families_n; f++) {
        size_t n_strategies = strategies_of(list, f, strategies);
        if (n_strategies > sizeof strategies / sizeof strategies[0])
            n_strategies = sizeof strategies / sizeof strategies[0];
        struct plot_panel *p = NULL;
        size_t family_first = n_panels;
        for (size_t k = 0; k < n_strategies; k++) {
            size_t count = series_of_strategy(list, f, strategies[k]);
            /* A strategy's series stay together where they fit, so that a panel of a split
             * family compares mechanisms under the same strategies. */
            if (p == NULL || (p->n > 0 && p->n + count > max))
                p = open_panel(panels, &n_panels, f, at);
            for (size_t i = 0; i < list->n; i++) {
                if (plot_family_of(list->series[i].transport) != f ||
                    strcmp(list->series[i].notify, strategies[k]) != 0)
                    continue;
                if (p->n == max)
                    p = open_panel(panels, &n_panels, f, at);
                order[at++] = i;
                p->n++;
            }
        }
        if (n_panels - family_first > 1)
            for (size_t k = family_first; k < n_panels; k++)
                name_strategies(list, order, &panels[k]);
    }
    return n_panels;
}
