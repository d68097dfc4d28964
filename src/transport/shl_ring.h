/* A channel made of two single-producer/single-consumer rings in one shared-memory
 * segment (A->B and B->A), each with spec.depth slots of spec.max_msg bytes (rounded up to
 * whole cache lines). The segment comes from the shared-memory library (src/shm) with the
 * mechanism of the transport's name ("mmap", "sysv", "posix"); create() maps it and at once
 * removes its name (unlink, shm_unlink, IPC_RMID): fork shares the mapping, so nothing is
 * left to leak even if both processes are killed.
 *
 * Layout (every part starts on its own 64-byte line, no line is shared between what one
 * side writes and what the other writes, and no index shares a line with payload):
 *   side[A], side[B]   liveness: a robust process-shared mutex held from join to close
 *                      plus joined/closed flags
 *   ring[2]            head signal (producer's line), tail signal (consumer's line)
 *   slots              ring 0's depth slots, then ring 1's
 * Indices are free-running 32-bit counters (slot = index % depth), published with release
 * and read with acquire (C11 <stdatomic.h>); each side caches the other's index and reads
 * the shared one only when its cached copy says "empty" or "full".
 *
 * A peer that closed is seen through its closed flag; a peer that died (even as an unreaped
 * zombie) through its robust mutex, which the kernel marks owner-dead when it exits:
 * pthread_mutex_trylock then answers EOWNERDEAD without a system call (EBUSY while it
 * lives). So join and close must run in the same thread, which must outlive the channel.
 * A message already in the ring is still delivered after its sender has gone.
 *
 * The receiver's len must be what the sender sent (as for the stream transports): slots
 * carry no length header, so a message costs no cache line beyond its payload. */
#ifndef SHMLAB_SHL_RING_H
#define SHMLAB_SHL_RING_H

#include "src/transport/shl_transport.h"

/* The transport hooks shared by the three shared-memory transports. create() takes the
 * mechanism from ch->transport->name. */
int shl_ring_create(struct shl_channel *ch, struct shl_error *err);
int shl_ring_join(struct shl_channel *ch, struct shl_error *err);
int shl_ring_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err);
int shl_ring_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err);
void shl_ring_close(struct shl_channel *ch);

#endif
