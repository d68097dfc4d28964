#include "bench/bench_exchange.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/timing/shl_clock.h"
#include "src/timing/shl_machine.h"

int bench_sender_init(struct bench_sender *s, struct shl_channel *ch, size_t size,
                      struct shl_error *err)
{
    memset(s, 0, sizeof *s);
    s->ch = ch;
    s->seq = 1;
    if (bench_payload_init(&s->payload, size, err) != 0)
        return -1;
    s->tx = bench_payload_new_message(&s->payload, err);
    s->rx = s->tx == NULL ? NULL : bench_payload_new_message(&s->payload, err);
    if (s->rx == NULL) {
        bench_sender_free(s);
        return -1;
    }
    return 0;
}

void bench_sender_free(struct bench_sender *s)
{
    free(s->tx);
    free(s->rx);
    s->tx = s->rx = NULL;
    bench_payload_free(&s->payload);
}

static int send_stamped(struct bench_sender *s, uint64_t word, struct shl_error *err)
{
    bench_payload_stamp(s->tx, s->payload.size, word);
    return shl_channel_send(s->ch, s->tx, s->payload.size, err);
}

int bench_sender_roundtrip(struct bench_sender *s, uint64_t flags, struct shl_error *err)
{
    uint64_t word = s->seq++ | flags;
    if (send_stamped(s, word, err) != 0 ||
        shl_channel_recv(s->ch, s->rx, s->payload.size, err) != 0)
        return -1;
    if (flags & BENCH_WORD_FULL_CHECK)
        return bench_payload_verify_full(&s->payload, s->rx, word, err);
    return bench_payload_verify(s->rx, s->payload.size, word, err);
}

int bench_sender_push(struct bench_sender *s, uint64_t flags, struct shl_error *err)
{
    uint64_t word = s->seq++ | flags;
    if (send_stamped(s, word, err) != 0)
        return -1;
    if (!(flags & BENCH_WORD_ACK))
        return 0;
    uint64_t ack;
    if (shl_channel_recv(s->ch, &ack, sizeof ack, err) != 0)
        return -1;
    if (ack != word)
        return shl_fail(err, "verify", EBADMSG, "acknowledgement of seq %llu carried %llu",
                        (unsigned long long)(word & BENCH_WORD_SEQ_MASK),
                        (unsigned long long)(ack & BENCH_WORD_SEQ_MASK));
    return 0;
}

int bench_sender_stop(struct bench_sender *s, struct shl_error *err)
{
    return send_stamped(s, s->seq++ | BENCH_WORD_STOP, err);
}

/* Receives and answers until the stop message; CPU time is sampled at the two marks. */
static int serve_loop(struct bench_serve_arg *a, struct bench_payload *payload, unsigned char *buf,
                      struct bench_peer_report *report)
{
    struct shl_error *err = &report->err;
    int64_t mark_cpu = 0;
    long mark_voluntary = 0, mark_involuntary = 0;
    int marks = 0;
    uint64_t marked_messages = 0;
    for (uint64_t seq = 1;; seq++) {
        uint64_t word;
        if (shl_channel_recv(a->ch, buf, a->size, err) != 0)
            return -1;
        if (a->mode == BENCH_SERVE_RECORD && seq - a->record->first_seq < a->record->n)
            a->record->received[seq - a->record->first_seq] = shl_timer_read(a->record->timer);
        if (bench_payload_accept(buf, a->size, seq, &word, err) != 0)
            return -1;
        if ((word & BENCH_WORD_FULL_CHECK) &&
            bench_payload_verify_full(payload, buf, word, err) != 0)
            return -1;
        if (word & BENCH_WORD_MARK) {
            int64_t now;
            long voluntary, involuntary;
            if (shl_process_cpu_ns(&now, err) != 0 ||
                shl_context_switches(&voluntary, &involuntary, err) != 0)
                return -1;
            if (marks++ == 1) {
                report->cpu_ns = now - mark_cpu;
                report->messages = marked_messages;
                report->voluntary = voluntary - mark_voluntary;
                report->involuntary = involuntary - mark_involuntary;
            }
            mark_cpu = now;
            mark_voluntary = voluntary;
            mark_involuntary = involuntary;
        }
        if (marks == 1)
            marked_messages++;
        if (word & BENCH_WORD_STOP)
            return 0;
        if (a->mode == BENCH_SERVE_ECHO) {
            if (shl_channel_send(a->ch, buf, a->size, err) != 0)
                return -1;
        } else if (word & BENCH_WORD_ACK) {
            if (shl_channel_send(a->ch, &word, sizeof word, err) != 0)
                return -1;
        }
    }
}

int bench_serve(void *arg, struct bench_peer_report *report)
{
    struct bench_serve_arg *a = arg;
    struct shl_error *err = &report->err;
    if (shl_channel_join(a->ch, SHL_SIDE_B, err) != 0)
        return -1;
    struct bench_payload payload;
    int rc = -1;
    if (bench_payload_init(&payload, a->size, err) == 0) {
        unsigned char *buf = bench_payload_new_message(&payload, err);
        if (buf != NULL)
            rc = serve_loop(a, &payload, buf, report);
        free(buf);
        bench_payload_free(&payload);
    }
    shl_channel_close(a->ch);
    return rc;
}
