#include "bench/bench_zerocopy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_pattern.h"
#include "bench/bench_peer.h"
#include "bench/bench_sampler.h"
#include "bench/bench_stream.h"
#include "src/timing/shl_clock.h"

/* Who wrote a message: A's request, the peer's answer, or A's last word. */
enum author { REQUEST, ANSWER, STOP };

/* The pattern's base for message seq (bench_pattern.h): every word of a message differs
 * with the sequence number and with the author. */
static inline uint64_t word_base(uint64_t seq, enum author who)
{
    return (seq * UINT64_C(0x9E3779B97F4A7C15)) ^ ((uint64_t)who << 62);
}

static void fill(unsigned char *msg, size_t size, uint64_t seq, enum author who)
{
    bench_pattern_fill(msg, size, word_base(seq, who));
}

/* True when every byte is what fill() wrote. */
static bool intact(const unsigned char *msg, size_t size, uint64_t seq, enum author who)
{
    return bench_pattern_intact(msg, size, word_base(seq, who));
}

static int send_message(struct shl_channel *ch, size_t size, uint64_t seq, enum author who,
                        struct shl_error *err)
{
    void *slot;
    if (shl_channel_loan(ch, size, &slot, err) != 0)
        return -1;
    fill(slot, size, seq, who);
    shl_channel_commit(ch, size);
    return 0;
}

struct peer_arg {
    struct shl_channel *ch;
    size_t size;
    bool stream;
    size_t per_round; /* the stream's messages per round */
};

/* The acknowledgement of a round: the sequence number of its last message, or as many of
 * its low bytes as a message of this size holds. */
static size_t ack_bytes(size_t size)
{
    return size < sizeof(uint64_t) ? size : sizeof(uint64_t);
}

/* The peer's answer to message seq: in a round trip the whole answer, written in place; in
 * a stream an acknowledgement after the last message of each round, else nothing. */
static int answer(const struct peer_arg *a, uint64_t seq, struct shl_error *err)
{
    if (!a->stream)
        return send_message(a->ch, a->size, seq, ANSWER, err);
    if ((seq + 1) % a->per_round != 0)
        return 0;
    void *slot;
    if (shl_channel_loan(a->ch, ack_bytes(a->size), &slot, err) != 0)
        return -1;
    memcpy(slot, &seq, ack_bytes(a->size));
    shl_channel_commit(a->ch, ack_bytes(a->size));
    return 0;
}

/* The peer: checks each message in place, answers it, then releases it, until STOP. */
static int serve(void *arg, struct bench_peer_report *report)
{
    const struct peer_arg *a = arg;
    struct shl_error *err = &report->err;
    if (shl_channel_join(a->ch, SHL_SIDE_B, err) != 0)
        return -1;
    int rc = 0;
    for (uint64_t seq = 0; rc == 0; seq++) {
        const void *msg;
        if (shl_channel_peek(a->ch, a->size, &msg, err) != 0) {
            rc = -1;
            break;
        }
        if (!intact(msg, a->size, seq, REQUEST)) {
            int stop = intact(msg, a->size, seq, STOP);
            shl_channel_release(a->ch);
            if (!stop)
                rc = shl_fail(err, "verify", EBADMSG, "zero-copy %s %llu of %zu bytes",
                              a->stream ? "stream message" : "request", (unsigned long long)seq,
                              a->size);
            break;
        }
        rc = answer(a, seq, err);
        shl_channel_release(a->ch);
        report->messages++;
    }
    shl_channel_close(a->ch);
    return rc;
}

/* One sample's work from message seq on: one round trip, or one round of the stream. */
typedef int (*step_fn)(struct shl_channel *ch, const struct bench_zerocopy *z, uint64_t *seq,
                       struct shl_error *err);

static int roundtrip(struct shl_channel *ch, size_t size, uint64_t seq, struct shl_error *err)
{
    if (send_message(ch, size, seq, REQUEST, err) != 0)
        return -1;
    const void *msg;
    if (shl_channel_peek(ch, size, &msg, err) != 0)
        return -1;
    int ok = intact(msg, size, seq, ANSWER);
    shl_channel_release(ch);
    if (!ok)
        return shl_fail(err, "verify", EBADMSG, "zero-copy answer %llu of %zu bytes",
                        (unsigned long long)seq, size);
    return 0;
}

