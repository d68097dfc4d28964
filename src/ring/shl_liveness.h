/* Whether the process on the other side of a shared-memory channel is still there, read
 * from shared memory without a system call. A peer that closed is seen through its closed
 * flag; a peer that died (even as an unreaped zombie) through its robust mutex, which the
 * kernel marks owner-dead when it exits: pthread_mutex_trylock then answers EOWNERDEAD
 * (EBUSY while it lives). So join and leave must run in the same thread, which must outlive
 * the channel. */
#ifndef SHMLAB_SHL_LIVENESS_H
#define SHMLAB_SHL_LIVENESS_H

#include <pthread.h>
#include <stdatomic.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* In shared memory: one per side, each on cache lines of its own. */
struct shl_liveness_side {
    _Alignas(64) pthread_mutex_t alive; /* held by this side from join to leave */
    _Atomic int joined;
    _Atomic int closed;
};

struct shl_liveness {
    struct shl_liveness_side side[2];
};

/* This process's view: its side once joined (else -1), and the peer's fate, sticky. */
struct shl_peer {
    struct shl_liveness *shared;
    int side;
    int gone;
};

/* In the creating process, before fork: robust, process-shared mutexes for both sides. */
int shl_liveness_init(struct shl_liveness *l, struct shl_peer *me, struct shl_error *err);

/* Takes side 0 or 1 (EALREADY if this view has one). */
int shl_liveness_join(struct shl_peer *me, int side, struct shl_error *err);

/* Nonzero once the peer closed or died; 0 while it lives or has not joined yet. `peer` is
 * a struct shl_peer *, so that this is a shl_notify_wait.peer_gone. */
int shl_liveness_peer_gone(void *peer);

/* Raises this side's closed flag (wake the peer after, so it finds it) ... */
void shl_liveness_close(struct shl_peer *me);
/* ... and lets go of the mutex. */
void shl_liveness_leave(struct shl_peer *me);

#ifdef __cplusplus
}
#endif

#endif
