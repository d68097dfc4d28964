/* A registry of the objects this process created and must not leave behind. An object is
 * registered the moment it exists and forgotten when it is removed (or deliberately kept,
 * as a `write` worker keeps what a reader will consume), so that a failure path, an exit
 * or SIGINT/SIGTERM can remove whatever is still registered. The registry is safe to run
 * from a signal handler: fixed slots, no locks, no allocation. */
#ifndef SHMLAB_SHL_CLEANUP_H
#define SHMLAB_SHL_CLEANUP_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum shl_cleanup_kind {
    SHL_CLEANUP_FILE,  /* unlink(path) */
    SHL_CLEANUP_POSIX, /* shm_unlink(name) */
    SHL_CLEANUP_SYSV,  /* shmctl(shmid, IPC_RMID) */
    SHL_CLEANUP_CHILD, /* a daemon this process started (its pid in `shmid`): SIGTERM, then
                        * SIGKILL if it has not exited within SHL_CLEANUP_CHILD_GRACE_MS;
                        * reaped either way */
};

#define SHL_CLEANUP_CHILD_GRACE_MS 5000

/* How many objects one process can have registered at a time. */
#define SHL_CLEANUP_SLOTS 64
/* Longest path or name a slot holds, NUL included. */
#define SHL_CLEANUP_PATH_MAX 4096

/* Registers an object and returns its slot (>= 0), or -1 with ENOSPC/ENAMETOOLONG in err.
 * `path` is used by FILE and POSIX, `shmid` by SYSV (and CHILD, as the pid). */
int shl_cleanup_add(enum shl_cleanup_kind kind, const char *path, int shmid, struct shl_error *err);

/* Forgets a slot without removing its object (it was removed, or is kept on purpose).
 * A negative slot is ignored. */
void shl_cleanup_forget(int slot);

/* Removes every registered object and forgets it; returns how many removals failed.
 * Async-signal-safe. */
int shl_cleanup_run(void);

/* Makes SIGINT, SIGTERM, SIGHUP and SIGQUIT run shl_cleanup_run and then die of the same
 * signal as before (so a parent still sees the signal). */
int shl_cleanup_on_signals(struct shl_error *err);

/* Defers the signals of shl_cleanup_on_signals (in this thread) until shl_cleanup_release,
 * so that creating an object and registering it (or removing it and forgetting it) is one
 * step as far as those signals can tell: none can land in between and leak the object. */
void shl_cleanup_hold(sigset_t *saved);
void shl_cleanup_release(const sigset_t *saved);

#ifdef __cplusplus
}
#endif

#endif