static int roundtrip_step(struct shl_channel *ch, const struct bench_zerocopy *z, uint64_t *seq,
                          struct shl_error *err)
{
    return roundtrip(ch, z->size, (*seq)++, err);
}

static int round_step(struct shl_channel *ch, const struct bench_zerocopy *z, uint64_t *seq,
                      struct shl_error *err)
{
    size_t per_round = bench_stream_per_round(z->size);
    for (size_t m = 0; m < per_round; m++)
        if (send_message(ch, z->size, (*seq)++, REQUEST, err) != 0)
            return -1;
    const void *ack;
    if (shl_channel_peek(ch, ack_bytes(z->size), &ack, err) != 0)
        return -1;
    uint64_t last = *seq - 1;
    int ok = memcmp(ack, &last, ack_bytes(z->size)) == 0;
    shl_channel_release(ch);
    if (!ok)
        return shl_fail(err, "verify", EBADMSG,
                        "acknowledgement of a round other than the one "
                        "ending at message %llu",
                        (unsigned long long)last);
    return 0;
}

/* Warm-up (one round of a stream), then timed samples: ns per round trip, or MB/s per
 * round; STOP ends the peer. */
static int measure(struct shl_channel *ch, struct bench_zerocopy *z, struct shl_error *err)
{
    step_fn step = z->stream ? round_step : roundtrip_step;
    size_t per_step = z->stream ? bench_stream_per_round(z->size) : 1;
    double bytes = (double)per_step * (double)z->size;
    uint64_t seq = 0;
    for (unsigned i = 0; i < (z->stream ? 1 : z->warmup); i++)
        if (step(ch, z, &seq, err) != 0)
            return -1;
    struct bench_sampler sampler;
    if (bench_sampler_init(&sampler, z->min_samples, z->max_samples, z->budget_ns, err) != 0)
        return -1;
    z->samples = sampler.samples;
    int64_t cpu0, cpu1;
    if (shl_process_cpu_ns(&cpu0, err) != 0)
        return -1;
    while (bench_sampler_more(&sampler)) {
        int64_t t0 = shl_now_ns();
        if (step(ch, z, &seq, err) != 0)
            return -1;
        double ns = (double)(shl_now_ns() - t0);
        bench_sampler_add(&sampler, z->stream ? bytes / ns * 1000.0 : ns);
        z->n = sampler.n;
        z->messages = (uint64_t)z->n * per_step;
    }
    if (shl_process_cpu_ns(&cpu1, err) != 0)
        return -1;
    z->cpu_ns = cpu1 - cpu0;
    return send_message(ch, z->size, seq, STOP, err);
}

int bench_zerocopy_run(struct bench_zerocopy *z, struct shl_error *err)
{
    z->samples = NULL;
    z->n = 0;
    z->messages = 0;
    struct shl_channel ch;
    struct shl_channel_spec spec = {.max_msg = z->size,
                                    .depth = z->stream ? bench_stream_depth(z->size) : 1,
                                    .notify = z->notify,
                                    .timeout_ms = z->timeout_ms};
    if (shl_channel_create(&ch, z->transport, &spec, err) != 0)
        return -1;
    struct peer_arg arg = {.ch = &ch,
                           .size = z->size,
                           .stream = z->stream,
                           .per_round = bench_stream_per_round(z->size)};
    struct bench_peer proc;
    if (bench_peer_start(&proc, z->peer_cpu, serve, &arg, err) != 0) {
        shl_channel_close(&ch);
        return -1;
    }
    int rc = shl_channel_join(&ch, SHL_SIDE_A, err);
    if (rc == 0)
        rc = measure(&ch, z, err);
    shl_channel_close(&ch);
    struct bench_peer_report report;
    struct shl_error peer_err;
    if (bench_peer_finish(&proc, z->timeout_ms, &report, &peer_err) != 0) {
        if (rc == 0)
            *err = peer_err;
        return -1;
    }
    if (report.failed && (rc == 0 || err->errnum == EPIPE || err->errnum == ETIMEDOUT)) {
        *err = report.err;
        return -1;
    }
    return rc;
}
