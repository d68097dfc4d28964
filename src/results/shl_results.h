/* The results schema: one run's rows and circumstances (bench/RESULTS.md), their files
 * (results.json, and gbench.json in Google Benchmark's format), the reader of results.json
 * that the gate and the plots share, and the efficiency targets every run is judged by. */
#ifndef SHMLAB_SHL_RESULTS_H
#define SHMLAB_SHL_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"
#include "src/timing/shl_hist.h"
#include "src/timing/shl_machine.h"
#include "src/timing/shl_stats.h"
#include "src/transport/shl_notify_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_RESULTS_SCHEMA_VERSION 1

/* A number that was not measured is NaN here and null in the file. */
struct shl_results_row {
    /* a name of bench/RESULTS.md: latency, throughput, zerocopy-throughput, ... */
    char benchmark[24];
    char transport[24];          /* pipe ... posix; cacheline / memcpy for the floor */
    enum shl_notify_kind notify; /* shared memory's strategy; SHL_NOTIFY_NONE for none */
    size_t size;                 /* bytes per message (or segment, for setup) */
    char unit[16];               /* ns or MB/s: the unit of every statistic */
    struct shl_stats stats;
    unsigned batch;          /* round trips timed together per sample (1: each on its own) */
    double rate_hz;          /* wakeup: the message rate */
    double cpu_ns_per_msg;   /* both processes together, per message or round trip */
    double cpu_ns_per_msg_a; /* the timing side */
    double cpu_ns_per_msg_b; /* the serving side */
    uint64_t messages;       /* messages or round trips timed */
    double ratio;            /* see ratio_to */
    char ratio_to[24];       /* "cacheline", "memcpy" or "latency" (crosscheck); "" for none */
    struct shl_hist *hist;   /* latency, wake-up, load and floor rows: every sample, in ns;
                            * owned by the results once added (NULL for none) */
    /* Shared-memory latency: the floors measured just before and just after it. */
    double floor_line_ns; /* one line bounced: the mean of the two p50s */
    double floor_pair_ns; /* a line per direction, likewise */
    double ratio_pair;    /* p50 / floor_pair_ns (ratio is p50 / floor_line_ns) */
    double floor_move;    /* the larger of the two floors' moves (max/min - 1) */
    bool floor_moved;     /* floor_move above SHL_NOISE_FLOOR_MOVE_MAX */
    /* adaptive latency and wake-up: the strategy measured in the slices between this row's
     * own (spin, futex), and p50 and cpu_ns_per_msg_b over that strategy's there;
     * SHL_NOTIFY_NONE and NaN for other rows */
    enum shl_notify_kind interleaved_with;
    double interleaved_ratio, interleaved_cpu_b_ratio;
    /* Context switches over the timed messages (getrusage), of side A and of the peer;
     * -1 where not counted. */
    long voluntary_a, involuntary_a, voluntary_b, involuntary_b;
    /* load: offered and achieved messages per second; reached: achieved is at least
     * BENCH_LOAD_REACHED of offered (-1 for other benchmarks) */
    double offered_hz, achieved_hz;
    int reached;
    double spin_budget_ns; /* adaptive: how long a waiter spun before sleeping */
    unsigned repetition;   /* which of the run's repetitions of this configuration */
    /* fanout: stats are every subscriber's one-way latencies; cpu_ns_per_msg_a the
     * publisher's CPU per message */
    unsigned subscribers; /* subscriber processes; 0 for other benchmarks */
    double slowest_p50;   /* the subscriber with the highest p99: its p50 and p99 */
    double slowest_p99;
    double publish_ns; /* the publisher's time inside the publish call, per message */
};

