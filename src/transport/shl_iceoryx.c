#include "src/transport/shl_iceoryx.h"

#include <errno.h>
#include <sched.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "iceoryx_binding_c/chunk.h"
#include "iceoryx_binding_c/log.h"
#include "iceoryx_binding_c/publisher.h"
#include "iceoryx_binding_c/runtime.h"
#include "iceoryx_binding_c/subscriber.h"
#include "iceoryx_binding_c/wait_set.h"
#include "src/core/shl_name.h"
#include "src/transport/shl_peer_link.h"
#include "src/transport/shl_roudi.h"

#define SPINS_PER_CHECK 4096
#define WAIT_SLICE_MS 100

/* One side's ports: it publishes on `pub` and takes from `sub`. */
struct ports {
    iox_pub_storage_t pub_storage;
    iox_sub_storage_t sub_storage;
    iox_ws_storage_t ws_storage;
    iox_pub_t pub;
    iox_sub_t sub;
    iox_ws_t ws;
};

struct shl_iceoryx {
    char instance[48]; /* "<pid>-<random hex>": this channel's own service instance */
    struct shl_peer_link link;
    int waitset;
    pid_t owner;          /* the process that made the ports, and alone releases them */
    struct ports side[2]; /* side[SHL_SIDE_A], side[SHL_SIDE_B] */
    struct ports *mine;   /* after join */
    void *loaned;         /* the channel's zero-copy calls: the chunk being written */
    const void *peeked;   /* and the one being read */
};

/* The process whose runtime this is: a forked child inherits the variable, not the runtime. */
static pid_t runtime_pid;

int shl_iceoryx_runtime(struct shl_error *err)
{
    if (runtime_pid == getpid())
        return 0;
    if (runtime_pid != 0)
        return shl_fail(err, "iox_runtime_init", EBUSY,
                        "this process was forked from one that had joined iceoryx (pid %d): "
                        "its runtime is not usable here",
                        (int)runtime_pid);
    struct stat st;
    if (shl_roudi_running() == 0 || stat("/tmp/roudi", &st) != 0)
        return shl_fail(err, "iox_runtime_init", ENOTCONN, "no RouDi is running");
    char name[64];
    snprintf(name, sizeof name, "%s%d-iox", SHL_NAME_PREFIX, (int)getpid());
    /* Its debug lines (each registration, each segment) would bury the caller's output. */
    iox_set_loglevel(Iceoryx_LogLevel_Warn);
    iox_runtime_init(name);
    runtime_pid = getpid();
    return 0;
}

static long now_ms(void)
{
    return shl_peer_link_now_ms();
}

/* Once in a while on a waiting path: -1 with EPIPE or ETIMEDOUT when waiting must end. */
static int keep_waiting(const struct shl_channel *ch, long start_ms, const char *call,
                        struct shl_error *err)
{
    const struct shl_iceoryx *x = ch->impl;
    return shl_peer_link_keep_waiting(&x->link, start_ms, ch->spec.timeout_ms, call, err);
}

static void pause_briefly(void)
{
    struct timespec t = {0, 1000000L};
    nanosleep(&t, NULL);
}

static void release_ports(struct shl_iceoryx *x)
{
    for (int i = 0; i < 2; i++) {
        struct ports *p = &x->side[i];
        if (p->ws != NULL)
            iox_ws_deinit(p->ws);
        if (p->sub != NULL)
            iox_sub_deinit(p->sub);
        if (p->pub != NULL)
            iox_pub_deinit(p->pub);
        memset(p, 0, sizeof *p);
    }
}

static int make_ports(struct shl_iceoryx *x, const struct shl_channel_spec *spec, int side,
                      struct shl_error *err)
{
    struct ports *p = &x->side[side];
    const char *out = side == SHL_SIDE_A ? "a2b" : "b2a";
    const char *in = side == SHL_SIDE_A ? "b2a" : "a2b";
    iox_pub_options_t pub_options;
    iox_pub_options_init(&pub_options);
    pub_options.historyCapacity = 0;
    pub_options.subscriberTooSlowPolicy = ConsumerTooSlowPolicy_WAIT_FOR_CONSUMER;
    p->pub = iox_pub_init(&p->pub_storage, "shmlab", x->instance, out, &pub_options);
    iox_sub_options_t sub_options;
    iox_sub_options_init(&sub_options);
    sub_options.queueCapacity = spec->depth < SHL_ROUDI_MAX_DEPTH ? spec->depth
                                                                  : SHL_ROUDI_MAX_DEPTH;
    sub_options.historyRequest = 0;
    sub_options.queueFullPolicy = QueueFullPolicy_BLOCK_PRODUCER;
    p->sub = iox_sub_init(&p->sub_storage, "shmlab", x->instance, in, &sub_options);
    if (p->pub == NULL || p->sub == NULL)
        return shl_fail(err, "iox_pub_init", ENOMEM, "RouDi gave no port");
    if (x->waitset) {
        p->ws = iox_ws_init(&p->ws_storage);
        if (p->ws == NULL || iox_ws_attach_subscriber_state(p->ws, p->sub, SubscriberState_HAS_DATA,
                                                            0, NULL) != WaitSetResult_SUCCESS)
            return shl_fail(err, "iox_ws_attach_subscriber_state", ENOMEM, "waitset");
    }
    return 0;
}

