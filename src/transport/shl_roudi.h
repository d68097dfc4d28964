/* RouDi, iceoryx's daemon, owned: started when none runs, never shared with one shmlab did
 * not start, stopped and reaped on every path, its objects checked gone afterwards.
 *
 * RouDi's names are fixed, not chosen by the caller: /dev/shm/iceoryx_mgmt and
 * /dev/shm/<user> (its segments), /tmp/roudi (its socket), /tmp/roudi.lock and
 * /tmp/iox-unique-roudi.lock. So only one RouDi can serve a machine, and one that another
 * user or program started is theirs: shl_roudi_start refuses (EBUSY) rather than register
 * shmlab's processes with it or stop it.
 *
 * The daemon gets its configuration (shmlab's memory pools, so that every benchmark size has
 * chunks) and writes its log through unnamed files (memfd), so it has no file of shmlab's
 * to leave behind. Its parent is a keeper process (in a process group of its own) that stops
 * it when the starter says so, when the starter's cleanup registry sends it SIGTERM (a
 * failure, SIGINT or SIGTERM of the starter: SHL_CLEANUP_CHILD), or when the starter
 * vanishes (SIGKILL): then it first lets the starter's iceoryx processes die and RouDi's
 * monitoring drop them, since RouDi's SIGTERM handling aborts, leaving its objects, on a
 * registered process that is gone. RouDi has PR_SET_PDEATHSIG(SIGTERM) against a killed
 * keeper, and removes its objects on SIGTERM; the keeper checks that it did. */
#ifndef SHMLAB_SHL_ROUDI_H
#define SHMLAB_SHL_ROUDI_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest message the pools of shmlab's configuration carry, and the most messages a
 * subscriber queue holds (iceoryx 2.0's MAX_SUBSCRIBER_QUEUE_CAPACITY). */
#define SHL_ROUDI_MAX_MSG (1u << 20)
#define SHL_ROUDI_MAX_DEPTH 256

struct shl_roudi {
    pid_t pid;        /* the keeper: RouDi's parent; 0 when not running */
    pid_t daemon_pid; /* iox-roudi itself */
    int slot;         /* the keeper's cleanup slot */
    int ctl_fd;       /* to the keeper: a byte says stop, closing says the starter died */
    int rep_fd;       /* from the keeper: how starting and stopping went */
    int log_fd;       /* RouDi's stdout and stderr, an unnamed file */
    char binary[256];
};

/* Where iox-roudi is ($PATH), or -1 with ENOENT and the package to install. */
int shl_roudi_find(char *path, size_t len, struct shl_error *err);

/* The pid of a running iox-roudi, or 0 when none runs. */
pid_t shl_roudi_running(void);

/* Starts RouDi and waits (up to timeout_ms) until it says it is ready for clients. EBUSY
 * when one runs already; ENOENT without the iceoryx package; on any failure the daemon is
 * stopped again. */
int shl_roudi_start(struct shl_roudi *r, int timeout_ms, struct shl_error *err);

/* SIGTERM, reap (SIGKILL after SHL_CLEANUP_CHILD_GRACE_MS), then checks that RouDi's objects
 * are gone: -1 with EEXIST naming the first one left (after removing it), else 0. Safe to
 * call twice. */
int shl_roudi_stop(struct shl_roudi *r, struct shl_error *err);

/* The first of RouDi's fixed objects that exists, copied into path, or 0 when none does
 * (returns 1 when one does). */
int shl_roudi_object_left(char *path, size_t len);

/* The end of what RouDi logged (at most len - 1 bytes), for an error message. */
void shl_roudi_log_tail(const struct shl_roudi *r, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
