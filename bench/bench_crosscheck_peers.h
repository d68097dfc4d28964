/* The plain ping-pongs of the peers' transports, behind bench_crosscheck_run; side A in the
 * caller, the echo a forked peer: ZeroMQ PAIR over ipc://, and iceoryx, whose ports the
 * caller makes (so it registers with RouDi for good: a host, see bench_job_run). */
#ifndef SHMLAB_BENCH_CROSSCHECK_PEERS_H
#define SHMLAB_BENCH_CROSSCHECK_PEERS_H

#include "bench/bench_crosscheck.h"

int bench_crosscheck_zeromq(struct bench_crosscheck *cc, struct shl_error *err);
int bench_crosscheck_iceoryx(struct bench_crosscheck *cc, struct shl_error *err);

#endif
