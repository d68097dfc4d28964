#include <string.h>

#include "conformance/harness/cf_case.h"

static const struct cf_case *registry;

void cf_register(struct cf_case *c)
{
    /* Constructors run in link order; sorting keeps every listing and report stable. */
    const struct cf_case **at = &registry;
    while (*at != NULL && strcmp((*at)->id, c->id) < 0)
        at = (const struct cf_case **)&(*at)->next;
    c->next = *at;
    *at = c;
}

const struct cf_case *cf_cases(void)
{
    return registry;
}