/* The run's circumstances, results.json's "context". */
struct shl_results_context {
    int schema_version; /* as read; the writer writes SHL_RESULTS_SCHEMA_VERSION */
    char host[72];
    char kernel[256];
    char cpu_model[128];
    int cpus;    /* online */
    bool pinned; /* the two processes were on cpu_a and cpu_b */
    int cpu_a, cpu_b;
    long pipe_buffer; /* bytes (F_GETPIPE_SZ of a fresh pipe) */
    int unix_stream_sndbuf, unix_stream_rcvbuf;
    int unix_dgram_sndbuf, unix_dgram_rcvbuf;
    int tcp_sndbuf, tcp_rcvbuf;
    char mode[16];
    char date[32];              /* ISO 8601, UTC */
    char clock[32];             /* the sample clock: "tsc" or "clock_gettime" */
    double timer_overhead_ns;   /* what its two reads add to a sample */
    double timer_subtracted_ns; /* taken off every sample (clock_gettime only) */
    double timer_drift;         /* TSC: the rate's disagreement between start and end */
    char clock_why[128];
    double fastest_p50_ns; /* the fastest p50 of a row timed with a histogram */
    int64_t clock_resolution_ns;
    int timeout_ms;
    struct shl_machine machine;
    double steal;              /* share of the run's CPU time the hypervisor took */
    double pinned_busy[2];     /* of cpu_a and cpu_b at start-up, the benchmark idle */
    double spin_budget_ns;     /* the adaptive strategy's */
    char spin_budget_from[16]; /* "--spin-budget", "calibrated" or "default" */
    double calibration_pair_ns, calibration_futex_ns; /* what it was calibrated from */
    unsigned repetitions;                             /* >= 1 */
    unsigned long long seed;                          /* of the run's order */
    char notes[16][160];                              /* what was skipped and why */
    size_t n_notes;
    char warnings[8][200]; /* the machine was noisy, or the clock too costly */
    size_t n_warnings;
};

struct shl_results {
    struct shl_results_context context;
    bool has_context; /* read from a file that had one (the writer ignores it) */
    bool has_pinning; /* the same for context.pinning */
    struct shl_results_row *rows;
    size_t n, cap;
};

/* A row with every optional number NaN; the caller fills what it measured. */
void shl_results_row_init(struct shl_results_row *row, const char *benchmark, const char *transport,
                          enum shl_notify_kind notify, size_t size, const char *unit);

/* The results take the row, and its histogram with it; a row that fails to be added, or is
 * never offered, is the caller's to release. */
int shl_results_add(struct shl_results *r, const struct shl_results_row *row,
                    struct shl_error *err);
void shl_results_row_release(struct shl_results_row *row);
void shl_results_free(struct shl_results *r);

