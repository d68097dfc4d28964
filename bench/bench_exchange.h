/* Both ends of one benchmark conversation over a shmlab channel. Side A sends stamped
 * messages (bench_payload) and times them; side B serves: it checks each message on arrival,
 * then echoes it whole (ping-pong) or only acknowledges the ones that ask (streaming). */
#ifndef SHMLAB_BENCH_EXCHANGE_H
#define SHMLAB_BENCH_EXCHANGE_H

#include <stdint.h>

#include "bench/bench_payload.h"
#include "bench/bench_peer.h"
#include "src/core/shl_error.h"
#include "src/transport/shl_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bench_serve_mode { BENCH_SERVE_ECHO, BENCH_SERVE_SINK };

/* Side A's state: the pattern, a message to send and one to receive into. */
struct bench_sender {
    struct shl_channel *ch;
    struct bench_payload payload;
    unsigned char *tx, *rx;
    uint64_t seq; /* of the next message */
};

int bench_sender_init(struct bench_sender *s, struct shl_channel *ch, size_t size,
                      struct shl_error *err);
void bench_sender_free(struct bench_sender *s);

/* Sends one message with `flags` and checks the echo: same word, and with
 * BENCH_WORD_FULL_CHECK every byte. */
int bench_sender_roundtrip(struct bench_sender *s, uint64_t flags, struct shl_error *err);

/* Sends one message (streaming); with BENCH_WORD_ACK, also waits for the acknowledgement. */
int bench_sender_push(struct bench_sender *s, uint64_t flags, struct shl_error *err);

/* The last message: the peer stops serving and exits. */
int bench_sender_stop(struct bench_sender *s, struct shl_error *err);

/* Side B: the peer's whole life on an already created channel (join, serve, close). */
struct bench_serve_arg {
    struct shl_channel *ch;
    size_t size;
    enum bench_serve_mode mode;
};
int bench_serve(void *arg, struct bench_peer_report *report);

#ifdef __cplusplus
}
#endif

#endif
