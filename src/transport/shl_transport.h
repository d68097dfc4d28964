/* One interface for every way two processes can exchange messages, so that the benchmark
 * times them all with the same loop: a pipe, a socket or a shared-memory ring is created
 * once, shared across fork(), and then each process sends and receives whole messages.
 *
 * Life of a channel:
 *   parent: shl_channel_create()            -- fds, FIFOs, listening socket, segment...
 *   fork()
 *   parent: shl_channel_join(SHL_SIDE_A)     child: shl_channel_join(SHL_SIDE_B)
 *   both:   shl_channel_send() / shl_channel_recv() as the benchmark pleases
 *   both:   shl_channel_close()              -- side A also removes named objects
 */
#ifndef SHMLAB_SHL_TRANSPORT_H
#define SHMLAB_SHL_TRANSPORT_H

#include <stddef.h>

#include "src/core/shl_error.h"
#include "src/shm/shl_shm.h"
#include "src/transport/shl_notify_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

enum shl_side {
    SHL_SIDE_A, /* the process that created the channel */
    SHL_SIDE_B, /* its peer, usually a forked child */
};

struct shl_channel_spec {
    size_t max_msg;              /* the largest message either side will send, in bytes */
    size_t depth;                /* messages that may be in flight one way before send waits (>= 1);
                      * kernel transports may buffer more, shared-memory rings exactly this */
    enum shl_notify_kind notify; /* shared-memory rings: how a receiver learns of a message;
                                  * SHL_NOTIFY_NONE: the ring's default (kernel transports
                                  * take no other) */
    long spin_budget_ns;         /* SHL_NOTIFY_ADAPTIVE: how long a waiter spins before it sleeps; 0
                          * for SHL_NOTIFY_SPIN_BUDGET_DEFAULT_NS */
    int timeout_ms;              /* a send or recv that cannot proceed for this long fails with
                      * ETIMEDOUT; a vanished peer fails it with EPIPE, within that time */
};

struct shl_channel;

enum shl_transport_kind {
    SHL_TRANSPORT_KERNEL,     /* the kernel moves the bytes: a pipe, a socket, a FIFO */
    SHL_TRANSPORT_RING,       /* a shared-memory ring; offers every notification strategy */
    SHL_TRANSPORT_MIDDLEWARE, /* a library users pick instead (ZeroMQ, iceoryx), whatever
                               * moves its bytes */
};

/* What output calls each kind: "kernel transports", "shared-memory rings", "middleware". */
extern const char *const shl_transport_kind_labels[];

enum { SHL_UNNAMED_ANON = 1, SHL_UNNAMED_MEMFD };

struct shl_transport {
    const char *name; /* "pipe", "unix-stream", ...; a ring: its mechanism's */
    enum shl_transport_kind kind;
    enum shl_mech mech; /* SHL_TRANSPORT_RING: where the segment comes from */
    int unnamed;        /* SHL_TRANSPORT_RING over memory with no name instead of a
                                   * mechanism's segment: SHL_UNNAMED_ANON or _MEMFD (0: none) */
    int needs_roudi;    /* iceoryx: create needs a running RouDi (shl_roudi.h) and
                                   * registers the creating process with it for good */
    int (*create)(struct shl_channel *ch, struct shl_error *err);
    int (*join)(struct shl_channel *ch, struct shl_error *err);
    int (*send)(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err);
    int (*recv)(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err);
    void (*close)(struct shl_channel *ch);
    /* Zero-copy, where the transport has it (rings, iceoryx; NULL elsewhere): see
     * shl_channel_loan below. */
    int (*loan)(struct shl_channel *ch, size_t len, void **slot, struct shl_error *err);
    void (*commit)(struct shl_channel *ch, size_t len);
    int (*peek)(struct shl_channel *ch, size_t len, const void **msg, struct shl_error *err);
    void (*release)(struct shl_channel *ch);
};

struct shl_channel {
    const struct shl_transport *transport;
    struct shl_channel_spec spec;
    enum shl_side side; /* valid after join */
    void *impl;         /* the transport's own state, allocated by create */
};

/* Every transport shmlab has, NULL-terminated, and a look-up by name (NULL if unknown). */
extern const struct shl_transport *const shl_transports[];
const struct shl_transport *shl_transport_find(const char *name);

/* Before fork: makes everything both sides need. On failure nothing is left behind. */
int shl_channel_create(struct shl_channel *ch, const struct shl_transport *t,
                       const struct shl_channel_spec *spec, struct shl_error *err);

/* After fork, in each process: keeps this side's end and releases the other's. */
int shl_channel_join(struct shl_channel *ch, enum shl_side side, struct shl_error *err);

/* Sends exactly len (<= spec.max_msg) bytes as one message. */
int shl_channel_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err);

/* Receives one message of exactly len bytes into buf. */
int shl_channel_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err);

/* Zero-copy (EOPNOTSUPP where the transport has none): loan a slot for the next message,
 * write its len bytes in place and commit them; peek at the next message of len bytes in
 * place and release it when done. One loaned and one peeked message at a time, under the
 * same timeouts and dead-peer rules as send and recv. */
int shl_channel_loan(struct shl_channel *ch, size_t len, void **slot, struct shl_error *err);
void shl_channel_commit(struct shl_channel *ch, size_t len);
int shl_channel_peek(struct shl_channel *ch, size_t len, const void **msg, struct shl_error *err);
void shl_channel_release(struct shl_channel *ch);

/* Releases this process's end; side A (or a never-joined channel) also unlinks FIFOs,
 * socket paths, shm names and segments. Safe to call twice. */
void shl_channel_close(struct shl_channel *ch);

#ifdef __cplusplus
}
#endif

#endif
