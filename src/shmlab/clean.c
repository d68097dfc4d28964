#include "src/shmlab/workers.h"

#include <stdio.h>

#include "src/core/shl_name.h"
#include "src/shm/shl_stale.h"

struct tally {
    const struct opts *o;
    int stale, live, failed;
};

static int visit(const struct shl_stale *obj, void *arg)
{
    struct tally *t = arg;
    char what[PATH_MAX + 64];
    if (obj->mech == SHL_MECH_SYSV)
        snprintf(what, sizeof what, "sysv key 0x%08x shmid %d", (unsigned)obj->key, obj->shmid);
    else
        snprintf(what, sizeof what, "%s %s", shl_mech_name(obj->mech), obj->name);
    if (!obj->stale) {
        t->live++;
        printf("in use  %s (creator %ld is alive or attached)\n", what, (long)obj->creator);
        return 0;
    }
    t->stale++;
    struct shl_error err;
    if (t->o->dry_run) {
        printf("stale   %s (creator %ld is gone)\n", what, (long)obj->creator);
    } else if (shl_stale_remove(obj, &err) == 0) {
        printf("removed %s (creator %ld is gone)\n", what, (long)obj->creator);
    } else {
        t->failed++;
        cli_fail(t->o, &err);
    }
    return 0;
}

int worker_clean(const struct opts *o)
{
    struct tally t = {o, 0, 0, 0};
    struct shl_error err;
    if (shl_stale_scan("/dev/shm", shl_tmpdir(), visit, &t, &err) != 0)
        return cli_fail(o, &err);
    printf("%d stale object%s %s, %d in use left alone\n", t.stale, t.stale == 1 ? "" : "s",
           o->dry_run ? "found" : "removed", t.live);
    return t.failed > 0 ? EXIT_RUNTIME : 0;
}
