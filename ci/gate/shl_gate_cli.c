#include "ci/gate/shl_gate_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ci/gate/shl_gate_baseline.h"
#include "ci/gate/shl_gate_check.h"
#include "ci/gate/shl_gate_select.h"
#include "src/core/shl_cli.h"
#include "src/results/shl_results.h"

#define USAGE "usage: gate --baseline FILE --results FILE... [--update-baseline [--tolerance F]]"
#define INPUT_MAX (64L << 20) /* a results file of a full run is well under 1 MiB */
#define INVARIANTS_MAX 128

enum { EXIT_PASS = 0, EXIT_REGRESSION = 1, EXIT_USAGE = SHL_CLI_USAGE };

struct options {
    const char *baseline;
    const char *results[SHL_GATE_RUNS_MAX]; /* --results, repeated: runs judged together */
    size_t nresults;
    bool update;
    double tolerance; /* 0: keep the previous ones, or the defaults */
};

enum option_id { OPT_BASELINE, OPT_RESULTS, OPT_UPDATE, OPT_TOLERANCE, OPT_HELP };

static const struct shl_cli_option options[] = {
    {"--baseline", NULL, OPT_BASELINE, true, "FILE", "the ratios a run is judged against"},
    {"--results", NULL, OPT_RESULTS, true, "FILE",
     "a run's results.json; repeated, the runs are judged together"},
    {"--update-baseline", NULL, OPT_UPDATE, false, NULL,
     "write the baseline from the runs instead of judging them"},
    {"--tolerance", NULL, OPT_TOLERANCE, true, "F",
     "with --update-baseline: the factor a ratio may move by (>= 1)"},
    {"--help", "-h", OPT_HELP, false, NULL, "this text"},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static int parse_options(int argc, char *const argv[], struct options *opt, FILE *out, FILE *errout)
{
    memset(opt, 0, sizeof *opt);
    const char *tolerance = NULL;
    struct shl_cli cli;
    struct shl_cli_item item;
    shl_cli_init(&cli, options, N_OPTIONS, 1, argc, argv);
    while (shl_cli_next(&cli, &item) != SHL_CLI_END) {
        if (item.kind != SHL_CLI_OPTION) {
            fprintf(errout, "gate: %s '%s' (%s)\n",
                    item.kind == SHL_CLI_MISSING_VALUE ? "no value after" : "unknown argument",
                    item.arg, USAGE);
            return EXIT_USAGE;
        }
        switch ((enum option_id)item.option->id) {
        case OPT_HELP: {
            char list[1024];
            shl_cli_help(options, N_OPTIONS, 20, list, sizeof list);
            fprintf(out, "%s\n%s", USAGE, list);
            return -1;
        }
        case OPT_UPDATE: opt->update = true; break;
        case OPT_BASELINE: opt->baseline = item.value; break;
        case OPT_RESULTS:
            if (opt->nresults == SHL_GATE_RUNS_MAX || item.value[0] == '\0') {
                fprintf(errout, "gate: --results takes 1 to %d non-empty file names (%s)\n",
                        SHL_GATE_RUNS_MAX, USAGE);
                return EXIT_USAGE;
            }
            opt->results[opt->nresults++] = item.value;
            break;
        case OPT_TOLERANCE: tolerance = item.value; break;
        }
    }
    if (opt->baseline == NULL || opt->nresults == 0 || opt->baseline[0] == '\0') {
        fprintf(errout, "gate: --baseline FILE and --results FILE are both required (%s)\n", USAGE);
        return EXIT_USAGE;
    }
    if (tolerance != NULL) {
        char *end;
        errno = 0;
        opt->tolerance = strtod(tolerance, &end);
        if (!opt->update || errno != 0 || end == tolerance || *end != '\0' ||
            !isfinite(opt->tolerance) || opt->tolerance < 1) {
            fprintf(errout,
                    "gate: --tolerance takes a factor >= 1 and only goes with "
                    "--update-baseline, not '%s'\n",
                    tolerance);
            return EXIT_USAGE;
        }
    }
    return 0;
}

/* A path the caller typed, as an owned string, made absolute against their folder. */
static char *resolve(const char *path)
{
    struct shl_error err;
    return shl_cli_path(path, &err);
}

/* Reads a whole regular file; on failure returns NULL, sets errno (ENOENT when it does not
 * exist) and points *why at the reason. A FIFO or device is refused rather than read, so a
 * wrong path can never hang the gate. */
static char *read_file(const char *path, size_t *len, const char **why)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st = {0};
    int saved = 0;
    if (fd < 0 || fstat(fd, &st) != 0) {
        saved = errno;
        *why = strerror(saved);
    } else if (!S_ISREG(st.st_mode)) {
        saved = EINVAL;
        *why = "not a regular file";
    } else if (st.st_size > INPUT_MAX) {
        saved = EFBIG;
        *why = "larger than 64 MiB, not a results or baseline file";
    }
    char *text = saved == 0 ? malloc((size_t)st.st_size + 1) : NULL;
    size_t used = 0;
    if (saved == 0 && text == NULL) {
        saved = ENOMEM;
        *why = strerror(saved);
    }
    while (saved == 0 && used < (size_t)st.st_size) {
        ssize_t got = read(fd, text + used, (size_t)st.st_size - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            saved = got < 0 ? errno : EIO;
            *why = got < 0 ? strerror(saved) : "the file shrank while being read";
            break;
        }
        used += (size_t)got;
    }
    if (fd >= 0)
        close(fd);
    if (saved != 0) {
        free(text);
        errno = saved;
        return NULL;
    }
    *len = used;
    return text;
}

