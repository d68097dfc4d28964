#include "bench/bench_payload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { n_stamps = 5 };

/* Offsets of the stamps: 8-byte aligned (size is a multiple of 8), duplicates allowed for
 * small sizes since they then hold the same word at the same place. */
static void stamp_offsets(size_t size, size_t offsets[n_stamps])
{
    size_t words = size / 8;
    offsets[0] = 0;
    offsets[1] = (words / 4) * 8;
    offsets[2] = (words / 2) * 8;
    offsets[3] = (3 * words / 4) * 8;
    offsets[4] = size - 8;
}

int bench_payload_init(struct bench_payload *p, size_t size, struct shl_error *err)
{
    if (size < 8 || size % 8 != 0)
        return shl_fail(err, "bench_payload_init", EINVAL, "size %zu", size);
    p->size = size;
    p->ref = malloc(size);
    p->scratch = malloc(size);
    if (p->ref == NULL || p->scratch == NULL) {
        bench_payload_free(p);
        return shl_fail(err, "malloc", ENOMEM, "%zu-byte payload", size);
    }
    /* A pattern that differs byte to byte and from one 8-byte word to the next, so a shifted
     * or partly copied message does not match by chance. */
    uint64_t x = UINT64_C(0x9E3779B97F4A7C15);
    for (size_t i = 0; i < size; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(p->ref + i, &x, 8);
    }
    return 0;
}

void bench_payload_free(struct bench_payload *p)
{
    free(p->ref);
    free(p->scratch);
    p->ref = p->scratch = NULL;
}

unsigned char *bench_payload_new_message(const struct bench_payload *p, struct shl_error *err)
{
    unsigned char *msg = malloc(p->size);
    if (msg == NULL) {
        shl_fail(err, "malloc", ENOMEM, "%zu-byte message", p->size);
        return NULL;
    }
    memcpy(msg, p->ref, p->size);
    return msg;
}

void bench_payload_stamp(void *msg, size_t size, uint64_t word)
{
    size_t offsets[n_stamps];
    stamp_offsets(size, offsets);
    for (int i = 0; i < n_stamps; i++)
        memcpy((unsigned char *)msg + offsets[i], &word, 8);
}

int bench_payload_read_stamp(const void *msg, size_t size, uint64_t *word)
{
    size_t offsets[n_stamps];
    stamp_offsets(size, offsets);
    memcpy(word, msg, 8);
    for (int i = 1; i < n_stamps; i++) {
        uint64_t other;
        memcpy(&other, (const unsigned char *)msg + offsets[i], 8);
        if (other != *word)
            return -1;
    }
    return 0;
}

long bench_payload_first_difference(struct bench_payload *p, const void *msg, uint64_t word)
{
    memcpy(p->scratch, p->ref, p->size);
    bench_payload_stamp(p->scratch, p->size, word);
    if (memcmp(p->scratch, msg, p->size) == 0)
        return -1;
    const unsigned char *got = msg;
    size_t i = 0;
    while (got[i] == p->scratch[i])
        i++;
    return (long)i;
}

int bench_payload_verify(const void *msg, size_t size, uint64_t expected, struct shl_error *err)
{
    uint64_t word;
    if (bench_payload_read_stamp(msg, size, &word) != 0)
        return shl_fail(err, "verify", EBADMSG, "torn message, expected seq %llu",
                        (unsigned long long)(expected & BENCH_WORD_SEQ_MASK));
    if (word != expected)
        return shl_fail(err, "verify", EBADMSG, "seq %llu flags %llx, expected seq %llu",
                        (unsigned long long)(word & BENCH_WORD_SEQ_MASK),
                        (unsigned long long)(word >> 60),
                        (unsigned long long)(expected & BENCH_WORD_SEQ_MASK));
    return 0;
}

int bench_payload_accept(const void *msg, size_t size, uint64_t seq, uint64_t *word,
                         struct shl_error *err)
{
    if (bench_payload_read_stamp(msg, size, word) != 0)
        return shl_fail(err, "verify", EBADMSG, "torn message, expected seq %llu",
                        (unsigned long long)seq);
    if ((*word & BENCH_WORD_SEQ_MASK) != seq)
        return shl_fail(err, "verify", EBADMSG, "seq %llu, expected %llu",
                        (unsigned long long)(*word & BENCH_WORD_SEQ_MASK), (unsigned long long)seq);
    return 0;
}

int bench_payload_verify_full(struct bench_payload *p, const void *msg, uint64_t expected,
                              struct shl_error *err)
{
    if (bench_payload_verify(msg, p->size, expected, err) != 0)
        return -1;
    long at = bench_payload_first_difference(p, msg, expected);
    if (at >= 0)
        return shl_fail(err, "verify", EBADMSG, "seq %llu: byte %ld differs",
                        (unsigned long long)(expected & BENCH_WORD_SEQ_MASK), at);
    return 0;
}
