#include "src/transport/shl_sysv_msg.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <time.h>
#include <unistd.h>

#include "src/core/shl_limits.h"
#include "src/core/shl_name.h"
#include "src/transport/shl_peer_link.h"

#define TICK_NS 100000000L

struct message {
    long mtype; /* always 1: each direction has its own queue */
    char mtext[];
};

struct shl_sysv_msg {
    int id[2]; /* id[0] carries A->B, id[1] B->A */
    struct shl_peer_link link;
    atomic_int *open_sides; /* shared: sides that joined and have not closed */
    struct message *buf;
    timer_t tick;
    int ticking;
    struct shl_sysv_msg_info info;
};

static void remove_queues(struct shl_sysv_msg *m)
{
    for (int i = 0; i < 2; i++)
        if (m->id[i] >= 0)
            msgctl(m->id[i], IPC_RMID, NULL);
}

static void release(struct shl_sysv_msg *m)
{
    if (m->ticking)
        timer_delete(m->tick);
    shl_peer_link_close(&m->link);
    if (m->open_sides != NULL)
        munmap(m->open_sides, sizeof *m->open_sides);
    free(m->buf);
    free(m);
}

/* A queue records no creator, only its last sender and receiver (msg_lspid, msg_lrpid): an
 * empty message sent and taken back at once makes both this process, so that `shmlab
 * clean` can tell a queue that someone alive still uses from one whose users are all gone
 * (shl_stale.h). */
static int stamp(int id, key_t key, struct shl_error *err)
{
    struct message empty = {.mtype = 1};
    const char *call = msgsnd(id, &empty, 0, IPC_NOWAIT) != 0      ? "msgsnd"
                       : msgrcv(id, &empty, 0, 0, IPC_NOWAIT) != 0 ? "msgrcv"
                                                                   : NULL;
    if (call == NULL)
        return 0;
    int saved = errno;
    msgctl(id, IPC_RMID, NULL);
    return shl_fail(err, call, saved, "the empty message that stamps key 0x%08x", (unsigned)key);
}

static int make_queue(int *id, struct shl_error *err)
{
    for (int tries = 0; tries < 16; tries++) {
        key_t key;
        if (shl_name_key(&key, err) != 0)
            return -1;
        *id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
        if (*id >= 0) {
            if (stamp(*id, key, err) == 0)
                return 0;
            *id = -1;
            return -1;
        }
        if (errno != EEXIST)
            return shl_fail(err, "msgget", errno, "key 0x%08x%s", (unsigned)key,
                            errno == ENOSPC ? " (/proc/sys/kernel/msgmni queues in use)" : "");
    }
    return shl_fail(err, "msgget", EEXIST, "16 random keys all taken");
}

static int sysv_msg_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_sysv_msg *m = calloc(1, sizeof *m);
    if (m == NULL)
        return shl_fail(err, "calloc", errno, "sysv-msg channel");
    m->id[0] = m->id[1] = -1;
    m->link.fd = -1;
    m->link.ends[0] = m->link.ends[1] = -1;
    if (shl_limit_read("/proc/sys/kernel/msgmax", &m->info.msgmax, err) != 0 ||
        shl_limit_read("/proc/sys/kernel/msgmnb", &m->info.msgmnb, err) != 0)
        goto fail;
    size_t most = (size_t)(m->info.msgmax < m->info.msgmnb ? m->info.msgmax : m->info.msgmnb);
    m->info.chunk = ch->spec.max_msg < most ? ch->spec.max_msg : most;
    m->buf = malloc(sizeof *m->buf + m->info.chunk);
    if (m->buf == NULL) {
        shl_fail(err, "malloc", errno, "%zu bytes", m->info.chunk);
        goto fail;
    }
    m->buf->mtype = 1;
    void *shared = mmap(NULL, sizeof *m->open_sides, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        shl_fail(err, "mmap", errno, "a shared count of open sides");
        goto fail;
    }
    m->open_sides = shared;
    atomic_init(m->open_sides, 0);
    if (make_queue(&m->id[0], err) != 0 || make_queue(&m->id[1], err) != 0 ||
        shl_peer_link_create(&m->link, ch->spec.timeout_ms, err) != 0)
        goto fail;
    ch->impl = m;
    return 0;
fail:
    remove_queues(m);
    release(m);
    return -1;
}

static void on_tick(int sig)
{
    (void)sig; /* its only purpose is to interrupt a blocked msgrcv/msgsnd */
}

static int install_handler(struct shl_error *err)
{
    struct sigaction old;
    if (sigaction(SHL_SYSV_MSG_TICK, NULL, &old) != 0)
        return shl_fail(err, "sigaction", errno, "signal %d", SHL_SYSV_MSG_TICK);
    if (old.sa_handler == on_tick)
        return 0;
    if (old.sa_handler != SIG_DFL)
        return shl_fail(err, "sigaction", EBUSY, "signal %d already has a handler",
                        SHL_SYSV_MSG_TICK);
    struct sigaction sa = {.sa_handler = on_tick, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SHL_SYSV_MSG_TICK, &sa, NULL) != 0)
        return shl_fail(err, "sigaction", errno, "signal %d", SHL_SYSV_MSG_TICK);
    return 0;
}

