// The gate's library: parsing results and baselines, finding figures, the ratio arithmetic
// and verdicts, and deriving a baseline. Small inline runs; no timing anywhere.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

extern "C" {
#include "ci/gate/shl_gate_baseline.h"
#include "ci/gate/shl_gate_check.h"
#include "ci/gate/shl_gate_select.h"
}

namespace {

std::string Row(const char *benchmark, const char *transport, const char *notify, double size,
                double p50)
{
    std::ostringstream row;
    row << "{\"benchmark\": \"" << benchmark << "\", \"transport\": \"" << transport << "\", ";
    if (notify != nullptr)
        row << "\"notify\": \"" << notify << "\", ";
    else
        row << "\"notify\": null, ";
    row << "\"size\": " << size << ", \"unit\": \"ns\", \"p50\": " << p50 << "}";
    return row.str();
}

std::string RunOf(std::initializer_list<std::string> rows)
{
    std::string text = "{\"context\": {\"host\": \"t\"}, \"results\": [";
    const char *sep = "";
    for (const auto &row : rows) {
        text += sep + row;
        sep = ", ";
    }
    return text + "]}";
}

// Owns a parsed run.
struct Results {
    explicit Results(const std::string &text)
    {
        rc = shl_results_parse(text.data(), text.size(), &parsed, &err);
        results = rc == 0 ? &parsed : nullptr;
    }
    ~Results()
    {
        shl_results_free(&parsed);
    }
    struct shl_results parsed = {};
    struct shl_results *results = nullptr;
    struct shl_error err = {};
    int rc;
};

struct shl_gate_select Select(const char *benchmark, const char *transport, const char *notify,
                              double size, const char *stat = "p50")
{
    struct shl_gate_select sel;
    enum shl_notify_kind kind = SHL_NOTIFY_NONE;
    if (notify[0] != '\0') {
        EXPECT_EQ(shl_notify_parse(notify, &kind), 0) << notify;
    }
    EXPECT_TRUE(shl_gate_select_set(&sel, benchmark, transport, kind, size, stat));
    return sel;
}

struct shl_gate_check Check(const char *transport, const char *notify, double baseline,
                            double tolerance)
{
    struct shl_gate_check check = {};
    check.ratio.of = Select("latency", transport, notify, 64);
    check.ratio.to = Select("latency", "pipe", "", 64);
    check.ratio.better = SHL_RESULTS_LOWER;
    check.baseline = baseline;
    check.allowed = shl_gate_allowed(baseline, tolerance, SHL_RESULTS_LOWER);
    check.hard = true;
    return check;
}

const std::string kSmall = RunOf({
    Row("latency", "pipe", nullptr, 64, 25000),
    Row("latency", "posix", "spin", 64, 1000),
    Row("latency", "posix", "futex", 64, 20000),
});

TEST(GateRatio, AllowedIsTheBaselineWorsenedByTheToleranceFactor)
{
    EXPECT_DOUBLE_EQ(shl_gate_allowed(0.1, 2.5, SHL_RESULTS_LOWER), 0.25);
    EXPECT_DOUBLE_EQ(shl_gate_allowed(10, 2, SHL_RESULTS_HIGHER), 5);
    EXPECT_DOUBLE_EQ(shl_gate_allowed(0.3, 1, SHL_RESULTS_LOWER), 0.3);
}

TEST(GateRatio, WithinIsInclusiveAndFollowsTheDirection)
{
    EXPECT_TRUE(shl_gate_within(0.25, 0.25, SHL_RESULTS_LOWER));
    EXPECT_FALSE(shl_gate_within(0.2501, 0.25, SHL_RESULTS_LOWER));
    EXPECT_TRUE(shl_gate_within(0.01, 0.25, SHL_RESULTS_LOWER));
    EXPECT_TRUE(shl_gate_within(5, 5, SHL_RESULTS_HIGHER));
    EXPECT_FALSE(shl_gate_within(4.99, 5, SHL_RESULTS_HIGHER));
    EXPECT_TRUE(shl_gate_within(50, 5, SHL_RESULTS_HIGHER));
}

TEST(GateResults, FindsTheBestOfSeveralMatchingRows)
{
    Results run(kSmall);
    ASSERT_EQ(run.rc, 0) << run.err.detail;
    EXPECT_EQ(run.results->n, 3u);
    double value = 0;
    char why[200];
    struct shl_gate_select any = Select("latency", "posix", "", 64);
    ASSERT_TRUE(
        shl_gate_results_find(run.results, &any, SHL_RESULTS_LOWER, &value, why, sizeof why));
    EXPECT_EQ(value, 1000);
    ASSERT_TRUE(
        shl_gate_results_find(run.results, &any, SHL_RESULTS_HIGHER, &value, why, sizeof why));
    EXPECT_EQ(value, 20000);
    struct shl_gate_select blocking = Select("latency", "mmap|posix", "spin", 64);
    blocking.notify_except = true;
    ASSERT_TRUE(
        shl_gate_results_find(run.results, &blocking, SHL_RESULTS_LOWER, &value, why, sizeof why));
    EXPECT_EQ(value, 20000);
    EXPECT_STREQ(shl_results_context_text(run.results, "host"), "t");
    EXPECT_EQ(shl_results_context_text(run.results, "kernel"), nullptr);
}

// "Not spin" leaves out every strategy that spins: adaptive never sleeps under back-to-back
// traffic, so it would make a comparison of sleeping strategies with a pipe meaningless.
TEST(GateResults, NotSpinLeavesOutEveryStrategyThatSpins)
{
    Results run(RunOf({Row("latency", "posix", "spin", 64, 1000),
                       Row("latency", "posix", "adaptive", 64, 1100),
                       Row("latency", "posix", "futex", 64, 20000)}));
    ASSERT_EQ(run.rc, 0) << run.err.detail;
    struct shl_gate_select sleeping = Select("latency", "posix", "spin", 64);
    sleeping.notify_except = true;
    double value = 0;
    char why[200];
    ASSERT_TRUE(
        shl_gate_results_find(run.results, &sleeping, SHL_RESULTS_LOWER, &value, why, sizeof why));
    EXPECT_EQ(value, 20000);
    struct shl_gate_select not_futex = Select("latency", "posix", "futex", 64);
    not_futex.notify_except = true;
    ASSERT_TRUE(
        shl_gate_results_find(run.results, &not_futex, SHL_RESULTS_LOWER, &value, why, sizeof why));
    EXPECT_EQ(value, 1000);
}

TEST(GateResults, SaysWhatIsMissing)
{
    Results run(
        RunOf({Row("latency", "pipe", nullptr, 64, 25000), Row("latency", "posix", "spin", 64, 0),
               "{\"benchmark\": \"latency\", \"transport\": \"mmap\", \"notify\": \"spin\", "
               "\"size\": 64, \"p50\": null}"}));
    ASSERT_EQ(run.rc, 0) << run.err.detail;
    double value;
    char why[200];
    struct {
        struct shl_gate_select sel;
        const char *why;
    } cases[] = {
        {Select("latency", "sysv", "spin", 64), "no latency rows for transport sysv"},
        {Select("latency", "posix", "futex", 64), "no latency rows for posix with notify futex"},
        {Select("latency", "pipe", "", 4096), "no latency row for pipe at size 4 KiB"},
        {Select("latency", "pipe", "", 64, "p99"), "metric 'p99' missing in latency pipe 64 B p99"},
        {Select("latency", "mmap", "spin", 64), "metric 'p50' missing in latency mmap/spin 64 B"},
        {Select("latency", "posix", "spin", 64),
         "latency posix/spin 64 B p50 is 0, not a positive"},
        {Select("wakeup", "pipe", "", 64), "no wakeup rows for transport pipe"},
    };
    for (const auto &c : cases) {
        EXPECT_FALSE(
            shl_gate_results_find(run.results, &c.sel, SHL_RESULTS_LOWER, &value, why, sizeof why));
        EXPECT_NE(std::string(why).find(c.why), std::string::npos) << why;
    }
}

TEST(GateResults, RejectsWhatDoesNotFollowTheSchema)
{
    const std::string long_name(40, 'x');
    const std::string bad[] = {
        "",
        "nul",
        "[1, 2]",
        "{\"results\": {}}",
        "{\"results\": [], \"context\": 3}",
        "{\"results\": [\"row\"]}",
        "{\"results\": [{\"transport\": \"pipe\"}]}",
        "{\"results\": [{\"benchmark\": \"\", \"transport\": \"pipe\"}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"" + long_name + "\"}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"notify\": 1}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"size\": \"64\"}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"rate_hz\": -5}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"p99\": [1]}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"p50\": 1e999}]}",
    };
    for (const auto &text : bad) {
        Results run(text);
        EXPECT_EQ(run.rc, -1) << text;
        EXPECT_EQ(run.results, nullptr);
        EXPECT_EQ(run.err.errnum, EINVAL) << text;
        EXPECT_NE(run.err.detail[0], '\0') << text;
    }
    // A text that is not NUL-terminated is read only up to its length.
    const char prefix[] = "{\"results\": []}garbage";
    struct shl_results results = {};
    struct shl_error err = {};
    EXPECT_EQ(shl_results_parse(prefix, 15, &results, &err), 0) << err.detail;
    shl_results_free(&results);
}

TEST(GateCheck, PassesFailsAndNoticesImprovement)
{
    Results run(kSmall);
    ASSERT_EQ(run.rc, 0);
    struct shl_gate_line line;
    // Ratio now: 1000 / 25000 = 0.04.
    struct shl_gate_check same = Check("posix", "spin", 0.04, 2.5);
    shl_gate_evaluate(&run.results, 1, &same, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_PASS);
    EXPECT_DOUBLE_EQ(line.now, 0.04);
    EXPECT_DOUBLE_EQ(line.change, 1.0);
    EXPECT_STREQ(line.figure, "latency posix/spin 64 B p50 / pipe");

    struct shl_gate_check was_faster = Check("posix", "spin", 0.04 / 3, 2.5);
    shl_gate_evaluate(&run.results, 1, &was_faster, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_FAIL);
    EXPECT_NEAR(line.change, 3.0, 1e-9);

    struct shl_gate_check at_edge = Check("posix", "spin", 0.016, 2.5);
    shl_gate_evaluate(&run.results, 1, &at_edge, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_PASS) << "exactly the allowed factor passes";

    struct shl_gate_check was_slower = Check("posix", "spin", 0.04 * 3, 2.5);
    shl_gate_evaluate(&run.results, 1, &was_slower, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_BETTER);
    EXPECT_NE(std::string(line.note).find("--update-baseline"), std::string::npos);
}

TEST(GateCheck, HigherIsBetterForBandwidth)
{
    Results run(RunOf({Row("throughput", "pipe", nullptr, 4096, 2000),
                       Row("throughput", "posix", "spin", 4096, 8000)}));
    ASSERT_EQ(run.rc, 0);
    struct shl_gate_check check = {};
    check.ratio.of = Select("throughput", "posix", "spin", 4096);
    check.ratio.to = Select("throughput", "pipe", "", 4096);
    check.ratio.better = SHL_RESULTS_HIGHER;
    check.baseline = 4.0;
    check.hard = true;
    struct shl_gate_line line;
    for (double tolerance : {1.0, 2.5}) {
        check.allowed = shl_gate_allowed(check.baseline, tolerance, SHL_RESULTS_HIGHER);
        shl_gate_evaluate(&run.results, 1, &check, &line);
        EXPECT_EQ(line.verdict, SHL_GATE_PASS) << tolerance;
    }
    check.baseline = 12.0; // it used to be 12x the pipe; now 4x: 3x worse than 2.5 allows
    check.allowed = shl_gate_allowed(check.baseline, 2.5, SHL_RESULTS_HIGHER);
    shl_gate_evaluate(&run.results, 1, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_FAIL);
}

TEST(GateCheck, MissingIsAFailureForHardChecksAndAWarningOtherwise)
{
    Results run(kSmall);
    ASSERT_EQ(run.rc, 0);
    struct shl_gate_line line;
    struct shl_gate_check check = Check("sysv", "spin", 0.04, 2.5);
    shl_gate_evaluate(&run.results, 1, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_MISSING);
    EXPECT_STREQ(line.note, "missing: no latency rows for transport sysv");
    check.hard = false;
    shl_gate_evaluate(&run.results, 1, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_WARN);
    EXPECT_EQ(line.now, 0);
}

// A row with the driver's own ratio to a reference (bench/RESULTS.md).
std::string WithRatio(std::string row, double ratio, const char *to)
{
    std::ostringstream extra;
    extra << ", \"ratio\": " << ratio << ", \"ratio_to\": \"" << to << "\"}";
    row.replace(row.size() - 1, 1, extra.str());
    return row;
}

TEST(GateInvariants, HardOnesFailAndTargetsOnlyWarn)
{
    // posix and sysv beat the pipe; mmap does not (a hard failure). The targets: the floor
    // ratio is 4 and blocking posix is slower than the pipe (missed), the throughput rows
    // are missing, the zero-copy stream reaches 0.8x memcpy (missed), the pipe's cross-check
    // is 30% off, tcp's is missing: all only warnings.
    Results run(RunOf(
        {Row("latency", "pipe", nullptr, 64, 25000),
         Row("latency", "pipe", nullptr, 1048576, 700000),
         WithRatio(Row("latency", "posix", "spin", 64, 1000), 4.444, "cacheline"),
         Row("latency", "posix", "futex", 64, 30000),
         WithRatio(Row("latency", "mmap", "spin", 64, 26000), 115.6, "cacheline"),
         WithRatio(Row("latency", "sysv", "spin", 64, 900), 4.0, "cacheline"),
         Row("floor", "cacheline", nullptr, 64, 225),
         WithRatio(Row("crosscheck", "pipe", nullptr, 64, 32500), 1.3, "latency"),
         WithRatio(Row("crosscheck", "unix-stream", nullptr, 64, 33000), 1.0, "latency"),
         WithRatio(Row("zerocopy-throughput", "anon", "spin", 1048576, 20000), 0.8, "memcpy")}));
    ASSERT_EQ(run.rc, 0) << run.err.detail;
    struct shl_gate_check checks[32];
    size_t count = shl_gate_invariants(run.results, checks, 32);
    ASSERT_EQ(count, 19u) << "three mechanisms at the one small size, zero-copy and the ring "
                             "against iceoryx (missing), four targets, and two bounds for "
                             "each of five cross-checks";
    const std::map<std::string, enum shl_gate_verdict> expected = {
        {"latency mmap 64 B p50 / pipe <=1", SHL_GATE_FAIL},
        {"latency sysv 64 B p50 / pipe <=1", SHL_GATE_PASS},
        {"latency posix 64 B p50 / pipe <=1", SHL_GATE_PASS},
        {"latency mmap|sysv|posix|anon|memfd 64 B ratio to cacheline <=1.5", SHL_GATE_WARN},
        {"latency mmap|sysv|posix|anon|memfd/!spin 64 B p50 / pipe <=1", SHL_GATE_WARN},
        {"throughput mmap|sysv|posix|anon|memfd 1 MiB ratio to memcpy >=0.5", SHL_GATE_WARN},
        {"zerocopy-throughput mmap|sysv|posix|anon|memfd 1 MiB ratio to memcpy >=1", SHL_GATE_WARN},
        {"crosscheck pipe 64 B ratio to latency <=1.25", SHL_GATE_WARN},
        {"crosscheck pipe 64 B ratio to latency >=0.8", SHL_GATE_PASS},
        {"crosscheck unix-stream 64 B ratio to latency <=1.25", SHL_GATE_PASS},
        {"crosscheck unix-stream 64 B ratio to latency >=0.8", SHL_GATE_PASS},
        {"crosscheck tcp 64 B ratio to latency <=1.25", SHL_GATE_WARN},
        {"crosscheck tcp 64 B ratio to latency >=0.8", SHL_GATE_WARN},
        {"latency mmap|sysv|posix|anon|memfd 64 B p50 / iceoryx <=0.25", SHL_GATE_WARN},
        {"zerocopy mmap|sysv|posix|anon|memfd 1 MiB p50 / latency mmap|sysv|posix|anon|memfd 1 "
         "MiB p50 <=0.6",
         SHL_GATE_WARN},
        {"crosscheck zeromq-ipc 64 B ratio to latency <=1.25", SHL_GATE_WARN},
        {"crosscheck zeromq-ipc 64 B ratio to latency >=0.8", SHL_GATE_WARN},
        {"crosscheck iceoryx 64 B ratio to latency <=1.25", SHL_GATE_WARN},
        {"crosscheck iceoryx 64 B ratio to latency >=0.8", SHL_GATE_WARN},
    };
    for (size_t i = 0; i < count; i++) {
        struct shl_gate_line line;
        shl_gate_evaluate(&run.results, 1, &checks[i], &line);
        std::ostringstream key;
        key << line.figure << (line.better == SHL_RESULTS_LOWER ? " <=" : " >=") << line.allowed;
        auto it = expected.find(key.str());
        ASSERT_NE(it, expected.end()) << key.str();
        EXPECT_EQ(line.verdict, it->second) << key.str() << ": " << line.note;
        bool target = strncmp(checks[i].title, "target", 6) == 0;
        EXPECT_EQ(checks[i].hard, !target) << key.str();
    }
}

// With iceoryx in the run, the ring's 64 B round trip must be at most 0.25x iceoryx's (a
// failure, not a warning), and no slower than it at each size iceoryx was measured at.
TEST(GateInvariants, TheRingIsHeldAgainstIceoryxWhenIceoryxRan)
{
    for (double iceoryx_64 : {10000.0, 2000.0}) {
        Results run(RunOf({Row("latency", "pipe", nullptr, 64, 25000),
                           Row("latency", "posix", "spin", 64, 1000),
                           Row("latency", "posix", "spin", 65536, 80000),
                           Row("latency", "iceoryx", nullptr, 64, iceoryx_64),
                           Row("latency", "iceoryx", nullptr, 65536, 70000)}));
        ASSERT_EQ(run.rc, 0) << run.err.detail;
        struct shl_gate_check checks[32];
        size_t count = shl_gate_invariants(run.results, checks, 32);
        ASSERT_LE(count, 32u);
        std::map<std::string, enum shl_gate_verdict> seen;
        for (size_t i = 0; i < count; i++) {
            struct shl_gate_line line;
            shl_gate_evaluate(&run.results, 1, &checks[i], &line);
            std::ostringstream key;
            key << line.figure << (line.better == SHL_RESULTS_LOWER ? " <=" : " >=") << line.allowed
                << (checks[i].hard ? " hard" : " soft");
            if (key.str().find("/ iceoryx") != std::string::npos)
                seen[key.str()] = line.verdict;
        }
        const std::string family = "latency mmap|sysv|posix|anon|memfd ";
        std::string keys;
        for (const auto &kv : seen)
            keys += kv.first + "; ";
        EXPECT_EQ(seen.size(), 3u) << keys;
        EXPECT_EQ(seen[family + "64 B p50 / iceoryx <=0.25 hard"],
                  iceoryx_64 == 10000.0 ? SHL_GATE_PASS : SHL_GATE_FAIL)
            << "iceoryx at " << iceoryx_64 << " ns";
        EXPECT_EQ(seen[family + "64 B p50 / iceoryx <=1 soft"], SHL_GATE_PASS);
        EXPECT_EQ(seen[family + "64 KiB p50 / iceoryx <=1 soft"], SHL_GATE_WARN)
            << "the ring at 80 us against iceoryx's 70 us: " << keys;
    }
}

TEST(GateInvariants, WithoutAnyPipeRowTheyNameWhatIsMissing)
{
    Results run(RunOf({Row("latency", "posix", "spin", 64, 1000)}));
    ASSERT_EQ(run.rc, 0);
    struct shl_gate_check checks[16];
    size_t count = shl_gate_invariants(run.results, checks, 16);
    ASSERT_GE(count, 1u);
    struct shl_gate_line line;
    shl_gate_evaluate(&run.results, 1, &checks[0], &line);
    EXPECT_EQ(line.verdict, SHL_GATE_MISSING);
    EXPECT_NE(std::string(line.note).find("no latency rows for transport mmap"), std::string::npos)
        << line.note;
}

TEST(GateBaseline, DerivedFromARunFormatsAndParsesBack)
{
    std::ifstream in("ci/gate/testdata/results.json");
    std::stringstream text;
    text << in.rdbuf();
    Results run(text.str());
    ASSERT_EQ(run.rc, 0) << run.err.detail;

    struct shl_gate_baseline made;
    struct shl_error err = {};
    size_t kept = 99;
    ASSERT_EQ(shl_gate_baseline_derive(&run.results, 1, nullptr, 0, &made, &kept, &err), 0)
        << err.detail;
    EXPECT_EQ(kept, 0u);
    ASSERT_GT(made.count, 20u);
    bool floor = false, wakeup_rate = false;
    for (size_t i = 0; i < made.count; i++) {
        const struct shl_gate_entry &e = made.entries[i];
        EXPECT_GT(e.baseline, 0);
        EXPECT_GE(e.tolerance, 1);
        EXPECT_FALSE(strcmp(e.ratio.of.transport[0], e.ratio.to.transport[0]) == 0 &&
                     strcmp(e.ratio.of.benchmark, e.ratio.to.benchmark) == 0 &&
                     e.ratio.of.size == e.ratio.to.size)
            << "a figure compared with itself";
        floor = floor ||
                (strcmp(e.ratio.of.ratio_to, "cacheline") == 0 && e.ratio.to.benchmark[0] == '\0');
        wakeup_rate = wakeup_rate ||
                      (strcmp(e.ratio.of.benchmark, "wakeup") == 0 && e.ratio.of.rate_hz > 0 &&
                       e.ratio.to.rate_hz == e.ratio.of.rate_hz);
    }
    EXPECT_TRUE(floor);
    EXPECT_TRUE(wakeup_rate);

    char *json = nullptr;
    ASSERT_EQ(shl_gate_baseline_format(&made, run.results, &json, &err), 0);
    struct shl_gate_baseline back;
    ASSERT_EQ(shl_gate_baseline_parse(json, strlen(json), &back, &err), 0) << err.detail;
    ASSERT_EQ(back.count, made.count);
    for (size_t i = 0; i < made.count; i++) {
        char a[160], b[160];
        EXPECT_STREQ(shl_gate_ratio_text(&made.entries[i].ratio, a, sizeof a),
                     shl_gate_ratio_text(&back.entries[i].ratio, b, sizeof b));
        EXPECT_EQ(made.entries[i].baseline, back.entries[i].baseline);
        EXPECT_EQ(made.entries[i].tolerance, back.entries[i].tolerance);
        EXPECT_EQ(made.entries[i].ratio.better, back.entries[i].ratio.better);
    }

    // Re-deriving keeps each tolerance the previous baseline had; --tolerance overrides.
    back.entries[0].tolerance = 6;
    struct shl_gate_baseline again;
    ASSERT_EQ(shl_gate_baseline_derive(&run.results, 1, &back, 0, &again, &kept, &err), 0);
    EXPECT_EQ(kept, made.count);
    EXPECT_EQ(again.entries[0].tolerance, 6);
    shl_gate_baseline_free(&again);
    ASSERT_EQ(shl_gate_baseline_derive(&run.results, 1, &back, 1.5, &again, &kept, &err), 0);
    EXPECT_EQ(kept, 0u);
    EXPECT_EQ(again.entries[0].tolerance, 1.5);
    shl_gate_baseline_free(&again);

    shl_gate_baseline_free(&back);
    shl_gate_baseline_free(&made);
    free(json);
}

TEST(GateBaseline, ARunWithNothingToCompareGivesNoBaseline)
{
    Results run(RunOf({Row("latency", "pipe", nullptr, 64, 25000)}));
    ASSERT_EQ(run.rc, 0);
    struct shl_gate_baseline made;
    struct shl_error err = {};
    size_t kept;
    EXPECT_EQ(shl_gate_baseline_derive(&run.results, 1, nullptr, 0, &made, &kept, &err), -1);
    EXPECT_EQ(made.entries, nullptr);
    EXPECT_NE(std::string(err.detail).find("no ratio"), std::string::npos);
}

TEST(GateBaseline, RejectsBadEntries)
{
    const std::string good_of = "{\"benchmark\": \"latency\", \"transport\": \"posix\", "
                                "\"notify\": \"spin\", \"size\": 64, \"stat\": \"p50\"}";
    const std::string good_to = "{\"benchmark\": \"latency\", \"transport\": \"pipe\", "
                                "\"size\": 64, \"stat\": \"p50\"}";
    auto entry = [&](const std::string &of, const std::string &better, const std::string &base,
                     const std::string &tolerance) {
        return "{\"format\": \"shmlab-gate-baseline/1\", \"ratios\": [{\"of\": " + of +
               ", \"to\": " + good_to + ", \"better\": " + better + ", \"baseline\": " + base +
               ", \"tolerance\": " + tolerance + "}]}";
    };
    const std::string good = entry(good_of, "\"lower\"", "0.04", "2.5");
    struct shl_gate_baseline baseline;
    struct shl_error err = {};
    ASSERT_EQ(shl_gate_baseline_parse(good.data(), good.size(), &baseline, &err), 0) << err.detail;
    EXPECT_EQ(baseline.count, 1u);
    EXPECT_EQ(baseline.entries[0].ratio.of.notify, SHL_NOTIFY_SPIN);
    shl_gate_baseline_free(&baseline);

    const std::string bad[] = {
        entry(good_of, "\"faster\"", "0.04", "2.5"),
        entry(good_of, "\"lower\"", "0", "2.5"),
        entry(good_of, "\"lower\"", "-1", "2.5"),
        entry(good_of, "\"lower\"", "0.04", "0.9"),
        entry(good_of, "\"lower\"", "0.04", "\"2\""),
        entry("{\"benchmark\": \"latency\", \"transport\": \"posix\", \"size\": 64}", "\"lower\"",
              "0.04", "2.5"),
        entry(
            "{\"benchmark\": \"latency\", \"transport\": \"a|b|c|d|e|f|g|h|i\", \"stat\": \"p50\"}",
            "\"lower\"", "0.04", "2.5"),
        entry("{\"benchmark\": \"latency\", \"transport\": \"posix\", \"stat\": \"p50\", "
              "\"notify\": 3}",
              "\"lower\"", "0.04", "2.5"),
        entry("{\"benchmark\": \"latency\", \"transport\": \"posix\", \"stat\": \"p50\", "
              "\"notify\": \"!spinning\"}",
              "\"lower\"", "0.04", "2.5"),
        entry("{\"benchmark\": \"latency\", \"transport\": \"posix\", \"stat\": \"p50\", "
              "\"size\": -64}",
              "\"lower\"", "0.04", "2.5"),
        "{\"format\": \"shmlab-gate-baseline/1\", \"ratios\": {}}",
        "{\"format\": \"shmlab-gate-baseline/2\", \"ratios\": []}",
    };
    for (const auto &text : bad) {
        EXPECT_EQ(shl_gate_baseline_parse(text.data(), text.size(), &baseline, &err), -1) << text;
        EXPECT_EQ(baseline.entries, nullptr);
        EXPECT_NE(err.detail[0], '\0');
    }
}

TEST(GateBaseline, NotifyWithABangMeansEveryStrategyButThatOne)
{
    const std::string text =
        "{\"format\": \"shmlab-gate-baseline/1\", \"ratios\": [{\"of\": {\"benchmark\": "
        "\"latency\", \"transport\": \"mmap|posix\", \"notify\": \"!spin\", \"size\": 64, "
        "\"stat\": \"p50\"}, \"to\": {\"benchmark\": \"latency\", \"transport\": \"pipe\", "
        "\"size\": 64, \"stat\": \"p50\"}, \"better\": \"lower\", \"baseline\": 0.8, "
        "\"tolerance\": 2}]}";
    struct shl_gate_baseline baseline;
    struct shl_error err = {};
    ASSERT_EQ(shl_gate_baseline_parse(text.data(), text.size(), &baseline, &err), 0) << err.detail;
    Results run(kSmall);
    struct shl_gate_check check;
    shl_gate_baseline_check(&baseline.entries[0], &check);
    struct shl_gate_line line;
    shl_gate_evaluate(&run.results, 1, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_PASS);
    EXPECT_DOUBLE_EQ(line.now, 0.8); // futex 20000 / pipe 25000
    EXPECT_DOUBLE_EQ(check.allowed, 1.6);
    shl_gate_baseline_free(&baseline);
}

} // namespace

