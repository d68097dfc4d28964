#include "src/transport/shl_ring.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "src/core/shl_cache_line.h"
#include "src/ring/shl_liveness.h"
#include "src/ring/shl_spsc.h"
#include "src/shm/shl_segment.h"
#include "src/transport/shl_notify.h"

/* The segment's header; the two rings follow it, each on whole cache lines. */
struct shl_ring_shared {
    struct shl_liveness liveness;
    struct {
        struct shl_notify_signal data_bell; /* the consumer, asleep until a message comes */
        struct shl_notify_signal room_bell; /* the producer, asleep until a slot comes free */
    } bell[2];                              /* ring[0]: A->B, ring[1]: B->A */
};

/* One direction as this process sees it. */
struct shl_ring_end {
    struct shl_notify data; /* wakes the consumer: posted on a slot's sequence word */
    struct shl_notify room; /* wakes the producer: posted on the consumed count */
    struct shl_spsc rb;
};

struct shl_ring {
    struct shl_segment seg;
    struct shl_ring_end ring[2];
    struct shl_peer peer;
    struct shl_notify_wait wait;
};

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

static void release(struct shl_ring *r)
{
    for (int d = 0; d < 2; d++) {
        shl_notify_release(&r->ring[d].data);
        shl_notify_release(&r->ring[d].room);
    }
    shl_segment_release(&r->seg);
    free(r);
}

static int init_shared(struct shl_ring *r, enum shl_notify_kind kind, size_t ring_bytes,
                       const struct shl_channel_spec *spec, struct shl_error *err)
{
    struct shl_ring_shared *shared = r->seg.map.addr;
    if (shl_liveness_init(&shared->liveness, &r->peer, err) != 0)
        return -1;
    unsigned char *rings = (unsigned char *)shared + round_up(sizeof *shared, SHL_CACHE_LINE);
    for (int d = 0; d < 2; d++) {
        struct shl_ring_end *e = &r->ring[d];
        if (shl_spsc_init(&e->rb, rings + (size_t)d * ring_bytes, ring_bytes, spec->depth,
                          spec->max_msg, err) != 0 ||
            shl_notify_init(&e->data, kind, &shared->bell[d].data_bell, err) != 0 ||
            shl_notify_init(&e->room, kind, &shared->bell[d].room_bell, err) != 0)
            return -1;
    }
    return 0;
}

int shl_ring_create(struct shl_channel *ch, struct shl_error *err)
{
    enum shl_notify_kind kind = ch->spec.notify == SHL_NOTIFY_NONE ? SHL_NOTIFY_DEFAULT
                                                                   : ch->spec.notify;
    size_t ring_bytes = shl_spsc_bytes(ch->spec.depth, ch->spec.max_msg);
    size_t header = round_up(sizeof(struct shl_ring_shared), SHL_CACHE_LINE);
    if (ring_bytes == 0 || ring_bytes > (SIZE_MAX - header) / 2)
        return shl_fail(err, "shl_ring_create", ch->spec.depth > (1u << 30) ? EINVAL : EOVERFLOW,
                        "%zu slots of %zu bytes", ch->spec.depth, ch->spec.max_msg);
    struct shl_ring *r = calloc(1, sizeof *r);
    if (r == NULL)
        return shl_fail(err, "calloc", errno, "ring channel");
    for (int d = 0; d < 2; d++)
        r->ring[d].data.efd = r->ring[d].room.efd = -1;
    /* The segment's pages are faulted in before init: the touch writes a byte at the
     * start of every page, which would clobber a sequence word (or a mutex) there. */
    size_t bytes = header + 2 * ring_bytes;
    int made = ch->transport->unnamed == SHL_UNNAMED_ANON
                   ? shl_segment_create_anon(&r->seg, bytes, err)
               : ch->transport->unnamed == SHL_UNNAMED_MEMFD
                   ? shl_segment_create_memfd(&r->seg, bytes, err)
                   : shl_segment_create(&r->seg, ch->transport->mech, bytes, err);
    if (made != 0 || init_shared(r, kind, ring_bytes, &ch->spec, err) != 0) {
        release(r);
        return -1;
    }
    r->wait = (struct shl_notify_wait){.timeout_ms = ch->spec.timeout_ms,
                                       .spin_budget_ns = ch->spec.spin_budget_ns,
                                       .peer_gone = shl_liveness_peer_gone,
                                       .arg = &r->peer};
    ch->impl = r;
    return 0;
}

int shl_ring_join(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_ring *r = ch->impl;
    return shl_liveness_join(&r->peer, ch->side == SHL_SIDE_A ? 0 : 1, err);
}

static int ring_ready(const struct shl_ring *r, struct shl_error *err)
{
    if (r->peer.side < 0)
        return shl_fail(err, "shl_ring", EINVAL, "channel not joined");
    return 0;
}

