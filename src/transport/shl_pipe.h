/* Two anonymous pipes, one per direction, made before fork. The fds are O_NONBLOCK and
 * poll() bounds a wait only when a read or write would block (see shl_fdio.h). join blocks
 * SIGPIPE in the calling thread, so a write to a dead peer fails with EPIPE instead of
 * killing the process. The pipe keeps its default capacity: the benchmark measures a pipe
 * as programs get one. */
#ifndef SHMLAB_SHL_PIPE_H
#define SHMLAB_SHL_PIPE_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_pipe;

#ifdef __cplusplus
}
#endif

#endif
