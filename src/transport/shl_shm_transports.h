/* The shared-memory transports: the same rings (shl_ring.h) over each mechanism of the
 * shared-memory library (a file in $TMPDIR mapped MAP_SHARED, shmget(IPC_EXCL, 0600) +
 * shmat, shm_open(O_EXCL, 0600) + mmap, ...), each offering every notification strategy
 * (shl_notify.h). There is one per entry of SHL_MECHS, indexed by enum shl_mech. */
#ifndef SHMLAB_SHL_SHM_TRANSPORTS_H
#define SHMLAB_SHL_SHM_TRANSPORTS_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_ring_transports[SHL_MECH_COUNT];

/* The same rings over memory with no name (shl_segment_create_anon / _memfd): "anon", a
 * MAP_SHARED|MAP_ANONYMOUS mapping, and "memfd", a sealed memfd, both made before fork. */
extern const struct shl_transport shl_transport_anon;
extern const struct shl_transport shl_transport_memfd;

#ifdef __cplusplus
}
#endif

#endif
