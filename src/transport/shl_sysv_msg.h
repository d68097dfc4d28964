/* System V message queues (msgget(2), msgop(2)): one queue per direction, made before fork
 * with a tagged random key, IPC_CREAT|IPC_EXCL, 0600. A message larger than
 * /proc/sys/kernel/msgmax (or than msgmnb, the bytes a queue holds) is sent as chunks of
 * that size and reassembled; a queue holds msgmnb bytes, whatever spec.depth says. What was
 * granted is in shl_sysv_msg_info().
 *
 * Unlike a segment, a queue removed with IPC_RMID is gone at once, so it must live until
 * both sides are done: the last side to close removes both queues (a shared count says
 * which), and so does a survivor whose peer has died. Only a SIGKILL of both processes
 * leaves them (ipcs -q). A queue names no creator, so each is stamped at creation with an
 * empty message sent and received by its maker: its last sender and receiver are then a
 * process that uses it, which `shmlab clean` checks before it removes a queue.
 *
 * msgrcv and msgsnd take no timeout and no descriptor to poll. A call is tried with
 * IPC_NOWAIT first; only when it would block does a per-thread timer (timer_create,
 * SIGEV_THREAD_ID, made in join) send SHL_SYSV_MSG_TICK to the calling thread every 100 ms
 * until it returns: the blocked msgrcv/msgsnd returns EINTR (System V IPC calls are never
 * restarted), and the channel checks its timeout and its peer link (shl_peer_link.h), so a
 * dead peer fails a call with EPIPE, a silent one with ETIMEDOUT. A call that blocks thus
 * costs two timer_settime calls and the IPC_NOWAIT try; no signal reaches the caller
 * between calls (the handler is SA_RESTART in any case). */
#ifndef SHMLAB_SHL_SYSV_MSG_H
#define SHMLAB_SHL_SYSV_MSG_H

#include <signal.h>
#include <stddef.h>

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_SYSV_MSG_TICK (SIGRTMAX - 1)

extern const struct shl_transport shl_transport_sysv_msg;

struct shl_sysv_msg_info {
    unsigned long long msgmax; /* /proc/sys/kernel/msgmax as read */
    unsigned long long msgmnb; /* /proc/sys/kernel/msgmnb as read */
    size_t chunk;              /* the largest message put in a queue; larger ones are split */
};

/* Fills *info for a created sysv-msg channel; -1 (EINVAL) for any other channel. */
int shl_sysv_msg_info(const struct shl_channel *ch, struct shl_sysv_msg_info *info,
                      struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
