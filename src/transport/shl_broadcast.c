#include "src/transport/shl_broadcast.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/shl_cache_line.h"
#include "src/transport/shl_notify.h"

#define MAGIC 0x53424331u /* "SBC1" */
#define SLOT_HEADER 16    /* sequence word and length, before the payload */

struct slot_head {
    _Atomic uint32_t seq;
    uint32_t pad;
    uint64_t len;
};

struct reader_line {
    _Alignas(SHL_CACHE_LINE) _Atomic uint32_t consumed;
};

struct shl_broadcast_shared {
    _Alignas(SHL_CACHE_LINE) uint32_t magic;
    uint32_t readers;
    uint32_t depth;
    uint64_t max_msg;
    struct reader_line consumed[SHL_BROADCAST_MAX_READERS];
    struct shl_notify_signal reader_signal[SHL_BROADCAST_MAX_READERS];
    struct shl_notify_signal writer_signal;
};

struct shl_broadcast {
    struct shl_broadcast_shared *shared;
    unsigned char *slots;
    size_t slot_size;
    size_t max_msg;
    uint32_t depth;
    uint32_t readers;
    struct shl_notify writer_bell;
    struct shl_notify reader_bell[SHL_BROADCAST_MAX_READERS];
    /* Private to whichever process plays the part (each has its own copy after fork). */
    uint32_t pos;          /* writer: messages published */
    uint32_t min_consumed; /* writer: the slowest reader's count, as last read */
    uint32_t cursor[SHL_BROADCAST_MAX_READERS]; /* reader i: messages it has released */
};

static size_t slot_size(size_t max_msg)
{
    return (SLOT_HEADER + max_msg + SHL_CACHE_LINE - 1) / SHL_CACHE_LINE * SHL_CACHE_LINE;
}

size_t shl_broadcast_size(uint32_t readers, uint32_t depth, size_t max_msg)
{
    if (readers == 0 || readers > SHL_BROADCAST_MAX_READERS || depth == 0 ||
        depth > SHL_BROADCAST_MAX_DEPTH || max_msg == 0 || max_msg > ((size_t)1 << 40))
        return 0;
    return sizeof(struct shl_broadcast_shared) + (size_t)depth * slot_size(max_msg);
}

static struct slot_head *slot_at(const struct shl_broadcast *b, uint32_t pos)
{
    return (struct slot_head *)(b->slots + (size_t)(pos % b->depth) * b->slot_size);
}

int shl_broadcast_init(struct shl_broadcast **out, void *mem, size_t len, uint32_t readers,
                       uint32_t depth, size_t max_msg, enum shl_notify_kind wait,
                       struct shl_error *err)
{
    *out = NULL;
    enum shl_notify_kind kind = wait == SHL_NOTIFY_NONE ? SHL_NOTIFY_DEFAULT : wait;
    if ((unsigned)kind >= SHL_NOTIFY_COUNT)
        return shl_fail(err, "shl_broadcast_init", EINVAL, "no waiting strategy %d", (int)wait);
    size_t need = shl_broadcast_size(readers, depth, max_msg);
    if (need == 0)
        return shl_fail(err, "shl_broadcast_init", EINVAL,
                        "%u readers (1..%d), depth %u, max_msg %zu", readers,
                        SHL_BROADCAST_MAX_READERS, depth, max_msg);
    if (len < need || ((uintptr_t)mem % SHL_CACHE_LINE) != 0)
        return shl_fail(err, "shl_broadcast_init", EINVAL,
                        "%zu bytes at %p: needs %zu, 64-byte aligned", len, mem, need);
    struct shl_broadcast *b = calloc(1, sizeof *b);
    if (b == NULL)
        return shl_fail(err, "calloc", errno, "broadcast ring");
    struct shl_broadcast_shared *s = mem;
    memset(s, 0, sizeof *s);
    s->magic = MAGIC;
    s->readers = readers;
    s->depth = depth;
    s->max_msg = max_msg;
    b->shared = s;
    b->slots = (unsigned char *)mem + sizeof *s;
    b->slot_size = slot_size(max_msg);
    b->max_msg = max_msg;
    b->depth = depth;
    b->readers = readers;
    for (uint32_t i = 0; i < depth; i++)
        atomic_init(&slot_at(b, i)->seq, 0);
    if (shl_notify_init(&b->writer_bell, kind, &s->writer_signal, err) != 0) {
        free(b);
        return -1;
    }
    for (uint32_t i = 0; i < readers; i++) {
        if (shl_notify_init(&b->reader_bell[i], kind, &s->reader_signal[i], err) != 0) {
            for (uint32_t j = 0; j < i; j++)
                shl_notify_release(&b->reader_bell[j]);
            shl_notify_release(&b->writer_bell);
            free(b);
            return -1;
        }
    }
    *out = b;
    return 0;
}

