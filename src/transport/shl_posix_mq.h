/* POSIX message queues (mq_overview(7)): one queue per direction, opened O_CREAT|O_EXCL
 * 0600 before fork under a shmlab name and unlinked at once, so that fork shares the
 * descriptors and no name is left to leak. A queue takes messages of at most
 * /proc/sys/fs/mqueue/msgsize_max bytes and holds at most msg_max of them (for an
 * unprivileged process): a larger message is sent as chunks of that size, which the
 * receiver reassembles (a queue is ordered and each direction has one writer), and a deeper
 * spec is cut to msg_max. What was granted is in shl_posix_mq_info().
 *
 * A queue says nothing of a vanished peer: each side waits in poll(2) on its queue (a
 * descriptor on Linux) and on a peer link (shl_peer_link.h), so a dead peer fails a send or
 * recv with EPIPE, a silent one with ETIMEDOUT. */
#ifndef SHMLAB_SHL_POSIX_MQ_H
#define SHMLAB_SHL_POSIX_MQ_H

#include <stddef.h>

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_posix_mq;

struct shl_posix_mq_info {
    unsigned long long msgsize_max; /* /proc/sys/fs/mqueue/msgsize_max as read */
    unsigned long long msg_max;     /* /proc/sys/fs/mqueue/msg_max as read */
    size_t chunk;                   /* the largest message put in a queue; larger ones are split */
    long depth;                     /* each queue's mq_maxmsg */
};

/* Fills *info for a created posix-mq channel; -1 (EINVAL) for any other channel. */
int shl_posix_mq_info(const struct shl_channel *ch, struct shl_posix_mq_info *info,
                      struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
