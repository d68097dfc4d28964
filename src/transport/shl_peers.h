/* The transports users pick instead of shmlab's own (message queues, ZeroMQ), behind the
 * same channel interface. They are kept out of shl_transports[] until the benchmark's
 * transport table takes them, so that its default runs stay as they are. */
#ifndef SHMLAB_SHL_PEERS_H
#define SHMLAB_SHL_PEERS_H

#include "src/transport/shl_posix_mq.h"
#include "src/transport/shl_sysv_msg.h"
#include "src/transport/shl_transport.h"
#include "src/transport/shl_zeromq.h"

#ifdef __cplusplus
extern "C" {
#endif

/* NULL-terminated. */
extern const struct shl_transport *const shl_peer_transports[];

#ifdef __cplusplus
}
#endif

#endif
