/* A UNIX stream socketpair made before fork. Blocking, with SO_RCVTIMEO/SO_SNDTIMEO bounding
 * each wait and MSG_WAITALL so a large message arrives in as few calls as the kernel allows;
 * MSG_NOSIGNAL keeps a dead peer from raising SIGPIPE. */
#ifndef SHMLAB_SHL_UNIX_STREAM_H
#define SHMLAB_SHL_UNIX_STREAM_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_unix_stream;

#ifdef __cplusplus
}
#endif

#endif
