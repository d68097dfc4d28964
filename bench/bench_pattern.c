#include "bench/bench_pattern.h"

#include <string.h>

typedef uint64_t __attribute__((may_alias)) word_t;

enum { line_bytes = 64 };

static void fill_words(word_t *w, size_t from, size_t to, uint64_t base)
{
    for (size_t i = from; i < to; i++)
        w[i] = base + i;
}

/* Zero when every word matches, else the bits that differ. */
static uint64_t words_differ(const word_t *w, size_t from, size_t to, uint64_t base)
{
    uint64_t bad = 0;
    for (size_t i = from; i < to; i++)
        bad |= w[i] ^ (base + i);
    return bad;
}

/* The words before msg's first line boundary. A vector that straddles two lines costs two
 * of them, and a ring's slot begins 8 bytes into a line (after its header), so the vector
 * loops start on a boundary. */
static size_t head_words(const void *msg, size_t words)
{
    size_t head = (size_t)(-(uintptr_t)msg % line_bytes) / 8;
    return head < words ? head : words;
}

/* The loops over whole lines, for a vector type of `lanes` words: four vectors a step, so
 * that four independent stores or loads are in flight, with no scalar work inside. A loop
 * over single words is not vectorised by GCC at -O2, and at -O3 with one vector a step and
 * a carried sum it checks at little more than half memcpy's speed; either would charge the
 * benchmark's own loop to the loan it measures. `target` lets the compiler use the wider
 * instructions in these functions only, which run only where the CPU has them. */
struct line_loops {
    size_t step_words;
    void (*fill)(word_t *w, size_t steps, uint64_t first);
    uint64_t (*differ)(const word_t *w, size_t steps, uint64_t first);
};

#define LINE_LOOPS(name, lanes, target)                                                      \
    typedef uint64_t __attribute__((vector_size(8 * (lanes)), may_alias)) name##_vec;        \
    target static void name##_fill(word_t *w, size_t steps, uint64_t first)                  \
    {                                                                                        \
        name##_vec a, *v = (name##_vec *)w;                                                  \
        for (int k = 0; k < (lanes); k++)                                                    \
            a[k] = first + (uint64_t)k;                                                      \
        name##_vec b = a + (lanes), c = a + 2 * (lanes), d = a + 3 * (lanes);                \
        for (size_t i = 0; i < steps; i++, v += 4) {                                         \
            v[0] = a;                                                                        \
            v[1] = b;                                                                        \
            v[2] = c;                                                                        \
            v[3] = d;                                                                        \
            a += 4 * (lanes);                                                                \
            b += 4 * (lanes);                                                                \
            c += 4 * (lanes);                                                                \
            d += 4 * (lanes);                                                                \
        }                                                                                    \
    }                                                                                        \
    target static uint64_t name##_differ(const word_t *w, size_t steps, uint64_t first)      \
    {                                                                                        \
        const name##_vec *v = (const name##_vec *)w;                                         \
        name##_vec a, bad;                                                                   \
        for (int k = 0; k < (lanes); k++) {                                                  \
            a[k] = first + (uint64_t)k;                                                      \
            bad[k] = 0;                                                                      \
        }                                                                                    \
        name##_vec b = a + (lanes), c = a + 2 * (lanes), d = a + 3 * (lanes);                \
        for (size_t i = 0; i < steps; i++, v += 4) {                                         \
            bad |= (v[0] ^ a) | (v[1] ^ b) | (v[2] ^ c) | (v[3] ^ d);                        \
            a += 4 * (lanes);                                                                \
            b += 4 * (lanes);                                                                \
            c += 4 * (lanes);                                                                \
            d += 4 * (lanes);                                                                \
        }                                                                                    \
        uint64_t any = 0;                                                                    \
        for (int k = 0; k < (lanes); k++)                                                    \
            any |= bad[k];                                                                   \
        return any;                                                                          \
    }                                                                                        \
    static const struct line_loops name##_loops = {4 * (lanes), name##_fill, name##_differ}; \
    static void name##_pattern_fill(void *msg, size_t size, uint64_t base)                   \
    {                                                                                        \
        fill_with(&name##_loops, msg, size, base);                                           \
    }                                                                                        \
    static bool name##_pattern_intact(const void *msg, size_t size, uint64_t base)           \
    {                                                                                        \
        return intact_with(&name##_loops, msg, size, base);                                  \
    }

/* The words before the first line boundary, the lines, the words after them, the bytes
 * after the last whole word. */
struct parts {
    size_t words, head, body_end;
};

static struct parts parts_of(const struct line_loops *l, const void *msg, size_t size)
{
    struct parts p = {.words = size / 8};
    p.head = head_words(msg, p.words);
    p.body_end = p.head + (p.words - p.head) / l->step_words * l->step_words;
    return p;
}

static void fill_with(const struct line_loops *l, void *msg, size_t size, uint64_t base)
{
    struct parts p = parts_of(l, msg, size);
    word_t *w = msg;
    fill_words(w, 0, p.head, base);
    l->fill(w + p.head, (p.body_end - p.head) / l->step_words, base + p.head);
    fill_words(w, p.body_end, p.words, base);
    uint64_t tail = base + p.words;
    memcpy((unsigned char *)msg + 8 * p.words, &tail, size % 8);
}

static bool intact_with(const struct line_loops *l, const void *msg, size_t size, uint64_t base)
{
    struct parts p = parts_of(l, msg, size);
    const word_t *w = msg;
    uint64_t bad = words_differ(w, 0, p.head, base) |
                   l->differ(w + p.head, (p.body_end - p.head) / l->step_words, base + p.head) |
                   words_differ(w, p.body_end, p.words, base);
    uint64_t tail = base + p.words;
    return bad == 0 && memcmp((const unsigned char *)msg + 8 * p.words, &tail, size % 8) == 0;
}

/* 16-byte vectors: SSE2 on x86-64 and NEON on arm64 have them without any -m flag, and
 * elsewhere the compiler splits them into words. */
LINE_LOOPS(vector16, 2, )

static bool always(void)
{
    return true;
}

#if defined(__x86_64__)
/* 32-byte vectors halve the instructions per line: on an AMD EPYC (Zen 5) here, reading a
 * 1 MiB message another core has just written took 9.5 us with them against 17.5 us with
 * 16-byte ones. The build targets plain x86-64, so they are chosen at run time, as glibc
 * chooses its memcpy. */
LINE_LOOPS(avx2, 4, __attribute__((target("avx2"))))

static bool avx2_usable(void)
{
    return __builtin_cpu_supports("avx2");
}
#endif

const struct bench_pattern_impl bench_pattern_impls[] = {
#if defined(__x86_64__)
    {"avx2", avx2_usable, avx2_pattern_fill, avx2_pattern_intact},
#endif
    {"vector16", always, vector16_pattern_fill, vector16_pattern_intact},
};
const size_t bench_pattern_n_impls = sizeof bench_pattern_impls / sizeof bench_pattern_impls[0];

static const struct bench_pattern_impl *chosen(void)
{
    /* Chosen once per process; every process that runs it chooses the same. */
    static const struct bench_pattern_impl *impl;
    if (impl == NULL) {
        size_t i = 0;
        while (!bench_pattern_impls[i].usable())
            i++;
        impl = &bench_pattern_impls[i];
    }
    return impl;
}

void bench_pattern_fill(void *msg, size_t size, uint64_t base)
{
    chosen()->fill(msg, size, base);
}

bool bench_pattern_intact(const void *msg, size_t size, uint64_t base)
{
    return chosen()->intact(msg, size, base);
}
