#include "bench/bench_fanout.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>

#include "iceoryx_binding_c/publisher.h"
#include "iceoryx_binding_c/subscriber.h"
#include "iceoryx_binding_c/wait_set.h"
#include "src/core/shl_name.h"
#include "src/timing/shl_clock.h"
#include "src/transport/shl_broadcast.h"
#include "src/transport/shl_iceoryx.h"

#define HEADER 16        /* the stamp, then the sequence number */
#define PROBE UINT64_MAX /* a message that only says "you are connected" */
#define PROBE_INTERVAL_NS 1000000
#define BROADCAST_DEPTH 64
#define ICEORYX_QUEUE 256

const struct bench_fanout_kind_info bench_fanout_kinds[BENCH_FANOUT_KINDS] = {
    [BENCH_FANOUT_BROADCAST] = {"broadcast", 1, 0, 1},
    [BENCH_FANOUT_ICEORYX] = {"iceoryx", 0, 1, 1},
    [BENCH_FANOUT_ICEORYX_WAITSET] = {"iceoryx-waitset", 0, 0, 1},
    [BENCH_FANOUT_ZEROMQ] = {"zeromq", 0, 0, 0},
    [BENCH_FANOUT_UNIX_DGRAM] = {"unix-dgram", 0, 0, 0},
};

struct outcome {
    int failed;
    struct shl_error err;
};

/* What the processes share: set-up counts, outcomes, the publisher's costs, the samples. */
struct shared {
    _Atomic uint32_t connected; /* subscribers that have seen a probe */
    struct outcome sub[BENCH_FANOUT_MAX_SUBSCRIBERS];
    struct outcome pub;
    int64_t publish_ns;
    int64_t publisher_cpu_ns;
    double latency[]; /* subscriber i's sample k at [i * messages + k] */
};

struct fanout {
    const struct bench_fanout_plan *plan;
    struct shared *sh;
    size_t sh_len;
    unsigned char *buf; /* a copying transport's message, or a reader's copy */
    /* broadcast */
    void *ring_mem;
    size_t ring_len;
    struct shl_broadcast *ring;
    /* unix-dgram: pairs[i][0] is the publisher's end to subscriber i */
    int pairs[BENCH_FANOUT_MAX_SUBSCRIBERS][2];
    /* zeromq */
    char dir[PATH_MAX];
    char endpoint[PATH_MAX + 16];
    void *context, *socket;
    /* iceoryx */
    char instance[48];
    iox_pub_storage_t pub_storage;
    iox_pub_t pub;
    iox_sub_storage_t sub_storage;
    iox_sub_t sub;
    iox_ws_storage_t ws_storage;
    iox_ws_t ws;
};

static int ncpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static int spins(const struct bench_fanout_plan *plan)
{
    const struct bench_fanout_kind_info *info = &bench_fanout_kinds[plan->kind];
    return info->notify ? plan->wait == SHL_NOTIFY_SPIN : info->spins;
}

int bench_fanout_unrunnable(const struct bench_fanout_plan *plan, char *why, size_t len)
{
    if (spins(plan) && (int)plan->subscribers + 1 > ncpus()) {
        snprintf(why, len,
                 "%s%s%s with %u subscribers: %u spinning processes on %d CPUs would take "
                 "turns by the scheduler's time slice, not measure a hand-over",
                 bench_fanout_kinds[plan->kind].name, plan->wait != SHL_NOTIFY_NONE ? "/" : "",
                 shl_notify_name(plan->wait), plan->subscribers, plan->subscribers + 1, ncpus());
        return 1;
    }
    return 0;
}

/* The payload byte at offset k of message seq: every byte depends on both. */
static inline unsigned char pattern(uint64_t seq, size_t k)
{
    return (unsigned char)(seq * 31u + k * 7u + (k >> 8));
}

static void fill(unsigned char *msg, size_t size, uint64_t seq)
{
    memcpy(msg + 8, &seq, 8);
    for (size_t k = HEADER; k < size; k++)
        msg[k] = pattern(seq, k);
}

/* -1 when intact, else the first wrong offset. */
static long first_wrong(const unsigned char *msg, size_t size, uint64_t seq)
{
    for (size_t k = HEADER; k < size; k++)
        if (msg[k] != pattern(seq, k))
            return (long)k;
    return -1;
}

