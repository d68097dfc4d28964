#include "bench/bench_options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/shl_cli.h"
#include "src/core/shl_parse.h"

/* Each benchmark's name and bit: the bits are named, never an index into this table. */
static const struct {
    const char *name;
    unsigned bit;
} benchmarks[] = {
    {"latency", BENCH_LATENCY},   {"throughput", BENCH_THROUGHPUT},
    {"wakeup", BENCH_WAKEUP},     {"floor", BENCH_FLOOR},
    {"setup", BENCH_SETUP},       {"crosscheck", BENCH_CROSSCHECK},
    {"load", BENCH_LOAD},         {"fanout", BENCH_FANOUT},
    {"zerocopy", BENCH_ZEROCOPY}, {"zerocopy-throughput", BENCH_ZEROCOPY_THROUGHPUT},
};

/* The benchmarks' names joined by ", ", for the help and the error that lists them; a line
 * that would pass `width` columns goes on after a newline and `indent` (width 0: one line). */
static void benchmark_names(size_t width, const char *indent, char *buf, size_t len)
{
    size_t used = 0, column = strlen(indent);
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof benchmarks / sizeof *benchmarks && used < len; i++) {
        const char *name = benchmarks[i].name;
        bool wrap = width > 0 && i > 0 && column + 2 + strlen(name) > width;
        const char *sep = i == 0 ? "" : wrap ? ",\n" : ", ";
        int n = snprintf(buf + used, len - used, "%s%s%s", sep, wrap ? indent : "", name);
        used += n > 0 ? (size_t)n : 0;
        column = wrap ? strlen(indent) + strlen(name) : column + strlen(sep) + strlen(name);
    }
}

enum option_id {
    OPT_QUICK,
    OPT_FULL,
    OPT_SIZES,
    OPT_CPUS,
    OPT_OUT,
    OPT_TRANSPORTS,
    OPT_BENCHMARKS,
    OPT_TIMEOUT,
    OPT_SPIN_BUDGET,
    OPT_REPETITIONS,
    OPT_SEED,
    OPT_NO_PLOTS,
    OPT_HELP,
};

static const struct shl_cli_option options[] = {
    {"--quick", NULL, OPT_QUICK, false, NULL,
     "every transport and strategy, fewer sizes and samples (<= 60 s)"},
    {"--full", NULL, OPT_FULL, false, NULL, "more sizes and samples (publication quality; slow)"},
    {"--sizes", NULL, OPT_SIZES, true, "LIST",
     "message sizes, comma-separated, multiples of 8 from 8 to 64M;\n"
     "suffixes K and M (e.g. 64,4K,1M)"},
    {"--cpus", NULL, OPT_CPUS, true, "A,B",
     "pin the two processes to CPUs A and B (default: the first two\n"
     "CPUs this process may use; no pinning with only one)"},
    {"--out", NULL, OPT_OUT, true, "DIR",
     "where results go (default: bench-out/ in the workspace)"},
    {"--transports", NULL, OPT_TRANSPORTS, true, "LIST", "only these transports (e.g. pipe,posix)"},
    {"--benchmarks", NULL, OPT_BENCHMARKS, true, "LIST",
     "only these benchmarks, comma-separated (listed above)"},
    {"--timeout-ms", NULL, OPT_TIMEOUT, true, "MS",
     "a peer that is silent this long fails the run (default 3000)"},
    {"--spin-budget", NULL, OPT_SPIN_BUDGET, true, "NS",
     "how long the adaptive strategy spins before it sleeps (default:\n"
     "calibrated at start-up from the floor and a futex round trip)"},
    {"--repetitions", NULL, OPT_REPETITIONS, true, "N",
     "run every configuration N times in a random order (1 to 100,\n"
     "default 1: once each, in the planned order); the run takes about\n"
     "N times as long (on 2 CPUs about 4 minutes each in the\n"
     "default mode, 45 s each with --quick)"},
    {"--seed", NULL, OPT_SEED, true, "S",
     "the seed of that order (default: from the clock; always printed)"},
    {"--no-plots", NULL, OPT_NO_PLOTS, false, NULL, "write results but do not draw the charts"},
    {"--help", "-h", OPT_HELP, false, NULL, "this text"},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

size_t bench_options_usage(char *buf, size_t len, const char *transports)
{
    char list[2048], names[256];
    shl_cli_help(options, N_OPTIONS, 21, list, sizeof list);
    benchmark_names(88, "                       ", names, sizeof names);
    int n = snprintf(
        buf, len,
        "usage: bazel run //bench:all -- [--quick | --full] [--sizes LIST] [--cpus A,B]\n"
        "           [--out DIR] [--transports LIST] [--benchmarks LIST] [--timeout-ms MS]\n"
        "           [--spin-budget NS] [--repetitions N] [--seed S] [--no-plots]\n"
        "\n"
        "Measures shmlab's shared-memory rings (every notification strategy; copying and\n"
        "zero-copy) against the middleware and kernel transports users pick instead:\n"
        "round-trip latency, throughput, wake-up latency at 10 kHz / 1 kHz / 100 Hz, latency\n"
        "under offered load (1 kHz up to saturation), fan-out to 1, 2, 4 and 8 subscribers,\n"
        "CPU per message, the cache-line (one line, a line per direction) and memcpy floors,\n"
        "set-up cost (hyperfine) and a plain independent ping-pong as a cross-check.\n"
        "\n"
        "%s"
        "  benchmarks           %s\n"
        "\n"
        "%s"
        "\n"
        "Writes results.json and gbench.json (see bench/RESULTS.md).\n"
        "Exit status: 0 done, 1 a benchmark failed (wrong data, dead peer...), 2 bad usage.\n",
        transports, names, list);
    return n < 0 ? 0 : (size_t)n;
}

const double bench_wakeup_rates_hz[3] = {10000.0, 1000.0, 100.0};

static int fail(char *msg, size_t msg_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t msg_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_len, fmt, ap);
    va_end(ap);
    return -1;
}

