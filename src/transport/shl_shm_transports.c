#include "src/transport/shl_shm_transports.h"

#include "src/transport/shl_ring.h"

const struct shl_transport shl_ring_transports[SHL_MECH_COUNT] = {
#define SHL_RING_TRANSPORT(id, mech_name, ring)         \
    SHL_RING_IF_##ring([SHL_MECH_##id] = {              \
                           .name = mech_name,           \
                           .kind = SHL_TRANSPORT_RING,  \
                           .mech = SHL_MECH_##id,       \
                           .create = shl_ring_create,   \
                           .join = shl_ring_join,       \
                           .send = shl_ring_send,       \
                           .recv = shl_ring_recv,       \
                           .close = shl_ring_close,     \
                           .loan = shl_ring_loan,       \
                           .commit = shl_ring_commit,   \
                           .peek = shl_ring_peek,       \
                           .release = shl_ring_release, \
                       }, )
    SHL_MECHS(SHL_RING_TRANSPORT)
#undef SHL_RING_TRANSPORT
};

/* The same ring over memory with no name, shared by fork alone. */
#define SHL_UNNAMED_RING_TRANSPORT(transport_name, source)                                         \
    {                                                                                              \
        .name = transport_name, .kind = SHL_TRANSPORT_RING, .mech = (enum shl_mech)SHL_MECH_COUNT, \
        .unnamed = source, .create = shl_ring_create, .join = shl_ring_join,                       \
        .send = shl_ring_send, .recv = shl_ring_recv, .close = shl_ring_close,                     \
        .loan = shl_ring_loan, .commit = shl_ring_commit, .peek = shl_ring_peek,                   \
        .release = shl_ring_release,                                                               \
    }

const struct shl_transport shl_transport_anon = SHL_UNNAMED_RING_TRANSPORT("anon",
                                                                           SHL_UNNAMED_ANON);
const struct shl_transport shl_transport_memfd = SHL_UNNAMED_RING_TRANSPORT("memfd",
                                                                            SHL_UNNAMED_MEMFD);
