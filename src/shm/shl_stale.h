/* Finding what shmlab left behind: objects under the names and keys shmlab chooses for
 * itself (shl_name.h) whose creating process is gone. A process killed with SIGKILL cannot
 * clean up; the next run finds its objects here, and `shmlab clean` removes them, and only
 * them: never an object of another user, of a live process, or with a name shmlab would
 * not choose. */
#ifndef SHMLAB_SHL_STALE_H
#define SHMLAB_SHL_STALE_H

#include <limits.h>
#include <sys/types.h>

#include "src/core/shl_error.h"
#include "src/shm/shl_shm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One object that carries shmlab's mark and belongs to this user. */
struct shl_stale {
    enum shl_mech mech;
    char name[PATH_MAX]; /* FILE path or POSIX name; "" for SYSV */
    key_t key;           /* SYSV */
    int shmid;           /* SYSV, else -1 */
    pid_t creator;       /* from the name (FILE/POSIX) or shm_cpid (SYSV) */
    int stale;           /* the creator is gone (and, for SYSV, nothing is attached) */
};

/* Calls fn for every shmlab object of this user: POSIX objects in `shm_dir` (normally
 * "/dev/shm"), files in `file_dir` (normally shl_tmpdir()), System V segments with a
 * tagged key. Stops early, returning fn's value, when fn returns non-zero. A creator in
 * another PID namespace looks gone: run it where the objects were made. */
int shl_stale_scan(const char *shm_dir, const char *file_dir,
                   int (*fn)(const struct shl_stale *obj, void *arg), void *arg,
                   struct shl_error *err);

/* Removes one object found by shl_stale_scan. */
int shl_stale_remove(const struct shl_stale *obj, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