static int parse_int(const char *text, long min, long max, long *out)
{
    if (text[0] == '\0')
        return -1;
    errno = 0;
    char *end;
    long value = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max)
        return -1;
    *out = value;
    return 0;
}

/* Calls item() for each comma-separated element of list; empty elements are errors. */
static int split_list(const char *list, char *msg, size_t msg_len, const char *what,
                      int (*item)(const char *, void *, char *, size_t), void *ctx)
{
    char copy[512];
    if (strlen(list) >= sizeof copy)
        return fail(msg, msg_len, "%s: list too long", what);
    strcpy(copy, list);
    char *cursor = copy;
    for (;;) {
        char *comma = strchr(cursor, ',');
        if (comma != NULL)
            *comma = '\0';
        if (*cursor == '\0')
            return fail(msg, msg_len, "%s: empty element in '%s'", what, list);
        if (item(cursor, ctx, msg, msg_len) != 0)
            return -1;
        if (comma == NULL)
            return 0;
        cursor = comma + 1;
    }
}

static int add_size(const char *text, void *ctx, char *msg, size_t msg_len)
{
    struct bench_options *opts = ctx;
    size_t size;
    struct shl_error err;
    if (shl_parse_size(text, &size, &err) != 0 || size < BENCH_MIN_SIZE || size > BENCH_MAX_SIZE ||
        size % 8 != 0)
        return fail(msg, msg_len,
                    "--sizes: '%s' is not a multiple of 8 from 8 to 64M (K and M allowed)", text);
    if (opts->n_sizes == BENCH_MAX_SIZES)
        return fail(msg, msg_len, "--sizes: at most %d sizes", BENCH_MAX_SIZES);
    opts->sizes[opts->n_sizes++] = size;
    return 0;
}

static int add_transport(const char *text, void *ctx, char *msg, size_t msg_len)
{
    struct bench_options *opts = ctx;
    if (strlen(text) >= BENCH_NAME_LEN)
        return fail(msg, msg_len, "--transports: '%s' is too long", text);
    if (opts->n_transports == BENCH_MAX_TRANSPORTS)
        return fail(msg, msg_len, "--transports: at most %d", BENCH_MAX_TRANSPORTS);
    strcpy(opts->transports[opts->n_transports++], text);
    return 0;
}

