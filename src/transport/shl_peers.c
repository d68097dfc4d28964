#include "src/transport/shl_peers.h"

#include <stddef.h>

const struct shl_transport *const shl_peer_transports[] = {
    &shl_transport_posix_mq,
    &shl_transport_sysv_msg,
    &shl_transport_zeromq_ipc,
    &shl_transport_zeromq_tcp,
    NULL,
};