static int64_t deadline_after(int timeout_ms)
{
    return shl_now_ns() + (int64_t)timeout_ms * 1000000;
}

static int timed_out(int64_t deadline, const char *call, struct shl_error *err)
{
    if (shl_now_ns() < deadline)
        return 0;
    return shl_fail(err, call, ETIMEDOUT, "nothing within the timeout");
}

/* ---- broadcast ---- */

static int broadcast_setup(struct fanout *f, struct shl_error *err)
{
    const struct bench_fanout_plan *p = f->plan;
    f->ring_len = shl_broadcast_size(p->subscribers, BROADCAST_DEPTH, p->size);
    f->ring_mem = mmap(NULL, f->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
                       0);
    if (f->ring_mem == MAP_FAILED) {
        f->ring_mem = NULL;
        return shl_fail(err, "mmap", errno, "%zu bytes for the broadcast ring", f->ring_len);
    }
    return shl_broadcast_init(&f->ring, f->ring_mem, f->ring_len, p->subscribers, BROADCAST_DEPTH,
                              p->size, p->wait, err);
}

static int broadcast_loan(struct fanout *f, unsigned char **msg, struct shl_error *err)
{
    return shl_broadcast_loan(f->ring, (void **)msg, f->plan->timeout_ms, err);
}

static int broadcast_send(struct fanout *f, unsigned char *msg, struct shl_error *err)
{
    (void)msg;
    (void)err;
    shl_broadcast_commit(f->ring, f->plan->size);
    return 0;
}

static int broadcast_take(struct fanout *f, uint32_t me, const unsigned char **msg,
                          struct shl_error *err)
{
    size_t len;
    if (shl_broadcast_read(f->ring, me, (const void **)msg, &len, f->plan->timeout_ms, err) != 0)
        return -1;
    if (len != f->plan->size)
        return shl_fail(err, "shl_broadcast_read", EPROTO, "%zu bytes, expected %zu", len,
                        f->plan->size);
    return 0;
}

static void broadcast_done(struct fanout *f, uint32_t me, const unsigned char *msg)
{
    (void)msg;
    shl_broadcast_release(f->ring, me);
}

static void broadcast_teardown(struct fanout *f)
{
    shl_broadcast_close(f->ring);
    if (f->ring_mem != NULL)
        munmap(f->ring_mem, f->ring_len);
}

/* ---- iceoryx ---- */

static int iceoryx_setup(struct fanout *f, struct shl_error *err)
{
    uint64_t tag;
    if (shl_random(&tag, sizeof tag, err) != 0)
        return -1;
    snprintf(f->instance, sizeof f->instance, "%d-%016llx", (int)getpid(), (unsigned long long)tag);
    return 0;
}

static int iceoryx_pub_open(struct fanout *f, struct shl_error *err)
{
    if (shl_iceoryx_runtime(err) != 0)
        return -1;
    iox_pub_options_t o;
    iox_pub_options_init(&o);
    o.historyCapacity = 0;
    o.subscriberTooSlowPolicy = ConsumerTooSlowPolicy_WAIT_FOR_CONSUMER;
    f->pub = iox_pub_init(&f->pub_storage, "shmlab-fanout", f->instance, "msg", &o);
    return f->pub != NULL ? 0 : shl_fail(err, "iox_pub_init", ENOMEM, "fan-out publisher");
}

static int iceoryx_sub_open(struct fanout *f, uint32_t me, struct shl_error *err)
{
    (void)me;
    if (shl_iceoryx_runtime(err) != 0)
        return -1;
    iox_sub_options_t o;
    iox_sub_options_init(&o);
    o.queueCapacity = ICEORYX_QUEUE;
    o.historyRequest = 0;
    o.queueFullPolicy = QueueFullPolicy_BLOCK_PRODUCER;
    f->sub = iox_sub_init(&f->sub_storage, "shmlab-fanout", f->instance, "msg", &o);
    if (f->sub == NULL)
        return shl_fail(err, "iox_sub_init", ENOMEM, "fan-out subscriber");
    if (f->plan->kind == BENCH_FANOUT_ICEORYX_WAITSET) {
        f->ws = iox_ws_init(&f->ws_storage);
        if (f->ws == NULL || iox_ws_attach_subscriber_state(f->ws, f->sub, SubscriberState_HAS_DATA,
                                                            0, NULL) != WaitSetResult_SUCCESS)
            return shl_fail(err, "iox_ws_attach_subscriber_state", ENOMEM, "fan-out waitset");
    }
    return 0;
}