static int add_benchmark(const char *text, void *ctx, char *msg, size_t msg_len)
{
    struct bench_options *opts = ctx;
    for (size_t i = 0; i < sizeof benchmarks / sizeof *benchmarks; i++) {
        if (strcmp(text, benchmarks[i].name) == 0) {
            opts->benchmarks |= benchmarks[i].bit;
            return 0;
        }
    }
    char names[256];
    benchmark_names(0, "", names, sizeof names);
    return fail(msg, msg_len, "--benchmarks: unknown '%s' (%s)", text, names);
}

static int parse_cpus(const char *text, struct bench_options *opts, char *msg, size_t msg_len)
{
    char copy[64];
    const char *comma = strchr(text, ',');
    long a, b;
    if (strlen(text) >= sizeof copy || comma == NULL)
        return fail(msg, msg_len, "--cpus: expected A,B (two CPU numbers), got '%s'", text);
    strcpy(copy, text);
    copy[comma - text] = '\0';
    if (parse_int(copy, 0, 1023, &a) != 0 || parse_int(comma + 1, 0, 1023, &b) != 0)
        return fail(msg, msg_len, "--cpus: expected A,B (two CPU numbers), got '%s'", text);
    if (a == b)
        return fail(msg, msg_len, "--cpus: A and B must differ (got %ld twice)", a);
    opts->cpu_a = (int)a;
    opts->cpu_b = (int)b;
    return 0;
}

int bench_options_parse(int argc, char *const argv[], struct bench_options *opts, char *msg,
                        size_t msg_len)
{
    memset(opts, 0, sizeof *opts);
    opts->mode = BENCH_MODE_DEFAULT;
    opts->cpu_a = opts->cpu_b = -1;
    opts->timeout_ms = 3000;
    opts->repetitions = 1;
    int mode_given = 0;
    struct shl_cli cli;
    struct shl_cli_item item;
    shl_cli_init(&cli, options, N_OPTIONS, 1, argc, argv);
    while (shl_cli_next(&cli, &item) != SHL_CLI_END) {
        const char *value = item.value;
        switch (item.kind) {
        case SHL_CLI_OPTION: break;
        case SHL_CLI_POSITIONAL:
            return fail(msg, msg_len, "unexpected argument '%s' (see --help)", item.arg);
        case SHL_CLI_MISSING_VALUE: return fail(msg, msg_len, "%s needs a value", item.arg);
        case SHL_CLI_UNEXPECTED_VALUE:
            return fail(msg, msg_len, "%s takes no value", item.option->name);
        default: return fail(msg, msg_len, "unknown option '%s' (see --help)", item.arg);
        }
        switch ((enum option_id)item.option->id) {
        case OPT_QUICK:
        case OPT_FULL: {
            enum bench_mode mode = item.option->id == OPT_QUICK ? BENCH_MODE_QUICK
                                                                : BENCH_MODE_FULL;
            if (mode_given && opts->mode != mode)
                return fail(msg, msg_len, "--quick and --full exclude each other");
            opts->mode = mode;
            mode_given = 1;
            break;
        }
        case OPT_SIZES:
            opts->n_sizes = 0;
            if (split_list(value, msg, msg_len, "--sizes", add_size, opts) != 0)
                return -1;
            break;
        case OPT_CPUS:
            if (parse_cpus(value, opts, msg, msg_len) != 0)
                return -1;
            break;
        case OPT_OUT:
            if (value[0] == '\0')
                return fail(msg, msg_len, "--out: empty directory name");
            opts->out_dir = value;
            break;
        case OPT_TRANSPORTS:
            opts->n_transports = 0;
            if (split_list(value, msg, msg_len, "--transports", add_transport, opts) != 0)
                return -1;
            break;
        case OPT_BENCHMARKS:
            opts->benchmarks = 0;
            if (split_list(value, msg, msg_len, "--benchmarks", add_benchmark, opts) != 0)
                return -1;
            break;
        case OPT_TIMEOUT: {
            long ms;
            if (parse_int(value, 100, 600000, &ms) != 0)
                return fail(msg, msg_len, "--timeout-ms: '%s' is not a number from 100 to 600000",
                            value);
            opts->timeout_ms = (int)ms;
            break;
        }
        case OPT_SPIN_BUDGET: {
            long ns;
            if (parse_int(value, 1, 100000000, &ns) != 0)
                return fail(msg, msg_len,
                            "--spin-budget: '%s' is not a number of ns from 1 to 100000000", value);
            opts->spin_budget_ns = ns;
            break;
        }
        case OPT_REPETITIONS: {
            long n;
            if (parse_int(value, 1, 100, &n) != 0)
                return fail(msg, msg_len, "--repetitions: '%s' is not a number from 1 to 100",
                            value);
            opts->repetitions = (unsigned)n;
            break;
        }
        case OPT_SEED: {
            char *end;
            errno = 0;
            unsigned long long seed = strtoull(value, &end, 10);
            if (value[0] < '0' || value[0] > '9' || *end != '\0' || errno != 0 || seed == 0)
                return fail(msg, msg_len, "--seed: '%s' is not a positive number", value);
            opts->seed = seed;
            break;
        }
        case OPT_NO_PLOTS: opts->no_plots = 1; break;
        case OPT_HELP: opts->help = 1; break;
        }
    }
    if (opts->benchmarks == 0)
        opts->benchmarks = BENCH_ALL;
    return 0;
}

