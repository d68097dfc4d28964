#include "src/transport/shl_fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/core/shl_name.h"
#include "src/transport/shl_fdio.h"

struct shl_fifo {
    struct shl_fdpair io; /* first: shl_fdpair_send/recv read it through ch->impl */
    int named;            /* the FIFOs' names still exist */
    /* $TMPDIR/shmlab-<pid>-<hex>: named like every object shmlab makes, so that when a
     * SIGKILL leaves them, `shmlab clean` finds them by their creator's pid. */
    char a_to_b[PATH_MAX];
    char b_to_a[PATH_MAX];
};

static void fifo_unlink(struct shl_fifo *f)
{
    if (!f->named)
        return;
    unlink(f->a_to_b);
    unlink(f->b_to_a);
    f->named = 0;
}

static int fifo_create(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_fifo *f = calloc(1, sizeof *f);
    if (f == NULL)
        return shl_fail(err, "calloc", errno, "fifo channel");
    f->io.rx = (struct shl_fdio){
        .fd = -1, .timeout_ms = ch->spec.timeout_ms, .kind = SHL_FDIO_POLL};
    f->io.tx = f->io.rx;
    const char *tmp = shl_tmpdir();
    char a_name[SHL_NAME_LEN], b_name[SHL_NAME_LEN];
    if (shl_name_posix(a_name, sizeof a_name, err) != 0 ||
        shl_name_posix(b_name, sizeof b_name, err) != 0) {
        free(f);
        return -1;
    }
    if (snprintf(f->a_to_b, sizeof f->a_to_b, "%s%s", tmp, a_name) >= (int)sizeof f->a_to_b ||
        snprintf(f->b_to_a, sizeof f->b_to_a, "%s%s", tmp, b_name) >= (int)sizeof f->b_to_a) {
        free(f);
        return shl_fail(err, "shl_fifo_create", ENAMETOOLONG, "TMPDIR");
    }
    /* mkfifo never reuses an existing name: a planted file is refused (EEXIST). */
    if (mkfifo(f->a_to_b, 0600) != 0) {
        int saved = errno;
        free(f);
        return shl_fail(err, "mkfifo", saved, "in %s", tmp);
    }
    if (mkfifo(f->b_to_a, 0600) != 0) {
        int saved = errno;
        unlink(f->a_to_b);
        free(f);
        return shl_fail(err, "mkfifo", saved, "in %s", tmp);
    }
    f->named = 1;
    ch->impl = f;
    return 0;
}

/* A FIFO's write end opens (O_NONBLOCK) only once a reader holds it: retry until then. */
static int open_writer(const char *path, const struct timespec *deadline, struct shl_error *err)
{
    for (;;) {
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0)
            return fd;
        if (errno != ENXIO && errno != EINTR)
            return shl_fail(err, "open", errno, "FIFO for writing");
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > deadline->tv_sec ||
            (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec))
            return shl_fail(err, "open", ETIMEDOUT, "FIFO: no reader came");
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
}

static int fifo_join(struct shl_channel *ch, struct shl_error *err)
{
    struct shl_fifo *f = ch->impl;
    if (shl_fdio_block_sigpipe(err) != 0)
        return -1;
    int is_a = ch->side == SHL_SIDE_A;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += ch->spec.timeout_ms / 1000;
    deadline.tv_nsec += (long)(ch->spec.timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    /* A reader opens at once with O_NONBLOCK; opening ours first lets the peer's writer in. */
    f->io.rx.fd = open(is_a ? f->b_to_a : f->a_to_b, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (f->io.rx.fd < 0)
        return shl_fail(err, "open", errno, "FIFO for reading");
    f->io.tx.fd = open_writer(is_a ? f->a_to_b : f->b_to_a, &deadline, err);
    if (f->io.tx.fd < 0)
        return -1;
    /* Each side says hello once its writer is open and listens for the peer's. Until a
     * writer has come, a FIFO read returns EOF but poll() waits, so poll comes first. */
    char hello = is_a ? 'A' : 'B';
    if (shl_fdio_send_all(&f->io.tx, &hello, 1, err) != 0)
        return -1;
    struct pollfd p = {.fd = f->io.rx.fd, .events = POLLIN};
    int ready;
    while ((ready = poll(&p, 1, ch->spec.timeout_ms)) < 0 && errno == EINTR)
        ;
    if (ready < 0)
        return shl_fail(err, "poll", errno, "FIFO hello");
    if (ready == 0)
        return shl_fail(err, "poll", ETIMEDOUT, "FIFO: no hello from the peer");
    if (shl_fdio_recv_all(&f->io.rx, &hello, 1, err) != 0)
        return -1;
    if (hello != (is_a ? 'B' : 'A'))
        return shl_fail(err, "shl_fifo_join", EPROTO, "unexpected hello");
    /* Both sides now hold both ends: the names have served their purpose. */
    if (is_a)
        fifo_unlink(f);
    return 0;
}

static void fifo_close(struct shl_channel *ch)
{
    struct shl_fifo *f = ch->impl;
    shl_fdio_close(&f->io.rx.fd);
    shl_fdio_close(&f->io.tx.fd);
    if (ch->side == SHL_SIDE_A)
        fifo_unlink(f);
    free(f);
}

const struct shl_transport shl_transport_fifo = {
    .name = "fifo",
    .kind = SHL_TRANSPORT_KERNEL,
    .create = fifo_create,
    .join = fifo_join,
    .send = shl_fdpair_send,
    .recv = shl_fdpair_recv,
    .close = fifo_close,
};