/* Waits until this side's outgoing ring has a free slot. */
static int wait_room(struct shl_ring *r, int side, struct shl_error *err)
{
    struct shl_spsc *out = &r->ring[side].rb; /* A sends on ring 0, B on ring 1 */
    while (shl_spsc_full(out)) {
        if (shl_notify_wait_moved(&r->ring[side].room, out->consumed, out->freed, NULL, &out->freed,
                                  &r->wait, err) != 0)
            return -1;
    }
    return 0;
}

static void publish(struct shl_ring *r, int side)
{
    /* The tag tells the peer how far this side has read what it sends. */
    uint32_t value;
    _Atomic uint32_t *word = shl_spsc_commit_word(&r->ring[side].rb, r->ring[1 - side].rb.pos,
                                                  &value);
    shl_notify_post(&r->ring[side].data, word, value);
}

int shl_ring_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    struct shl_ring *r = ch->impl;
    if (ring_ready(r, err) != 0)
        return -1;
    int side = r->peer.side;
    if (wait_room(r, side, err) != 0)
        return -1;
    shl_spsc_write(&r->ring[side].rb, buf, len);
    publish(r, side);
    return 0;
}

int shl_ring_loan(struct shl_channel *ch, size_t len, void **slot, struct shl_error *err)
{
    (void)len;
    struct shl_ring *r = ch->impl;
    if (ring_ready(r, err) != 0 || wait_room(r, r->peer.side, err) != 0)
        return -1;
    *slot = shl_spsc_loan(&r->ring[r->peer.side].rb);
    return 0;
}

void shl_ring_commit(struct shl_channel *ch, size_t len)
{
    (void)len;
    struct shl_ring *r = ch->impl;
    publish(r, r->peer.side);
}

/* Waits for the next incoming message: its payload in place, or NULL with err set. */
static const void *wait_message(struct shl_ring *r, int side, size_t len, struct shl_error *err)
{
    struct shl_spsc *in = &r->ring[1 - side].rb;
    uint32_t seen, want, seq, tag;
    _Atomic uint32_t *word = shl_spsc_next_word(in, &seen, &want);
    /* The waiter prefetches the slot's second line while it polls the first. */
    const unsigned char *rest = (const unsigned char *)word + SHL_CACHE_LINE;
    if (shl_notify_wait_moved(&r->ring[1 - side].data, word, seen,
                              len > SHL_SPSC_HEAD_BYTES ? rest : NULL, &seq, &r->wait, err) != 0)
        return NULL;
    const void *msg = shl_spsc_peek_at(in, seq, &tag);
    if (msg == NULL) {
        shl_spsc_check(in, seq, err);
        return NULL;
    }
    /* The peer's tag tells how far it has read what this side sends: the next send finds
     * room without fetching the peer's `consumed` line (a ping-pong never fetches it). */
    shl_spsc_learn_freed(&r->ring[side].rb, tag);
    return msg;
}

static void give_back(struct shl_ring *r, int side)
{
    uint32_t value;
    _Atomic uint32_t *word = shl_spsc_release_word(&r->ring[1 - side].rb, &value);
    shl_notify_post(&r->ring[1 - side].room, word, value);
}

int shl_ring_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    struct shl_ring *r = ch->impl;
    if (ring_ready(r, err) != 0)
        return -1;
    int side = r->peer.side;
    if (wait_message(r, side, len, err) == NULL)
        return -1;
    shl_spsc_read(&r->ring[1 - side].rb, buf, len);
    give_back(r, side);
    return 0;
}

int shl_ring_peek(struct shl_channel *ch, size_t len, const void **msg, struct shl_error *err)
{
    struct shl_ring *r = ch->impl;
    if (ring_ready(r, err) != 0)
        return -1;
    *msg = wait_message(r, r->peer.side, len, err);
    return *msg != NULL ? 0 : -1;
}

void shl_ring_release(struct shl_channel *ch)
{
    struct shl_ring *r = ch->impl;
    give_back(r, r->peer.side);
}

void shl_ring_close(struct shl_channel *ch)
{
    struct shl_ring *r = ch->impl;
    int side = r->peer.side;
    if (side >= 0) {
        shl_liveness_close(&r->peer);
        /* A peer asleep on either ring wakes now and finds the flag: as a consumer it can
         * only sleep on the slot this side fills next, as a producer on `consumed`. */
        struct shl_ring_end *out = &r->ring[side], *in = &r->ring[1 - side];
        uint32_t seen, want;
        shl_notify_wake(&out->data, shl_spsc_next_word(&out->rb, &seen, &want));
        shl_notify_wake(&in->room, in->rb.consumed);
        shl_liveness_leave(&r->peer);
    }
    release(r);
}
