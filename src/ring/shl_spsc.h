/* A bounded single-producer/single-consumer ring of fixed-size slots over any memory, in the
 * manner of Aeron's aeron_spsc_rb_init(rb, buffer, length): it knows nothing of where its
 * memory came from (a shared segment, malloc, a stack array), so it is tested on plain
 * memory and reused over any segment. Waiting and waking are its caller's: the ring says
 * which word to watch and which value to store (see shl_notify.h for the strategies).
 *
 * Layout of the buffer (shl_spsc_bytes tells its size):
 *   one cache line   the consumer's `consumed` count, written by the consumer only
 *   depth slots      each starts with its header (sequence word, the caller's tag) and the
 *                    payload follows at once; each slot is whole cache lines
 * Each slot carries its own sequence word (bounded SPSC after Vyukov): the producer writes
 * message pos into slot pos % depth and then stores seq = pos + 1 (release); the consumer
 * waits for seq == pos + 1 (acquire) and reads. The word shares the slot's first line with
 * the first SHL_SPSC_HEAD_BYTES of payload on purpose: the line that tells the consumer
 * "message pos is here" is the line that carries it, so a small message moves one line from
 * producer to consumer and nothing else. The consumer never writes a slot: it publishes how
 * many messages it took in `consumed`, which the producer reads only when its private count
 * says the ring is full. Each message also carries a 32-bit tag of the caller's (a channel
 * of two rings sends, as the tag, its count of the other ring: the peer learns of free
 * slots from the replies and never fetches `consumed` in a ping-pong). Counters are
 * free-running 32-bit numbers; each side keeps its cursors in its own struct shl_spsc,
 * which may be copied across fork. The hot path is inline and makes no division. */
#ifndef SHMLAB_SHL_SPSC_H
#define SHMLAB_SHL_SPSC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "src/core/shl_cache_line.h"
#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The start of every slot; the payload follows at once. */
struct shl_spsc_slot {
    _Atomic uint32_t seq; /* pos + 1 once message pos is in; before the first message of
                           * slot i, i + 1 - depth (as if message i - depth had been) */
    uint32_t tag;         /* the caller's word, sent with the message */
};

/* Payload bytes that share the first line with the slot's header. Copies are cut at that
 * line boundary, so that no access straddles two lines (a straddling store needs both
 * lines owned at once and, with the consumer polling the first, takes it several times). */
#define SHL_SPSC_HEAD_BYTES (SHL_CACHE_LINE - sizeof(struct shl_spsc_slot))

/* One side's view of a ring: where it is, and this side's cursors. */
struct shl_spsc {
    unsigned char *slots;
    _Atomic uint32_t *consumed;
    size_t slot_size;
    size_t max_msg;
    uint32_t depth;
    uint32_t pos;   /* messages this side put in (producer) or took out (consumer) */
    uint32_t slot;  /* pos % depth, kept without a division */
    uint32_t freed; /* producer: the consumer's count as last learnt, from `consumed` or a
                     * tag; every slot below freed + depth may be written */
};

/* Bytes a ring of `depth` slots of `max_msg` payload bytes needs; 0 if that overflows or
 * depth is 0 or above 2^30 (free-running 32-bit counters tell full from empty only while
 * depth <= 2^31). */
size_t shl_spsc_bytes(size_t depth, size_t max_msg);

/* Formats buffer (SHL_CACHE_LINE-aligned, at least shl_spsc_bytes(depth, max_msg) long) as an
 * empty ring and points rb at it. Fails with EINVAL for a bad buffer or size. */
int shl_spsc_init(struct shl_spsc *rb, void *buffer, size_t length, size_t depth, size_t max_msg,
                  struct shl_error *err);

static inline struct shl_spsc_slot *shl_spsc_slot_at(const struct shl_spsc *rb, uint32_t slot)
{
    return (struct shl_spsc_slot *)(rb->slots + (size_t)slot * rb->slot_size);
}

static inline void shl_spsc_advance(struct shl_spsc *rb)
{
    rb->pos++;
    if (++rb->slot == rb->depth)
        rb->slot = 0;
}

/* --- producer --- */

/* Whether every slot is taken as far as the producer knows (it may know too little: read
 * `consumed` into freed, or wait for it to move, and ask again). */
static inline int shl_spsc_full(const struct shl_spsc *rb)
{
    return rb->pos - rb->freed >= rb->depth;
}

/* Learns the consumer's count from a tag or a read of `consumed` (never goes back). */
static inline void shl_spsc_learn_freed(struct shl_spsc *rb, uint32_t consumed)
{
    if ((int32_t)(consumed - rb->freed) > 0)
        rb->freed = consumed;
}

/* Loan: the next slot's payload (max_msg bytes), to be written in place, or NULL when the
 * ring is full. Nothing is visible to the consumer before commit. */
static inline void *shl_spsc_loan(struct shl_spsc *rb)
{
    if (shl_spsc_full(rb))
        shl_spsc_learn_freed(rb, atomic_load_explicit(rb->consumed, memory_order_acquire));
    if (shl_spsc_full(rb))
        return NULL;
    return shl_spsc_slot_at(rb, rb->slot) + 1;
}

