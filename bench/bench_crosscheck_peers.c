/* The plain ping-pongs of the peers' transports, written straight against their own APIs
 * (none of shmlab's transport code): ZeroMQ PAIR over ipc://, and iceoryx 2.0's C binding
 * with a publisher and a subscriber per direction, both sides busy-polling. */
#include "bench/bench_crosscheck_peers.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "bench/bench_peer.h"
#include "bench/bench_sampler.h"
#include "iceoryx_binding_c/publisher.h"
#include "iceoryx_binding_c/subscriber.h"
#include "src/core/shl_name.h"
#include "src/timing/shl_clock.h"
#include "src/transport/shl_iceoryx.h"

/* ---- ZeroMQ ---- */

struct zmq_side {
    void *context, *socket;
};

static int zmq_open_side(struct zmq_side *z, const char *endpoint, int bind, int timeout_ms,
                         struct shl_error *err)
{
    z->context = zmq_ctx_new();
    z->socket = z->context != NULL ? zmq_socket(z->context, ZMQ_PAIR) : NULL;
    int zero = 0;
    if (z->socket == NULL || zmq_setsockopt(z->socket, ZMQ_LINGER, &zero, sizeof zero) != 0 ||
        zmq_setsockopt(z->socket, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) != 0 ||
        zmq_setsockopt(z->socket, ZMQ_SNDTIMEO, &timeout_ms, sizeof timeout_ms) != 0)
        return shl_fail(err, "zmq_socket", zmq_errno(), "%s", zmq_strerror(zmq_errno()));
    if ((bind ? zmq_bind(z->socket, endpoint) : zmq_connect(z->socket, endpoint)) != 0)
        return shl_fail(err, bind ? "zmq_bind" : "zmq_connect", zmq_errno(), "%s: %s", endpoint,
                        zmq_strerror(zmq_errno()));
    return 0;
}

static void zmq_close_side(struct zmq_side *z)
{
    if (z->socket != NULL)
        zmq_close(z->socket);
    if (z->context != NULL)
        zmq_ctx_term(z->context);
}

struct zmq_echo_arg {
    const char *endpoint;
    size_t size;
    int timeout_ms;
};

/* Echoes every message until an empty one. */
static int zmq_echo(void *arg, struct bench_peer_report *report)
{
    const struct zmq_echo_arg *a = arg;
    struct zmq_side z = {0};
    char *buf = malloc(a->size);
    int rc = buf != NULL ? zmq_open_side(&z, a->endpoint, 0, a->timeout_ms, &report->err)
                         : shl_fail(&report->err, "malloc", ENOMEM, "crosscheck");
    while (rc == 0) {
        int got = zmq_recv(z.socket, buf, a->size, 0);
        if (got == 0)
            break;
        if (got != (int)a->size || zmq_send(z.socket, buf, a->size, 0) != (int)a->size)
            rc = shl_fail(&report->err, "zmq_recv", got < 0 ? zmq_errno() : EPROTO, "echo");
    }
    zmq_close_side(&z);
    free(buf);
    return rc;
}

/* One round trip; the first 8 bytes carry a counter the echo must return. */
static int zmq_roundtrip(struct zmq_side *z, char *tx, char *rx, size_t size, uint64_t seq,
                         struct shl_error *err)
{
    memcpy(tx, &seq, sizeof seq);
    if (zmq_send(z->socket, tx, size, 0) != (int)size ||
        zmq_recv(z->socket, rx, size, 0) != (int)size)
        return shl_fail(err, "zmq_recv", zmq_errno(), "crosscheck: %s", zmq_strerror(zmq_errno()));
    if (memcmp(tx, rx, size) != 0)
        return shl_fail(err, "verify", EBADMSG, "crosscheck echo of %llu differs",
                        (unsigned long long)seq);
    return 0;
}

static int zmq_measure(struct zmq_side *z, struct bench_crosscheck *cc, struct shl_error *err)
{
    char *tx = calloc(1, cc->size), *rx = malloc(cc->size);
    int rc = tx != NULL && rx != NULL ? 0 : shl_fail(err, "malloc", ENOMEM, "crosscheck");
    uint64_t seq = 0;
    for (unsigned i = 0; rc == 0 && i < cc->warmup; i++)
        rc = zmq_roundtrip(z, tx, rx, cc->size, ++seq, err);
    struct bench_sampler sampler;
    if (rc == 0 && (rc = bench_sampler_init(&sampler, cc->min_samples, cc->max_samples,
                                            cc->budget_ns, err)) == 0)
        cc->samples = sampler.samples;
    while (rc == 0 && bench_sampler_more(&sampler)) {
        int64_t t0 = shl_now_ns();
        rc = zmq_roundtrip(z, tx, rx, cc->size, ++seq, err);
        if (rc == 0) {
            bench_sampler_add(&sampler, (double)(shl_now_ns() - t0));
            cc->n = sampler.n;
        }
    }
    free(tx);
    free(rx);
    return rc;
}

