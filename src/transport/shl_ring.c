#include "src/transport/shl_ring.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "src/shm/shl_shm.h"
#include "src/transport/shl_notify.h"

struct shl_ring_side {
    _Alignas(SHL_CACHE_LINE) pthread_mutex_t alive; /* held by this side from join to close */
    _Atomic int joined;
    _Atomic int closed;
};

/* A counter on a cache line of its own, written by one side only. */
struct shl_ring_count {
    _Alignas(SHL_CACHE_LINE) _Atomic uint32_t value;
};

struct shl_ring_shared {
    struct shl_ring_side side[2];
    struct {
        struct shl_ring_count consumed;     /* messages taken out, written by the consumer */
        struct shl_notify_signal data_bell; /* the consumer, asleep until a message comes */
        struct shl_notify_signal room_bell; /* the producer, asleep until a slot comes free */
    } ring[2];                              /* ring[0]: A->B, ring[1]: B->A */
};

/* The start of every slot; the payload follows at once. The sequence word shares its cache
 * line with the first SHL_CACHE_LINE - sizeof(struct shl_ring_slot) bytes of the payload on
 * purpose: the line that tells the consumer "message pos is here" is the line that carries
 * it, so a small message moves one line from producer to consumer and nothing else. That
 * is safe because the word is stored with release after the payload and loaded with
 * acquire before it (ipc-bench's trouble is a plain byte flag without that ordering, not
 * the co-location). The consumer never writes the slot, so the producer never has to
 * fetch a line back before it reuses it. */
struct shl_ring_slot {
    _Atomic uint32_t seq; /* pos + 1 once message pos is in; before the first message of
                           * slot i, i + 1 - depth (as if message i - depth had been) */
    uint32_t ack;         /* the sender's count of messages taken from the other ring when
                           * it sent this one: a free "consumed" for the receiver's sends */
};

/* Payload bytes that share the first line with the slot's header. Copies are cut at that
 * line boundary, so that no access straddles two lines (a straddling store needs both
 * lines owned at once and, with the consumer polling the first, takes it several times). */
#define SLOT_HEAD_BYTES (SHL_CACHE_LINE - sizeof(struct shl_ring_slot))

/* One direction as this process sees it. */
struct shl_ring_end {
    struct shl_notify data; /* wakes the consumer: posted on a slot's sequence word */
    struct shl_notify room; /* wakes the producer: posted on the consumed count */
    unsigned char *slots;
    _Atomic uint32_t *consumed;
    uint32_t pos;   /* messages this side put in (producer) or took out (consumer) */
    uint32_t slot;  /* pos % depth, kept without a division */
    uint32_t freed; /* producer: the consumer's count as last learnt, from `consumed` or an
                     * ack; every slot below freed + depth may be written */
};

struct shl_ring {
    struct shl_map map;
    enum shl_mech mech;
    struct shl_ring_shared *shared;
    struct shl_ring_end ring[2];
    size_t slot_size;
    uint32_t depth;
    int side; /* this process's side once joined, else -1 */
    int peer_gone; /* sticky: once gone, always gone */
    struct shl_notify_wait wait;
};

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

static struct shl_ring_slot *slot_at(const struct shl_ring *r, const struct shl_ring_end *e,
                                     uint32_t slot)
{
    return (struct shl_ring_slot *)(e->slots + (size_t)slot * r->slot_size);
}

static void advance(const struct shl_ring *r, struct shl_ring_end *e)
{
    e->pos++;
    if (++e->slot == r->depth)
        e->slot = 0;
}

static int peer_gone(void *arg)
{
    struct shl_ring *r = arg;
    if (r->peer_gone)
        return 1;
    struct shl_ring_side *peer = &r->shared->side[1 - r->side];
    if (!atomic_load_explicit(&peer->joined, memory_order_acquire))
        return 0; /* not there yet: only the timeout can tell */
    if (atomic_load_explicit(&peer->closed, memory_order_acquire)) {
        r->peer_gone = 1;
        return 1;
    }
    int rc = pthread_mutex_trylock(&peer->alive);
    if (rc == EBUSY)
        return 0;
    /* EOWNERDEAD: it died holding the mutex (now ours, released again and left
     * unrecoverable); 0: it let go without closing; anything else: cannot be alive. */
    if (rc == 0 || rc == EOWNERDEAD)
        pthread_mutex_unlock(&peer->alive);
    r->peer_gone = 1;
    return 1;
}