typedef int parse_fn(const char *text, size_t len, void *out, struct shl_error *err);

static int parse_results(const char *text, size_t len, void *out, struct shl_error *err)
{
    return shl_results_parse(text, len, out, err);
}

static int parse_baseline(const char *text, size_t len, void *out, struct shl_error *err)
{
    return shl_gate_baseline_parse(text, len, out, err);
}

/* Reads and parses one input ("results" or "baseline"); on failure prints the one-line
 * reason and returns EXIT_USAGE. A file that does not exist is fine (*present false) only
 * when `may_be_absent`. */
static int load(const char *what, const char *path, parse_fn *parse, void *out, bool may_be_absent,
                bool *present, FILE *errout)
{
    size_t len;
    const char *why = NULL;
    char *text = read_file(path, &len, &why);
    *present = text != NULL;
    if (text == NULL && may_be_absent && errno == ENOENT)
        return 0;
    if (text == NULL) {
        fprintf(errout, "gate: cannot read %s '%s': %s\n", what, path, why);
        return EXIT_USAGE;
    }
    struct shl_error err = {0};
    int rc = parse(text, len, out, &err);
    free(text);
    if (rc != 0) {
        fprintf(errout, "gate: %s '%s': %s\n", what, path,
                err.detail[0] ? err.detail : strerror(err.errnum));
        return EXIT_USAGE;
    }
    return 0;
}

static const char *verdict_text(enum shl_gate_verdict verdict)
{
    switch (verdict) {
    case SHL_GATE_PASS: return "pass";
    case SHL_GATE_BETTER: return "better";
    case SHL_GATE_WARN: return "WARN";
    case SHL_GATE_FAIL: return "FAIL";
    case SHL_GATE_MISSING: return "MISSING";
    }
    return "?";
}

static const char *figure(double value, char *buf, size_t len)
{
    if (value > 0)
        snprintf(buf, len, "%.4g", value);
    else
        snprintf(buf, len, "-");
    return buf;
}

static void print_line(FILE *out, const struct shl_gate_line *line)
{
    char baseline[32], now[32], change[32], allowed[40];
    snprintf(allowed, sizeof allowed, "%s%.4g",
             line->better == SHL_RESULTS_LOWER ? "<=" : ">=", line->allowed);
    fprintf(out, "%-64s %9s %9s %8s %10s %-4s  %s\n", line->figure,
            figure(line->baseline, baseline, sizeof baseline), figure(line->now, now, sizeof now),
            figure(line->change, change, sizeof change), allowed, line->hard ? "fail" : "warn",
            verdict_text(line->verdict));
}

struct tally {
    size_t count[SHL_GATE_MISSING + 1];
    size_t total;
};

struct runs {
    const struct shl_results *results[SHL_GATE_RUNS_MAX];
    size_t count;
};

/* Evaluates and prints each check, counting the verdicts. */
static void run_checks(const struct runs *runs, const struct shl_gate_check *checks, size_t count,
                       struct shl_gate_line *lines, struct tally *tally, FILE *out)
{
    for (size_t i = 0; i < count; i++) {
        shl_gate_evaluate(runs->results, runs->count, &checks[i], &lines[i]);
        print_line(out, &lines[i]);
        tally->count[lines[i].verdict]++;
        tally->total++;
    }
}

static void print_problems(FILE *out, const struct shl_gate_line *lines, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const struct shl_gate_line *line = &lines[i];
        if (line->verdict == SHL_GATE_PASS || line->verdict == SHL_GATE_BETTER)
            continue;
        if (line->now > 0)
            fprintf(out, "  %-7s %s = %.4g, allowed %s%.4g%s%s\n", verdict_text(line->verdict),
                    line->figure, line->now,
                    line->better == SHL_RESULTS_LOWER ? "<=" : ">=", line->allowed,
                    line->note[0] ? "; " : "", line->note);
        else
            fprintf(out, "  %-7s %s: %s\n", verdict_text(line->verdict), line->figure, line->note);
    }
}

