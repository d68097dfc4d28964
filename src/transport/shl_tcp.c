#include "src/transport/shl_tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "src/core/shl_name.h"
#include "src/transport/shl_fdio.h"

struct shl_tcp {
    struct shl_fdpair io; /* first: shl_fdpair_send/recv read it through ch->impl */
    int listener;
    int conn;
    struct sockaddr_in addr; /* where the listener waits */
    uint64_t token;
};

static void tcp_release(struct shl_tcp *t)
{
    shl_fdio_close(&t->listener);
    shl_fdio_close(&t->conn);
    free(t);
}

static int tcp_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_tcp *t = calloc(1, sizeof *t);
    if (t == NULL)
        return shl_fail(err, "calloc", errno, "tcp channel");
    t->conn = -1;
    t->io.rx = (struct shl_fdio){.fd = -1,
                                 .timeout_ms = ch->spec.timeout_ms,
                                 .kind = SHL_FDIO_SOCKET,
                                 .recv_flags = MSG_WAITALL};
    t->io.tx = t->io.rx;
    t->addr.sin_family = AF_INET;
    t->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    t->addr.sin_port = 0;
    socklen_t alen = sizeof t->addr;
    t->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (t->listener < 0) {
        shl_fail(err, "socket", errno, "AF_INET, SOCK_STREAM");
    } else if (bind(t->listener, (struct sockaddr *)&t->addr, sizeof t->addr) != 0) {
        shl_fail(err, "bind", errno, "127.0.0.1:0");
    } else if (listen(t->listener, 1) != 0) {
        shl_fail(err, "listen", errno, NULL);
    } else if (getsockname(t->listener, (struct sockaddr *)&t->addr, &alen) != 0) {
        shl_fail(err, "getsockname", errno, NULL);
    } else if (shl_fdio_socket_timeouts(t->listener, ch->spec.timeout_ms, err) == 0 &&
               shl_random(&t->token, sizeof t->token, err) == 0) {
        ch->impl = t;
        return 0;
    }
    tcp_release(t);
    return -1;
}

static int tcp_nodelay(int fd, struct shl_error *err)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
        return shl_fail(err, "setsockopt", errno, "TCP_NODELAY");
    return 0;
}

/* Side A: accepts until the peer that presents the token arrives (or the timeout). */
static int tcp_accept_peer(struct shl_tcp *t, int timeout_ms, struct shl_error *err)
{
    for (;;) {
        /* SO_RCVTIMEO on the listener bounds accept(). */
        int fd = accept4(t->listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return shl_fail(err, "accept4", ETIMEDOUT, "no peer in %d ms", timeout_ms);
            return shl_fail(err, "accept4", errno, NULL);
        }
        uint64_t token = 0;
        struct shl_fdio io = {
            .fd = fd, .timeout_ms = timeout_ms, .kind = SHL_FDIO_SOCKET, .recv_flags = MSG_WAITALL};
        if (shl_fdio_socket_timeouts(fd, timeout_ms, err) == 0 &&
            shl_fdio_recv_all(&io, &token, sizeof token, err) == 0 && token == t->token) {
            t->conn = fd;
            return 0;
        }
        shl_fdio_close(&fd); /* a stranger, or a peer that said nothing: keep waiting */
    }
}

static int tcp_connect_peer(struct shl_tcp *t, int timeout_ms, struct shl_error *err)
{
    t->conn = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (t->conn < 0)
        return shl_fail(err, "socket", errno, "AF_INET, SOCK_STREAM");
    if (shl_fdio_socket_timeouts(t->conn, timeout_ms, err) != 0)
        return -1;
    /* SO_SNDTIMEO bounds connect(). */
    while (connect(t->conn, (struct sockaddr *)&t->addr, sizeof t->addr) != 0) {
        if (errno == EINTR)
            continue;
        return shl_fail(err, "connect", errno == EINPROGRESS ? ETIMEDOUT : errno, "127.0.0.1:%u",
                        (unsigned)ntohs(t->addr.sin_port));
    }
    struct shl_fdio io = {.fd = t->conn, .timeout_ms = timeout_ms, .kind = SHL_FDIO_SOCKET};
    return shl_fdio_send_all(&io, &t->token, sizeof t->token, err);
}

static int tcp_join(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_tcp *t = ch->impl;
    if (ch->side == SHL_SIDE_B)
        shl_fdio_close(&t->listener);
    int rc = ch->side == SHL_SIDE_A ? tcp_accept_peer(t, ch->spec.timeout_ms, err)
                                    : tcp_connect_peer(t, ch->spec.timeout_ms, err);
    shl_fdio_close(&t->listener);
    if (rc != 0 || tcp_nodelay(t->conn, err) != 0)
        return -1;
    t->io.rx.fd = t->io.tx.fd = t->conn;
    return 0;
}

static void tcp_close(struct shl_channel *ch)
{
    tcp_release(ch->impl);
}

const struct shl_transport shl_transport_tcp = {
    .name = "tcp",
    .kind = SHL_TRANSPORT_KERNEL,
    .create = tcp_create,
    .join = tcp_join,
    .send = shl_fdpair_send,
    .recv = shl_fdpair_recv,
    .close = tcp_close,
};