static int init_shared(struct shl_ring *r, enum shl_notify_kind kind, struct shl_error *err)
{
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);
    if (rc == 0)
        rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if (rc == 0)
        rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    for (int s = 0; s < 2 && rc == 0; s++)
        rc = pthread_mutex_init(&r->shared->side[s].alive, &attr);
    pthread_mutexattr_destroy(&attr);
    if (rc != 0)
        return shl_fail(err, "pthread_mutex_init", rc, "robust, process-shared");
    unsigned char *slots = (unsigned char *)r->map.addr +
                           round_up(sizeof *r->shared, SHL_CACHE_LINE);
    for (int d = 0; d < 2; d++) {
        struct shl_ring_end *e = &r->ring[d];
        e->slots = slots + (size_t)d * r->depth * r->slot_size;
        e->consumed = &r->shared->ring[d].consumed.value;
        atomic_init(e->consumed, 0);
        for (uint32_t i = 0; i < r->depth; i++)
            atomic_init(&slot_at(r, e, i)->seq, i + 1 - r->depth);
        if (shl_notify_init(&e->data, kind, &r->shared->ring[d].data_bell, err) != 0 ||
            shl_notify_init(&e->room, kind, &r->shared->ring[d].room_bell, err) != 0)
            return -1;
    }
    return 0;
}

static void release(struct shl_ring *r)
{
    for (int d = 0; d < 2; d++) {
        shl_notify_release(&r->ring[d].data);
        shl_notify_release(&r->ring[d].room);
    }
    if (r->map.addr != NULL) {
        /* The object was destroyed in create; unmapping needs only its mechanism. */
        struct shl_shm unmapper = {.mech = r->mech};
        shl_shm_unmap(&unmapper, &r->map, NULL);
    }
    free(r);
}

/* Makes the segment, maps it and removes its name at once (the mapping survives fork). */
static int map_segment(struct shl_ring *r, size_t size, struct shl_error *err)
{
    struct shl_shm_spec spec = {
        .mech = r->mech,
        .size = size,
        .mode = 0600,
        /* Reserving the blocks turns a full /dev/shm or disk into ENOSPC here, not a
         * SIGBUS on first touch; System V segments are charged at shmget already. */
        .flags = r->mech == SHL_MECH_SYSV ? 0 : SHL_CREATE_RESERVE,
    };
    struct shl_shm obj;
    if (shl_shm_create(&obj, &spec, err) != 0)
        return -1;
    int rc = shl_shm_map(&obj, NULL, 0, PROT_READ | PROT_WRITE, 0, &r->map, err);
    struct shl_error ignored;
    if (shl_shm_destroy(&obj, rc == 0 ? err : &ignored) != 0 && rc == 0)
        return -1; /* release() unmaps */
    return rc;
}

int shl_ring_create(struct shl_channel *ch, struct shl_error *err)
{
    enum shl_notify_kind kind;
    enum shl_mech mech;
    if (shl_notify_parse(ch->spec.notify, &kind) != 0 ||
        shl_mech_parse(ch->transport->name, &mech) != 0)
        return shl_fail(err, "shl_ring_create", EINVAL, "%s/%s", ch->transport->name,
                        ch->spec.notify);
    /* Free-running 32-bit indices tell full from empty only while depth <= 2^31. */
    if (ch->spec.depth > (1u << 30))
        return shl_fail(err, "shl_ring_create", EINVAL, "depth %zu", ch->spec.depth);
    size_t slot_size = round_up(sizeof(struct shl_ring_slot) + ch->spec.max_msg, SHL_CACHE_LINE);
    size_t header = round_up(sizeof(struct shl_ring_shared), SHL_CACHE_LINE);
    if (slot_size <= ch->spec.max_msg || ch->spec.depth > (SIZE_MAX - header) / 2 / slot_size)
        return shl_fail(err, "shl_ring_create", EOVERFLOW, "%zu slots of %zu bytes",
                        ch->spec.depth, ch->spec.max_msg);
    size_t size = header + 2 * ch->spec.depth * slot_size;

    struct shl_ring *r = calloc(1, sizeof *r);
    if (r == NULL)
        return shl_fail(err, "calloc", errno, "ring channel");
    r->mech = mech;
    r->slot_size = slot_size;
    r->depth = (uint32_t)ch->spec.depth;
    r->side = -1;
    for (int d = 0; d < 2; d++)
        r->ring[d].data.efd = r->ring[d].room.efd = -1;
    if (map_segment(r, size, err) != 0) {
        release(r);
        return -1;
    }
    /* Fault every page in now, so that neither side pays for it in its first messages.
     * Before init_shared: the touch writes a byte at the start of every page, which would
     * clobber a sequence word (or the mutex) that begins there. */
    shl_map_touch(&r->map, 1);
    r->shared = r->map.addr;
    if (init_shared(r, kind, err) != 0) {
        release(r);
        return -1;
    }
    r->wait = (struct shl_notify_wait){.timeout_ms = ch->spec.timeout_ms,
                                       .spin_budget_ns = ch->spec.spin_budget_ns,
                                       .peer_gone = peer_gone, .arg = r};
    ch->impl = r;
    return 0;
}

