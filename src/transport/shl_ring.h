/* The channel adapter of the shared-memory transports: two single-producer/single-consumer
 * rings (src/ring/shl_spsc.h; A->B and B->A) of spec.depth slots of spec.max_msg bytes,
 * in one segment (src/shm/shl_segment.h) of the transport's mechanism, with the liveness of
 * the peer (src/ring/shl_liveness.h) and a doorbell per waiter (shl_notify.h) beside them.
 * create() makes the segment and at once removes its name: fork shares the mapping, so
 * nothing is left to leak even if both processes are killed.
 *
 * Layout (every part starts on its own 64-byte line; no line is written by both sides on
 * the message path):
 *   liveness           per side: a robust process-shared mutex held from join to close,
 *                      plus joined/closed flags
 *   bells[2]           per direction: the consumer's and the producer's doorbell
 *   ring 0, ring 1     each its consumer's `consumed` count, then its slots
 * Every message carries, as its tag, its sender's count of the opposite ring, so in a
 * ping-pong the producer learns of free slots from the replies and never fetches
 * `consumed` at all. A message already in the ring is still delivered after its sender has
 * gone.
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
/* Zero-copy: the slot's payload is contiguous (the slot's 8-byte header comes first). */
int shl_ring_loan(struct shl_channel *ch, size_t len, void **slot, struct shl_error *err);
void shl_ring_commit(struct shl_channel *ch, size_t len);
int shl_ring_peek(struct shl_channel *ch, size_t len, const void **msg, struct shl_error *err);
void shl_ring_release(struct shl_channel *ch);

#ifdef __cplusplus
}
#endif

#endif