/* Copies len bytes into the loaned slot: the lines the consumer does not poll first, then
 * the polled line, so that it leaves this cache once with the sequence word. */
static inline void shl_spsc_write(struct shl_spsc *rb, const void *buf, size_t len)
{
    struct shl_spsc_slot *slot = shl_spsc_slot_at(rb, rb->slot);
    size_t head = len < SHL_SPSC_HEAD_BYTES ? len : SHL_SPSC_HEAD_BYTES;
    if (len > head)
        memcpy((unsigned char *)slot + SHL_CACHE_LINE, (const unsigned char *)buf + head,
               len - head);
    memcpy(slot + 1, buf, head);
}

/* Commits the loaned slot with `tag` and returns the sequence word to publish it through:
 * the caller stores *value into it with release (shl_notify_post does, and wakes). */
static inline _Atomic uint32_t *shl_spsc_commit_word(struct shl_spsc *rb, uint32_t tag,
                                                     uint32_t *value)
{
    struct shl_spsc_slot *slot = shl_spsc_slot_at(rb, rb->slot);
    slot->tag = tag;
    shl_spsc_advance(rb);
    *value = rb->pos;
    return &slot->seq;
}

/* Commit and publish at once, for a caller that wakes no one. */
static inline void shl_spsc_commit(struct shl_spsc *rb, uint32_t tag)
{
    uint32_t value;
    _Atomic uint32_t *word = shl_spsc_commit_word(rb, tag, &value);
    atomic_store_explicit(word, value, memory_order_release);
}

/* --- consumer --- */

/* The word a consumer waits on for the next message, and the value it holds until that
 * message is in (it becomes *want when it is). */
static inline _Atomic uint32_t *shl_spsc_next_word(const struct shl_spsc *rb, uint32_t *seen,
                                                   uint32_t *want)
{
    *want = rb->pos + 1;
    *seen = *want - rb->depth;
    return &shl_spsc_slot_at(rb, rb->slot)->seq;
}

/* The payload of the next message once its sequence word reads `seq`, with its tag; NULL
 * (nothing in yet, or, if seq is neither, a corrupt ring: EPROTO from shl_spsc_check). */
static inline const void *shl_spsc_peek_at(const struct shl_spsc *rb, uint32_t seq, uint32_t *tag)
{
    if (seq != rb->pos + 1)
        return NULL;
    const struct shl_spsc_slot *slot = shl_spsc_slot_at(rb, rb->slot);
    *tag = slot->tag;
    return slot + 1;
}

/* The tag of the next message, once shl_spsc_peek_at has found it in. */
static inline uint32_t shl_spsc_tag(const struct shl_spsc *rb)
{
    return shl_spsc_slot_at(rb, rb->slot)->tag;
}

/* Peek: the next message's payload, read in place, or NULL when there is none yet. */
static inline const void *shl_spsc_peek(const struct shl_spsc *rb, uint32_t *tag)
{
    uint32_t seen, want;
    _Atomic uint32_t *word = shl_spsc_next_word(rb, &seen, &want);
    return shl_spsc_peek_at(rb, atomic_load_explicit(word, memory_order_acquire), tag);
}

/* Copies len bytes out of the peeked slot, cut at the same line boundary as the write. */
static inline void shl_spsc_read(const struct shl_spsc *rb, void *buf, size_t len)
{
    const struct shl_spsc_slot *slot = shl_spsc_slot_at(rb, rb->slot);
    size_t head = len < SHL_SPSC_HEAD_BYTES ? len : SHL_SPSC_HEAD_BYTES;
    memcpy(buf, slot + 1, head);
    if (len > head)
        memcpy((unsigned char *)buf + head, (const unsigned char *)slot + SHL_CACHE_LINE,
               len - head);
}

/* Releases the peeked slot back to the producer; returns the `consumed` word to publish
 * *value through (with release; shl_notify_post does, and wakes). */
static inline _Atomic uint32_t *shl_spsc_release_word(struct shl_spsc *rb, uint32_t *value)
{
    shl_spsc_advance(rb);
    *value = rb->pos;
    return rb->consumed;
}

static inline void shl_spsc_release(struct shl_spsc *rb)
{
    uint32_t value;
    _Atomic uint32_t *word = shl_spsc_release_word(rb, &value);
    atomic_store_explicit(word, value, memory_order_release);
}

/* The error of a sequence word that is neither the expected message nor the one before. */
int shl_spsc_check(const struct shl_spsc *rb, uint32_t seq, struct shl_error *err);

/* Copying send and receive without waiting: -1 with EAGAIN when full (send) or empty
 * (recv), EMSGSIZE for len 0 or above max_msg, EPROTO for a corrupt ring. */
int shl_spsc_try_send(struct shl_spsc *rb, const void *buf, size_t len, uint32_t tag,
                      struct shl_error *err);
int shl_spsc_try_recv(struct shl_spsc *rb, void *buf, size_t len, uint32_t *tag,
                      struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
