/* ZeroMQ (libzmq) PAIR sockets, two transports:
 *  - "zeromq-ipc": ipc:// on a socket file in a private folder (mkdtemp, 0700) under
 *    $TMPDIR, named shmlab-<pid>-XXXXXX so that `shmlab clean` knows whose it is;
 *  - "zeromq-tcp": tcp://127.0.0.1 on a port the kernel picks.
 * libzmq is not fork-safe (its context owns I/O threads), so create() makes only what fork
 * may copy: the folder, a random token and a peer link (shl_peer_link.h). Each side makes
 * its own context and socket in join: side A binds and hands the endpoint over the link,
 * side B connects and sends the token, which A checks before it removes the socket file
 * and its folder. Once joined no name is left.
 *
 * A message is one ZeroMQ message of any size (no chunking); SNDHWM and RCVHWM are
 * spec.depth. A send or recv blocks in ZeroMQ itself, in slices of 100 ms (ZMQ_SNDTIMEO,
 * ZMQ_RCVTIMEO) between which it looks at the peer link, so a dead peer fails it with
 * EPIPE, a silent one with ETIMEDOUT. */
#ifndef SHMLAB_SHL_ZEROMQ_H
#define SHMLAB_SHL_ZEROMQ_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_zeromq_ipc;
extern const struct shl_transport shl_transport_zeromq_tcp;

#ifdef __cplusplus
}
#endif

#endif