int bench_crosscheck_zeromq(struct bench_crosscheck *cc, struct shl_error *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s%d-XXXXXX", shl_tmpdir(), SHL_NAME_PREFIX, (int)getpid());
    if (mkdtemp(dir) == NULL)
        return shl_fail(err, "mkdtemp", errno, "in %s", shl_tmpdir());
    /* The folder by descriptor, shared by fork: a deep TMPDIR does not fit sun_path. */
    int dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "ipc:///proc/self/fd/%d/zmq", dir_fd);
    struct zmq_echo_arg arg = {
        .endpoint = endpoint, .size = cc->size, .timeout_ms = cc->timeout_ms};
    struct zmq_side z = {0};
    struct bench_peer proc;
    /* The echo is forked before this side's context exists. A context runs an I/O thread,
     * and a child forked while that thread holds a lock can wait for it forever: GCC 12's
     * AddressSanitizer allocator takes no lock across fork. The echo's connect retries
     * until the bind is there. */
    int rc = dir_fd >= 0 ? bench_peer_start(&proc, cc->peer_cpu, zmq_echo, &arg, err)
                         : shl_fail(err, "open", errno, "%s", dir);
    int bound = rc == 0 && zmq_open_side(&z, endpoint, 1, cc->timeout_ms, err) == 0;
    if (rc == 0 && !bound) {
        rc = -1;
        bench_peer_kill(&proc);
    }
    if (bound) {
        rc = zmq_measure(&z, cc, err);
        zmq_send(z.socket, "", 0, 0); /* the empty message ends the echo */
        struct bench_peer_report report;
        struct shl_error peer_err;
        if (bench_peer_finish(&proc, cc->timeout_ms, &report, &peer_err) != 0 && rc == 0)
            rc = (*err = peer_err, -1);
        else if (rc == 0 && report.failed)
            rc = (*err = report.err, -1);
    }
    zmq_close_side(&z);
    char path[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s/zmq", dir);
    unlink(path);
    rmdir(dir);
    if (dir_fd >= 0)
        close(dir_fd);
    return rc;
}

/* ---- iceoryx ---- */

/* One side's ports. All four are made in the calling process, which registers with RouDi
 * (as the channel's creator does); side B, forked, uses its two through the data path. */
struct iox_side {
    iox_pub_storage_t pub_storage;
    iox_sub_storage_t sub_storage;
    iox_pub_t pub;
    iox_sub_t sub;
};

static int iox_make_side(struct iox_side *s, const char *instance, int a, struct shl_error *err)
{
    iox_pub_options_t po;
    iox_pub_options_init(&po);
    po.subscriberTooSlowPolicy = ConsumerTooSlowPolicy_WAIT_FOR_CONSUMER;
    iox_sub_options_t so;
    iox_sub_options_init(&so);
    so.queueCapacity = 1;
    so.queueFullPolicy = QueueFullPolicy_BLOCK_PRODUCER;
    s->pub = iox_pub_init(&s->pub_storage, "shmlab-crosscheck", instance, a ? "ping" : "pong", &po);
    s->sub = iox_sub_init(&s->sub_storage, "shmlab-crosscheck", instance, a ? "pong" : "ping", &so);
    if (s->pub == NULL || s->sub == NULL)
        return shl_fail(err, "iox_pub_init", ENOMEM, "crosscheck");
    return 0;
}

static void iox_release_side(struct iox_side *s)
{
    if (s->sub != NULL)
        iox_sub_deinit(s->sub);
    if (s->pub != NULL)
        iox_pub_deinit(s->pub);
}

static int iox_connected(struct iox_side *s, int timeout_ms, struct shl_error *err)
{
    int64_t deadline = shl_now_ns() + (int64_t)timeout_ms * 1000000;
    while (iox_sub_get_subscription_state(s->sub) != SubscribeState_SUBSCRIBED ||
           !iox_pub_has_subscribers(s->pub)) {
        if (shl_now_ns() > deadline)
            return shl_fail(err, "iox_sub_get_subscription_state", ETIMEDOUT, "crosscheck");
        usleep(1000);
    }
    return 0;
}

static int iox_take(struct iox_side *s, const void **chunk, int64_t deadline, struct shl_error *err)
{
    for (unsigned polls = 1;; polls++) {
        if (iox_sub_take_chunk(s->sub, chunk) == ChunkReceiveResult_SUCCESS)
            return 0;
        if (polls % 4096 == 0 && shl_now_ns() > deadline)
            return shl_fail(err, "iox_sub_take_chunk", ETIMEDOUT, "crosscheck");
    }
}

