/* Eclipse iceoryx 2.0 through its C binding: per direction one publisher and one
 * subscriber on the service ("shmlab", "<pid>-<random>", "a2b" or "b2a"), both blocking
 * (ConsumerTooSlowPolicy_WAIT_FOR_CONSUMER, QueueFullPolicy_BLOCK_PRODUCER), so that no
 * message is dropped; the subscriber queue holds min(spec.depth, SHL_ROUDI_MAX_DEPTH).
 * Every message is a loaned chunk, iceoryx's zero-copy path, whose 8-byte user header
 * carries its length, so a receiver that expects another length fails with EPROTO.
 *
 * How a receiver waits is the transport's: "iceoryx" busy-polls iox_sub_take_chunk,
 * "iceoryx-waitset" sleeps in iox_ws_timed_wait on the subscriber's HAS_DATA state.
 *
 * A RouDi must run (shl_roudi.h): create fails with ENOTCONN when none does. create() makes
 * every port, both sides', with this process's iceoryx runtime (registered once, for the
 * process's life) and waits until they are connected; after fork each side uses its own
 * ports through iceoryx's data path alone (loan, publish, take, release, the WaitSet),
 * which lives in RouDi's shared memory and needs no runtime of its own. So a forked side
 * makes no request to RouDi, and the creator alone releases the ports (its close). The
 * runtime itself does not survive fork: create fails with EBUSY in a child of a process
 * that had registered. A peer link (shl_peer_link.h) makes a dead peer fail a recv with
 * EPIPE.
 *
 * A registered process leaves RouDi only when it exits (exit(), whose static destructors
 * unregister it; iox_runtime_shutdown does not), and a RouDi being stopped sends SIGTERM to
 * every process still registered. So the process that owns RouDi does not create iceoryx
 * channels itself: a host child does, and exits before RouDi is stopped. */
#ifndef SHMLAB_SHL_ICEORYX_H
#define SHMLAB_SHL_ICEORYX_H

#include <stddef.h>

#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct shl_transport shl_transport_iceoryx;
extern const struct shl_transport shl_transport_iceoryx_waitset;

/* Registers this process with RouDi (once; join does it): ENOTCONN without a RouDi, EBUSY in
 * a child of a process that had registered. For code that uses iceoryx's API directly. */
int shl_iceoryx_runtime(struct shl_error *err);

/* The zero-copy path as iceoryx offers it, under the channel's rules (timeouts, dead peer):
 * loan a chunk of len bytes, write the message into it, commit it; read the next message in
 * place (len must be what was sent), then release it. One loaned and one read chunk at a
 * time. shl_channel_send/recv are these with a copy in between. */
int shl_iceoryx_loan(struct shl_channel *ch, size_t len, void **payload, struct shl_error *err);
void shl_iceoryx_commit(struct shl_channel *ch, void *payload);
int shl_iceoryx_read(struct shl_channel *ch, size_t len, const void **payload,
                     struct shl_error *err);
void shl_iceoryx_release(struct shl_channel *ch, const void *payload);

#ifdef __cplusplus
}
#endif

#endif
