#include "src/transport/shl_unix_dgram.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "src/transport/shl_fdio.h"

struct shl_unix_dgram {
    int ends[2]; /* ends[SHL_SIDE_A], ends[SHL_SIDE_B] */
    struct shl_fdio io;
    struct shl_unix_dgram_info info;
};

/* Headroom between SO_SNDBUF and the largest datagram: the kernel refuses a datagram
 * larger than sk_sndbuf - 32 and also charges skb overhead. */
#define DGRAM_SNDBUF_HEADROOM 4096

static void raise_buffer(int fd, int force_opt, int opt, int bytes)
{
    /* Privileged processes may exceed net.core.[rw]mem_max; others get up to it. */
    if (setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof bytes) != 0)
        setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof bytes);
}

static int read_buffer(int fd, int opt, int *bytes, struct shl_error *err)
{
    socklen_t len = sizeof *bytes;
    if (getsockopt(fd, SOL_SOCKET, opt, bytes, &len) != 0)
        return shl_fail(err, "getsockopt", errno, "%s",
                        opt == SO_SNDBUF ? "SO_SNDBUF" : "SO_RCVBUF");
    return 0;
}

/* Sends one datagram of `chunk` bytes from end 0 to end 1 and reads it back: the only sure
 * way to know the kernel takes datagrams that large. Halves the size until one passes. */
static int probe_chunk(struct shl_unix_dgram *u, size_t want, struct shl_error *err)
{
    char *scratch = malloc(want);
    if (scratch == NULL)
        return shl_fail(err, "malloc", errno, "%zu bytes", want);
    size_t chunk = want;
    int rc = -1;
    while (chunk > 0) {
        ssize_t sent = send(u->ends[0], scratch, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent == (ssize_t)chunk) {
            ssize_t got = recv(u->ends[1], scratch, chunk, MSG_DONTWAIT);
            if (got != (ssize_t)chunk) {
                shl_fail(err, "recv", got < 0 ? errno : EIO, "probe of %zu bytes", chunk);
                break;
            }
            u->info.chunk = chunk;
            rc = 0;
            break;
        }
        if (sent >= 0 || (errno != EMSGSIZE && errno != ENOBUFS && errno != EAGAIN)) {
            shl_fail(err, "send", sent < 0 ? errno : EIO, "probe of %zu bytes", chunk);
            break;
        }
        chunk /= 2;
    }
    if (chunk == 0)
        shl_fail(err, "send", EMSGSIZE, "no datagram size passes");
    free(scratch);
    return rc;
}

static int unix_dgram_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_unix_dgram *u = calloc(1, sizeof *u);
    if (u == NULL)
        return shl_fail(err, "calloc", errno, "unix-dgram channel");
    if (shl_fdio_socketpair(SOCK_DGRAM, ch->spec.timeout_ms, u->ends, err) != 0) {
        free(u);
        return -1;
    }
    size_t want_bytes = ch->spec.max_msg + DGRAM_SNDBUF_HEADROOM;
    int want = want_bytes > INT_MAX / 2 ? INT_MAX / 2 : (int)want_bytes;
    for (int i = 0; i < 2; i++) {
        raise_buffer(u->ends[i], SO_SNDBUFFORCE, SO_SNDBUF, want);
        raise_buffer(u->ends[i], SO_RCVBUFFORCE, SO_RCVBUF, want);
    }
    size_t chunk = 0;
    if (read_buffer(u->ends[0], SO_SNDBUF, &u->info.sndbuf, err) == 0 &&
        read_buffer(u->ends[0], SO_RCVBUF, &u->info.rcvbuf, err) == 0) {
        /* The kernel doubles the value set; half of it is what a datagram may fill. */
        chunk = (size_t)u->info.sndbuf / 2;
        if (chunk > ch->spec.max_msg)
            chunk = ch->spec.max_msg;
        if (probe_chunk(u, chunk, err) == 0) {
            u->io = (struct shl_fdio){.fd = -1,
                                      .timeout_ms = ch->spec.timeout_ms,
                                      .kind = SHL_FDIO_SOCKET,
                                      .recv_flags = MSG_TRUNC};
            ch->impl = u;
            return 0;
        }
    }
    shl_fdio_close_pair(u->ends);
    free(u);
    return -1;
}

static int unix_dgram_join(struct shl_channel *ch, struct shl_error *err)
{
    (void)err;
    struct shl_unix_dgram *u = ch->impl;
    u->io.fd = shl_fdio_keep_end(u->ends, ch->side == SHL_SIDE_B);
    return 0;
}

static int unix_dgram_send(struct shl_channel *ch, const void *buf, size_t len,
                           struct shl_error *err)
{
    struct shl_unix_dgram *u = ch->impl;
    const char *p = buf;
    while (len > 0) {
        size_t n = len < u->info.chunk ? len : u->info.chunk;
        ssize_t sent = shl_fdio_once(&u->io, 1, (void *)p, n, err);
        if (sent < 0)
            return -1;
        if ((size_t)sent != n)
            return shl_fail(err, "send", EMSGSIZE, "datagram of %zu bytes cut to %zd", n, sent);
        p += n;
        len -= n;
    }
    return 0;
}

static int unix_dgram_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    struct shl_unix_dgram *u = ch->impl;
    char *p = buf;
    while (len > 0) {
        size_t n = len < u->info.chunk ? len : u->info.chunk;
        /* MSG_TRUNC makes recv return the datagram's real length, so a sender that chunks
         * differently is caught rather than silently cut. */
        ssize_t got = shl_fdio_once(&u->io, 0, p, n, err);
        if (got < 0)
            return -1;
        if ((size_t)got != n)
            return shl_fail(err, "recv", EPROTO, "datagram of %zd bytes, expected %zu", got, n);
        p += n;
        len -= n;
    }
    return 0;
}

static void unix_dgram_close(struct shl_channel *ch)
{
    struct shl_unix_dgram *u = ch->impl;
    shl_fdio_close_pair(u->ends);
    free(u);
}

const struct shl_transport shl_transport_unix_dgram = {
    .name = "unix-dgram",
    .kind = SHL_TRANSPORT_KERNEL,
    .create = unix_dgram_create,
    .join = unix_dgram_join,
    .send = unix_dgram_send,
    .recv = unix_dgram_recv,
    .close = unix_dgram_close,
};

int shl_unix_dgram_info(const struct shl_channel *ch, struct shl_unix_dgram_info *info,
                        struct shl_error *err)
{
    if (ch->transport != &shl_transport_unix_dgram || ch->impl == NULL)
        return shl_fail(err, "shl_unix_dgram_info", EINVAL, "not an open unix-dgram channel");
    *info = ((const struct shl_unix_dgram *)ch->impl)->info;
    return 0;
}
