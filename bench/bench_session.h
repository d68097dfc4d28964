/* One measured configuration over a shmlab channel, from creation to clean-up: create the
 * channel, fork the serving peer (pinned), join, let side A measure, stop the peer, reap it
 * and remove everything, also when either side fails. */
#ifndef SHMLAB_BENCH_SESSION_H
#define SHMLAB_BENCH_SESSION_H

#include "bench/bench_exchange.h"
#include "bench/bench_peer.h"
#include "src/transport/shl_notify_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_session_config {
    const struct shl_transport *transport;
    enum shl_notify_kind notify; /* SHL_NOTIFY_NONE for kernel transports */
    size_t size;
    size_t depth;
    int peer_cpu; /* -1: unpinned */
    int timeout_ms;
    enum bench_serve_mode mode;
    long spin_budget_ns;               /* the adaptive strategy's; 0 for its default */
    const struct bench_record *record; /* BENCH_SERVE_RECORD only */
};

/* Side A's measurement: sends through s and records what it measured in ctx. */
typedef int (*bench_side_a_fn)(struct bench_sender *s, void *ctx, struct shl_error *err);

/* Returns 0 with the peer's report (its CPU time) in *peer, or -1 with err naming the first
 * failure: the peer's own error when the peer failed first (e.g. wrong data). */
int bench_session_run(const struct bench_session_config *cfg, bench_side_a_fn measure, void *ctx,
                      struct bench_peer_report *peer, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
