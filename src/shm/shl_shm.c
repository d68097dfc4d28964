#include "src/shm/shl_shm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "src/core/shl_cleanup.h"
#include "src/core/shl_name.h"
#include "src/shm/shl_fd.h"
#include "src/shm/shl_memfd.h"
#include "src/shm/shl_posix.h"
#include "src/shm/shl_sysv.h"

static const char *const mech_names[SHL_MECH_COUNT] = {
#define SHL_MECH_NAME(id, name, ring) [SHL_MECH_##id] = name,
    SHL_MECHS(SHL_MECH_NAME)
#undef SHL_MECH_NAME
};

int shl_mech_parse(const char *s, enum shl_mech *out)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "file") == 0) {
        *out = SHL_MECH_FILE;
        return 0;
    }
    for (size_t i = 0; i < sizeof mech_names / sizeof mech_names[0]; i++) {
        if (strcmp(s, mech_names[i]) == 0) {
            *out = (enum shl_mech)i;
            return 0;
        }
    }
    return -1;
}

const char *shl_mech_name(enum shl_mech mech)
{
    return (unsigned)mech < sizeof mech_names / sizeof mech_names[0] ? mech_names[mech] : "?";
}

static void reset(struct shl_shm *obj, enum shl_mech mech)
{
    memset(obj, 0, sizeof *obj);
    obj->mech = mech;
    obj->shmid = -1;
    obj->fd = -1;
    obj->cleanup_slot = -1;
}

