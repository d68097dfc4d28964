#include "src/ring/shl_spsc.h"

#include <errno.h>

static size_t slot_bytes(size_t max_msg)
{
    size_t raw = sizeof(struct shl_spsc_slot) + max_msg;
    if (raw < max_msg || raw > SIZE_MAX - SHL_CACHE_LINE)
        return 0;
    return (raw + SHL_CACHE_LINE - 1) / SHL_CACHE_LINE * SHL_CACHE_LINE;
}

size_t shl_spsc_bytes(size_t depth, size_t max_msg)
{
    size_t slot = slot_bytes(max_msg);
    if (depth == 0 || depth > (1u << 30) || max_msg == 0 || slot == 0 ||
        depth > (SIZE_MAX - SHL_CACHE_LINE) / slot)
        return 0;
    return SHL_CACHE_LINE + depth * slot;
}

int shl_spsc_init(struct shl_spsc *rb, void *buffer, size_t length, size_t depth, size_t max_msg,
                  struct shl_error *err)
{
    size_t need = shl_spsc_bytes(depth, max_msg);
    if (need == 0)
        return shl_fail(err, "shl_spsc_init", EINVAL, "%zu slots of %zu bytes", depth, max_msg);
    if (buffer == NULL || (uintptr_t)buffer % SHL_CACHE_LINE != 0 || length < need)
        return shl_fail(err, "shl_spsc_init", EINVAL,
                        "buffer %p of %zu bytes, need %zu on a %d-byte boundary", buffer, length,
                        need, SHL_CACHE_LINE);
    memset(rb, 0, sizeof *rb);
    rb->consumed = buffer;
    rb->slots = (unsigned char *)buffer + SHL_CACHE_LINE;
    rb->slot_size = slot_bytes(max_msg);
    rb->max_msg = max_msg;
    rb->depth = (uint32_t)depth;
    atomic_init(rb->consumed, 0);
    for (uint32_t i = 0; i < rb->depth; i++)
        atomic_init(&shl_spsc_slot_at(rb, i)->seq, i + 1 - rb->depth);
    return 0;
}

int shl_spsc_check(const struct shl_spsc *rb, uint32_t seq, struct shl_error *err)
{
    uint32_t want = rb->pos + 1;
    if (seq == want || seq == want - rb->depth)
        return 0;
    return shl_fail(err, "shl_spsc_recv", EPROTO, "slot holds message %u, expected %u", seq - 1,
                    want - 1);
}

int shl_spsc_try_send(struct shl_spsc *rb, const void *buf, size_t len, uint32_t tag,
                      struct shl_error *err)
{
    if (len == 0 || len > rb->max_msg)
        return shl_fail(err, "shl_spsc_send", EMSGSIZE, "%zu bytes, max_msg %zu", len, rb->max_msg);
    if (shl_spsc_loan(rb) == NULL)
        return shl_fail(err, "shl_spsc_send", EAGAIN, "all %u slots taken", rb->depth);
    shl_spsc_write(rb, buf, len);
    shl_spsc_commit(rb, tag);
    return 0;
}

int shl_spsc_try_recv(struct shl_spsc *rb, void *buf, size_t len, uint32_t *tag,
                      struct shl_error *err)
{
    if (len == 0 || len > rb->max_msg)
        return shl_fail(err, "shl_spsc_recv", EMSGSIZE, "%zu bytes, max_msg %zu", len, rb->max_msg);
    uint32_t seen, want;
    _Atomic uint32_t *word = shl_spsc_next_word(rb, &seen, &want);
    uint32_t seq = atomic_load_explicit(word, memory_order_acquire);
    if (shl_spsc_check(rb, seq, err) != 0)
        return -1;
    if (shl_spsc_peek_at(rb, seq, tag) == NULL)
        return shl_fail(err, "shl_spsc_recv", EAGAIN, "no message");
    shl_spsc_read(rb, buf, len);
    shl_spsc_release(rb);
    return 0;
}
