#include "bench/bench_session.h"

#include <errno.h>
#include <string.h>

/* When side A's failure is only the echo of the peer's (it vanished or stopped answering),
 * the peer's own error is the one a person needs. */
static int is_consequence(int errnum)
{
    return errnum == EPIPE || errnum == ETIMEDOUT || errnum == ECONNRESET || errnum == EINTR;
}

int bench_session_run(const struct bench_session_config *cfg, bench_side_a_fn measure, void *ctx,
                      struct bench_peer_report *peer, struct shl_error *err)
{
    struct shl_channel ch;
    struct shl_channel_spec spec = {
        .max_msg = cfg->size,
        .depth = cfg->depth,
        .notify = cfg->notify,
        .spin_budget_ns = cfg->spin_budget_ns,
        .timeout_ms = cfg->timeout_ms,
    };
    memset(peer, 0, sizeof *peer);
    if (shl_channel_create(&ch, cfg->transport, &spec, err) != 0)
        return -1;
    struct bench_serve_arg serve = {
        .ch = &ch, .size = cfg->size, .mode = cfg->mode, .record = cfg->record};
    struct bench_peer proc;
    if (bench_peer_start(&proc, cfg->peer_cpu, bench_serve, &serve, err) != 0) {
        shl_channel_close(&ch);
        return -1;
    }
    struct bench_sender sender;
    int rc = shl_channel_join(&ch, SHL_SIDE_A, err);
    if (rc == 0) {
        rc = bench_sender_init(&sender, &ch, cfg->size, err);
        if (rc == 0) {
            rc = measure(&sender, ctx, err);
            if (rc == 0)
                rc = bench_sender_stop(&sender, err);
            bench_sender_free(&sender);
        }
    }
    /* Closing first lets a peer still waiting on us see EPIPE and report. */
    shl_channel_close(&ch);
    struct shl_error peer_err = {0};
    if (bench_peer_finish(&proc, cfg->timeout_ms, peer, &peer_err) != 0) {
        /* The peer died without a word: how it died says more than our broken pipe. */
        if (rc == 0 || is_consequence(err->errnum))
            *err = peer_err;
        return -1;
    }
    if (peer->failed && (rc == 0 || is_consequence(err->errnum))) {
        *err = peer->err;
        return -1;
    }
    return rc;
}
