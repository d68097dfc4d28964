/* A socketpair made before fork whose only job is to tell each side that its peer has gone:
 * each side keeps one end, and when the peer exits (even killed, even an unreaped zombie)
 * the kernel closes its end, so the survivor's end reads EOF. Transports whose own objects
 * say nothing of a vanished peer (message queues, ZeroMQ sockets) wait on it beside their
 * own descriptor. It also carries the few bytes of set-up one side must hand the other
 * after fork (an endpoint chosen by bind). */
#ifndef SHMLAB_SHL_PEER_LINK_H
#define SHMLAB_SHL_PEER_LINK_H

#include <stddef.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct shl_peer_link {
    int ends[2]; /* before join: both ends; after: this side's in fd */
    int fd;      /* this side's end after join, else -1 */
    int timeout_ms;
};

/* Before fork. On failure nothing stays open. */
int shl_peer_link_create(struct shl_peer_link *link, int timeout_ms, struct shl_error *err);

/* After fork: keeps side B's end when side_b, else side A's. */
void shl_peer_link_join(struct shl_peer_link *link, int side_b);

/* 1 when the peer's end is closed (the peer exited or closed the channel), 0 while it
 * lives. Never blocks. */
int shl_peer_link_gone(const struct shl_peer_link *link);

/* Hands `len` bytes to the peer, or waits (up to the timeout given to create) for `len`
 * bytes from it: ETIMEDOUT, or EPIPE when the peer has gone first. */
int shl_peer_link_send(const struct shl_peer_link *link, const void *buf, size_t len,
                       struct shl_error *err);
int shl_peer_link_recv(const struct shl_peer_link *link, void *buf, size_t len,
                       struct shl_error *err);

/* Waits until `fd` is ready for `events` (poll(2) bits), the peer has gone, or the time
 * left in *left_ms (updated) has run out: 0 when ready, else -1 with EPIPE or ETIMEDOUT.
 * `call` names the operation in the error. */
int shl_peer_link_wait(const struct shl_peer_link *link, int fd, short events, int *left_ms,
                       const char *call, struct shl_error *err);

/* Milliseconds on CLOCK_MONOTONIC, for the waits of the transports that use a link. */
long shl_peer_link_now_ms(void);

/* Once in a while on a waiting path that began at start_ms: 0 to go on waiting, or -1 with
 * EPIPE (the peer has gone) or ETIMEDOUT (timeout_ms have passed). */
int shl_peer_link_keep_waiting(const struct shl_peer_link *link, long start_ms, int timeout_ms,
                               const char *call, struct shl_error *err);

void shl_peer_link_close(struct shl_peer_link *link);

#ifdef __cplusplus
}
#endif

#endif
