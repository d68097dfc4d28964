#include "src/transport/shl_peer_link.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "src/transport/shl_fdio.h"

int shl_peer_link_create(struct shl_peer_link *link, int timeout_ms, struct shl_error *err)
{
    link->fd = -1;
    link->timeout_ms = timeout_ms;
    return shl_fdio_socketpair(SOCK_STREAM, timeout_ms, link->ends, err);
}

void shl_peer_link_join(struct shl_peer_link *link, int side_b)
{
    link->fd = shl_fdio_keep_end(link->ends, side_b);
    link->ends[side_b ? 1 : 0] = -1; /* now owned by fd */
}

int shl_peer_link_gone(const struct shl_peer_link *link)
{
    struct pollfd p = {.fd = link->fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0)
        return 0;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return 1;
    /* Readable: set-up bytes not yet read, or EOF. */
    char c;
    return recv(link->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

int shl_peer_link_send(const struct shl_peer_link *link, const void *buf, size_t len,
                       struct shl_error *err)
{
    struct shl_fdio io = {.fd = link->fd, .timeout_ms = link->timeout_ms, .kind = SHL_FDIO_SOCKET};
    return shl_fdio_send_all(&io, buf, len, err);
}

int shl_peer_link_recv(const struct shl_peer_link *link, void *buf, size_t len,
                       struct shl_error *err)
{
    struct shl_fdio io = {.fd = link->fd,
                          .timeout_ms = link->timeout_ms,
                          .kind = SHL_FDIO_SOCKET,
                          .recv_flags = MSG_WAITALL};
    return shl_fdio_recv_all(&io, buf, len, err);
}

long shl_peer_link_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int shl_peer_link_keep_waiting(const struct shl_peer_link *link, long start_ms, int timeout_ms,
                               const char *call, struct shl_error *err)
{
    if (shl_peer_link_gone(link))
        return shl_fail(err, call, EPIPE, "the peer has gone");
    if (shl_peer_link_now_ms() - start_ms >= timeout_ms)
        return shl_fail(err, call, ETIMEDOUT, "no progress in %d ms", timeout_ms);
    return 0;
}

int shl_peer_link_wait(const struct shl_peer_link *link, int fd, short events, int *left_ms,
                       const char *call, struct shl_error *err)
{
    for (;;) {
        if (*left_ms <= 0)
            return shl_fail(err, call, ETIMEDOUT, "no progress within the timeout");
        struct pollfd p[2] = {{.fd = fd, .events = events}, {.fd = link->fd, .events = POLLIN}};
        long start = shl_peer_link_now_ms();
        int n = poll(p, 2, *left_ms);
        *left_ms -= (int)(shl_peer_link_now_ms() - start);
        if (n < 0 && errno != EINTR)
            return shl_fail(err, "poll", errno, "%s", call);
        if (n > 0 && p[0].revents != 0)
            return 0;
        if (n > 0 && p[1].revents != 0 && shl_peer_link_gone(link))
            return shl_fail(err, call, EPIPE, "the peer has gone");
    }
}

void shl_peer_link_close(struct shl_peer_link *link)
{
    shl_fdio_close(&link->fd);
    shl_fdio_close_pair(link->ends);
}
