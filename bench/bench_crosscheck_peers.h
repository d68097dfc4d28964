/* The plain ping-pongs of the peers' transports, behind bench_crosscheck_run: ZeroMQ PAIR
 * over ipc:// (side A here, the echo a forked peer), and iceoryx (both sides forked, since
 * iceoryx's runtime does not survive fork; needs a running RouDi). */
#ifndef SHMLAB_BENCH_CROSSCHECK_PEERS_H
#define SHMLAB_BENCH_CROSSCHECK_PEERS_H

#include "bench/bench_crosscheck.h"

int bench_crosscheck_zeromq(struct bench_crosscheck *cc, struct shl_error *err);
int bench_crosscheck_iceoryx(struct bench_crosscheck *cc, struct shl_error *err);

#endif
