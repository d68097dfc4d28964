/* Whole-message I/O on a file descriptor with the channel's rules: a send or recv that
 * cannot make progress for timeout_ms fails with ETIMEDOUT, a vanished peer (EOF, EPIPE,
 * ECONNRESET, ECONNREFUSED) fails it with EPIPE, and nothing raises SIGPIPE.
 *
 * Two ways to bound the wait, both without a system call on the path where data is ready:
 *  - SHL_FDIO_POLL (pipes, FIFOs): the fd is O_NONBLOCK; read/write is tried first and
 *    poll() with the timeout is called only when it would block.
 *  - SHL_FDIO_SOCKET (sockets): the fd is blocking with SO_RCVTIMEO/SO_SNDTIMEO set, so the
 *    kernel returns EAGAIN after the timeout; send uses MSG_NOSIGNAL.
 */
#ifndef SHMLAB_SHL_FDIO_H
#define SHMLAB_SHL_FDIO_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum shl_fdio_kind {
    SHL_FDIO_POLL,
    SHL_FDIO_SOCKET,
};

struct shl_fdio {
    int fd;
    int timeout_ms;
    enum shl_fdio_kind kind;
    int recv_flags; /* sockets: e.g. MSG_WAITALL for streams, MSG_TRUNC for datagrams */
};

/* One read (out == 0) or write (out != 0): the byte count (> 0), or -1 with err set. */
ssize_t shl_fdio_once(const struct shl_fdio *io, int out, void *buf, size_t len,
                      struct shl_error *err);

/* Moves exactly len bytes, looping over partial transfers. */
int shl_fdio_send_all(const struct shl_fdio *io, const void *buf, size_t len,
                      struct shl_error *err);
int shl_fdio_recv_all(const struct shl_fdio *io, void *buf, size_t len, struct shl_error *err);

/* Sets SO_RCVTIMEO and SO_SNDTIMEO to timeout_ms. */
int shl_fdio_socket_timeouts(int fd, int timeout_ms, struct shl_error *err);

/* A connected AF_UNIX socketpair of `type`, close-on-exec, with both timeouts set; on
 * failure nothing stays open. */
int shl_fdio_socketpair(int type, int timeout_ms, int ends[2], struct shl_error *err);

/* Closes both ends of a pair of fds (socketpair, pipe). */
void shl_fdio_close_pair(int ends[2]);

/* After fork: closes the other side's end of a socketpair and returns this side's. */
int shl_fdio_keep_end(int ends[2], int side_b);

/* Blocks SIGPIPE in the calling thread, for transports that write to pipes; a write that
 * then fails with EPIPE takes back the SIGPIPE it raised, so none is left pending. */
int shl_fdio_block_sigpipe(struct shl_error *err);

/* Closes *fd if open and marks it closed (-1). */
void shl_fdio_close(int *fd);

/* A channel whose two directions are each one fd (pipe, FIFO, stream sockets): the
 * transport's impl starts with this, so that send and recv below serve them all. */
struct shl_fdpair {
    struct shl_fdio rx;
    struct shl_fdio tx;
};
struct shl_channel;
int shl_fdpair_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err);
int shl_fdpair_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
