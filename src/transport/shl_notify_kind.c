#include "src/transport/shl_notify_kind.h"

#include <string.h>

static const char *const names[SHL_NOTIFY_COUNT] = {[SHL_NOTIFY_NONE] = "",
#define SHL_NOTIFY_NAME(id, name, spins) [SHL_NOTIFY_##id] = name,
                                                    SHL_NOTIFY_KINDS(SHL_NOTIFY_NAME)
#undef SHL_NOTIFY_NAME
};

int shl_notify_parse(const char *name, enum shl_notify_kind *kind)
{
    if (name == NULL)
        return -1;
    for (int k = SHL_NOTIFY_FIRST; k < SHL_NOTIFY_COUNT; k++) {
        if (strcmp(names[k], name) == 0) {
            *kind = (enum shl_notify_kind)k;
            return 0;
        }
    }
    return -1;
}

const char *shl_notify_name(enum shl_notify_kind kind)
{
    return (unsigned)kind < SHL_NOTIFY_COUNT ? names[kind] : "";
}

int shl_notify_spins(enum shl_notify_kind kind)
{
    static const int spins[SHL_NOTIFY_COUNT] = {
#define SHL_NOTIFY_SPINS(id, name, spinning) [SHL_NOTIFY_##id] = spinning,
        SHL_NOTIFY_KINDS(SHL_NOTIFY_SPINS)
#undef SHL_NOTIFY_SPINS
    };
    return (unsigned)kind < SHL_NOTIFY_COUNT ? spins[kind] : 0;
}
