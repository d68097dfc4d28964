#include "src/transport/shl_zeromq.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <zmq.h>

#include "src/core/shl_name.h"
#include "src/transport/shl_peer_link.h"

/* A blocked zmq_send or zmq_recv gives up after this long (ZMQ_SNDTIMEO, ZMQ_RCVTIMEO), so
 * that the channel can look at its timeout and its peer link: the wait itself is ZeroMQ's
 * own, as in a plain loop over its API. */
#define SLICE_MS 100

/* An endpoint as ZMQ_LAST_ENDPOINT gives it: "ipc://" or "tcp://127.0.0.1:" plus a path. */
#define ENDPOINT_LEN (PATH_MAX + 16)

struct shl_zeromq {
    int tcp;
    struct shl_peer_link link;
    uint64_t token;          /* side B proves with it that A's socket holds its own peer */
    char dir[PATH_MAX];      /* the private folder of the ipc socket, "" once removed */
    char path[PATH_MAX + 8]; /* the ipc socket file in it */
    int dir_fd;              /* the folder, open: both sides name the socket through it */
    void *context;
    void *socket;
};

static int zmq_failed(struct shl_error *err, const char *call, const char *what)
{
    int e = zmq_errno();
    return shl_fail(err, call, e, "%s: %s", what, zmq_strerror(e));
}

static void remove_names(struct shl_zeromq *z)
{
    if (z->dir[0] == '\0')
        return;
    unlink(z->path);
    rmdir(z->dir);
    z->dir[0] = '\0';
}

static void release(struct shl_zeromq *z)
{
    if (z->dir_fd >= 0)
        close(z->dir_fd);
    free(z);
}

static int zeromq_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_zeromq *z = calloc(1, sizeof *z);
    if (z == NULL)
        return shl_fail(err, "calloc", errno, "zeromq channel");
    z->dir_fd = -1;
    z->tcp = ch->transport == &shl_transport_zeromq_tcp;
    if (shl_random(&z->token, sizeof z->token, err) != 0)
        goto fail;
    if (!z->tcp) {
        if (shl_name_folder(z->dir, sizeof z->dir, err) != 0) {
            z->dir[0] = '\0';
            goto fail;
        }
        snprintf(z->path, sizeof z->path, "%s/" SHL_NAME_SOCKET, z->dir);
        /* A socket's path must fit sun_path (108 bytes), which a deep TMPDIR does not: both
         * sides reach the folder through this descriptor, shared by fork, as
         * /proc/self/fd/N/zmq. */
        z->dir_fd = open(z->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (z->dir_fd < 0) {
            shl_fail(err, "open", errno, "%s", z->dir);
            remove_names(z);
            goto fail;
        }
    }
    if (shl_peer_link_create(&z->link, ch->spec.timeout_ms, err) != 0) {
        remove_names(z);
        goto fail;
    }
    ch->impl = z;
    return 0;
fail:
    release(z);
    return -1;
}

static int set_int(void *socket, int option, int value, const char *name, struct shl_error *err)
{
    if (zmq_setsockopt(socket, option, &value, sizeof value) != 0)
        return zmq_failed(err, "zmq_setsockopt", name);
    return 0;
}

static int open_socket(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_zeromq *z = ch->impl;
    int hwm = ch->spec.depth > INT_MAX ? INT_MAX : (int)ch->spec.depth;
    z->context = zmq_ctx_new();
    if (z->context == NULL)
        return zmq_failed(err, "zmq_ctx_new", "context");
    z->socket = zmq_socket(z->context, ZMQ_PAIR);
    if (z->socket == NULL)
        return zmq_failed(err, "zmq_socket", "ZMQ_PAIR");
    /* A message sent just before close still leaves, for up to the channel's timeout. */
    if (set_int(z->socket, ZMQ_LINGER, ch->spec.timeout_ms, "ZMQ_LINGER", err) != 0 ||
        set_int(z->socket, ZMQ_SNDTIMEO, SLICE_MS, "ZMQ_SNDTIMEO", err) != 0 ||
        set_int(z->socket, ZMQ_RCVTIMEO, SLICE_MS, "ZMQ_RCVTIMEO", err) != 0 ||
        set_int(z->socket, ZMQ_SNDHWM, hwm, "ZMQ_SNDHWM", err) != 0 ||
        set_int(z->socket, ZMQ_RCVHWM, hwm, "ZMQ_RCVHWM", err) != 0)
        return -1;
    return 0;
}

/* Waits until the socket can do `events` (ZMQ_POLLIN/ZMQ_POLLOUT), the peer has gone or
 * *left_ms ran out. */
