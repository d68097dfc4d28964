/* The ring alone, on plain memory (malloc'd and mmap'd), with every payload checked: fill
 * and drain, wrap-around, the loan API, a corrupt sequence word, and a producer and a
 * consumer thread racing over many laps. */
#include "src/ring/shl_spsc.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static int failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* The byte at offset i of message n: differs per message and per offset. */
static unsigned char pattern(uint32_t n, size_t i)
{
    return (unsigned char)(n * 131u + i * 7u + 1u);
}

static void fill(unsigned char *buf, uint32_t n, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern(n, i);
}

static int intact(const unsigned char *buf, uint32_t n, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != pattern(n, i))
            return 0;
    return 1;
}

static void *aligned(size_t bytes)
{
    void *p = NULL;
    return posix_memalign(&p, SHL_CACHE_LINE, bytes) == 0 ? p : NULL;
}

static void test_init_refuses_bad_buffers(void)
{
    struct shl_spsc rb;
    struct shl_error err = {0};
    size_t need = shl_spsc_bytes(4, 100);
    CHECK(need == SHL_CACHE_LINE + 4 * 128);
    unsigned char *mem = aligned(need + SHL_CACHE_LINE);
    CHECK(shl_spsc_init(&rb, mem, need - 1, 4, 100, &err) == -1 && err.errnum == EINVAL);
    CHECK(shl_spsc_init(&rb, mem + 8, need, 4, 100, &err) == -1 && err.errnum == EINVAL);
    CHECK(shl_spsc_init(&rb, mem, need, 0, 100, &err) == -1 && err.errnum == EINVAL);
    CHECK(shl_spsc_init(&rb, mem, need, 4, 0, &err) == -1 && err.errnum == EINVAL);
    CHECK(shl_spsc_bytes((1u << 30) + 1, 8) == 0);
    CHECK(shl_spsc_bytes(1u << 20, SIZE_MAX - 4) == 0);
    CHECK(shl_spsc_init(&rb, mem, need, 4, 100, &err) == 0);
    free(mem);
}

/* Fills the ring, finds it full, drains it, many times round, with sizes on both sides of
 * the first line's boundary. */
static void test_fill_drain_wrap(void *mem, size_t length)
{
    enum { DEPTH = 5, MAX = 300 };
    struct shl_spsc producer, consumer;
    struct shl_error err = {0};
    CHECK(shl_spsc_init(&producer, mem, length, DEPTH, MAX, &err) == 0);
    consumer = producer; /* the two sides' views, as after fork */
    unsigned char out[MAX], in[MAX];
    static const size_t sizes[] = {1, SHL_SPSC_HEAD_BYTES, SHL_SPSC_HEAD_BYTES + 1, 64, 200, MAX};
    uint32_t sent = 0, received = 0, tag = 0;
    CHECK(shl_spsc_try_recv(&consumer, in, 8, &tag, &err) == -1 && err.errnum == EAGAIN);
    for (int lap = 0; lap < 7; lap++) {
        int burst = lap % 2 ? DEPTH : 3; /* a full ring, then a partial one: slots drift */
        for (int i = 0; i < burst; i++, sent++) {
            size_t len = sizes[sent % 6];
            fill(out, sent, len);
            CHECK(shl_spsc_try_send(&producer, out, len, sent ^ 0xabcdu, &err) == 0);
        }
        if (burst == DEPTH) {
            CHECK(shl_spsc_try_send(&producer, out, 8, 0, &err) == -1 && err.errnum == EAGAIN);
        }
        for (int i = 0; i < burst; i++, received++) {
            size_t len = sizes[received % 6];
            memset(in, 0, sizeof in);
            CHECK(shl_spsc_try_recv(&consumer, in, len, &tag, &err) == 0);
            CHECK(tag == (received ^ 0xabcdu));
            CHECK(intact(in, received, len));
        }
        CHECK(shl_spsc_try_recv(&consumer, in, 8, &tag, &err) == -1 && err.errnum == EAGAIN);
    }
    CHECK(sent == received && sent > 4 * DEPTH);
    CHECK(shl_spsc_try_send(&producer, out, MAX + 1, 0, &err) == -1 && err.errnum == EMSGSIZE);
}