namespace {

TEST(GatePick, MedianOfTheRunsAndOfTwoTheBetter)
{
    double one[] = {5};
    EXPECT_EQ(shl_gate_pick(one, 1, SHL_RESULTS_LOWER), 5);
    double two[] = {9, 3};
    EXPECT_EQ(shl_gate_pick(two, 2, SHL_RESULTS_LOWER), 3);
    double two_rates[] = {9, 3};
    EXPECT_EQ(shl_gate_pick(two_rates, 2, SHL_RESULTS_HIGHER), 9);
    double three[] = {30, 1, 2};
    EXPECT_EQ(shl_gate_pick(three, 3, SHL_RESULTS_LOWER), 2) << "one disturbed run is outvoted";
    double four[] = {4, 1, 3, 2};
    EXPECT_EQ(shl_gate_pick(four, 4, SHL_RESULTS_LOWER), 2);
    double four_rates[] = {4, 1, 3, 2};
    EXPECT_EQ(shl_gate_pick(four_rates, 4, SHL_RESULTS_HIGHER), 3);
}

TEST(GateCheck, SeveralRunsAreJudgedByTheirMedian)
{
    Results fast(kSmall);
    Results slow(RunOf(
        {Row("latency", "pipe", nullptr, 64, 25000), Row("latency", "posix", "spin", 64, 3000)}));
    ASSERT_EQ(slow.rc, 0);
    struct shl_gate_check check = Check("posix", "spin", 0.04, 2.5);
    struct shl_gate_line line;
    const struct shl_results *one_bad[] = {slow.results, fast.results};
    shl_gate_evaluate(one_bad, 2, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_PASS) << "of two runs, one bad one is noise";
    const struct shl_results *both_bad[] = {slow.results, slow.results};
    shl_gate_evaluate(both_bad, 2, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_FAIL);
    const struct shl_results *two_of_three[] = {slow.results, fast.results, slow.results};
    shl_gate_evaluate(two_of_three, 3, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_FAIL);

    Results partial(RunOf({Row("latency", "pipe", nullptr, 64, 25000)}));
    const struct shl_results *gap[] = {fast.results, partial.results};
    shl_gate_evaluate(gap, 2, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_MISSING);
    EXPECT_NE(std::string(line.note).find("(run 2)"), std::string::npos) << line.note;
}

TEST(GateBaseline, CalibrationWidensNoisyRatiosAndMakesTooNoisyOnesWarn)
{
    // posix/spin vs pipe: 0.04 and 0.05 (steady); tcp vs pipe: 1.2 and 3.0 (noisy).
    Results a(RunOf({Row("latency", "pipe", nullptr, 64, 25000),
                     Row("latency", "posix", "spin", 64, 1000),
                     Row("latency", "tcp", nullptr, 64, 30000)}));
    Results b(RunOf({Row("latency", "pipe", nullptr, 64, 20000),
                     Row("latency", "posix", "spin", 64, 1000),
                     Row("latency", "tcp", nullptr, 64, 60000)}));
    const struct shl_results *runs[] = {a.results, b.results};
    struct shl_gate_baseline made;
    struct shl_error err = {};
    size_t kept;
    ASSERT_EQ(shl_gate_baseline_derive(runs, 2, nullptr, 0, &made, &kept, &err), 0);
    ASSERT_EQ(made.count, 2u);
    const struct shl_gate_entry &posix = made.entries[0], &tcp = made.entries[1];
    ASSERT_STREQ(posix.ratio.of.transport[0], "posix");
    EXPECT_EQ(posix.baseline, 0.04) << "the better of two runs";
    EXPECT_EQ(posix.tolerance, 2.5) << "1.25x spread x 1.5 stays under the default";
    EXPECT_TRUE(posix.hard);
    ASSERT_STREQ(tcp.ratio.of.transport[0], "tcp");
    EXPECT_EQ(tcp.baseline, 1.2);
    EXPECT_EQ(tcp.tolerance, 3.75) << "2.5x spread x 1.5";
    EXPECT_FALSE(tcp.hard) << "too noisy here to catch a 3x regression: warns only";
    shl_gate_baseline_free(&made);
}

TEST(GateBaseline, SeverityWarnOnlyWarns)
{
    const std::string text =
        "{\"format\": \"shmlab-gate-baseline/1\", \"ratios\": [{\"of\": {\"benchmark\": "
        "\"latency\", \"transport\": \"posix\", \"notify\": \"spin\", \"size\": 64, \"stat\": "
        "\"p50\"}, \"to\": {\"benchmark\": \"latency\", \"transport\": \"pipe\", \"size\": 64, "
        "\"stat\": \"p50\"}, \"better\": \"lower\", \"baseline\": 0.01, \"tolerance\": 2, "
        "\"severity\": \"warn\"}]}";
    struct shl_gate_baseline baseline;
    struct shl_error err = {};
    ASSERT_EQ(shl_gate_baseline_parse(text.data(), text.size(), &baseline, &err), 0) << err.detail;
    EXPECT_FALSE(baseline.entries[0].hard);
    Results run(kSmall);
    struct shl_gate_check check;
    shl_gate_baseline_check(&baseline.entries[0], &check);
    struct shl_gate_line line;
    shl_gate_evaluate(&run.results, 1, &check, &line);
    EXPECT_EQ(line.verdict, SHL_GATE_WARN) << "0.04 is 4x the baseline 0.01";
    shl_gate_baseline_free(&baseline);

    std::string bad = text;
    bad.replace(bad.find("\"warn\""), 6, "\"loud\"");
    EXPECT_EQ(shl_gate_baseline_parse(bad.data(), bad.size(), &baseline, &err), -1);
    EXPECT_NE(std::string(err.detail).find("severity"), std::string::npos);
}

} // namespace