static void print_header(FILE *out, const struct options *opt, const struct runs *runs)
{
    for (size_t i = 0; i < runs->count; i++) {
        const char *host = shl_results_context_text(runs->results[i], "host");
        const char *mode = shl_results_context_text(runs->results[i], "mode");
        const char *date = shl_results_context_text(runs->results[i], "date");
        fprintf(out, "gate: run %zu: %s (host %s, mode %s, %s)\n", i + 1, opt->results[i],
                host ? host : "?", mode ? mode : "?", date ? date : "no date");
    }
    fprintf(out, "gate: against %s%s\n", opt->baseline,
            runs->count > 1 ? "; each figure is the median of the runs (of two, the better)" : "");
    fprintf(out, "%-64s %9s %9s %8s %10s %-4s  %s\n", "figure (a ratio within one run)", "baseline",
            "now", "now/base", "allowed", "if not", "verdict");
}

/* Checks the baseline's ratios and the invariants; prints the table and a verdict. */
static int check(const struct options *opt, const struct runs *runs,
                 const struct shl_gate_baseline *baseline, FILE *out, FILE *errout)
{
    struct shl_gate_check *checks = calloc(baseline->count + INVARIANTS_MAX, sizeof *checks);
    struct shl_gate_line *lines = calloc(baseline->count + INVARIANTS_MAX, sizeof *lines);
    if (checks == NULL || lines == NULL) {
        free(checks);
        free(lines);
        fprintf(errout, "gate: out of memory\n");
        return EXIT_REGRESSION;
    }
    for (size_t i = 0; i < baseline->count; i++)
        shl_gate_baseline_check(&baseline->entries[i], &checks[i]);
    size_t invariants = shl_gate_invariants(runs->results[0], checks + baseline->count,
                                            INVARIANTS_MAX);
    if (invariants > INVARIANTS_MAX)
        invariants = INVARIANTS_MAX;

    struct tally tally = {0};
    print_header(out, opt, runs);
    fprintf(out, "-- ratios against the baseline --\n");
    run_checks(runs, checks, baseline->count, lines, &tally, out);
    fprintf(out, "-- invariants: the targets every run is held to (ci/README.md says which fail "
                 "and why) --\n");
    run_checks(runs, checks + baseline->count, invariants, lines + baseline->count, &tally, out);
    size_t total = baseline->count + invariants;
    size_t fails = tally.count[SHL_GATE_FAIL], missing = tally.count[SHL_GATE_MISSING];
    if (fails + missing + tally.count[SHL_GATE_WARN] > 0) {
        fprintf(out, "problems:\n");
        print_problems(out, lines, total);
    }
    fprintf(out,
            "gate: %s: %zu regression(s), %zu missing, %zu warning(s), %zu better than "
            "the baseline; %zu figures compared\n",
            fails + missing > 0 ? "FAIL" : "PASS", fails, missing, tally.count[SHL_GATE_WARN],
            tally.count[SHL_GATE_BETTER], tally.total);
    free(checks);
    free(lines);
    return fails + missing > 0 ? EXIT_REGRESSION : EXIT_PASS;
}

/* Writes the file whole or not at all, so an interrupted update never leaves half a baseline. */
static int write_atomically(const char *path, const char *text)
{
    size_t len = strlen(path) + 8;
    char *tmp = malloc(len);
    if (tmp == NULL)
        return -1;
    snprintf(tmp, len, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    /* mkstemp makes it 0600; a baseline is meant to be committed and read by anyone. */
    FILE *file = fd >= 0 && fchmod(fd, 0644) == 0 ? fdopen(fd, "w") : NULL;
    int rc = -1;
    if (file != NULL) {
        bool written = fputs(text, file) >= 0 && fputc('\n', file) != EOF;
        int saved = errno;
        if (fclose(file) == 0 && written && rename(tmp, path) == 0)
            rc = 0;
        else if (!written)
            errno = saved;
    } else if (fd >= 0) {
        close(fd);
    }
    if (rc != 0 && fd >= 0) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
    }
    free(tmp);
    return rc;
}

/* A baseline made from a broken run would bless the breakage: refuse on a failed hard
 * invariant. A missing mechanism only narrows what the baseline covers: say so. */
