/* What every benchmark message carries, so that its arrival can be checked cheaply: one
 * 64-bit word (a sequence number plus control flags) stamped at the first and last 8 bytes
 * and at three positions in between; every other byte is a fixed pattern that a full check
 * compares on sampled messages outside the timed window. */
#ifndef SHMLAB_BENCH_PAYLOAD_H
#define SHMLAB_BENCH_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags in the stamped word; the low bits are the sequence number, which must grow by
 * exactly one from message to message. */
#define BENCH_WORD_FULL_CHECK (UINT64_C(1) << 63) /* receiver compares every byte */
#define BENCH_WORD_STOP (UINT64_C(1) << 62)       /* the last message: no reply */
#define BENCH_WORD_MARK (UINT64_C(1) << 61)       /* receiver samples its CPU time */
#define BENCH_WORD_ACK (UINT64_C(1) << 60)        /* streaming: receiver acknowledges */
#define BENCH_WORD_SEQ_MASK ((UINT64_C(1) << 60) - 1)

struct bench_payload {
    size_t size;            /* a multiple of 8, >= 8 */
    unsigned char *ref;     /* the pattern, unstamped */
    unsigned char *scratch; /* the expected message, built for a full check */
};

int bench_payload_init(struct bench_payload *p, size_t size, struct shl_error *err);
void bench_payload_free(struct bench_payload *p);

/* A buffer of p->size bytes holding the pattern (caller frees), ready to be stamped. */
unsigned char *bench_payload_new_message(const struct bench_payload *p, struct shl_error *err);

void bench_payload_stamp(void *msg, size_t size, uint64_t word);

/* The stamped word when all stamps agree; -1 (msg torn or stale) otherwise. */
int bench_payload_read_stamp(const void *msg, size_t size, uint64_t *word);

/* Every byte against the pattern stamped with `word`: -1 if equal, else the first
 * differing offset. */
long bench_payload_first_difference(struct bench_payload *p, const void *msg, uint64_t word);

/* The cheap check every message gets: stamps agree and carry `expected` (flags included).
 * On mismatch, fills err (call "verify", EBADMSG) naming what arrived. */
int bench_payload_verify(const void *msg, size_t size, uint64_t expected, struct shl_error *err);

/* The receiver's check when it does not know the flags: stamps agree and carry sequence
 * number `seq`. Returns the whole word (flags included) in *word. */
int bench_payload_accept(const void *msg, size_t size, uint64_t seq, uint64_t *word,
                         struct shl_error *err);

/* The full check, as bench_payload_verify plus every byte. */
int bench_payload_verify_full(struct bench_payload *p, const void *msg, uint64_t expected,
                              struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
