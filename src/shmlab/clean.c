#include "src/shmlab/workers.h"

#include <stdio.h>

#include "src/core/shl_name.h"
#include "src/shm/shl_stale.h"

struct tally {
    const struct opts *o;
    int stale, live, failed;
};

/* Why the object is stale, or why it is left alone. */
static void why(const struct shl_stale *obj, char *buf, size_t len)
{
    if (obj->kind == SHL_STALE_SYSV_MSG && obj->creator == 0)
        snprintf(buf, len, "no process has used it since msgget, so none can be asked");
    else if (obj->kind == SHL_STALE_SYSV_MSG && obj->receiver == 0)
        snprintf(buf, len, "its last sender %ld %s, and nothing received from it",
                 (long)obj->creator, obj->stale ? "is gone" : "is alive");
    else if (obj->kind == SHL_STALE_SYSV_MSG)
        snprintf(buf, len, "its last sender %ld and receiver %ld %s", (long)obj->creator,
                 (long)obj->receiver, obj->stale ? "are gone" : "are not both gone");
    else
        snprintf(buf, len, "creator %ld %s", (long)obj->creator,
                 obj->stale ? "is gone" : "is alive or attached");
}

static int visit(const struct shl_stale *obj, void *arg)
{
    struct tally *t = arg;
    char what[PATH_MAX + 64], reason[128];
    const char *kind = shl_stale_kind_name(obj->kind);
    if (obj->kind == SHL_STALE_SYSV || obj->kind == SHL_STALE_SYSV_MSG)
        snprintf(what, sizeof what, "%s key 0x%08x %s %d", kind, (unsigned)obj->key,
                 obj->kind == SHL_STALE_SYSV ? "shmid" : "msqid", obj->id);
    else
        snprintf(what, sizeof what, "%s %s", kind, obj->name);
    why(obj, reason, sizeof reason);
    if (!obj->stale) {
        t->live++;
        printf("in use  %s (%s)\n", what, reason);
        return 0;
    }
    t->stale++;
    struct shl_error err;
    if (t->o->dry_run) {
        printf("stale   %s (%s)\n", what, reason);
    } else if (shl_stale_remove(obj, &err) == 0) {
        printf("removed %s (%s)\n", what, reason);
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
    if (shl_stale_scan("/dev/shm", shl_tmpdir(), SHL_STALE_MQUEUE_DIR, visit, &t, &err) != 0)
        return cli_fail(o, &err);
    printf("%d stale object%s %s, %d in use left alone\n", t.stale, t.stale == 1 ? "" : "s",
           o->dry_run ? "found" : "removed", t.live);
    return t.failed > 0 ? EXIT_RUNTIME : 0;
}
