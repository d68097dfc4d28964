#include "src/transport/shl_unix_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "src/transport/shl_fdio.h"

struct shl_unix_stream {
    struct shl_fdpair io; /* first: shl_fdpair_send/recv read it through ch->impl */
    int ends[2];          /* ends[SHL_SIDE_A], ends[SHL_SIDE_B] */
};

static int unix_stream_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_unix_stream *u = calloc(1, sizeof *u);
    if (u == NULL)
        return shl_fail(err, "calloc", errno, "unix-stream channel");
    if (shl_fdio_socketpair(SOCK_STREAM, ch->spec.timeout_ms, u->ends, err) != 0) {
        free(u);
        return -1;
    }
    u->io.rx = (struct shl_fdio){.fd = -1,
                                 .timeout_ms = ch->spec.timeout_ms,
                                 .kind = SHL_FDIO_SOCKET,
                                 .recv_flags = MSG_WAITALL};
    u->io.tx = u->io.rx;
    ch->impl = u;
    return 0;
}

static int unix_stream_join(struct shl_channel *ch, struct shl_error *err)
{
    (void)err;
    struct shl_unix_stream *u = ch->impl;
    u->io.rx.fd = u->io.tx.fd = shl_fdio_keep_end(u->ends, ch->side == SHL_SIDE_B);
    return 0;
}

static void unix_stream_close(struct shl_channel *ch)
{
    struct shl_unix_stream *u = ch->impl;
    shl_fdio_close_pair(u->ends);
    free(u);
}

const struct shl_transport shl_transport_unix_stream = {
    .name = "unix-stream",
    .kind = SHL_TRANSPORT_KERNEL,
    .create = unix_stream_create,
    .join = unix_stream_join,
    .send = shl_fdpair_send,
    .recv = shl_fdpair_recv,
    .close = unix_stream_close,
};