/* Fills obj->name (or obj->key) from the spec, or with a fresh unpredictable one. */
static int choose_identity(struct shl_shm *obj, const struct shl_shm_spec *spec,
                           struct shl_error *err)
{
    if (spec->mech == SHL_MECH_SYSV) {
        if (spec->has_key) {
            obj->key = spec->key;
            return 0;
        }
        return shl_name_key(&obj->key, err);
    }
    if (spec->name != NULL) {
        if (strlen(spec->name) >= sizeof obj->name)
            return shl_fail(err, "name", ENAMETOOLONG, "%.40s...", spec->name);
        strcpy(obj->name, spec->name);
        return 0;
    }
    char name[SHL_NAME_LEN];
    if (shl_name_posix(name, sizeof name, err) != 0)
        return -1;
    if (spec->mech == SHL_MECH_POSIX) {
        strcpy(obj->name, name);
        return 0;
    }
    if (spec->mech == SHL_MECH_MEMFD) {
        strcpy(obj->name, name + 1); /* a label, not a path: no '/' needed */
        return 0;
    }
    const char *dir = shl_tmpdir();
    int n = snprintf(obj->name, sizeof obj->name, "%s%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof obj->name)
        return shl_fail(err, "name", ENAMETOOLONG, "TMPDIR %.40s", dir);
    return 0;
}

static int register_created(struct shl_shm *obj, struct shl_error *err)
{
    enum shl_cleanup_kind kind = obj->mech == SHL_MECH_FILE    ? SHL_CLEANUP_FILE
                                 : obj->mech == SHL_MECH_POSIX ? SHL_CLEANUP_POSIX
                                                               : SHL_CLEANUP_SYSV;
    obj->cleanup_slot = shl_cleanup_add(kind, obj->name, obj->shmid, err);
    return obj->cleanup_slot < 0 ? -1 : 0;
}

/* Creates the object and registers it for cleanup; called with the signals held. */
static int create_registered(struct shl_shm *obj, const struct shl_shm_spec *spec, unsigned flags,
                             struct shl_error *err)
{
    int rc;
    switch (spec->mech) {
    case SHL_MECH_FILE:
        rc = shl_file_create(obj->name, spec->size, spec->mode, flags, &obj->fd, &obj->created,
                             err);
        break;
    case SHL_MECH_POSIX:
        rc = shl_posix_create(obj->name, spec->size, spec->mode, flags, &obj->fd, &obj->created,
                              err);
        break;
    case SHL_MECH_SYSV:
        rc = shl_sysv_create(obj->key, spec->size, spec->mode, flags, &obj->shmid, &obj->created,
                             err);
        break;
    case SHL_MECH_MEMFD:
        /* From here on the name is the path another process opens; nothing to register. */
        rc = shl_memfd_create(obj->name, spec->size, spec->mode, flags, &obj->fd, err);
        if (rc == 0 && shl_memfd_path(obj->fd, obj->name, sizeof obj->name, err) != 0) {
            shl_shm_close(obj);
            rc = -1;
        }
        obj->created = rc == 0;
        obj->size = spec->size;
        return rc;
    default: return shl_fail(err, "create", EINVAL, "unknown mechanism %d", (int)spec->mech);
    }
    if (rc != 0)
        return -1;
    obj->size = spec->size;
    if (obj->created && register_created(obj, err) != 0) {
        struct shl_error ignored;
        shl_shm_destroy(obj, &ignored);
        return -1;
    }
    return 0;
}

int shl_shm_create(struct shl_shm *obj, const struct shl_shm_spec *spec, struct shl_error *err)
{
    reset(obj, spec->mech);
    if (spec->size == 0)
        return shl_fail(err, "create", EINVAL, "size 0");
    unsigned flags = spec->flags;
    int chosen = spec->mech == SHL_MECH_SYSV ? !spec->has_key : spec->name == NULL;
    if (chosen)
        flags &= ~(SHL_CREATE_REUSE | SHL_CREATE_TRUNC); /* a planted object is refused */
    if (choose_identity(obj, spec, err) != 0)
        return -1;
    sigset_t saved;
    shl_cleanup_hold(&saved);
    int rc = create_registered(obj, spec, flags, err);
    shl_cleanup_release(&saved);
    return rc;
}

int shl_shm_open(struct shl_shm *obj, const struct shl_shm_spec *spec, struct shl_error *err)
{
    reset(obj, spec->mech);
    int rdonly = (spec->flags & SHL_OPEN_RDONLY) != 0;
    if (spec->mech == SHL_MECH_SYSV) {
        if (!spec->has_key)
            return shl_fail(err, "open", EINVAL, "no key given");
        obj->key = spec->key;
        struct shmid_ds ds;
        if (shl_sysv_open(obj->key, &obj->shmid, err) != 0 ||
            shl_sysv_stat(obj->shmid, &ds, err) != 0)
            return -1;
        if (ds.shm_segsz < spec->size)
            return shl_fail(err, "shmget", EINVAL, "key 0x%08x has %zu bytes, %zu needed",
                            (unsigned)obj->key, (size_t)ds.shm_segsz, spec->size);
        obj->size = ds.shm_segsz;
        return 0;
    }
    if (spec->name == NULL)
        return shl_fail(err, "open", EINVAL, "no name given");
    if (choose_identity(obj, spec, err) != 0)
        return -1;
    int oflag = rdonly ? O_RDONLY : O_RDWR;
    int rc = spec->mech == SHL_MECH_FILE    ? shl_file_open(obj->name, oflag, &obj->fd, err)
             : spec->mech == SHL_MECH_MEMFD ? shl_memfd_open(obj->name, oflag, &obj->fd, err)
                                            : shl_posix_open(obj->name, oflag, &obj->fd, err);
    if (rc != 0)
        return -1;
    if (shl_fd_require(obj->fd, spec->size, &obj->size, obj->name, err) != 0) {
        shl_shm_close(obj);
        return -1;
    }
    return 0;
}

static int map_sysv(const struct shl_shm *obj, void *addr, size_t len, int prot, unsigned flags,
                    struct shl_map *map, struct shl_error *err)
{
    if (flags & SHL_MAP_PRIVATE)
        return shl_fail(err, "shmat", EINVAL, "System V segments cannot be mapped private");
    if (len != 0 && len != obj->size)
        return shl_fail(err, "shmat", EINVAL, "a segment is attached whole (%zu bytes)", obj->size);
    if (!(prot & PROT_READ) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
        return shl_fail(err, "shmat", EINVAL, "protection %#x has no System V form", prot);
    int shmflg = (prot & PROT_WRITE) ? 0 : SHM_RDONLY;
    if (prot & PROT_EXEC)
        shmflg |= SHM_EXEC;
    if (flags & SHL_MAP_RND)
        shmflg |= SHM_RND;
    else if (addr != NULL && !(flags & SHL_MAP_FIXED))
        addr = NULL; /* shmat has no hint: an unaligned address would fail */
    void *p;
    if (shl_sysv_attach(obj->shmid, addr, shmflg, &p, err) != 0)
        return -1;
    map->addr = p;
    map->len = obj->size;
    return 0;
}

static int map_fd(const struct shl_shm *obj, void *addr, size_t len, int prot, unsigned flags,
                  struct shl_map *map, struct shl_error *err)
{
    if (obj->fd < 0)
        return shl_fail(err, "mmap", EBADF, "%s is closed", obj->name);
    if (len == 0)
        len = obj->size;
    if (len > obj->size)
        return shl_fail(err, "mmap", EINVAL, "%zu bytes of a %zu-byte object", len, obj->size);
    int mflags = (flags & SHL_MAP_PRIVATE) ? MAP_PRIVATE : MAP_SHARED;
    if (flags & SHL_MAP_RND)
        addr = (void *)((uintptr_t)addr - (uintptr_t)addr % shl_page_size());
    int exact = (flags & (SHL_MAP_FIXED | SHL_MAP_RND)) != 0;
    if (exact)
        mflags |= MAP_FIXED_NOREPLACE;
    if (shl_map_fd(obj->fd, addr, len, prot, mflags, 0, map, err) != 0)
        return -1;
    /* Kernels before 4.17 take MAP_FIXED_NOREPLACE as a mere hint. */
    if (exact && map->addr != addr) {
        shl_map_unmap(map, NULL);
        return shl_fail(err, "mmap", EEXIST, "%p is taken", addr);
    }
    return 0;
}

int shl_shm_map(const struct shl_shm *obj, void *addr, size_t len, int prot, unsigned flags,
                struct shl_map *map, struct shl_error *err)
{
    if (obj->mech == SHL_MECH_SYSV)
        return map_sysv(obj, addr, len, prot, flags, map, err);
    return map_fd(obj, addr, len, prot, flags, map, err);
}

int shl_shm_sync(const struct shl_map *map, int flags, struct shl_error *err)
{
    return shl_map_sync(map, flags, err);
}

int shl_shm_stat(const struct shl_shm *obj, struct shl_shm_stat *st, struct shl_error *err)
{
    memset(st, 0, sizeof *st);
    if (obj->mech == SHL_MECH_SYSV) {
        struct shmid_ds ds;
        if (shl_sysv_stat(obj->shmid, &ds, err) != 0)
            return -1;
        st->size = ds.shm_segsz;
        st->mode = ds.shm_perm.mode & 0777;
        st->uid = ds.shm_perm.uid;
        st->gid = ds.shm_perm.gid;
        st->cuid = ds.shm_perm.cuid;
        st->cgid = ds.shm_perm.cgid;
        st->nattch = ds.shm_nattch;
        st->cpid = ds.shm_cpid;
        st->lpid = ds.shm_lpid;
        st->atime = ds.shm_atime;
        st->dtime = ds.shm_dtime;
        st->ctime = ds.shm_ctime;
        st->mtime = ds.shm_ctime;
        st->removed = (ds.shm_perm.mode & SHM_DEST) != 0;
        return 0;
    }
    struct stat sb;
    if (shl_fd_stat(obj->fd, &sb, obj->name, err) != 0)
        return -1;
    st->size = (size_t)sb.st_size;
    st->mode = sb.st_mode & 07777;
    st->uid = st->cuid = sb.st_uid;
    st->gid = st->cgid = sb.st_gid;
    st->atime = sb.st_atime;
    st->ctime = sb.st_ctime;
    st->mtime = sb.st_mtime;
    return 0;
}

int shl_shm_unmap(const struct shl_shm *obj, struct shl_map *map, struct shl_error *err)
{
    if (obj->mech != SHL_MECH_SYSV || map->addr == NULL)
        return shl_map_unmap(map, err);
    if (shl_sysv_detach(map->addr, err) != 0)
        return -1;
    map->addr = NULL;
    map->len = 0;
    return 0;
}

void shl_shm_keep(struct shl_shm *obj)
{
    shl_cleanup_forget(obj->cleanup_slot);
    obj->cleanup_slot = -1;
}

void shl_shm_close(struct shl_shm *obj)
{
    shl_fd_close(obj->fd);
    obj->fd = -1;
}

int shl_shm_destroy(struct shl_shm *obj, struct shl_error *err)
{
    sigset_t saved;
    shl_cleanup_hold(&saved);
    int rc;
    switch (obj->mech) {
    case SHL_MECH_FILE: rc = shl_file_remove(obj->name, err); break;
    case SHL_MECH_POSIX: rc = shl_posix_unlink(obj->name, err); break;
    case SHL_MECH_MEMFD:
        /* No name to remove: the object goes with its last descriptor and mapping. */
        rc = obj->fd >= 0 ? 0 : shl_fail(err, "close", EBADF, "%s is closed", obj->name);
        break;
    default: rc = shl_sysv_remove(obj->shmid, err); break;
    }
    shl_shm_keep(obj);
    shl_cleanup_release(&saved);
    shl_shm_close(obj);
    return rc;
}
