#include "src/shmlab/workers.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

#include "src/core/shl_cleanup.h"
#include "src/shm/shl_segment.h"
#include "src/shmlab/records.h"

/* Names the object for messages: the path, the POSIX name or the key. */
static const char *describe(const struct shl_shm *obj, char *buf, size_t len)
{
    if (obj->mech == SHL_MECH_SYSV)
        snprintf(buf, len, "key %d (0x%08x), shmid %d", (int)obj->key, (unsigned)obj->key,
                 obj->shmid);
    else
        snprintf(buf, len, "%s", obj->name);
    return buf;
}

/* Undoes whatever a failed command had made, then reports the failure. */
static int abandon(const struct opts *o, struct shl_shm *obj, struct shl_map *map,
                   const struct shl_error *err)
{
    shl_shm_unmap(obj, map, NULL);
    if (obj->created)
        shl_shm_destroy(obj, NULL);
    else
        shl_shm_close(obj);
    return cli_fail(o, err);
}

/* Opens, read-only, the existing object the options name (the tutorial's default unless
 * given), requiring `min` bytes. Returns 0, or the exit status after saying why not. */
static int open_named(const struct opts *o, size_t min, struct shl_shm *obj)
{
    struct shl_shm_spec spec;
    int rc = cli_spec(o, records_for(o->mech)->default_id, &spec);
    if (rc != 0)
        return rc;
    spec.size = min;
    spec.flags = SHL_OPEN_RDONLY;
    struct shl_error err;
    if (shl_shm_open(obj, &spec, &err) != 0)
        return cli_fail(o, &err);
    return 0;
}

/* Waits for SIGINT/SIGTERM/SIGHUP, whose handler removes the registered object and ends
 * the process with that signal. */
static void hold(void)
{
    sigset_t none;
    sigemptyset(&none);
    for (;;)
        sigsuspend(&none);
}

int worker_write(const struct opts *o)
{
    const struct records *r = records_for(o->mech);
    struct shl_shm_spec spec;
    int rc = cli_spec(o, r->default_id, &spec);
    if (rc != 0)
        return rc;
    spec.size = o->has_size ? o->size : r->size;
    if (spec.size < r->size)
        return cli_say(o, EXIT_USAGE, "--size %zu is smaller than the %zu bytes written", spec.size,
                       r->size);
    spec.flags = SHL_CREATE_RESERVE | (o->reuse ? SHL_CREATE_REUSE | SHL_CREATE_TRUNC : 0);

    struct shl_shm obj;
    struct shl_map map = {NULL, 0};
    struct shl_error err;
    if (shl_shm_create(&obj, &spec, &err) != 0) {
        if (err.errnum == EEXIST)
            return cli_say(o, EXIT_RUNTIME, "%s already exists (pass --reuse to overwrite it)",
                           o->mech == SHL_MECH_SYSV ? "the key's segment" : spec.name);
        return cli_fail(o, &err);
    }
    if (shl_shm_map(&obj, NULL, 0, PROT_READ | PROT_WRITE, 0, &map, &err) != 0)
        return abandon(o, &obj, &map, &err);
    r->fill(map.addr);
    /* A file mapping is only written back at some later time; the tutorial never calls
     * msync, so a reader of the file through read(2) after a crash could see nothing. */
    if (o->mech == SHL_MECH_FILE && shl_shm_sync(&map, MS_SYNC, &err) != 0)
        return abandon(o, &obj, &map, &err);
    if (shl_shm_unmap(&obj, &map, &err) != 0)
        return abandon(o, &obj, &map, &err);
    /* What the object really is: a reused one keeps its own mode (and, for sysv, size). */
    struct shl_shm_stat st;
    if (shl_shm_stat(&obj, &st, &err) != 0)
        return abandon(o, &obj, &map, &err);
    char what[PATH_MAX];
    printf("wrote %s: %zu bytes, mode %04o\n", describe(&obj, what, sizeof what), st.size,
           (unsigned)st.mode);
    fflush(stdout);
    if (o->hold)
        hold();
    shl_shm_keep(&obj);
    shl_shm_close(&obj);
    return 0;
}