/* Both directions connected (a message published before would be lost). */
static int wait_connected(struct shl_iceoryx *x, int timeout_ms, struct shl_error *err)
{
    long start = now_ms();
    for (int i = 0; i < 2; i++) {
        while (iox_sub_get_subscription_state(x->side[i].sub) != SubscribeState_SUBSCRIBED ||
               !iox_pub_has_subscribers(x->side[i].pub)) {
            if (now_ms() - start >= timeout_ms)
                return shl_fail(err, "iox_sub_get_subscription_state", ETIMEDOUT,
                                "ports not connected within %d ms", timeout_ms);
            pause_briefly();
        }
    }
    return 0;
}

/* Every port, both sides', is made here, before fork, by this process's runtime: RouDi's
 * control path (registration, port requests) runs only in the creator. The ports themselves
 * live in RouDi's shared memory, so after fork each side works its own with the data path
 * alone (loan, publish, take, release, the WaitSet's semaphore), which needs no runtime. */
static int iceoryx_create(struct shl_channel *ch, struct shl_error *err)
{
    if (ch->spec.max_msg > SHL_ROUDI_MAX_MSG)
        return shl_fail(err, "iceoryx_create", EMSGSIZE,
                        "%zu bytes: RouDi's largest chunks as shmlab configures it carry %u",
                        ch->spec.max_msg, SHL_ROUDI_MAX_MSG);
    if (shl_iceoryx_runtime(err) != 0)
        return -1;
    struct shl_iceoryx *x = calloc(1, sizeof *x);
    if (x == NULL)
        return shl_fail(err, "calloc", errno, "iceoryx channel");
    x->owner = getpid();
    x->waitset = ch->transport == &shl_transport_iceoryx_waitset;
    uint64_t tag;
    if (shl_random(&tag, sizeof tag, err) != 0) {
        free(x);
        return -1;
    }
    snprintf(x->instance, sizeof x->instance, "%d-%016llx", (int)getpid(), (unsigned long long)tag);
    if (make_ports(x, &ch->spec, SHL_SIDE_A, err) != 0 ||
        make_ports(x, &ch->spec, SHL_SIDE_B, err) != 0 ||
        wait_connected(x, ch->spec.timeout_ms, err) != 0 ||
        shl_peer_link_create(&x->link, ch->spec.timeout_ms, err) != 0) {
        release_ports(x);
        free(x);
        return -1;
    }
    ch->impl = x;
    return 0;
}

static int iceoryx_join(struct shl_channel *ch, struct shl_error *err)
{
    (void)err;
    struct shl_iceoryx *x = ch->impl;
    shl_peer_link_join(&x->link, ch->side == SHL_SIDE_B);
    x->mine = &x->side[ch->side];
    return 0;
}

int shl_iceoryx_loan(struct shl_channel *ch, size_t len, void **payload, struct shl_error *err)
{
    struct shl_iceoryx *x = ch->impl;
    long start = 0;
    for (unsigned spins = 1;; spins++) {
        void *chunk = NULL;
        enum iox_AllocationResult r = iox_pub_loan_aligned_chunk_with_user_header(
            x->mine->pub, &chunk, (uint32_t)len, IOX_C_CHUNK_DEFAULT_USER_PAYLOAD_ALIGNMENT,
            sizeof(uint64_t), alignof(uint64_t));
        if (r == AllocationResult_SUCCESS) {
            uint64_t *header = iox_chunk_header_to_user_header(
                iox_chunk_header_from_user_payload(chunk));
            *header = len;
            *payload = chunk;
            return 0;
        }
        if (r != AllocationResult_RUNNING_OUT_OF_CHUNKS)
            return shl_fail(err, "iox_pub_loan_chunk", ENOMEM, "%zu bytes: result %d", len, (int)r);
        /* The subscriber still holds every chunk of that size: it will release some. */
        if (start == 0)
            start = now_ms();
        if (spins % 64 == 0 && keep_waiting(ch, start, "iox_pub_loan_chunk", err) != 0)
            return -1;
        sched_yield();
    }
}

void shl_iceoryx_commit(struct shl_channel *ch, void *payload)
{
    struct shl_iceoryx *x = ch->impl;
    iox_pub_publish_chunk(x->mine->pub, payload);
}

