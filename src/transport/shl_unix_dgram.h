/* A UNIX datagram socketpair made before fork. A message larger than the largest datagram
 * the socket takes is split into chunks that the receiver reassembles (the socketpair is
 * reliable and ordered, so chunks need no header). create() raises SO_SNDBUF/SO_RCVBUF to
 * fit a whole message where allowed (SO_SNDBUFFORCE when privileged, else up to
 * net.core.wmem_max) and probes the largest datagram that really passes.
 *
 * A peer that dies leaves a datagram socket no EOF: recv then fails with ETIMEDOUT after
 * timeout_ms, and send fails with EPIPE (ECONNREFUSED) at once. */
#ifndef SHMLAB_SHL_UNIX_DGRAM_H
#define SHMLAB_SHL_UNIX_DGRAM_H

#include <stddef.h>

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_unix_dgram;

/* What the kernel granted, for the benchmark's context. */
struct shl_unix_dgram_info {
    int sndbuf;   /* SO_SNDBUF as read back (the kernel doubles what was asked) */
    int rcvbuf;   /* SO_RCVBUF as read back */
    size_t chunk; /* the largest datagram sent; larger messages are split */
};

/* Fills *info for a created unix-dgram channel; -1 (EINVAL) for any other channel. */
int shl_unix_dgram_info(const struct shl_channel *ch, struct shl_unix_dgram_info *info,
                        struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
