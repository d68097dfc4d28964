#include "src/transport/shl_posix_mq.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/shl_limits.h"
#include "src/core/shl_name.h"
#include "src/transport/shl_peer_link.h"

struct shl_posix_mq {
    mqd_t queue[2]; /* queue[0] carries A->B, queue[1] B->A */
    struct shl_peer_link link;
    char *partial; /* a whole chunk's room, for a last chunk smaller than mq_msgsize */
    struct shl_posix_mq_info info;
};

static void close_queues(struct shl_posix_mq *q)
{
    for (int i = 0; i < 2; i++)
        if (q->queue[i] != (mqd_t)-1)
            mq_close(q->queue[i]);
}

static int open_queue(struct shl_posix_mq *q, mqd_t *out, struct shl_error *err)
{
    char name[SHL_NAME_LEN];
    if (shl_name_posix(name, sizeof name, err) != 0)
        return -1;
    struct mq_attr attr = {.mq_maxmsg = q->info.depth, .mq_msgsize = (long)q->info.chunk};
    mqd_t d = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC, 0600, &attr);
    if (d == (mqd_t)-1) {
        int saved = errno;
        const char *why = saved == EMFILE   ? " (RLIMIT_MSGQUEUE)"
                          : saved == ENOSPC ? " (/proc/sys/fs/mqueue/queues_max)"
                                            : "";
        return shl_fail(err, "mq_open", saved, "%s, %ld messages of %ld bytes%s", name,
                        attr.mq_maxmsg, attr.mq_msgsize, why);
    }
    /* fork shares the open queue description: the name is needed no more. */
    mq_unlink(name);
    *out = d;
    return 0;
}

static int posix_mq_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_posix_mq *q = calloc(1, sizeof *q);
    if (q == NULL)
        return shl_fail(err, "calloc", errno, "posix-mq channel");
    q->queue[0] = q->queue[1] = (mqd_t)-1;
    q->link.fd = -1;
    q->link.ends[0] = q->link.ends[1] = -1;
    if (shl_limit_read("/proc/sys/fs/mqueue/msgsize_max", &q->info.msgsize_max, err) != 0 ||
        shl_limit_read("/proc/sys/fs/mqueue/msg_max", &q->info.msg_max, err) != 0)
        goto fail;
    q->info.chunk = ch->spec.max_msg < (size_t)q->info.msgsize_max ? ch->spec.max_msg
                                                                   : (size_t)q->info.msgsize_max;
    q->info.depth = ch->spec.depth < (size_t)q->info.msg_max ? (long)ch->spec.depth
                                                             : (long)q->info.msg_max;
    q->partial = malloc(q->info.chunk);
    if (q->partial == NULL) {
        shl_fail(err, "malloc", errno, "%zu bytes", q->info.chunk);
        goto fail;
    }
    if (open_queue(q, &q->queue[0], err) != 0 || open_queue(q, &q->queue[1], err) != 0 ||
        shl_peer_link_create(&q->link, ch->spec.timeout_ms, err) != 0)
        goto fail;
    ch->impl = q;
    return 0;
fail:
    close_queues(q);
    free(q->partial);
    free(q);
    return -1;
}

static int posix_mq_join(struct shl_channel *ch, struct shl_error *err)
{
    (void)err;
    struct shl_posix_mq *q = ch->impl;
    shl_peer_link_join(&q->link, ch->side == SHL_SIDE_B);
    return 0;
}

static int posix_mq_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    struct shl_posix_mq *q = ch->impl;
    mqd_t out = q->queue[ch->side == SHL_SIDE_A ? 0 : 1];
    const char *p = buf;
    int left_ms = ch->spec.timeout_ms;
    while (len > 0) {
        size_t n = len < q->info.chunk ? len : q->info.chunk;
        if (mq_send(out, p, n, 0) == 0) {
            p += n;
            len -= n;
            continue;
        }
        if (errno != EAGAIN && errno != EINTR)
            return shl_fail(err, "mq_send", errno, "%zu bytes", n);
        if (shl_peer_link_wait(&q->link, (int)out, POLLOUT, &left_ms, "mq_send", err) != 0)
            return -1;
    }
    return 0;
}

static int posix_mq_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    struct shl_posix_mq *q = ch->impl;
    mqd_t in = q->queue[ch->side == SHL_SIDE_A ? 1 : 0];
    char *p = buf;
    int left_ms = ch->spec.timeout_ms;
    while (len > 0) {
        size_t n = len < q->info.chunk ? len : q->info.chunk;
        /* mq_receive wants room for mq_msgsize bytes, which a last short chunk lacks. */
        char *into = n == q->info.chunk ? p : q->partial;
        ssize_t got = mq_receive(in, into, q->info.chunk, NULL);
        if (got >= 0) {
            if ((size_t)got != n)
                return shl_fail(err, "mq_receive", EPROTO, "message of %zd bytes, expected %zu",
                                got, n);
            if (into != p)
                memcpy(p, into, n);
            p += n;
            len -= n;
            continue;
        }
        if (errno != EAGAIN && errno != EINTR)
            return shl_fail(err, "mq_receive", errno, "%zu bytes", n);
        if (shl_peer_link_wait(&q->link, (int)in, POLLIN, &left_ms, "mq_receive", err) != 0)
            return -1;
    }
    return 0;
}

static void posix_mq_close(struct shl_channel *ch)
{
    struct shl_posix_mq *q = ch->impl;
    close_queues(q);
    shl_peer_link_close(&q->link);
    free(q->partial);
    free(q);
}

const struct shl_transport shl_transport_posix_mq = {
    .name = "posix-mq",
    .kind = SHL_TRANSPORT_KERNEL,
    .create = posix_mq_create,
    .join = posix_mq_join,
    .send = posix_mq_send,
    .recv = posix_mq_recv,
    .close = posix_mq_close,
};

int shl_posix_mq_info(const struct shl_channel *ch, struct shl_posix_mq_info *info,
                      struct shl_error *err)
{
    if (ch->transport != &shl_transport_posix_mq || ch->impl == NULL)
        return shl_fail(err, "shl_posix_mq_info", EINVAL, "not an open posix-mq channel");
    *info = ((const struct shl_posix_mq *)ch->impl)->info;
    return 0;
}