static int zeromq_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    struct shl_zeromq *z = ch->impl;
    long start = shl_peer_link_now_ms();
    for (;;) {
        if (zmq_send(z->socket, buf, len, 0) == (int)len)
            return 0;
        if (zmq_errno() != EAGAIN && zmq_errno() != EINTR)
            return zmq_failed(err, "zmq_send", "message");
        if (shl_peer_link_keep_waiting(&z->link, start, ch->spec.timeout_ms, "zmq_send", err) != 0)
            return -1;
    }
}

static int zeromq_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    struct shl_zeromq *z = ch->impl;
    long start = shl_peer_link_now_ms();
    for (int last_try = 0;;) {
        int got = zmq_recv(z->socket, buf, len, 0);
        if (got >= 0) {
            /* zmq_recv returns the message's real size, also when it cut it to len. */
            if ((size_t)got != len)
                return shl_fail(err, "zmq_recv", EPROTO, "message of %d bytes, expected %zu", got,
                                len);
            return 0;
        }
        if (zmq_errno() != EAGAIN && zmq_errno() != EINTR)
            return zmq_failed(err, "zmq_recv", "message");
        if (last_try)
            return -1;
        if (shl_peer_link_keep_waiting(&z->link, start, ch->spec.timeout_ms, "zmq_recv", err) !=
            0) {
            /* ZeroMQ moves a message in its I/O threads, so a peer's last message may still
             * be on the way when its link closes: one more slice for it. */
            if (err->errnum != EPIPE)
                return -1;
            last_try = 1;
        }
    }
}

static int join_a(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_zeromq *z = ch->impl;
    char endpoint[ENDPOINT_LEN];
    if (z->tcp)
        snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:*");
    else
        snprintf(endpoint, sizeof endpoint, "ipc:///proc/self/fd/%d/" SHL_NAME_SOCKET, z->dir_fd);
    if (zmq_bind(z->socket, endpoint) != 0)
        return zmq_failed(err, "zmq_bind", endpoint);
    size_t len = sizeof endpoint;
    if (zmq_getsockopt(z->socket, ZMQ_LAST_ENDPOINT, endpoint, &len) != 0)
        return zmq_failed(err, "zmq_getsockopt", "ZMQ_LAST_ENDPOINT");
    if (shl_peer_link_send(&z->link, endpoint, sizeof endpoint, err) != 0)
        return -1;
    uint64_t token = 0;
    if (zeromq_recv(ch, &token, sizeof token, err) != 0)
        return -1;
    if (token != z->token)
        return shl_fail(err, "zmq_recv", EACCES, "%s: a stranger connected first", endpoint);
    remove_names(z);
    return 0;
}

static int join_b(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_zeromq *z = ch->impl;
    char endpoint[ENDPOINT_LEN];
    if (shl_peer_link_recv(&z->link, endpoint, sizeof endpoint, err) != 0)
        return -1;
    endpoint[sizeof endpoint - 1] = '\0';
    if (zmq_connect(z->socket, endpoint) != 0)
        return zmq_failed(err, "zmq_connect", endpoint);
    return zeromq_send(ch, &z->token, sizeof z->token, err);
}

static int zeromq_join(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_zeromq *z = ch->impl;
    shl_peer_link_join(&z->link, ch->side == SHL_SIDE_B);
    if (open_socket(ch, err) != 0)
        return -1;
    return ch->side == SHL_SIDE_A ? join_a(ch, err) : join_b(ch, err);
}

static void zeromq_close(struct shl_channel *ch)
{
    struct shl_zeromq *z = ch->impl;
    if (z->socket != NULL)
        zmq_close(z->socket);
    if (z->context != NULL)
        zmq_ctx_term(z->context);
    if (ch->side == SHL_SIDE_A || z->link.fd < 0)
        remove_names(z);
    shl_peer_link_close(&z->link);
    release(z);
}

/* The two differ only in the name, from which create() tells them apart. */
#define ZEROMQ_TRANSPORT(transport_name)                                                      \
    {                                                                                         \
        .name = transport_name, .kind = SHL_TRANSPORT_MIDDLEWARE, .create = zeromq_create,    \
        .join = zeromq_join, .send = zeromq_send, .recv = zeromq_recv, .close = zeromq_close, \
    }

const struct shl_transport shl_transport_zeromq_ipc = ZEROMQ_TRANSPORT("zeromq-ipc");
const struct shl_transport shl_transport_zeromq_tcp = ZEROMQ_TRANSPORT("zeromq-tcp");