/* 1 with *payload when a message of len bytes was there, 0 when none was, -1 on error. */
static int take(struct shl_iceoryx *x, size_t len, const void **payload, struct shl_error *err)
{
    enum iox_ChunkReceiveResult r = iox_sub_take_chunk(x->mine->sub, payload);
    if (r == ChunkReceiveResult_NO_CHUNK_AVAILABLE)
        return 0;
    if (r != ChunkReceiveResult_SUCCESS)
        return shl_fail(err, "iox_sub_take_chunk", EPROTO, "result %d", (int)r);
    const uint64_t *header = iox_chunk_header_to_user_header_const(
        iox_chunk_header_from_user_payload_const(*payload));
    if (*header != len) {
        shl_fail(err, "iox_sub_take_chunk", EPROTO, "message of %llu bytes, expected %zu",
                 (unsigned long long)*header, len);
        iox_sub_release_chunk(x->mine->sub, *payload);
        return -1;
    }
    return 1;
}

int shl_iceoryx_read(struct shl_channel *ch, size_t len, const void **payload,
                     struct shl_error *err)
{
    struct shl_iceoryx *x = ch->impl;
    long start = 0;
    for (unsigned spins = 1;; spins++) {
        int got = take(x, len, payload, err);
        if (got != 0)
            return got > 0 ? 0 : -1;
        if (start == 0)
            start = now_ms();
        if (x->waitset) {
            iox_notification_info_t events[1];
            uint64_t missed = 0;
            struct timespec slice = {0, WAIT_SLICE_MS * 1000000L};
            if (iox_ws_timed_wait(x->mine->ws, slice, events, 1, &missed) > 0)
                continue;
        } else if (spins % SPINS_PER_CHECK != 0) {
            continue;
        }
        if (keep_waiting(ch, start, "iox_sub_take_chunk", err) != 0)
            /* A message sent just before the peer went is still delivered. */
            return take(x, len, payload, NULL) > 0 ? 0 : -1;
    }
}

void shl_iceoryx_release(struct shl_channel *ch, const void *payload)
{
    struct shl_iceoryx *x = ch->impl;
    iox_sub_release_chunk(x->mine->sub, payload);
}

static int iceoryx_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    void *payload;
    if (shl_iceoryx_loan(ch, len, &payload, err) != 0)
        return -1;
    memcpy(payload, buf, len);
    shl_iceoryx_commit(ch, payload);
    return 0;
}

static int iceoryx_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    const void *payload;
    if (shl_iceoryx_read(ch, len, &payload, err) != 0)
        return -1;
    memcpy(buf, payload, len);
    shl_iceoryx_release(ch, payload);
    return 0;
}

static void iceoryx_close(struct shl_channel *ch)
{
    struct shl_iceoryx *x = ch->impl;
    /* Releasing a port is a request to RouDi: only the runtime that made it may. */
    if (getpid() == x->owner)
        release_ports(x);
    shl_peer_link_close(&x->link);
    free(x);
}

static int channel_loan(struct shl_channel *ch, size_t len, void **slot, struct shl_error *err)
{
    struct shl_iceoryx *x = ch->impl;
    if (shl_iceoryx_loan(ch, len, slot, err) != 0)
        return -1;
    x->loaned = *slot;
    return 0;
}

static void channel_commit(struct shl_channel *ch, size_t len)
{
    (void)len;
    struct shl_iceoryx *x = ch->impl;
    shl_iceoryx_commit(ch, x->loaned);
}

static int channel_peek(struct shl_channel *ch, size_t len, const void **msg, struct shl_error *err)
{
    struct shl_iceoryx *x = ch->impl;
    if (shl_iceoryx_read(ch, len, msg, err) != 0)
        return -1;
    x->peeked = *msg;
    return 0;
}

static void channel_release(struct shl_channel *ch)
{
    struct shl_iceoryx *x = ch->impl;
    shl_iceoryx_release(ch, x->peeked);
}

/* The two differ only in how a receiver waits, which create() tells from the name. */
#define ICEORYX_TRANSPORT(transport_name)                                           \
    {                                                                               \
        .name = transport_name, .kind = SHL_TRANSPORT_MIDDLEWARE, .needs_roudi = 1, \
        .create = iceoryx_create, .join = iceoryx_join, .send = iceoryx_send,       \
        .recv = iceoryx_recv, .close = iceoryx_close, .loan = channel_loan,         \
        .commit = channel_commit, .peek = channel_peek, .release = channel_release, \
    }

const struct shl_transport shl_transport_iceoryx = ICEORYX_TRANSPORT("iceoryx");
const struct shl_transport shl_transport_iceoryx_waitset = ICEORYX_TRANSPORT("iceoryx-waitset");