int shl_ring_join(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_ring *r = ch->impl;
    if (r->side >= 0)
        return shl_fail(err, "shl_ring_join", EALREADY, "side %c", r->side ? 'B' : 'A');
    int side = ch->side == SHL_SIDE_A ? 0 : 1;
    struct shl_ring_side *me = &r->shared->side[side];
    int rc = pthread_mutex_lock(&me->alive);
    if (rc != 0)
        return shl_fail(err, "pthread_mutex_lock", rc, "side %c liveness", side ? 'B' : 'A');
    r->side = side;
    atomic_store_explicit(&me->joined, 1, memory_order_release);
    return 0;
}

static int ring_ready(const struct shl_ring *r, struct shl_error *err)
{
    if (r->side < 0)
        return shl_fail(err, "shl_ring", EINVAL, "channel not joined");
    return 0;
}

int shl_ring_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    struct shl_ring *r = ch->impl;
    if (ring_ready(r, err) != 0)
        return -1;
    struct shl_ring_end *out = &r->ring[r->side]; /* A sends on ring 0, B on ring 1 */
    while (out->pos - out->freed >= r->depth) {
        if (shl_notify_wait_moved(&out->room, out->consumed, out->freed, NULL, &out->freed,
                                  &r->wait, err) != 0)
            return -1;
    }
    struct shl_ring_slot *slot = slot_at(r, out, out->slot);
    size_t head = len < SLOT_HEAD_BYTES ? len : SLOT_HEAD_BYTES;
    /* The lines the consumer does not poll first; then the polled line in one burst of
     * stores (payload head, ack, sequence word), so that it leaves this cache once. */
    if (len > head)
        memcpy((unsigned char *)slot + SHL_CACHE_LINE, (const unsigned char *)buf + head,
               len - head);
    memcpy(slot + 1, buf, head);
    slot->ack = r->ring[1 - r->side].pos;
    advance(r, out);
    shl_notify_post(&out->data, &slot->seq, out->pos);
    return 0;
}

int shl_ring_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    struct shl_ring *r = ch->impl;
    if (ring_ready(r, err) != 0)
        return -1;
    struct shl_ring_end *in = &r->ring[1 - r->side];
    struct shl_ring_slot *slot = slot_at(r, in, in->slot);
    uint32_t want = in->pos + 1, seq;
    const unsigned char *rest = (unsigned char *)slot + SHL_CACHE_LINE;
    if (shl_notify_wait_moved(&in->data, &slot->seq, want - r->depth,
                              len > SLOT_HEAD_BYTES ? rest : NULL, &seq, &r->wait, err) != 0)
        return -1;
    if (seq != want)
        return shl_fail(err, "shl_ring_recv", EPROTO, "slot holds message %u, expected %u",
                        seq - 1, want - 1);
    /* The peer's ack tells how far it has read what this side sends: the next send finds
     * room without fetching the peer's `consumed` line (a ping-pong never fetches it). */
    struct shl_ring_end *out = &r->ring[r->side];
    if ((int32_t)(slot->ack - out->freed) > 0)
        out->freed = slot->ack;
    size_t head = len < SLOT_HEAD_BYTES ? len : SLOT_HEAD_BYTES;
    memcpy(buf, slot + 1, head);
    if (len > head)
        memcpy((unsigned char *)buf + head, rest, len - head);
    advance(r, in);
    shl_notify_post(&in->room, in->consumed, in->pos);
    return 0;
}

void shl_ring_close(struct shl_channel *ch)
{
    struct shl_ring *r = ch->impl;
    if (r->side >= 0) {
        struct shl_ring_side *me = &r->shared->side[r->side];
        atomic_store_explicit(&me->closed, 1, memory_order_release);
        /* A peer asleep on either ring wakes now and finds the flag: as a consumer it can
         * only sleep on the slot this side fills next, as a producer on `consumed`. */
        struct shl_ring_end *out = &r->ring[r->side], *in = &r->ring[1 - r->side];
        shl_notify_wake(&out->data, &slot_at(r, out, out->slot)->seq);
        shl_notify_wake(&in->room, in->consumed);
        pthread_mutex_unlock(&me->alive);
    }
    release(r);
}