static int iceoryx_loan(struct fanout *f, unsigned char **msg, struct shl_error *err)
{
    int64_t deadline = deadline_after(f->plan->timeout_ms);
    for (;;) {
        void *chunk;
        enum iox_AllocationResult r = iox_pub_loan_chunk(f->pub, &chunk, (uint32_t)f->plan->size);
        if (r == AllocationResult_SUCCESS) {
            *msg = chunk;
            return 0;
        }
        if (r != AllocationResult_RUNNING_OUT_OF_CHUNKS)
            return shl_fail(err, "iox_pub_loan_chunk", ENOMEM, "result %d", (int)r);
        if (timed_out(deadline, "iox_pub_loan_chunk", err))
            return -1;
    }
}

static int iceoryx_send(struct fanout *f, unsigned char *msg, struct shl_error *err)
{
    (void)err;
    iox_pub_publish_chunk(f->pub, msg);
    return 0;
}

static int iceoryx_take(struct fanout *f, uint32_t me, const unsigned char **msg,
                        struct shl_error *err)
{
    (void)me;
    int64_t deadline = deadline_after(f->plan->timeout_ms);
    for (unsigned polls = 1;; polls++) {
        const void *chunk;
        enum iox_ChunkReceiveResult r = iox_sub_take_chunk(f->sub, &chunk);
        if (r == ChunkReceiveResult_SUCCESS) {
            *msg = chunk;
            return 0;
        }
        if (r != ChunkReceiveResult_NO_CHUNK_AVAILABLE)
            return shl_fail(err, "iox_sub_take_chunk", EPROTO, "result %d", (int)r);
        if (f->ws != NULL) {
            iox_notification_info_t events[1];
            uint64_t missed;
            iox_ws_timed_wait(f->ws, (struct timespec){0, 100000000L}, events, 1, &missed);
        } else if (polls % 4096 != 0) {
            continue;
        }
        if (timed_out(deadline, "iox_sub_take_chunk", err))
            return -1;
    }
}

static void iceoryx_done(struct fanout *f, uint32_t me, const unsigned char *msg)
{
    (void)me;
    iox_sub_release_chunk(f->sub, msg);
}

static void iceoryx_close(struct fanout *f)
{
    if (f->ws != NULL)
        iox_ws_deinit(f->ws);
    if (f->sub != NULL)
        iox_sub_deinit(f->sub);
    if (f->pub != NULL)
        iox_pub_deinit(f->pub);
}

/* ---- zeromq ---- */

static int zeromq_setup(struct fanout *f, struct shl_error *err)
{
    snprintf(f->dir, sizeof f->dir, "%s/%s%d-XXXXXX", shl_tmpdir(), SHL_NAME_PREFIX, (int)getpid());
    if (mkdtemp(f->dir) == NULL) {
        int saved = errno;
        f->dir[0] = '\0';
        return shl_fail(err, "mkdtemp", saved, "in %s", shl_tmpdir());
    }
    snprintf(f->endpoint, sizeof f->endpoint, "ipc://%s/pub", f->dir);
    return 0;
}