int worker_read(const struct opts *o)
{
    const struct records *r = records_for(o->mech);
    struct shl_shm obj;
    int rc = open_named(o, r->size, &obj);
    if (rc != 0)
        return rc;
    struct shl_map map = {NULL, 0};
    struct shl_error err;
    if (shl_shm_map(&obj, NULL, 0, PROT_READ, 0, &map, &err) != 0 ||
        (r->print(map.addr, stdout), shl_shm_unmap(&obj, &map, &err) != 0))
        return abandon(o, &obj, &map, &err);
    if (o->remove && shl_shm_destroy(&obj, &err) != 0)
        return cli_fail(o, &err);
    shl_shm_close(&obj);
    return 0;
}

static void print_time(const char *label, time_t t)
{
    char buf[32];
    if (t == 0 || strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t)) == 0)
        snprintf(buf, sizeof buf, "never");
    printf("%-8s %s\n", label, buf);
}

int worker_info(const struct opts *o)
{
    struct shl_shm obj;
    int rc = open_named(o, 0, &obj);
    if (rc != 0)
        return rc;
    struct shl_shm_stat st;
    struct shl_error err;
    if (shl_shm_stat(&obj, &st, &err) != 0) {
        shl_shm_close(&obj);
        return cli_fail(o, &err);
    }
    shl_shm_close(&obj);
    char what[PATH_MAX];
    printf("%-8s %s\n", "object", describe(&obj, what, sizeof what));
    printf("%-8s %s\n", "kind", shl_mech_name(obj.mech));
    printf("%-8s %zu\n", "size", st.size);
    printf("%-8s %04o\n", "mode", (unsigned)st.mode);
    printf("%-8s %u:%u\n", "owner", (unsigned)st.uid, (unsigned)st.gid);
    if (obj.mech == SHL_MECH_SYSV) {
        printf("%-8s %u:%u\n", "creator", (unsigned)st.cuid, (unsigned)st.cgid);
        printf("%-8s %lu\n", "nattch", st.nattch);
        printf("%-8s %ld\n", "cpid", (long)st.cpid);
        printf("%-8s %ld\n", "lpid", (long)st.lpid);
        print_time("attached", st.atime);
        print_time("detached", st.dtime);
        print_time("changed", st.ctime);
        printf("%-8s %s\n", "removed", st.removed ? "yes (gone at last detach)" : "no");
    } else {
        print_time("accessed", st.atime);
        print_time("modified", st.mtime);
        print_time("changed", st.ctime);
    }
    return 0;
}

int worker_remove(const struct opts *o)
{
    if (o->mech == SHL_MECH_FILE)
        return cli_say(o, EXIT_USAGE, "a mapped file is removed with rm, not shmlab");
    struct shl_shm obj;
    int rc = open_named(o, 0, &obj);
    if (rc != 0)
        return rc;
    struct shl_error err;
    if (shl_shm_destroy(&obj, &err) != 0)
        return cli_fail(o, &err);
    return 0;
}

int worker_lifecycle(const struct opts *o)
{
    if (!o->has_size || o->size == 0)
        return cli_say(o, EXIT_USAGE, "--size BYTES (more than 0) is required");
    struct shl_error err;
    if (o->anon) {
        /* Made exactly as the anon ring's segment is; nothing to name, so nothing to remove. */
        struct shl_segment seg;
        if (shl_segment_create_anon(&seg, o->size, &err) != 0)
            return cli_fail(o, &err);
        shl_segment_release(&seg);
        return 0;
    }
    struct shl_shm_spec spec = {
        .mech = o->mech, .size = o->size, .mode = o->mode, .flags = SHL_CREATE_RESERVE};
    struct shl_shm obj;
    struct shl_map map = {NULL, 0};
    if (shl_shm_create(&obj, &spec, &err) != 0)
        return cli_fail(o, &err);
    if (shl_shm_map(&obj, NULL, 0, PROT_READ | PROT_WRITE, 0, &map, &err) != 0)
        return abandon(o, &obj, &map, &err);
    shl_map_touch(&map, 1);
    if (shl_shm_unmap(&obj, &map, &err) != 0 || shl_shm_destroy(&obj, &err) != 0)
        return abandon(o, &obj, &map, &err);
    return 0;
}
