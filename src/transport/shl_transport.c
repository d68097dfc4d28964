#include "src/transport/shl_transport.h"

#include <errno.h>
#include <string.h>

#include "src/transport/shl_fifo.h"
#include "src/transport/shl_iceoryx.h"
#include "src/transport/shl_pipe.h"
#include "src/transport/shl_posix_mq.h"
#include "src/transport/shl_shm_transports.h"
#include "src/transport/shl_sysv_msg.h"
#include "src/transport/shl_tcp.h"
#include "src/transport/shl_unix_dgram.h"
#include "src/transport/shl_unix_stream.h"
#include "src/transport/shl_zeromq.h"

const char *const shl_transport_kind_labels[] = {
    [SHL_TRANSPORT_KERNEL] = "kernel transports",
    [SHL_TRANSPORT_RING] = "shared-memory rings",
    [SHL_TRANSPORT_MIDDLEWARE] = "middleware",
};

const struct shl_transport *const shl_transports[] = {
    &shl_transport_pipe,
    &shl_transport_fifo,
    &shl_transport_unix_stream,
    &shl_transport_unix_dgram,
    &shl_transport_tcp,
#define SHL_RING_TRANSPORT_ENTRY(id, name, ring) \
    SHL_RING_IF_##ring(&shl_ring_transports[SHL_MECH_##id], )
    SHL_MECHS(SHL_RING_TRANSPORT_ENTRY)
#undef SHL_RING_TRANSPORT_ENTRY
        & shl_transport_anon,
    &shl_transport_memfd,
    &shl_transport_posix_mq,
    &shl_transport_sysv_msg,
    &shl_transport_zeromq_ipc,
    &shl_transport_zeromq_tcp,
    &shl_transport_iceoryx,
    &shl_transport_iceoryx_waitset,
    NULL,
};

const struct shl_transport *shl_transport_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; shl_transports[i] != NULL; i++)
        if (strcmp(shl_transports[i]->name, name) == 0)
            return shl_transports[i];
    return NULL;
}

static int notify_offered(const struct shl_transport *t, enum shl_notify_kind notify)
{
    if (notify == SHL_NOTIFY_NONE)
        return 1;
    return t->kind == SHL_TRANSPORT_RING && (unsigned)notify < SHL_NOTIFY_COUNT;
}

int shl_channel_create(struct shl_channel *ch, const struct shl_transport *t,
                       const struct shl_channel_spec *spec, struct shl_error *err)
{
    memset(ch, 0, sizeof *ch);
    if (t == NULL || spec == NULL)
        return shl_fail(err, "shl_channel_create", EINVAL, "no transport or spec");
    if (spec->max_msg == 0 || spec->depth == 0 || spec->timeout_ms <= 0)
        return shl_fail(err, "shl_channel_create", EINVAL,
                        "%s: max_msg, depth and timeout_ms must be positive", t->name);
    if (!notify_offered(t, spec->notify))
        return shl_fail(err, "shl_channel_create", EINVAL, "%s has no notify strategy %d", t->name,
                        (int)spec->notify);
    ch->transport = t;
    ch->spec = *spec;
    if (t->create(ch, err) != 0) {
        /* The transport released whatever it made; a later close must find nothing. */
        ch->transport = NULL;
        ch->impl = NULL;
        return -1;
    }
    return 0;
}

int shl_channel_join(struct shl_channel *ch, enum shl_side side, struct shl_error *err)
{
    if (ch->transport == NULL || ch->impl == NULL)
        return shl_fail(err, "shl_channel_join", EBADF, "channel not created or closed");
    if (side != SHL_SIDE_A && side != SHL_SIDE_B)
        return shl_fail(err, "shl_channel_join", EINVAL, "side %d", (int)side);
    ch->side = side;
    return ch->transport->join(ch, err);
}

static int check_message(const struct shl_channel *ch, const char *call, size_t len,
                         struct shl_error *err)
{
    if (ch->transport == NULL || ch->impl == NULL)
        return shl_fail(err, call, EBADF, "channel not created or closed");
    if (len == 0 || len > ch->spec.max_msg)
        return shl_fail(err, call, EMSGSIZE, "%s: %zu bytes, max_msg %zu", ch->transport->name, len,
                        ch->spec.max_msg);
    return 0;
}

int shl_channel_send(struct shl_channel *ch, const void *buf, size_t len, struct shl_error *err)
{
    if (check_message(ch, "shl_channel_send", len, err) != 0)
        return -1;
    return ch->transport->send(ch, buf, len, err);
}

int shl_channel_recv(struct shl_channel *ch, void *buf, size_t len, struct shl_error *err)
{
    if (check_message(ch, "shl_channel_recv", len, err) != 0)
        return -1;
    return ch->transport->recv(ch, buf, len, err);
}

int shl_channel_loan(struct shl_channel *ch, size_t len, void **slot, struct shl_error *err)
{
    if (check_message(ch, "shl_channel_loan", len, err) != 0)
        return -1;
    if (ch->transport->loan == NULL)
        return shl_fail(err, "shl_channel_loan", EOPNOTSUPP, "%s has no zero-copy path",
                        ch->transport->name);
    return ch->transport->loan(ch, len, slot, err);
}

void shl_channel_commit(struct shl_channel *ch, size_t len)
{
    ch->transport->commit(ch, len);
}

int shl_channel_peek(struct shl_channel *ch, size_t len, const void **msg, struct shl_error *err)
{
    if (check_message(ch, "shl_channel_peek", len, err) != 0)
        return -1;
    if (ch->transport->peek == NULL)
        return shl_fail(err, "shl_channel_peek", EOPNOTSUPP, "%s has no zero-copy path",
                        ch->transport->name);
    return ch->transport->peek(ch, len, msg, err);
}

void shl_channel_release(struct shl_channel *ch)
{
    ch->transport->release(ch);
}

void shl_channel_close(struct shl_channel *ch)
{
    if (ch->transport != NULL && ch->impl != NULL)
        ch->transport->close(ch);
    ch->impl = NULL;
}