static int iox_send(struct iox_side *s, const void *from, size_t size, struct shl_error *err)
{
    void *chunk;
    if (iox_pub_loan_chunk(s->pub, &chunk, (uint32_t)size) != AllocationResult_SUCCESS)
        return shl_fail(err, "iox_pub_loan_chunk", ENOMEM, "crosscheck");
    memcpy(chunk, from, size);
    iox_pub_publish_chunk(s->pub, chunk);
    return 0;
}

struct iox_echo_arg {
    struct iox_side *side;
    size_t size;
    int timeout_ms;
};

/* Side B: echoes every message until the one whose first word is all ones. */
static int iox_echo(void *arg, struct bench_peer_report *report)
{
    const struct iox_echo_arg *a = arg;
    for (;;) {
        const void *chunk;
        if (iox_take(a->side, &chunk, shl_now_ns() + (int64_t)a->timeout_ms * 1000000,
                     &report->err) != 0)
            return -1;
        uint64_t seq;
        memcpy(&seq, chunk, sizeof seq);
        int rc = seq == UINT64_MAX ? 1 : iox_send(a->side, chunk, a->size, &report->err);
        iox_sub_release_chunk(a->side->sub, chunk);
        if (rc != 0)
            return rc > 0 ? 0 : -1;
    }
}

static int iox_measure(struct iox_side *s, struct bench_crosscheck *cc, struct shl_error *err)
{
    char *tx = calloc(1, cc->size);
    if (tx == NULL)
        return shl_fail(err, "malloc", ENOMEM, "crosscheck");
    uint64_t seq = 0;
    struct bench_sampler sampler;
    int rc = 0;
    for (size_t i = 0; rc == 0; i++) {
        int timed = i >= cc->warmup;
        if (timed && i == cc->warmup) {
            rc = bench_sampler_init(&sampler, cc->min_samples, cc->max_samples, cc->budget_ns, err);
            if (rc != 0)
                break;
            cc->samples = sampler.samples;
        }
        if (timed && !bench_sampler_more(&sampler))
            break;
        int64_t t0 = shl_now_ns();
        memcpy(tx, &(uint64_t){++seq}, sizeof seq);
        const void *chunk;
        rc = iox_send(s, tx, cc->size, err);
        if (rc == 0)
            rc = iox_take(s, &chunk, t0 + (int64_t)cc->timeout_ms * 1000000, err);
        if (rc != 0)
            break;
        int same = memcmp(chunk, tx, cc->size) == 0;
        iox_sub_release_chunk(s->sub, chunk);
        if (!same) {
            rc = shl_fail(err, "verify", EBADMSG, "crosscheck echo of %llu differs",
                          (unsigned long long)seq);
        } else if (timed) {
            bench_sampler_add(&sampler, (double)(shl_now_ns() - t0));
            cc->n = sampler.n;
        }
    }
    memset(tx, 0xff, sizeof seq);
    if (iox_send(s, tx, cc->size, rc == 0 ? err : &(struct shl_error){0}) != 0)
        rc = -1;
    free(tx);
    return rc;
}

int bench_crosscheck_iceoryx(struct bench_crosscheck *cc, struct shl_error *err)
{
    uint64_t tag;
    char instance[48];
    if (shl_iceoryx_runtime(err) != 0 || shl_random(&tag, sizeof tag, err) != 0)
        return -1;
    snprintf(instance, sizeof instance, "%d-%016llx", (int)getpid(), (unsigned long long)tag);
    struct iox_side sides[2];
    memset(sides, 0, sizeof sides);
    int rc = iox_make_side(&sides[0], instance, 1, err);
    if (rc == 0)
        rc = iox_make_side(&sides[1], instance, 0, err);
    if (rc == 0)
        rc = iox_connected(&sides[0], cc->timeout_ms, err);
    if (rc == 0)
        rc = iox_connected(&sides[1], cc->timeout_ms, err);
    struct iox_echo_arg arg = {.side = &sides[1], .size = cc->size, .timeout_ms = cc->timeout_ms};
    struct bench_peer proc;
    int started = rc == 0 && bench_peer_start(&proc, cc->peer_cpu, iox_echo, &arg, err) == 0;
    if (rc == 0 && !started)
        rc = -1;
    if (rc == 0)
        rc = iox_measure(&sides[0], cc, err);
    if (started) {
        struct bench_peer_report report;
        struct shl_error peer_err;
        if (bench_peer_finish(&proc, cc->timeout_ms, &report, &peer_err) != 0 && rc == 0)
            rc = (*err = peer_err, -1);
        else if (rc == 0 && report.failed)
            rc = (*err = report.err, -1);
    }
    iox_release_side(&sides[1]);
    iox_release_side(&sides[0]);
    return rc;
}
