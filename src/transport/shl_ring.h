/* A channel made of two single-producer/single-consumer rings in one shared-memory
 * segment (A->B and B->A), each with spec.depth slots of an 8-byte header and spec.max_msg
 * bytes (rounded up to whole cache lines). The segment comes from the shared-memory library
 * (src/shm) with the transport's mechanism (shl_transport.mech); create() maps it and at once
 * removes its name (unlink, shm_unlink, IPC_RMID): fork shares the mapping, so nothing is
 * left to leak even if both processes are killed.
 *
 * Layout (every part starts on its own 64-byte line; no line is written by both sides on
 * the message path):
 *   side[A], side[B]   liveness: a robust process-shared mutex held from join to close
 *                      plus joined/closed flags
 *   ring[2]            per direction: the consumer's `consumed` count, and two doorbells
 *                      (the consumer's and the producer's `waiting` flag, sem_t)
 *   slots              ring 0's depth slots, then ring 1's; each starts with its header
 *                      (sequence word, ack) and the payload follows at once
 * Each slot carries its own sequence word (bounded SPSC after Vyukov): the producer writes
 * message pos into slot pos % depth and then stores seq = pos + 1 (release); the consumer
 * waits for seq == pos + 1 (acquire) and copies out. The word shares the slot's first line
 * with the first 56 payload bytes, so a message of up to 56 bytes moves exactly one cache
 * line from producer to consumer, and a 64-byte one two lines that travel together (the
 * waiter prefetches the second while it polls the first). The consumer never writes the
 * slot: it publishes how many messages it took in `consumed`, which the producer reads only
 * when its private count says the ring is full, and every message also carries, as `ack`,
 * its sender's count for the opposite ring, so in a ping-pong the producer learns of free
 * slots from the replies and never fetches `consumed` at all. Counters are free-running
 * 32-bit numbers (slot = counter % depth); each side keeps its own cursors in private
 * memory.
 *
 * A peer that closed is seen through its closed flag; a peer that died (even as an unreaped
 * zombie) through its robust mutex, which the kernel marks owner-dead when it exits:
 * pthread_mutex_trylock then answers EOWNERDEAD without a system call (EBUSY while it
 * lives). So join and close must run in the same thread, which must outlive the channel.
 * A message already in the ring is still delivered after its sender has gone.
 *
 * The receiver's len must be what the sender sent (as for the stream transports): slots
 * carry no length, only the 8-byte header. */
#ifndef SHMLAB_SHL_RING_H
#define SHMLAB_SHL_RING_H

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The transport hooks shared by the shared-memory transports. create() takes the mechanism
 * from ch->transport->mech and the strategy from ch->spec.notify. */
int shl_ring_create(struct shl_channel *ch, struct shl_error *err);
int shl_ring_join(struct shl_channel *ch, struct shl_error *err);
int shl_ring_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err);
int shl_ring_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err);
void shl_ring_close(struct shl_channel *ch);

#ifdef __cplusplus
}
#endif

#endif