/* Loan a slot, write in place, commit; peek, read in place, release. */
static void test_loan(void)
{
    enum { DEPTH = 3, MAX = 128 };
    size_t length = shl_spsc_bytes(DEPTH, MAX);
    void *mem = aligned(length);
    struct shl_spsc producer, consumer;
    struct shl_error err = {0};
    CHECK(shl_spsc_init(&producer, mem, length, DEPTH, MAX, &err) == 0);
    consumer = producer;
    uint32_t tag = 0;
    for (uint32_t n = 0; n < 4 * DEPTH + 1; n++) {
        unsigned char *slot = shl_spsc_loan(&producer);
        CHECK(slot != NULL);
        if (slot == NULL)
            break;
        fill(slot, n, MAX);
        CHECK(shl_spsc_peek(&consumer, &tag) == NULL); /* nothing before the commit */
        shl_spsc_commit(&producer, n);
        const unsigned char *got = shl_spsc_peek(&consumer, &tag);
        CHECK(got == slot); /* in place: the very bytes the producer wrote */
        CHECK(got != NULL && tag == n && intact(got, n, MAX));
        shl_spsc_release(&consumer);
        CHECK(shl_spsc_peek(&consumer, &tag) == NULL);
    }
    /* Full: no loan until the consumer releases one, which the producer learns from
     * `consumed`. */
    for (int i = 0; i < DEPTH; i++) {
        CHECK(shl_spsc_loan(&producer) != NULL);
        shl_spsc_commit(&producer, 0);
    }
    CHECK(shl_spsc_loan(&producer) == NULL);
    CHECK(shl_spsc_peek(&consumer, &tag) != NULL);
    shl_spsc_release(&consumer);
    CHECK(shl_spsc_loan(&producer) != NULL);
    free(mem);
}

static void test_corrupt_sequence_is_an_error(void)
{
    size_t length = shl_spsc_bytes(2, 8);
    void *mem = aligned(length);
    struct shl_spsc rb;
    struct shl_error err = {0};
    unsigned char buf[8] = {0};
    uint32_t tag = 0;
    CHECK(shl_spsc_init(&rb, mem, length, 2, 8, &err) == 0);
    atomic_store(&shl_spsc_slot_at(&rb, 0)->seq, 77);
    CHECK(shl_spsc_try_recv(&rb, buf, 8, &tag, &err) == -1 && err.errnum == EPROTO);
    free(mem);
}

struct race {
    struct shl_spsc producer, consumer;
    uint32_t messages;
    size_t len;
    int bad;
};

static void *produce(void *arg)
{
    struct race *r = arg;
    unsigned char buf[256];
    struct shl_error err;
    for (uint32_t n = 0; n < r->messages; n++) {
        fill(buf, n, r->len);
        while (shl_spsc_try_send(&r->producer, buf, r->len, n, &err) != 0) {
            if (err.errnum != EAGAIN) {
                r->bad = 1;
                return NULL;
            }
            sched_yield();
        }
    }
    return NULL;
}

/* A producer thread and a consumer (this thread) over mmap'd memory, many laps round a
 * small ring, every message checked. */
static void test_two_threads(void)
{
    struct race r = {.messages = 200000, .len = 100};
    size_t length = shl_spsc_bytes(8, 256);
    void *mem = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(mem != MAP_FAILED);
    if (mem == MAP_FAILED)
        return;
    struct shl_error err = {0};
    CHECK(shl_spsc_init(&r.producer, mem, length, 8, 256, &err) == 0);
    r.consumer = r.producer;
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, produce, &r) == 0);
    unsigned char buf[256];
    uint32_t tag = 0, bad = 0;
    for (uint32_t n = 0; n < r.messages && !r.bad;) {
        if (shl_spsc_try_recv(&r.consumer, buf, r.len, &tag, &err) != 0) {
            if (err.errnum != EAGAIN) {
                bad++;
                break;
            }
            sched_yield();
            continue;
        }
        bad += tag != n || !intact(buf, n, r.len);
        n++;
    }
    pthread_join(thread, NULL);
    CHECK(!r.bad);
    CHECK(bad == 0);
    munmap(mem, length);
}

int main(void)
{
    test_init_refuses_bad_buffers();
    size_t length = shl_spsc_bytes(5, 300);
    void *heap = aligned(length);
    test_fill_drain_wrap(heap, length);
    free(heap);
    void *mapped = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(mapped != MAP_FAILED);
    if (mapped != MAP_FAILED) {
        test_fill_drain_wrap(mapped, length);
        munmap(mapped, length);
    }
    test_loan();
    test_corrupt_sequence_is_an_error();
    test_two_threads();
    if (failures != 0) {
        fprintf(stderr, "spsc_test: %d checks failed\n", failures);
        return 1;
    }
    printf("spsc_test: every check passed\n");
    return 0;
}
