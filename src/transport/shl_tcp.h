/* TCP over loopback (127.0.0.1 only) with TCP_NODELAY. create() binds a listening socket to
 * a port the kernel picks, before fork; join() accepts (side A) or connects (side B), each
 * bounded by the timeout. Side B first sends a random token made in create(), so side A
 * accepts only its own peer, never another local process that found the port. Blocking I/O
 * with SO_RCVTIMEO/SO_SNDTIMEO, MSG_WAITALL and MSG_NOSIGNAL, as for unix-stream. */
#ifndef SHMLAB_SHL_TCP_H
#define SHMLAB_SHL_TCP_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_tcp;

#ifdef __cplusplus
}
#endif

#endif
