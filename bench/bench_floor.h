/* The physical limits every shared-memory result is compared with, measured between the two
 * pinned processes with no payload and no ring code:
 *   cacheline       one line bounced (an atomic counter each side increments in turn);
 *   cacheline-pair  a line per direction (the sender writes one, the answer comes back in the
 *                   other): the real lower bound of a two-way channel, which moves a line
 *                   each way per round trip;
 *   futex           a line per direction where each side sleeps in FUTEX_WAIT and is woken
 *                   by FUTEX_WAKE: the cost a blocking strategy pays per round trip, from
 *                   which the adaptive strategy's spin budget is calibrated;
 * and memcpy bandwidth within one process. Each cache-line or futex sample is one round trip
 * timed on its own. */
#ifndef SHMLAB_BENCH_FLOOR_H
#define SHMLAB_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

#include "bench/bench_peer.h"
#include "src/core/shl_error.h"
#include "src/timing/shl_hist.h"
#include "src/timing/shl_timer.h"

enum bench_floor_form {
    BENCH_FLOOR_ONE_LINE,
    BENCH_FLOOR_LINE_PER_DIRECTION,
    BENCH_FLOOR_FUTEX,
};
/* Row names, in enum order: "cacheline", "cacheline-pair", "futex". */
extern const char *const bench_floor_form_names[];

#ifdef __cplusplus
extern "C" {
#endif

struct bench_floor_plan {
    unsigned warmup;
    size_t min_samples, max_samples;
    int64_t budget_ns;
    const struct shl_timer *timer;
    int peer_cpu;
    int timeout_ms;
};

struct bench_floor_result {
    double *samples;      /* ns per round trip, one each; memcpy: MB/s per round of copies */
    struct shl_hist hist; /* round trips (not for memcpy) */
    size_t n;
    int64_t cpu_ns; /* this side's CPU time while measuring */
    uint64_t messages;
};
void bench_floor_result_free(struct bench_floor_result *r);

/* Round trips of `form` between this process and a forked peer; peer gets its report. */
int bench_floor_roundtrip(const struct bench_floor_plan *plan, enum bench_floor_form form,
                          struct bench_floor_result *out, struct bench_peer_report *peer,
                          struct shl_error *err);

/* The p50 of a run of `form`, from its histogram. */
int bench_floor_p50(const struct bench_floor_plan *plan, enum bench_floor_form form, double *p50,
                    struct shl_error *err);

/* The two cache-line floors at one moment: p50s of short runs of each form. */
struct bench_floor_moment {
    double line_ns, pair_ns;
    int fresh; /* measured right after the previous configuration: it can serve as the
                * next one's "before" */
};
int bench_floor_moment_measure(const struct bench_floor_plan *plan, struct bench_floor_moment *m,
                               struct shl_error *err);

/* A configuration's figures against the floors measured just before and just after it. */
struct bench_floor_ratios {
    double line_ns, pair_ns;       /* the means of before and after */
    double ratio_line, ratio_pair; /* p50 over each */
    double move;                   /* the larger move of the two forms: max/min - 1 */
    int moved;                     /* move > SHL_NOISE_FLOOR_MOVE_MAX: the ratios straddle two
                                * placements of the vCPUs and are marked */
};
void bench_floor_compare(const struct bench_floor_moment *before,
                         const struct bench_floor_moment *after, double p50,
                         struct bench_floor_ratios *out);

/* memcpy of `size` bytes, verified after timing. */
int bench_floor_memcpy(const struct bench_floor_plan *plan, size_t size,
                       struct bench_floor_result *out, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