const char *bench_mode_name(enum bench_mode mode)
{
    switch (mode) {
    case BENCH_MODE_QUICK: return "quick";
    case BENCH_MODE_FULL: return "full";
    case BENCH_MODE_DEFAULT: break;
    }
    return "default";
}

/* Sizes, samples and seconds per mode. Every mode measures 64 B and 1 MiB, the sizes the
 * efficiency targets are stated at. */
static const struct bench_plan quick_plan = {
    .default_sizes = {64, 4096, 1 << 20},
    .n_default_sizes = 3,
    .warmup = 50,
    .min_samples = 20,
    .max_samples = 1000,
    .budget_ns = 60000000,
    .stream_budget_ns = 45000000,
    .wakeup_samples = {100, 40, 8},
    .n_crosscheck_sizes = 1,
    .setup_runs = 3,
    .setup_warmup = 1,
    .canary_budget_ns = 5000000,
    .canary_samples = 2000,
    .load_duration_ns = 20000000,
    .load_min_messages = 50,
    .load_max_messages = 200000,
    .fanout_messages = 300,
};

/* 8 B, then powers of 4 from 64 B to 1 MiB. */
static const struct bench_plan default_plan = {
    .default_sizes = {8, 64, 256, 1024, 4096, 16384, 65536, 262144, 1 << 20},
    .n_default_sizes = 9,
    .warmup = 200,
    .min_samples = 30,
    .max_samples = 20000,
    .budget_ns = 200000000,
    .stream_budget_ns = 110000000,
    .wakeup_samples = {1000, 300, 50},
    .n_crosscheck_sizes = 2,
    .setup_runs = 10,
    .setup_warmup = 2,
    .canary_budget_ns = 10000000,
    .canary_samples = 5000,
    .load_duration_ns = 50000000,
    .load_min_messages = 300,
    .load_max_messages = 1 << 20,
    .fanout_messages = 2000,
};

/* Every power of 2 from 8 B to 1 MiB (filled in below). */
static const struct bench_plan full_plan = {
    .warmup = 2000,
    .min_samples = 200,
    .max_samples = 200000,
    .budget_ns = 3000000000,
    .stream_budget_ns = 2000000000,
    .wakeup_samples = {5000, 2000, 500},
    .n_crosscheck_sizes = 2,
    .setup_runs = 30,
    .setup_warmup = 5,
    .canary_budget_ns = 30000000,
    .canary_samples = 20000,
    .load_duration_ns = 500000000,
    .load_min_messages = 5000,
    .load_max_messages = 1 << 22,
    .fanout_messages = 10000,
};

void bench_plan_for(enum bench_mode mode, struct bench_plan *plan)
{
    *plan = mode == BENCH_MODE_QUICK  ? quick_plan
            : mode == BENCH_MODE_FULL ? full_plan
                                      : default_plan;
    if (mode == BENCH_MODE_FULL) {
        plan->n_default_sizes = 0;
        for (size_t size = 8; size <= (1u << 20); size *= 2)
            plan->default_sizes[plan->n_default_sizes++] = size;
    }
    plan->wakeup_size = 64;
    plan->setup_sizes[0] = 4096;
    plan->setup_sizes[1] = 1 << 20;
    plan->setup_sizes[2] = 64 << 20;
    plan->crosscheck_sizes[0] = 64;
    plan->crosscheck_sizes[1] = 4096;
}
