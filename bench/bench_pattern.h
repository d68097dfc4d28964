/* The pattern a zero-copy message is written with in place and checked against in place:
 * the word at index i (8 bytes, little-endian as the CPU stores it) is base + i, and the
 * last size % 8 bytes are the low bytes of base + size / 8. Every word differs from its
 * neighbours and, for different bases, from the same word of another message, so a shifted,
 * stale, torn or partly written message does not pass. Writing and checking it is the work
 * a zero-copy row measures, so both run at the core's memory speed: whole 64-byte lines in
 * vector registers, the widest the CPU has, between the words before the first line
 * boundary and after the last one. */
#ifndef SHMLAB_BENCH_PATTERN_H
#define SHMLAB_BENCH_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* msg is aligned to 8 bytes (a ring's slot and an iceoryx chunk are). */
void bench_pattern_fill(void *msg, size_t size, uint64_t base);

/* True when every byte of msg is what bench_pattern_fill(msg, size, base) wrote. */
bool bench_pattern_intact(const void *msg, size_t size, uint64_t base);

/* One way of writing and checking the pattern; all of them write the same bytes. */
struct bench_pattern_impl {
    const char *name;
    bool (*usable)(void); /* this CPU runs it */
    void (*fill)(void *msg, size_t size, uint64_t base);
    bool (*intact)(const void *msg, size_t size, uint64_t base);
};

/* Widest first; the two functions above use the first usable one. The last is always
 * usable. */
extern const struct bench_pattern_impl bench_pattern_impls[];
extern const size_t bench_pattern_n_impls;

#ifdef __cplusplus
}
#endif

#endif