static int zeromq_open(struct fanout *f, int type, struct shl_error *err)
{
    f->context = zmq_ctx_new();
    f->socket = f->context != NULL ? zmq_socket(f->context, type) : NULL;
    /* The publisher's last messages may still be queued when it closes: with no linger they
     * would be dropped, and a subscriber would wait for them until its timeout. */
    int zero = 0, linger = type == ZMQ_PUB ? f->plan->timeout_ms : 0;
    if (f->socket == NULL || zmq_setsockopt(f->socket, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_setsockopt(f->socket, type == ZMQ_PUB ? ZMQ_SNDHWM : ZMQ_RCVHWM, &zero, sizeof zero) !=
            0)
        return shl_fail(err, "zmq_socket", zmq_errno(), "%s", zmq_strerror(zmq_errno()));
    int rc = type == ZMQ_PUB ? zmq_bind(f->socket, f->endpoint)
             : zmq_setsockopt(f->socket, ZMQ_SUBSCRIBE, "", 0) == 0
                 ? zmq_connect(f->socket, f->endpoint)
                 : -1;
    if (rc != 0)
        return shl_fail(err, type == ZMQ_PUB ? "zmq_bind" : "zmq_connect", zmq_errno(), "%s: %s",
                        f->endpoint, zmq_strerror(zmq_errno()));
    return 0;
}

static int zeromq_pub_open(struct fanout *f, struct shl_error *err)
{
    return zeromq_open(f, ZMQ_PUB, err);
}

static int zeromq_sub_open(struct fanout *f, uint32_t me, struct shl_error *err)
{
    (void)me;
    return zeromq_open(f, ZMQ_SUB, err);
}

static int private_loan(struct fanout *f, unsigned char **msg, struct shl_error *err)
{
    (void)err;
    *msg = f->buf;
    return 0;
}

static int zeromq_send(struct fanout *f, unsigned char *msg, struct shl_error *err)
{
    if (zmq_send(f->socket, msg, f->plan->size, 0) != (int)f->plan->size)
        return shl_fail(err, "zmq_send", zmq_errno(), "%s", zmq_strerror(zmq_errno()));
    return 0;
}

static int zeromq_take(struct fanout *f, uint32_t me, const unsigned char **msg,
                       struct shl_error *err)
{
    (void)me;
    zmq_pollitem_t item = {.socket = f->socket, .events = ZMQ_POLLIN};
    if (zmq_poll(&item, 1, f->plan->timeout_ms) <= 0)
        return shl_fail(err, "zmq_poll", ETIMEDOUT, "nothing within the timeout");
    int got = zmq_recv(f->socket, f->buf, f->plan->size, 0);
    if (got != (int)f->plan->size)
        return shl_fail(err, "zmq_recv", got < 0 ? zmq_errno() : EPROTO, "%d bytes, expected %zu",
                        got, f->plan->size);
    *msg = f->buf;
    return 0;
}

static void zeromq_close(struct fanout *f)
{
    if (f->socket != NULL)
        zmq_close(f->socket);
    if (f->context != NULL)
        zmq_ctx_term(f->context);
}

static void zeromq_teardown(struct fanout *f)
{
    if (f->dir[0] == '\0')
        return;
    char path[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s/pub", f->dir);
    unlink(path);
    rmdir(f->dir);
}

/* ---- unix-dgram ---- */

static int dgram_setup(struct fanout *f, struct shl_error *err)
{
    for (uint32_t i = 0; i < f->plan->subscribers; i++) {
        if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, f->pairs[i]) != 0)
            return shl_fail(err, "socketpair", errno, "subscriber %u", i);
        int bytes = (int)f->plan->size * 64 + 65536;
        setsockopt(f->pairs[i][0], SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes);
        setsockopt(f->pairs[i][1], SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes);
        struct timeval tv = {f->plan->timeout_ms / 1000, (f->plan->timeout_ms % 1000) * 1000};
        setsockopt(f->pairs[i][1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(f->pairs[i][0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    return 0;
}

static int dgram_send(struct fanout *f, unsigned char *msg, struct shl_error *err)
{
    for (uint32_t i = 0; i < f->plan->subscribers; i++)
        if (send(f->pairs[i][0], msg, f->plan->size, MSG_NOSIGNAL) != (ssize_t)f->plan->size)
            return shl_fail(err, "send", errno, "to subscriber %u", i);
    return 0;
}

static int dgram_take(struct fanout *f, uint32_t me, const unsigned char **msg,
                      struct shl_error *err)
{
    ssize_t got = recv(f->pairs[me][1], f->buf, f->plan->size, MSG_TRUNC);
    if (got != (ssize_t)f->plan->size)
        return shl_fail(err, "recv", got < 0 ? (errno == EAGAIN ? ETIMEDOUT : errno) : EPROTO,
                        "%zd bytes, expected %zu", got, f->plan->size);
    *msg = f->buf;
    return 0;
}

static void dgram_teardown(struct fanout *f)
{
    for (uint32_t i = 0; i < f->plan->subscribers; i++) {
        if (f->pairs[i][0] >= 0)
            close(f->pairs[i][0]);
        if (f->pairs[i][1] >= 0)
            close(f->pairs[i][1]);
        f->pairs[i][0] = f->pairs[i][1] = -1;
    }
}

/* ---- the table ---- */

struct fanout_ops {
    int (*setup)(struct fanout *f, struct shl_error *err); /* in the caller, before fork */
    int (*pub_open)(struct fanout *f, struct shl_error *err);
    int (*loan)(struct fanout *f, unsigned char **msg, struct shl_error *err);
    int (*send)(struct fanout *f, unsigned char *msg, struct shl_error *err);
    int (*sub_open)(struct fanout *f, uint32_t me, struct shl_error *err);
    int (*take)(struct fanout *f, uint32_t me, const unsigned char **msg, struct shl_error *err);
    void (*done)(struct fanout *f, uint32_t me, const unsigned char *msg);
    void (*close)(struct fanout *f);    /* in each child */
    void (*teardown)(struct fanout *f); /* in the caller, after every child */
};

static const struct fanout_ops ops[BENCH_FANOUT_KINDS] = {
    [BENCH_FANOUT_BROADCAST] = {broadcast_setup, NULL, broadcast_loan, broadcast_send, NULL,
                                broadcast_take, broadcast_done, NULL, broadcast_teardown},
    [BENCH_FANOUT_ICEORYX] = {iceoryx_setup, iceoryx_pub_open, iceoryx_loan, iceoryx_send,
                              iceoryx_sub_open, iceoryx_take, iceoryx_done, iceoryx_close, NULL},
    [BENCH_FANOUT_ICEORYX_WAITSET] = {iceoryx_setup, iceoryx_pub_open, iceoryx_loan, iceoryx_send,
                                      iceoryx_sub_open, iceoryx_take, iceoryx_done, iceoryx_close,
                                      NULL},
    [BENCH_FANOUT_ZEROMQ] = {zeromq_setup, zeromq_pub_open, private_loan, zeromq_send,
                             zeromq_sub_open, zeromq_take, NULL, zeromq_close, zeromq_teardown},
    [BENCH_FANOUT_UNIX_DGRAM] = {dgram_setup, NULL, private_loan, dgram_send, NULL, dgram_take,
                                 NULL, NULL, dgram_teardown},
};

/* ---- the processes ---- */

static int publish(struct fanout *f, uint64_t seq, int64_t *spent_ns, struct shl_error *err)
{
    const struct fanout_ops *o = &ops[f->plan->kind];
    unsigned char *msg;
    if (o->loan(f, &msg, err) != 0)
        return -1;
    fill(msg, f->plan->size, seq);
    int64_t t0 = shl_now_ns();
    memcpy(msg, &t0, 8);
    int rc = o->send(f, msg, err);
    *spent_ns += shl_now_ns() - t0;
    return rc;
}

static int run_publisher(struct fanout *f, struct shl_error *err)
{
    const struct bench_fanout_plan *p = f->plan;
    const struct fanout_ops *o = &ops[p->kind];
    if (o->pub_open != NULL && o->pub_open(f, err) != 0)
        return -1;
    int64_t unused = 0, deadline = deadline_after(p->timeout_ms);
    /* Probes until every subscriber has one: only then is each one sure to get every
     * message (a ZeroMQ or iceoryx subscriber connects some time after it starts). */
    while (atomic_load(&f->sh->connected) < p->subscribers) {
        if (publish(f, PROBE, &unused, err) != 0 || timed_out(deadline, "fan-out set-up", err))
            return -1;
        shl_sleep_until_ns(shl_now_ns() + PROBE_INTERVAL_NS, err);
    }
    int64_t cpu0, cpu1, spent = 0;
    int64_t next = shl_now_ns();
    for (uint64_t seq = 0; seq < (uint64_t)p->warmup + p->messages; seq++) {
        if (seq == p->warmup) {
            spent = 0;
            if (shl_process_cpu_ns(&cpu0, err) != 0)
                return -1;
        }
        next += p->interval_ns;
        if (publish(f, seq, &spent, err) != 0)
            return -1;
        if (shl_sleep_until_ns(next, err) != 0)
            return -1;
    }
    if (shl_process_cpu_ns(&cpu1, err) != 0)
        return -1;
    f->sh->publish_ns = spent;
    f->sh->publisher_cpu_ns = cpu1 - cpu0;
    return 0;
}

static int run_subscriber(struct fanout *f, uint32_t me, struct shl_error *err)
{
    const struct bench_fanout_plan *p = f->plan;
    const struct fanout_ops *o = &ops[p->kind];
    if (o->sub_open != NULL && o->sub_open(f, me, err) != 0)
        return -1;
    int connected = 0;
    for (uint64_t want = 0; want < (uint64_t)p->warmup + p->messages;) {
        const unsigned char *msg;
        if (o->take(f, me, &msg, err) != 0)
            return -1;
        int64_t arrived = shl_now_ns();
        int64_t stamp;
        uint64_t seq;
        memcpy(&stamp, msg, 8);
        memcpy(&seq, msg + 8, 8);
        long wrong = seq == PROBE ? -1 : first_wrong(msg, p->size, seq);
        if (o->done != NULL)
            o->done(f, me, msg);
        if (!connected) {
            connected = 1;
            atomic_fetch_add(&f->sh->connected, 1);
        }
        if (seq == PROBE)
            continue;
        if (seq != want)
            return shl_fail(err, "fan-out", EPROTO, "subscriber %u: message %llu, expected %llu",
                            me, (unsigned long long)seq, (unsigned long long)want);
        if (wrong >= 0)
            return shl_fail(err, "fan-out", EBADMSG,
                            "subscriber %u: message %llu wrong at byte %ld", me,
                            (unsigned long long)seq, wrong);
        if (seq >= p->warmup)
            f->sh->latency[(size_t)me * p->messages + (seq - p->warmup)] = (double)(arrived -
                                                                                    stamp);
        want++;
    }
    return 0;
}

/* Runs in a fresh child and ends with exit(), so that iceoryx's runtime leaves RouDi. */
static void child(struct fanout *f, int publisher, uint32_t me)
{
    struct shl_error err = {0};
    int rc = publisher ? run_publisher(f, &err) : run_subscriber(f, me, &err);
    if (ops[f->plan->kind].close != NULL)
        ops[f->plan->kind].close(f);
    struct outcome *out = publisher ? &f->sh->pub : &f->sh->sub[me];
    if (rc != 0) {
        out->err = err;
        out->failed = 1;
    }
    exit(rc == 0 ? 0 : 1);
}

static void stop_all(pid_t *pids, int n)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGKILL);
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            waitpid(pids[i], NULL, 0);
}

/* Waits for every child (and only them: the caller may have others, such as RouDi), killing
 * them all when the run overstays its time. 1 when one of them failed. */
static int reap(pid_t *pids, int n, int64_t deadline, struct shl_error *err)
{
    int left = n, bad = 0;
    while (left > 0) {
        for (int i = 0; i < n; i++) {
            int status;
            if (pids[i] > 0 && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
                pids[i] = 0;
                left--;
                bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
            }
        }
        if (left == 0)
            break;
        if (shl_now_ns() > deadline) {
            stop_all(pids, n);
            return shl_fail(err, "fan-out", ETIMEDOUT, "%d processes still running: killed", left);
        }
        shl_sleep_until_ns(shl_now_ns() + 1000000, err);
    }
    return bad;
}

static void summarise(const struct fanout *f, struct bench_fanout_result *r)
{
    const struct bench_fanout_plan *p = f->plan;
    size_t n = (size_t)p->subscribers * p->messages;
    double *all = malloc(n * sizeof *all);
    memset(r, 0, sizeof *r);
    double worst = -1;
    for (uint32_t i = 0; i < p->subscribers; i++) {
        double *mine = &f->sh->latency[(size_t)i * p->messages];
        if (all != NULL)
            memcpy(all + (size_t)i * p->messages, mine, p->messages * sizeof *all);
        shl_stats_compute(mine, p->messages, &r->per[i]);
        if (r->per[i].p99 > worst) {
            worst = r->per[i].p99;
            r->slowest = i;
        }
    }
    if (all != NULL)
        shl_stats_compute(all, n, &r->all);
    free(all);
    r->publish_ns = (double)f->sh->publish_ns / p->messages;
    r->publisher_cpu_ns = (double)f->sh->publisher_cpu_ns / p->messages;
}

int bench_fanout_run(const struct bench_fanout_plan *plan, struct bench_fanout_result *result,
                     struct shl_error *err)
{
    const struct bench_fanout_kind_info *info = plan->kind < BENCH_FANOUT_KINDS
                                                    ? &bench_fanout_kinds[plan->kind]
                                                    : NULL;
    if (info == NULL || plan->subscribers == 0 ||
        plan->subscribers > BENCH_FANOUT_MAX_SUBSCRIBERS || plan->size < HEADER ||
        plan->messages == 0 || plan->timeout_ms <= 0)
        return shl_fail(err, "bench_fanout_run", EINVAL,
                        "kind %d, %u subscribers (1..%d), %zu bytes (>= %d), %u messages",
                        (int)plan->kind, plan->subscribers, BENCH_FANOUT_MAX_SUBSCRIBERS,
                        plan->size, HEADER, plan->messages);
    if ((plan->wait != SHL_NOTIFY_NONE && !info->notify) ||
        (unsigned)plan->wait >= SHL_NOTIFY_COUNT)
        return shl_fail(err, "bench_fanout_run", EINVAL, "%s takes no notification strategy %d",
                        info->name, (int)plan->wait);
    struct fanout f;
    memset(&f, 0, sizeof f);
    f.plan = plan;
    for (uint32_t i = 0; i < BENCH_FANOUT_MAX_SUBSCRIBERS; i++)
        f.pairs[i][0] = f.pairs[i][1] = -1;
    f.sh_len = sizeof *f.sh + (size_t)plan->subscribers * plan->messages * sizeof(double);
    f.sh = mmap(NULL, f.sh_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (f.sh == MAP_FAILED)
        return shl_fail(err, "mmap", errno, "%zu bytes of fan-out results", f.sh_len);
    int rc = -1;
    f.buf = malloc(plan->size);
    if (f.buf == NULL) {
        shl_fail(err, "malloc", errno, "%zu bytes", plan->size);
        goto out;
    }
    if (ops[plan->kind].setup(&f, err) != 0)
        goto out;
    pid_t pids[BENCH_FANOUT_MAX_SUBSCRIBERS + 1] = {0};
    int n = 0;
    for (uint32_t i = 0; i <= plan->subscribers; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0)
            child(&f, i == plan->subscribers, i);
        if (pid < 0) {
            shl_fail(err, "fork", errno, "fan-out process %u", i);
            stop_all(pids, n);
            goto out;
        }
        pids[n++] = pid;
    }
    int64_t run_ns = (int64_t)(plan->warmup + plan->messages) * plan->interval_ns;
    int bad = reap(pids, n, shl_now_ns() + run_ns + 3 * (int64_t)plan->timeout_ms * 1000000, err);
    if (bad < 0)
        goto out;
    if (bad > 0) {
        /* The first process that said why; a subscriber's own error explains the others'. */
        const struct outcome *why = NULL;
        for (uint32_t i = 0; i < plan->subscribers && why == NULL; i++)
            if (f.sh->sub[i].failed && f.sh->sub[i].err.errnum != ETIMEDOUT)
                why = &f.sh->sub[i];
        if (why == NULL && f.sh->pub.failed)
            why = &f.sh->pub;
        for (uint32_t i = 0; i < plan->subscribers && why == NULL; i++)
            if (f.sh->sub[i].failed)
                why = &f.sh->sub[i];
        if (why != NULL)
            *err = why->err;
        else
            shl_fail(err, "fan-out", ECHILD, "a process died without a word");
        goto out;
    }
    summarise(&f, result);
    rc = 0;
out:
    if (ops[plan->kind].teardown != NULL)
        ops[plan->kind].teardown(&f);
    free(f.buf);
    munmap(f.sh, f.sh_len);
    return rc;
}
