/* The second process of a benchmark: forked, pinned, told to die with its parent, and made
 * to report how it did (its error and CPU time) over a pipe. A peer that neither reports
 * nor exits within the timeout is killed, so a run never hangs on it. */
#ifndef SHMLAB_BENCH_PEER_H
#define SHMLAB_BENCH_PEER_H

#include <stdint.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_peer_report {
    int failed; /* 1: err says why */
    struct shl_error err;
    int64_t cpu_ns;              /* CPU time (RUSAGE_SELF) between the two marked messages */
    uint64_t messages;           /* messages it received between them */
    long voluntary, involuntary; /* its context switches between them */
};

/* The peer's work; returns 0 or -1 with report->err set. */
typedef int (*bench_peer_fn)(void *arg, struct bench_peer_report *report);

struct bench_peer {
    pid_t pid;
    int report_fd;
};

/* Forks a peer that pins itself to `cpu` (unless < 0) and runs fn(arg). */
int bench_peer_start(struct bench_peer *peer, int cpu, bench_peer_fn fn, void *arg,
                     struct shl_error *err);

/* Waits up to timeout_ms for the peer's report and exit. A peer still running then is
 * killed (ETIMEDOUT); one that died without reporting is an error naming the signal or
 * status. Returns 0 when the peer reported (even a failure: see report->failed). */
int bench_peer_finish(struct bench_peer *peer, int timeout_ms, struct bench_peer_report *report,
                      struct shl_error *err);

/* Kills and reaps the peer at once (after an error on this side). */
void bench_peer_kill(struct bench_peer *peer);

/* Async-signal-safe: kills the peer that is running now, if any (for SIGINT handlers). */
void bench_peer_kill_running(void);

/* Makes `pid` (0: none) the process bench_peer_kill_running kills: a process of the
 * caller's own that stands where a peer would (a host that runs a whole session). */
void bench_peer_track(pid_t pid);

#ifdef __cplusplus
}
#endif

#endif
