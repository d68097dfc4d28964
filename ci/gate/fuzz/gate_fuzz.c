/* libFuzzer target for the gate's parsers: any bytes, read as a results file and as
 * a baseline, must give either a clean error or structures the rest of the gate can use;
 * whatever parses must also survive the gate's own round trip (derive, format, parse).
 * Built outside Bazel by ci/fuzz.sh (clang -fsanitize=fuzzer,address,undefined). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ci/gate/shl_gate_baseline.h"
#include "ci/gate/shl_gate_check.h"
#include "ci/gate/shl_gate_select.h"

#define CHECKS_MAX 128

/* A small run that fuzzed baselines are evaluated against. */
static const char reference_run[] =
    "{\"context\": {\"host\": \"fuzz\"}, \"results\": ["
    "{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"notify\": null, \"size\": 64,"
    " \"unit\": \"ns\", \"p50\": 25000, \"p99\": 40000},"
    "{\"benchmark\": \"latency\", \"transport\": \"posix\", \"notify\": \"spin\", \"size\": 64,"
    " \"unit\": \"ns\", \"p50\": 700, \"p99\": 0},"
    "{\"benchmark\": \"latency\", \"transport\": \"posix\", \"notify\": \"futex\", \"size\": 64,"
    " \"unit\": \"ns\", \"p50\": 20000},"
    "{\"benchmark\": \"floor\", \"transport\": \"cacheline\", \"notify\": null, \"size\": 64,"
    " \"unit\": \"ns\", \"p50\": 485}]}";

static void evaluate_all(const struct shl_results *results, const struct shl_gate_check *checks,
                         size_t count)
{
    const struct shl_results *runs[1] = {results};
    struct shl_gate_line line;
    for (size_t i = 0; i < count; i++) {
        shl_gate_evaluate(runs, 1, &checks[i], &line);
        if (memchr(line.figure, '\0', sizeof line.figure) == NULL ||
            memchr(line.note, '\0', sizeof line.note) == NULL)
            abort();
    }
}

static void evaluate_baseline(const struct shl_results *results,
                              const struct shl_gate_baseline *baseline)
{
    struct shl_gate_check check;
    for (size_t i = 0; i < baseline->count; i++) {
        shl_gate_baseline_check(&baseline->entries[i], &check);
        evaluate_all(results, &check, 1);
    }
}

/* A baseline the gate wrote must parse back with the same number of ratios. */
static void round_trip(const struct shl_gate_baseline *baseline, const struct shl_results *source)
{
    struct shl_error err = {0};
    char *text = NULL;
    if (shl_gate_baseline_format(baseline, source, &text, &err) != 0)
        return; /* out of memory only */
    struct shl_gate_baseline back;
    if (shl_gate_baseline_parse(text, strlen(text), &back, &err) != 0 ||
        back.count != baseline->count)
        abort();
    evaluate_baseline(source, &back);
    shl_gate_baseline_free(&back);
    free(text);
}

static void fuzz_results(const char *text, size_t len)
{
    struct shl_results run;
    const struct shl_results *results = &run;
    struct shl_error err = {0};
    if (shl_results_parse(text, len, &run, &err) != 0)
        return;
    struct shl_gate_check checks[CHECKS_MAX];
    size_t count = shl_gate_invariants(results, checks, CHECKS_MAX);
    evaluate_all(results, checks, count < CHECKS_MAX ? count : CHECKS_MAX);
    struct shl_gate_baseline made;
    size_t kept;
    const struct shl_results *runs[2] = {results, results};
    if (shl_gate_baseline_derive(runs, 2, NULL, 0, &made, &kept, &err) == 0) {
        evaluate_baseline(results, &made);
        round_trip(&made, results);
        shl_gate_baseline_free(&made);
    }
    shl_results_free(&run);
}

static void fuzz_baseline(const char *text, size_t len)
{
    static struct shl_results run;
    static const struct shl_results *reference;
    struct shl_error err = {0};
    if (reference == NULL) {
        if (shl_results_parse(reference_run, sizeof reference_run - 1, &run, &err) != 0)
            abort();
        reference = &run;
    }
    struct shl_gate_baseline baseline;
    if (shl_gate_baseline_parse(text, len, &baseline, &err) != 0)
        return;
    evaluate_baseline(reference, &baseline);
    round_trip(&baseline, reference);
    shl_gate_baseline_free(&baseline);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_results((const char *)data, size);
    fuzz_baseline((const char *)data, size);
    return 0;
}
