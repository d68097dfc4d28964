/* A broadcast ring over any memory: one writer, N readers, every reader gets every
 * message, and the slowest reader holds the writer back (nothing is dropped). The ring knows
 * nothing about where its memory came from (plain memory in a test, a MAP_SHARED mapping or
 * a segment), so it is tested on plain memory and reused anywhere.
 *
 * Layout (each part on 64-byte lines of its own):
 *   header            geometry, written once by init
 *   per reader        its `consumed` count, and the doorbell it rings when it sleeps
 *   writer doorbell   for a writer waiting for room
 *   slots             depth slots of a sequence word, the length, then max_msg bytes
 * The writer puts message pos into slot pos % depth and then stores seq = pos + 1 (release),
 * so the line a reader polls is the one that carries the message's head; a reader with
 * cursor c waits for seq == c + 1 (acquire), reads the message in place and, when it
 * releases it, stores consumed = c + 1 (release). The writer may reuse a slot only when
 * every reader's count has passed it; it caches the slowest count and reads the readers'
 * lines again only when the cache says the ring is full.
 *
 * Waiting is shl_notify's (spin, futex, sem, eventfd), with a doorbell per reader and one
 * for the writer: a reader waits on the slot's sequence word, the writer on the slowest
 * reader's count. Spinning needs a CPU per waiting process; with more processes than CPUs
 * only the blocking strategies make progress at a useful rate. The ring does not watch its
 * peers: a dead one shows as a timeout.
 *
 * The process-local struct, made by init in the creating process, is shared by fork (the
 * eventfd strategy's descriptors are made there). Counters are free-running 32-bit numbers
 * (depth <= 2^30). */
#ifndef SHMLAB_SHL_BROADCAST_H
#define SHMLAB_SHL_BROADCAST_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"
#include "src/transport/shl_notify_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_BROADCAST_MAX_READERS 64
#define SHL_BROADCAST_MAX_DEPTH (1u << 30)

/* One process's view of a ring: the memory, the doorbells and the private cursors. Made
 * by init in the creating process and shared by fork, so each process has its own copy. */
struct shl_broadcast;

/* Bytes of memory a ring of this geometry needs, or 0 when out of range. */
size_t shl_broadcast_size(uint32_t readers, uint32_t depth, size_t max_msg);

/* Lays out an empty ring in mem (len >= shl_broadcast_size, 64-byte aligned) and makes
 * *out, before fork; `wait` is how every party waits (SHL_NOTIFY_NONE: the default). */
int shl_broadcast_init(struct shl_broadcast **out, void *mem, size_t len, uint32_t readers,
                       uint32_t depth, size_t max_msg, enum shl_notify_kind wait,
                       struct shl_error *err);

/* Releases what init made in this process (eventfds, the view). */
void shl_broadcast_close(struct shl_broadcast *b);

/* Writer: a slot for the next message, waiting up to timeout_ms for the slowest reader to
 * free one (ETIMEDOUT); write at most max_msg bytes there, then commit `len` of them. */
int shl_broadcast_loan(struct shl_broadcast *b, void **slot, int timeout_ms, struct shl_error *err);
void shl_broadcast_commit(struct shl_broadcast *b, size_t len);

/* Writer: loan, copy, commit. */
int shl_broadcast_publish(struct shl_broadcast *b, const void *msg, size_t len, int timeout_ms,
                          struct shl_error *err);

/* Reader `reader` (0 .. readers-1): the next message, in place, waiting up to timeout_ms
 * (ETIMEDOUT). Valid until release, which frees the slot as far as this reader goes. */
int shl_broadcast_read(struct shl_broadcast *b, uint32_t reader, const void **msg, size_t *len,
                       int timeout_ms, struct shl_error *err);
void shl_broadcast_release(struct shl_broadcast *b, uint32_t reader);

#ifdef __cplusplus
}
#endif

#endif
