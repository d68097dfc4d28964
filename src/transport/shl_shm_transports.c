#include "src/transport/shl_shm_transports.h"

#include "src/transport/shl_notify.h"
#include "src/transport/shl_ring.h"

/* The three differ only in their name, from which shl_ring_create takes the mechanism. */
#define SHL_RING_TRANSPORT(mech_name)                                                      \
    {                                                                                      \
        .name = mech_name, .notify = shl_notify_names, .create = shl_ring_create,          \
        .join = shl_ring_join, .send = shl_ring_send, .recv = shl_ring_recv,               \
        .close = shl_ring_close,                                                           \
    }

const struct shl_transport shl_transport_mmap = SHL_RING_TRANSPORT("mmap");
const struct shl_transport shl_transport_sysv = SHL_RING_TRANSPORT("sysv");
const struct shl_transport shl_transport_posix = SHL_RING_TRANSPORT("posix");
