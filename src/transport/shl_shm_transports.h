/* The shared-memory transports: the same rings (shl_ring.h) over each mechanism of the
 * shared-memory library, each offering every notification strategy (shl_notify.h). */
#ifndef SHMLAB_SHL_SHM_TRANSPORTS_H
#define SHMLAB_SHL_SHM_TRANSPORTS_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_mmap;  /* a file in $TMPDIR, MAP_SHARED */
extern const struct shl_transport shl_transport_sysv;  /* shmget(IPC_EXCL, 0600) + shmat */
extern const struct shl_transport shl_transport_posix; /* shm_open(O_EXCL, 0600) + mmap */

#ifdef __cplusplus
}
#endif

#endif
