/* The shared-memory transports: the same rings (shl_ring.h) over each mechanism of the
 * shared-memory library (a file in $TMPDIR mapped MAP_SHARED, shmget(IPC_EXCL, 0600) +
 * shmat, shm_open(O_EXCL, 0600) + mmap, ...), each offering every notification strategy
 * (shl_notify.h). There is one per RING entry of SHL_MECHS, indexed by enum shl_mech (a
 * NO_RING mechanism's entry is empty). */
#ifndef SHMLAB_SHL_SHM_TRANSPORTS_H
#define SHMLAB_SHL_SHM_TRANSPORTS_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_ring_transports[SHL_MECH_COUNT];

/* SHL_RING_IF_##flag(...) keeps its arguments for a RING mechanism and drops them for a
 * NO_RING one, so that a list can be built from SHL_MECHS at compile time. */
#define SHL_RING_IF_RING(...) __VA_ARGS__
#define SHL_RING_IF_NO_RING(...)

/* The same rings over memory with no name (shl_segment_create_anon / _memfd): "anon", a
 * MAP_SHARED|MAP_ANONYMOUS mapping, and "memfd", a sealed memfd, both made before fork. */
extern const struct shl_transport shl_transport_anon;
extern const struct shl_transport shl_transport_memfd;

#ifdef __cplusplus
}
#endif

#endif
