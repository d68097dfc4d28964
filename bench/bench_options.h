/* The driver's command line, parsed strictly, and what each mode means in samples and
 * seconds. Parsing never prints: a bad argument comes back as a one-line message. */
#ifndef SHMLAB_BENCH_OPTIONS_H
#define SHMLAB_BENCH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bench_mode { BENCH_MODE_DEFAULT, BENCH_MODE_QUICK, BENCH_MODE_FULL };

/* Which benchmarks to run (bits of bench_options.benchmarks). */
enum {
    BENCH_LATENCY = 1 << 0,
    BENCH_THROUGHPUT = 1 << 1,
    BENCH_WAKEUP = 1 << 2,
    BENCH_FLOOR = 1 << 3,
    BENCH_SETUP = 1 << 4,
    BENCH_CROSSCHECK = 1 << 5,
    BENCH_LOAD = 1 << 6,
    BENCH_FANOUT = 1 << 7,
    BENCH_ZEROCOPY = 1 << 8,
    BENCH_ZEROCOPY_THROUGHPUT = 1 << 9,
    BENCH_ALL = BENCH_LATENCY | BENCH_THROUGHPUT | BENCH_WAKEUP | BENCH_FLOOR | BENCH_SETUP |
                BENCH_CROSSCHECK | BENCH_LOAD | BENCH_FANOUT | BENCH_ZEROCOPY |
                BENCH_ZEROCOPY_THROUGHPUT,
};

#define BENCH_MAX_SIZES 32
#define BENCH_MAX_TRANSPORTS 16
#define BENCH_NAME_LEN 24
#define BENCH_MIN_SIZE 8
#define BENCH_MAX_SIZE (64u << 20)

struct bench_options {
    enum bench_mode mode;
    size_t sizes[BENCH_MAX_SIZES]; /* message sizes, ascending order of the command line */
    size_t n_sizes;                /* 0: the mode's default sizes */
    int cpu_a, cpu_b;              /* -1: choose (the first two allowed CPUs) */
    const char *out_dir;           /* NULL: bench-out/ in the workspace */
    char transports[BENCH_MAX_TRANSPORTS][BENCH_NAME_LEN]; /* names to run; none: all */
    size_t n_transports;
    unsigned benchmarks;     /* BENCH_* bits */
    int timeout_ms;          /* a peer silent this long fails the run */
    long spin_budget_ns;     /* adaptive strategy; 0: calibrated at start-up */
    unsigned repetitions;    /* every configuration this many times (>= 1) */
    unsigned long long seed; /* of the random order; 0: from the clock */
    int no_plots;
    int help;
};

/* Fills opts from argv[1..argc). Returns 0, or -1 with a one-line reason in msg. */
int bench_options_parse(int argc, char *const argv[], struct bench_options *opts, char *msg,
                        size_t msg_len);

/* Writes the text of --help into buf, with `transports` (the transports' names, from their
 * table) before the options; returns the length it needs, as snprintf does. */
size_t bench_options_usage(char *buf, size_t len, const char *transports);

/* How hard each mode measures. */
struct bench_plan {
    size_t default_sizes[BENCH_MAX_SIZES];
    size_t n_default_sizes;
    unsigned warmup;          /* round trips before measuring */
    size_t min_samples;       /* at least this many samples per configuration ... */
    size_t max_samples;       /* ... at most this many ... */
    int64_t budget_ns;        /* ... and stop adding samples past this time */
    int64_t stream_budget_ns; /* per throughput configuration */
    size_t wakeup_samples[3]; /* per rate: 10 kHz, 1 kHz, 100 Hz */
    size_t wakeup_size;
    size_t crosscheck_sizes[2];
    size_t n_crosscheck_sizes;
    unsigned setup_runs, setup_warmup;
    size_t setup_sizes[3];
    /* The floors measured around each shared-memory latency configuration. */
    int64_t canary_budget_ns;
    size_t canary_samples;
    /* Each offered rate of the load benchmark: about this long, within these counts. */
    int64_t load_duration_ns;
    size_t load_min_messages, load_max_messages;
    uint32_t fanout_messages; /* per fan-out configuration, one every 100 us */
};

extern const double bench_wakeup_rates_hz[3];

void bench_plan_for(enum bench_mode mode, struct bench_plan *plan);

const char *bench_mode_name(enum bench_mode mode);

#ifdef __cplusplus
}
#endif

#endif
