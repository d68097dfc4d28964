/* One interface over the four mechanisms (file mapping, System V, POSIX, memfd): create or open
 * an object, map it at a requested address and protection, sync, stat, unmap, destroy.
 * Objects are created exclusively with the mode the caller gives (0600 is the safe
 * default); a created object is registered for cleanup (shl_cleanup.h) until it is
 * destroyed or kept, so that no failure path or signal can leak it (a memfd needs no
 * registry: it vanishes with its last descriptor and mapping, see shl_memfd.h). */
#ifndef SHMLAB_SHL_SHM_H
#define SHMLAB_SHL_SHM_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "src/core/shl_error.h"
#include "src/shm/shl_file.h" /* SHL_CREATE_* */
#include "src/shm/shl_map.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every mechanism, once: X(ENUM_SUFFIX, "name", RING or NO_RING). The enum, the names and
 * the ring transports (one per RING mechanism, named as it) follow from this list. */
#define SHL_MECHS(X)                                                                   \
    X(FILE, "mmap", RING)      /* a regular file mapped MAP_SHARED (or MAP_PRIVATE) */ \
    X(SYSV, "sysv", RING)      /* shmget / shmat */                                    \
    X(POSIX, "posix", RING)    /* shm_open / mmap */                                   \
    X(MEMFD, "memfd", NO_RING) /* memfd_create / mmap; reached by fork or /proc/PID/fd/N */
/* Below, "FILE/POSIX" means every mechanism with a descriptor: FILE, POSIX and MEMFD. */

enum shl_mech {
#define SHL_MECH_ENUM(id, name, ring) SHL_MECH_##id,
    SHL_MECHS(SHL_MECH_ENUM)
#undef SHL_MECH_ENUM
};

/* How many mechanisms there are: the size of a table indexed by mechanism. */
#define SHL_MECH_PLUS_ONE(id, name, ring) +1
enum { SHL_MECH_COUNT = 0 SHL_MECHS(SHL_MECH_PLUS_ONE) };
#undef SHL_MECH_PLUS_ONE

/* A mechanism's name (or "file" for SHL_MECH_FILE) -> mechanism; -1 for anything else. */
int shl_mech_parse(const char *s, enum shl_mech *out);
/* The mechanism's name ("mmap", "sysv", ...); "?" out of range. */
const char *shl_mech_name(enum shl_mech mech);

/* Which object to create or open, and how. */
struct shl_shm_spec {
    enum shl_mech mech;
    const char *name; /* FILE: path; POSIX: "/name"; MEMFD: create: the label, open: a
                         /proc/PID/fd/N path; NULL: shmlab chooses an unpredictable one
                         ($TMPDIR or /tmp for FILE). Unused by SYSV. */
    key_t key;        /* SYSV, when has_key; IPC_PRIVATE is allowed */
    int has_key;      /* SYSV: 0 means shmlab chooses a tagged random key */
    size_t size;      /* create: bytes, > 0. open: the least size the object must have */
    mode_t mode;      /* create: permission bits */
    unsigned flags;   /* create: SHL_CREATE_*; open: SHL_OPEN_RDONLY */
};

#define SHL_OPEN_RDONLY \
    0x100u /* FILE/POSIX: an O_RDONLY descriptor, so only PROT_READ
                                  shared maps work; SYSV: no effect (the map's prot decides) */

/* An open object. Fields are read-only for callers. */
struct shl_shm {
    enum shl_mech mech;
    char name[PATH_MAX]; /* FILE path, POSIX name, MEMFD /proc/PID/fd/N; "" for SYSV */
    key_t key;           /* SYSV */
    int shmid;           /* SYSV, else -1 */
    int fd;              /* FILE/POSIX while open, else -1 */
    size_t size;         /* bytes */
    int created;         /* this process created it */
    int cleanup_slot;    /* registry slot while registered, else -1 */
};

/* Creates a new object of spec->size bytes. With no name or key given, a fresh
 * unpredictable one is chosen and an existing object is always refused. */
int shl_shm_create(struct shl_shm *obj, const struct shl_shm_spec *spec, struct shl_error *err);

/* Opens an existing object; fails if it is smaller than spec->size (so that mapping it
 * cannot fault past its end). */
int shl_shm_open(struct shl_shm *obj, const struct shl_shm_spec *spec, struct shl_error *err);

/* Map flags for shl_shm_map. */
#define SHL_MAP_PRIVATE 0x1u /* FILE/POSIX: MAP_PRIVATE (copy on write); SYSV: EINVAL */
#define SHL_MAP_FIXED \
    0x2u /* exactly at addr, never replacing an existing mapping
                                (MAP_FIXED_NOREPLACE; shmat without SHM_RND) */
#define SHL_MAP_RND \
    0x4u /* at addr rounded down (SHMLBA for SYSV via SHM_RND, the
                                page size otherwise); implies FIXED */

/* Maps (FILE/POSIX) or attaches (SYSV) `len` bytes from the start (0: the whole object).
 * addr NULL lets the kernel choose; otherwise it is a hint unless FIXED/RND. `prot` is
 * PROT_READ, PROT_READ|PROT_WRITE (or PROT_NONE / PROT_EXEC for FILE/POSIX; SYSV takes
 * PROT_READ -> SHM_RDONLY and PROT_EXEC -> SHM_EXEC). */
int shl_shm_map(const struct shl_shm *obj, void *addr, size_t len, int prot, unsigned flags,
                struct shl_map *map, struct shl_error *err);

/* msync(MS_SYNC / MS_ASYNC [| MS_INVALIDATE]) of a mapping of any mechanism. */
int shl_shm_sync(const struct shl_map *map, int flags, struct shl_error *err);

/* What fstat (FILE/POSIX) or IPC_STAT (SYSV) says about the object. */
struct shl_shm_stat {
    size_t size;
    mode_t mode; /* permission bits only */
    uid_t uid, cuid;
    gid_t gid, cgid;                   /* cuid/cgid: SYSV creator; equal to uid/gid otherwise */
    unsigned long nattch;              /* SYSV: attached processes; 0 otherwise */
    pid_t cpid, lpid;                  /* SYSV: creator, last shmat/shmdt; 0 otherwise */
    time_t atime, dtime, ctime, mtime; /* SYSV: shm_atime/dtime/ctime (mtime = ctime);
                                          FILE/POSIX: st_atime, 0, st_ctime, st_mtime */
    int removed;                       /* SYSV: SHM_DEST (removed, still attached) */
};
int shl_shm_stat(const struct shl_shm *obj, struct shl_shm_stat *st, struct shl_error *err);

/* munmap (FILE/POSIX) or shmdt (SYSV); clears *map. Unmapping nothing succeeds. */
int shl_shm_unmap(const struct shl_shm *obj, struct shl_map *map, struct shl_error *err);

/* Leaves the object in place for another process and stops this process from removing
 * it on exit or signal. */
void shl_shm_keep(struct shl_shm *obj);

/* Closes the descriptor; the object stays (and stays registered if this process made it). */
void shl_shm_close(struct shl_shm *obj);

/* Removes the object (unlink, shm_unlink, IPC_RMID) and closes it. Mappings stay valid
 * until unmapped; a SYSV segment goes when its last process detaches, a MEMFD when its
 * last descriptor (this one is closed here) and mapping go. */
int shl_shm_destroy(struct shl_shm *obj, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
