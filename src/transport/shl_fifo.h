/* Two named FIFOs, one per direction, in a private directory (mkdtemp, 0700, under $TMPDIR
 * or /tmp) so that their names cannot be predicted or planted. create() makes them; join()
 * opens them by name in each process, then side B says hello through its FIFO and side A,
 * once it has heard it (both sides hold both ends), removes the FIFOs and the directory.
 * After that a FIFO behaves as a pipe: O_NONBLOCK fds, poll() only when a read or write
 * would block, SIGPIPE blocked in the joining thread (see shl_pipe.h). */
#ifndef SHMLAB_SHL_FIFO_H
#define SHMLAB_SHL_FIFO_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_fifo;

#ifdef __cplusplus
}
#endif

#endif