void shl_results_note(struct shl_results_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void shl_results_warn(struct shl_results_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The sample clock may cost at most this share of the fastest p50, or the run says so. */
extern const double shl_results_clock_share_max;

/* The first row matching all four (SHL_NOTIFY_NONE matches kernel transports), or NULL. */
const struct shl_results_row *shl_results_find(const struct shl_results *r, const char *benchmark,
                                               const char *transport, enum shl_notify_kind notify,
                                               size_t size);

/* A statistic by its name in the file ("p50", "ratio", "n", "cpu_ns_per_msg"...); NaN when
 * the row has none or the name is not one. */
double shl_results_stat(const struct shl_results_row *row, const char *name);

/* A text of the run's context by its name in the file ("host", "kernel", "cpu_model",
 * "mode", "date", "clock"), or NULL when the run has none. */
const char *shl_results_context_text(const struct shl_results *r, const char *key);

/* What one of the row's units is in base units (seconds, bytes per second); 0 if unknown. */
double shl_results_unit_scale(const char *unit);

/* Whether the transport is a shared-memory ring in the transport table; false for names
 * the table lacks (the floor's cacheline and memcpy). */
bool shl_results_is_shm(const char *transport);

int shl_results_write_json(const struct shl_results *r, const char *path, struct shl_error *err);
int shl_results_write_gbench(const struct shl_results *r, const char *path, struct shl_error *err);
/* One `.hgrm` file per row with a histogram, into dir, named as shl_results_hgrm_name says:
 * "latency-posix-spin-64.hgrm", "wakeup-pipe-64-1000Hz.hgrm", "load-pipe-64-10000Hz.hgrm". */
int shl_results_write_hgrm(const struct shl_results *r, const char *dir, struct shl_error *err);
void shl_results_hgrm_name(const struct shl_results_row *row, char *buf, size_t len);

/* Reads results.json text (need not be NUL-terminated) into *out (freed with
 * shl_results_free). A text that is not one JSON document, or whose rows do not follow the
 * schema, fails with EINVAL and the reason in err->detail. The context is optional here. */
int shl_results_parse(const char *text, size_t len, struct shl_results *out, struct shl_error *err);
/* The same from a file; a file that cannot be read fails with its errno. */
int shl_results_read(const char *path, struct shl_results *out, struct shl_error *err);

/* Whether a parsed run is complete: it has a context and rows, and every row has the
 * unit, and the statistics, its benchmark is defined with. EINVAL and the first gap if not. */
int shl_results_check_complete(const struct shl_results *r, struct shl_error *err);

/* ---- The targets. */

enum shl_results_better {
    SHL_RESULTS_LOWER,  /* times: a smaller figure is better */
    SHL_RESULTS_HIGHER, /* bandwidths and rates: a larger figure is better */
};

/* One target: the figure `stat` of the best `benchmark` row of the selected transports
 * (over ref_transport's same figure when there is one) against `limit`. */
struct shl_results_target {
    const char *benchmark;
    const char *transports; /* alternatives joined by '|'; NULL: each the caller lists */
    bool of_shm; /* transports are every shared-memory one (shl_results_is_shm) instead */
    enum shl_notify_kind notify; /* NONE: any; with notify_except, every strategy but this */
    bool notify_except;
    double size; /* 0: each small size of the run */
    const char *stat;
    const char *ratio_to;      /* with stat "ratio": the reference the driver divided by */
    const char *ref_benchmark; /* NULL: stat is already a ratio */
    const char *ref_transport; /* NULL: the same transports as the measured side */
    double ref_size;           /* 0: the same size */
    enum shl_results_better better;
    double limit;
    bool hard;         /* a failure fails the gate; otherwise a warning */
    const char *title; /* the target and its reason, as the gate prints it */
};

/* Shared memory must beat a pipe at every message size up to this many bytes: beyond it
 * the copy dominates and both transports move the same bytes. */
extern const double shl_results_small_size_max;
/* Shared memory beats a pipe at each small size (the hard invariant). */
extern const struct shl_results_target shl_results_beats_pipe;
/* The efficiency targets: the cache-line floor, blocking notification against a pipe,
 * bandwidth against memcpy, the zero-copy stream's bandwidth against memcpy. */
extern const struct shl_results_target shl_results_efficiency[4];
/* The plain ping-pong's agreement with shmlab's round trip: a lower and an upper bound. */
extern const struct shl_results_target shl_results_crosscheck[2];
/* shmlab's rings against the middleware users pick instead (iceoryx, through the same
 * interface and the same copy of every message): [0] at 64 B, [1] at each size the run has
 * an iceoryx round trip for. */
extern const struct shl_results_target shl_results_against_iceoryx[2];
/* The zero-copy round trip at 1 MiB, every byte written and checked on each side, against the
 * copying one of the same rings. */
extern const struct shl_results_target shl_results_zero_copy;

/* The measurement's own targets (ratios within one run): the best ring round trip at 64 B
 * over the line-per-direction floor of its moment; the adaptive strategy's back-to-back round
 * trip over spin's, its serving peer's CPU per message at 100 Hz over futex's, and its
 * 10 kHz wake-up latency over futex's (each per mechanism, at 64 B). The clock's share of the
 * fastest p50 is shl_results_clock_share_max. */
extern const double shl_results_pair_floor_max;
extern const double shl_results_adaptive_spin_max;
extern const double shl_results_adaptive_idle_cpu_max;
extern const double shl_results_adaptive_wakeup_max;

/* "at most L×" or "at least L×", L the limit. */
const char *shl_results_target_text(const struct shl_results_target *target, char *buf, size_t len);
bool shl_results_target_met(const struct shl_results_target *target, double value);
/* Why a sound build can miss this target, where that is known; NULL otherwise. */
const char *shl_results_why_missed(const struct shl_results_target *target);

#ifdef __cplusplus
}
#endif

#endif