static bool run_is_sound(const struct options *opt, const struct runs *runs, FILE *errout)
{
    struct shl_gate_check invariants[INVARIANTS_MAX];
    size_t count = shl_gate_invariants(runs->results[0], invariants, INVARIANTS_MAX);
    size_t missing = 0;
    for (size_t i = 0; i < count && i < INVARIANTS_MAX; i++) {
        struct shl_gate_line line;
        shl_gate_evaluate(runs->results, runs->count, &invariants[i], &line);
        if (line.verdict == SHL_GATE_FAIL) {
            fprintf(errout,
                    "gate: not updating %s: the run breaks a hard invariant: %s = %.4g "
                    "(%s)\n",
                    opt->baseline, line.figure, line.now, line.note);
            return false;
        }
        if (line.verdict == SHL_GATE_MISSING && missing++ == 0)
            fprintf(errout,
                    "gate: note: the baseline will not cover what the run lacks, "
                    "e.g. %s\n",
                    line.note);
    }
    return true;
}

static int update(const struct options *opt, const struct runs *runs, FILE *out, FILE *errout)
{
    struct shl_gate_baseline previous = {0}, made = {0};
    bool present;
    int rc = load("baseline", opt->baseline, parse_baseline, &previous, true, &present, errout);
    if (rc != 0)
        return rc;
    if (!run_is_sound(opt, runs, errout)) {
        shl_gate_baseline_free(&previous);
        return EXIT_REGRESSION;
    }
    struct shl_error err = {0};
    size_t kept = 0, warn_only = 0;
    char *text = NULL;
    rc = shl_gate_baseline_derive(runs->results, runs->count, present ? &previous : NULL,
                                  opt->tolerance, &made, &kept, &err);
    if (rc == 0)
        rc = shl_gate_baseline_format(&made, runs->results[0], &text, &err);
    if (rc != 0) {
        fprintf(errout, "gate: cannot make a baseline from '%s': %s\n", opt->results[0],
                err.detail[0] ? err.detail : strerror(err.errnum));
        rc = EXIT_REGRESSION;
    } else if (write_atomically(opt->baseline, text) != 0) {
        fprintf(errout, "gate: cannot write '%s': %s\n", opt->baseline, strerror(errno));
        rc = EXIT_REGRESSION;
    } else {
        for (size_t i = 0; i < made.count; i++)
            warn_only += !made.entries[i].hard;
        fprintf(out,
                "gate: wrote %zu ratios from %zu run(s) to %s: %zu fail when out of "
                "bounds, %zu only warn; tolerances: %zu kept from the previous baseline, the "
                "rest %s, widened where the runs' spread needed it\n",
                made.count, runs->count, opt->baseline, made.count - warn_only, warn_only, kept,
                opt->tolerance > 0 ? "from --tolerance" : "at their defaults");
    }
    free(text);
    shl_gate_baseline_free(&made);
    shl_gate_baseline_free(&previous);
    return rc;
}

int shl_gate_cli(int argc, char *const argv[], FILE *out, FILE *errout)
{
    struct options opt;
    int rc = parse_options(argc, argv, &opt, out, errout);
    if (rc != 0)
        return rc < 0 ? EXIT_PASS : rc;
    /* Owned copies of every path, resolved against the caller's folder. */
    char *paths[SHL_GATE_RUNS_MAX + 1] = {0};
    struct runs runs = {.count = 0};
    bool ok = (paths[0] = resolve(opt.baseline)) != NULL;
    opt.baseline = paths[0];
    for (size_t i = 0; ok && i < opt.nresults; i++) {
        ok = (paths[i + 1] = resolve(opt.results[i])) != NULL;
        opt.results[i] = paths[i + 1];
    }
    struct shl_results loaded[SHL_GATE_RUNS_MAX] = {0};
    if (!ok) {
        fprintf(errout, "gate: out of memory\n");
        rc = EXIT_REGRESSION;
    }
    for (size_t i = 0; rc == 0 && i < opt.nresults; i++) {
        bool present;
        rc = load("results", opt.results[i], parse_results, &loaded[i], false, &present, errout);
        runs.results[runs.count++] = &loaded[i];
    }
    if (rc == 0 && opt.update) {
        rc = update(&opt, &runs, out, errout);
    } else if (rc == 0) {
        struct shl_gate_baseline baseline = {0};
        bool present;
        rc = load("baseline", opt.baseline, parse_baseline, &baseline, false, &present, errout);
        if (rc == 0)
            rc = check(&opt, &runs, &baseline, out, errout);
        shl_gate_baseline_free(&baseline);
    }
    for (size_t i = 0; i < SHL_GATE_RUNS_MAX; i++)
        shl_results_free(&loaded[i]);
    for (size_t i = 0; i <= SHL_GATE_RUNS_MAX; i++)
        free(paths[i]);
    return rc;
}
