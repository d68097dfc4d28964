#include "src/transport/shl_fdio.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "src/transport/shl_transport.h"

static const char *call_name(const struct shl_fdio *io, int out)
{
    if (io->kind == SHL_FDIO_SOCKET)
        return out ? "send" : "recv";
    return out ? "write" : "read";
}

/* Only reached after a write failed with EPIPE, so the signal (if any) is already pending. */
static void take_back_sigpipe(void)
{
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    struct timespec now = {0, 0};
    while (sigtimedwait(&pipe_only, NULL, &now) == SIGPIPE)
        ;
}

static int wait_ready(const struct shl_fdio *io, int out, struct shl_error *err)
{
    struct pollfd p = {.fd = io->fd, .events = out ? POLLOUT : POLLIN};
    for (;;) {
        int n = poll(&p, 1, io->timeout_ms);
        if (n > 0)
            return 0; /* ready, or POLLHUP/POLLERR: the next read/write reports which */
        if (n == 0)
            return shl_fail(err, "poll", ETIMEDOUT, "%s: no progress in %d ms", call_name(io, out),
                            io->timeout_ms);
        if (errno != EINTR)
            return shl_fail(err, "poll", errno, NULL);
    }
}

ssize_t shl_fdio_once(const struct shl_fdio *io, int out, void *buf, size_t len,
                      struct shl_error *err)
{
    for (;;) {
        ssize_t n;
        if (io->kind == SHL_FDIO_SOCKET)
            n = out ? send(io->fd, buf, len, MSG_NOSIGNAL) : recv(io->fd, buf, len, io->recv_flags);
        else
            n = out ? write(io->fd, buf, len) : read(io->fd, buf, len);
        if (n > 0)
            return n;
        if (n == 0)
            return shl_fail(err, call_name(io, out), EPIPE, "peer closed its end");
        switch (errno) {
        case EINTR: continue;
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
            if (io->kind == SHL_FDIO_SOCKET)
                return shl_fail(err, call_name(io, out), ETIMEDOUT, "no progress in %d ms",
                                io->timeout_ms);
            if (wait_ready(io, out, err) != 0)
                return -1;
            continue;
        case EPIPE:
            if (io->kind == SHL_FDIO_POLL)
                take_back_sigpipe();
            /* fall through */
        case ECONNRESET:
        case ECONNREFUSED:
            return shl_fail(err, call_name(io, out), EPIPE, "peer gone (%s)",
                            errno == EPIPE        ? "EPIPE"
                            : errno == ECONNRESET ? "ECONNRESET"
                                                  : "ECONNREFUSED");
        default: return shl_fail(err, call_name(io, out), errno, NULL);
        }
    }
}

int shl_fdio_send_all(const struct shl_fdio *io, const void *buf, size_t len, struct shl_error *err)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = shl_fdio_once(io, 1, (void *)p, len, err);
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int shl_fdio_recv_all(const struct shl_fdio *io, void *buf, size_t len, struct shl_error *err)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = shl_fdio_once(io, 0, p, len, err);
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int shl_fdio_socket_timeouts(int fd, int timeout_ms, struct shl_error *err)
{
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
        return shl_fail(err, "setsockopt", errno, "SO_RCVTIMEO");
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
        return shl_fail(err, "setsockopt", errno, "SO_SNDTIMEO");
    return 0;
}

int shl_fdio_socketpair(int type, int timeout_ms, int ends[2], struct shl_error *err)
{
    if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, ends) != 0)
        return shl_fail(err, "socketpair", errno, "AF_UNIX, %s",
                        type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM");
    if (shl_fdio_socket_timeouts(ends[0], timeout_ms, err) != 0 ||
        shl_fdio_socket_timeouts(ends[1], timeout_ms, err) != 0) {
        shl_fdio_close_pair(ends);
        return -1;
    }
    return 0;
}

void shl_fdio_close_pair(int ends[2])
{
    shl_fdio_close(&ends[0]);
    shl_fdio_close(&ends[1]);
}

int shl_fdio_keep_end(int ends[2], int side_b)
{
    shl_fdio_close(&ends[side_b ? 0 : 1]);
    return ends[side_b ? 1 : 0];
}

int shl_fdio_block_sigpipe(struct shl_error *err)
{
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    int rc = pthread_sigmask(SIG_BLOCK, &pipe_only, NULL);
    if (rc != 0)
        return shl_fail(err, "pthread_sigmask", rc, "SIGPIPE");
    return 0;
}

void shl_fdio_close(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int shl_fdpair_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    const struct shl_fdpair *pair = ch->impl;
    return shl_fdio_send_all(&pair->tx, buf, len, err);
}

int shl_fdpair_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    const struct shl_fdpair *pair = ch->impl;
    return shl_fdio_recv_all(&pair->rx, buf, len, err);
}