void shl_broadcast_close(struct shl_broadcast *b)
{
    if (b == NULL)
        return;
    shl_notify_release(&b->writer_bell);
    for (uint32_t i = 0; i < b->readers; i++)
        shl_notify_release(&b->reader_bell[i]);
    free(b);
}

static int never_gone(void *arg)
{
    (void)arg;
    return 0;
}

/* The slowest reader's count, and which reader that is. */
static uint32_t slowest(const struct shl_broadcast *b, uint32_t pos, uint32_t *which)
{
    uint32_t behind_most = 0, at = pos;
    for (uint32_t i = 0; i < b->readers; i++) {
        uint32_t c = atomic_load_explicit(&b->shared->consumed[i].consumed, memory_order_acquire);
        if (pos - c >= behind_most) {
            behind_most = pos - c;
            at = c;
            *which = i;
        }
    }
    return at;
}

int shl_broadcast_loan(struct shl_broadcast *b, void **slot, int timeout_ms, struct shl_error *err)
{
    const struct shl_notify_wait w = {.timeout_ms = timeout_ms, .peer_gone = never_gone};
    while (b->pos - b->min_consumed >= b->depth) {
        uint32_t reader = 0;
        b->min_consumed = slowest(b, b->pos, &reader);
        if (b->pos - b->min_consumed < b->depth)
            break;
        uint32_t now;
        if (shl_notify_wait_moved(&b->writer_bell, &b->shared->consumed[reader].consumed,
                                  b->min_consumed, NULL, &now, &w, err) != 0)
            return -1;
    }
    *slot = (unsigned char *)slot_at(b, b->pos) + SLOT_HEADER;
    return 0;
}

void shl_broadcast_commit(struct shl_broadcast *b, size_t len)
{
    struct slot_head *h = slot_at(b, b->pos);
    h->len = len;
    b->pos++;
    /* Each reader has its own doorbell; the first post's release store publishes. */
    for (uint32_t i = 0; i < b->readers; i++)
        shl_notify_post(&b->reader_bell[i], &h->seq, b->pos);
}

int shl_broadcast_publish(struct shl_broadcast *b, const void *msg, size_t len, int timeout_ms,
                          struct shl_error *err)
{
    if (len == 0 || len > b->max_msg)
        return shl_fail(err, "shl_broadcast_publish", EMSGSIZE, "%zu bytes, max_msg %zu", len,
                        b->max_msg);
    void *slot;
    if (shl_broadcast_loan(b, &slot, timeout_ms, err) != 0)
        return -1;
    memcpy(slot, msg, len);
    shl_broadcast_commit(b, len);
    return 0;
}

int shl_broadcast_read(struct shl_broadcast *b, uint32_t reader, const void **msg, size_t *len,
                       int timeout_ms, struct shl_error *err)
{
    if (reader >= b->readers)
        return shl_fail(err, "shl_broadcast_read", EINVAL, "reader %u of %u", reader, b->readers);
    uint32_t c = b->cursor[reader];
    struct slot_head *h = slot_at(b, c);
    const struct shl_notify_wait w = {.timeout_ms = timeout_ms, .peer_gone = never_gone};
    uint32_t seq = atomic_load_explicit(&h->seq, memory_order_acquire);
    while (seq != c + 1) {
        /* An older value (the slot's previous round) moves to c + 1 next: wait for it. */
        const void *second_line = b->slot_size > SHL_CACHE_LINE
                                      ? (unsigned char *)h + SHL_CACHE_LINE
                                      : NULL;
        if (shl_notify_wait_moved(&b->reader_bell[reader], &h->seq, seq, second_line, &seq, &w,
                                  err) != 0)
            return -1;
    }
    *msg = (unsigned char *)h + SLOT_HEADER;
    *len = (size_t)h->len;
    return 0;
}

void shl_broadcast_release(struct shl_broadcast *b, uint32_t reader)
{
    uint32_t c = ++b->cursor[reader];
    shl_notify_post(&b->writer_bell, &b->shared->consumed[reader].consumed, c);
}
