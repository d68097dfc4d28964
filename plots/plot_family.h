/* Transport families, as the transport table's kinds say (shared-memory rings, middleware,
 * kernel transports), and the panels a crowded chart is cut into: one per family, a family
 * with too many series cut between its strategies. */
#ifndef SHMLAB_PLOT_FAMILY_H
#define SHMLAB_PLOT_FAMILY_H

#include <stddef.h>

#include "plots/plot_series.h"

struct plot_family {
    int kind; /* enum shl_transport_kind; -1: a transport outside the table */
    const char *colour;
};

enum { plot_families_n = 4 };
extern const struct plot_family plot_families[plot_families_n];

/* The index in plot_families of `transport`'s family. */
size_t plot_family_of(const char *transport);

/* Family f's name: its kind's (shl_transport_kind_labels), or "other transports". */
const char *plot_family_label(size_t f);

/* The series order[first] .. order[first + n - 1] of a panel, and its title. */
struct plot_panel {
    char title[96];
    size_t first, n;
};

/* Cuts `list` into panels of at most `max` series: `order` (room for list->n) gets the
 * series indices panel by panel, `panels` (room for list->n + plot_families_n) the panels;
 * returns how many. */
size_t plot_panels(const struct plot_series_list *list, size_t max, size_t *order,
                   struct plot_panel *panels);

#endif
