#include "src/transport/shl_pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "src/transport/shl_fdio.h"

struct shl_pipe {
    struct shl_fdpair io; /* first: shl_fdpair_send/recv read it through ch->impl */
    int a_to_b[2];
    int b_to_a[2];
};

static void pipe_release(struct shl_pipe *p)
{
    shl_fdio_close_pair(p->a_to_b);
    shl_fdio_close_pair(p->b_to_a);
    free(p);
}

static int pipe_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_pipe *p = calloc(1, sizeof *p);
    if (p == NULL)
        return shl_fail(err, "calloc", errno, "pipe channel");
    p->a_to_b[0] = p->a_to_b[1] = p->b_to_a[0] = p->b_to_a[1] = -1;
    p->io.rx = (struct shl_fdio){
        .fd = -1, .timeout_ms = ch->spec.timeout_ms, .kind = SHL_FDIO_POLL};
    p->io.tx = p->io.rx;
    if (pipe2(p->a_to_b, O_NONBLOCK | O_CLOEXEC) != 0 ||
        pipe2(p->b_to_a, O_NONBLOCK | O_CLOEXEC) != 0) {
        int saved = errno;
        pipe_release(p);
        return shl_fail(err, "pipe2", saved, NULL);
    }
    ch->impl = p;
    return 0;
}

static int pipe_join(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_pipe *p = ch->impl;
    if (shl_fdio_block_sigpipe(err) != 0)
        return -1;
    int *in = ch->side == SHL_SIDE_A ? p->b_to_a : p->a_to_b;
    int *out = ch->side == SHL_SIDE_A ? p->a_to_b : p->b_to_a;
    shl_fdio_close(&in[1]);
    shl_fdio_close(&out[0]);
    p->io.rx.fd = in[0];
    p->io.tx.fd = out[1];
    return 0;
}

static void pipe_close(struct shl_channel *ch)
{
    pipe_release(ch->impl);
}

const struct shl_transport shl_transport_pipe = {
    .name = "pipe",
    .kind = SHL_TRANSPORT_KERNEL,
    .create = pipe_create,
    .join = pipe_join,
    .send = shl_fdpair_send,
    .recv = shl_fdpair_recv,
    .close = pipe_close,
};