static int make_timer(struct shl_sysv_msg *m, struct shl_error *err)
{
    if (install_handler(err) != 0)
        return -1;
    struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SHL_SYSV_MSG_TICK};
    ev._sigev_un._tid = gettid(); /* sigev_notify_thread_id, which glibc 2.36 does not name */
    if (timer_create(CLOCK_MONOTONIC, &ev, &m->tick) != 0)
        return shl_fail(err, "timer_create", errno, "the sysv-msg tick");
    m->ticking = 1;
    return 0;
}

/* Ticks only while a call blocks, so that no signal reaches the caller's own sleeps. */
static int set_ticking(struct shl_sysv_msg *m, int on, const char *call, struct shl_error *err)
{
    struct itimerspec every = {{0, on ? TICK_NS : 0}, {0, on ? TICK_NS : 0}};
    if (timer_settime(m->tick, 0, &every, NULL) != 0)
        return shl_fail(err, "timer_settime", errno, "%s", call);
    return 0;
}

static int sysv_msg_join(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_sysv_msg *m = ch->impl;
    shl_peer_link_join(&m->link, ch->side == SHL_SIDE_B);
    atomic_fetch_add(m->open_sides, 1);
    return make_timer(m, err);
}

/* After a tick interrupted `call`: 0 to try again, else -1 with ETIMEDOUT or EPIPE. */
static int interrupted(const struct shl_channel *ch, long start_ms, const char *call,
                       struct shl_error *err)
{
    const struct shl_sysv_msg *m = ch->impl;
    return shl_peer_link_keep_waiting(&m->link, start_ms, ch->spec.timeout_ms, call, err);
}

static int failed(const char *call, size_t n, struct shl_error *err)
{
    if (errno == EIDRM)
        return shl_fail(err, call, EPIPE, "the peer removed the queue");
    return shl_fail(err, call, errno, "%zu bytes", n);
}

static int sysv_msg_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    struct shl_sysv_msg *m = ch->impl;
    int id = m->id[ch->side == SHL_SIDE_A ? 0 : 1];
    const char *p = buf;
    long start_ms = shl_peer_link_now_ms();
    while (len > 0) {
        size_t n = len < m->info.chunk ? len : m->info.chunk;
        memcpy(m->buf->mtext, p, n);
        if (msgsnd(id, m->buf, n, IPC_NOWAIT) != 0) {
            if (errno != EAGAIN)
                return failed("msgsnd", n, err);
            if (set_ticking(m, 1, "msgsnd", err) != 0)
                return -1;
            int rc = 0;
            while (rc == 0 && msgsnd(id, m->buf, n, 0) != 0)
                rc = errno != EINTR ? failed("msgsnd", n, err)
                                    : interrupted(ch, start_ms, "msgsnd", err);
            if (set_ticking(m, 0, "msgsnd", err) != 0 || rc != 0)
                return -1;
        }
        p += n;
        len -= n;
    }
    return 0;
}

static int sysv_msg_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    struct shl_sysv_msg *m = ch->impl;
    int id = m->id[ch->side == SHL_SIDE_A ? 1 : 0];
    char *p = buf;
    long start_ms = shl_peer_link_now_ms();
    while (len > 0) {
        size_t n = len < m->info.chunk ? len : m->info.chunk;
        /* No MSG_NOERROR: a message longer than expected fails with E2BIG, never cut. */
        ssize_t got = msgrcv(id, m->buf, n, 0, IPC_NOWAIT);
        if (got < 0) {
            if (errno != ENOMSG)
                return failed("msgrcv", n, err);
            if (set_ticking(m, 1, "msgrcv", err) != 0)
                return -1;
            int rc = 0;
            while (rc == 0 && (got = msgrcv(id, m->buf, n, 0, 0)) < 0)
                rc = errno != EINTR ? failed("msgrcv", n, err)
                                    : interrupted(ch, start_ms, "msgrcv", err);
            if (set_ticking(m, 0, "msgrcv", err) != 0 || rc != 0)
                return -1;
        }
        if ((size_t)got != n)
            return shl_fail(err, "msgrcv", EPROTO, "message of %zd bytes, expected %zu", got, n);
        memcpy(p, m->buf->mtext, n);
        p += n;
        len -= n;
    }
    return 0;
}

static void sysv_msg_close(struct shl_channel *ch)
{
    struct shl_sysv_msg *m = ch->impl;
    int joined = m->link.fd >= 0;
    /* The last side out removes the queues; a side whose peer died is the last. */
    if (!joined || atomic_fetch_sub(m->open_sides, 1) == 1 || shl_peer_link_gone(&m->link))
        remove_queues(m);
    release(m);
}

const struct shl_transport shl_transport_sysv_msg = {
    .name = "sysv-msg",
    .kind = SHL_TRANSPORT_KERNEL,
    .create = sysv_msg_create,
    .join = sysv_msg_join,
    .send = sysv_msg_send,
    .recv = sysv_msg_recv,
    .close = sysv_msg_close,
};

int shl_sysv_msg_info(const struct shl_channel *ch, struct shl_sysv_msg_info *info,
                      struct shl_error *err)
{
    if (ch->transport != &shl_transport_sysv_msg || ch->impl == NULL)
        return shl_fail(err, "shl_sysv_msg_info", EINVAL, "not an open sysv-msg channel");
    *info = ((const struct shl_sysv_msg *)ch->impl)->info;
    return 0;
}
