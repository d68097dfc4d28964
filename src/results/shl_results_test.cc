// The results schema: what the writer puts in results.json and gbench.json, what the reader
// gets back from it, and the files the reader refuses.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <cjson/cJSON.h>

// shl_stats.h has no extern "C" guards of its own yet.
extern "C" {
#include "src/timing/shl_stats.h"
}
#include "src/results/shl_results.h"

namespace {

std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class Results : public ::testing::Test {
  protected:
    void SetUp() override
    {
        const char *tmp = getenv("TEST_TMPDIR");
        dir_ = std::string(tmp ? tmp : "/tmp");
        shl_error err = {};
        shl_results_context *ctx = &results_.context;
        snprintf(ctx->host, sizeof ctx->host, "host");
        snprintf(ctx->kernel, sizeof ctx->kernel, "Linux 6.1 x86_64");
        snprintf(ctx->cpu_model, sizeof ctx->cpu_model, "a CPU");
        snprintf(ctx->mode, sizeof ctx->mode, "quick");
        snprintf(ctx->clock, sizeof ctx->clock, "CLOCK_MONOTONIC");
        snprintf(ctx->date, sizeof ctx->date, "2026-12-01T20:00:00Z");
        ctx->cpus = 2;
        ctx->pipe_buffer = 65536;
        ctx->timer_overhead_ns = 25.0;
        ctx->pinned = true;
        ctx->cpu_b = 1;
        shl_results_note(ctx, "a note");

        shl_results_row row;
        shl_results_row_init(&row, "latency", "posix", SHL_NOTIFY_SPIN, 64, "ns");
        double samples[] = {300, 100, 200};
        shl_stats_compute(samples, 3, &row.stats);
        row.cpu_ns_per_msg = 500;
        row.messages = 3;
        row.ratio = 1.25;
        snprintf(row.ratio_to, sizeof row.ratio_to, "cacheline");
        ASSERT_EQ(shl_results_add(&results_, &row, &err), 0);

        shl_results_row_init(&row, "throughput", "pipe", SHL_NOTIFY_NONE, 4096, "MB/s");
        double rates[] = {1000, 2000};
        shl_stats_compute(rates, 2, &row.stats);
        ASSERT_EQ(shl_results_add(&results_, &row, &err), 0);

        shl_results_row_init(&row, "wakeup", "pipe", SHL_NOTIFY_NONE, 64, "ns"); // measured nothing
        row.rate_hz = 1000;
        ASSERT_EQ(shl_results_add(&results_, &row, &err), 0);
    }
    void TearDown() override
    {
        shl_results_free(&results_);
    }
    std::string Path(const char *name)
    {
        return dir_ + "/" + name;
    }
    std::string dir_;
    shl_results results_ = {};
};

TEST_F(Results, JsonHasEveryRequiredField)
{
    shl_error err = {};
    std::string path = Path("results.json");
    ASSERT_EQ(shl_results_write_json(&results_, path.c_str(), &err), 0);
    cJSON *root = cJSON_Parse(slurp(path).c_str());
    ASSERT_NE(root, nullptr) << "not valid JSON";
    cJSON *ctx = cJSON_GetObjectItem(root, "context");
    for (const char *key : {"host", "kernel", "cpu_model", "cpus", "pinning", "buffers", "mode",
                            "date", "timer_overhead_ns", "clock", "notes"})
        EXPECT_NE(cJSON_GetObjectItem(ctx, key), nullptr) << key;
    // What became of the charts is not the run's: it has a file of its own.
    EXPECT_EQ(cJSON_GetObjectItem(ctx, "charts"), nullptr);
    EXPECT_STREQ(cJSON_GetObjectItem(ctx, "mode")->valuestring, "quick");
    cJSON *rows = cJSON_GetObjectItem(root, "results");
    ASSERT_EQ(cJSON_GetArraySize(rows), 3);
    for (int i = 0; i < 3; i++) {
        cJSON *row = cJSON_GetArrayItem(rows, i);
        for (const char *key : {"benchmark", "transport", "notify", "size", "unit", "n", "min",
                                "p50", "p90", "p99", "p999", "max", "mean", "stddev",
                                "cpu_ns_per_msg", "rate_hz", "batch", "ratio", "ratio_to"})
            EXPECT_NE(cJSON_GetObjectItem(row, key), nullptr) << key << " in row " << i;
    }
    cJSON *first = cJSON_GetArrayItem(rows, 0);
    EXPECT_STREQ(cJSON_GetObjectItem(first, "notify")->valuestring, "spin");
    EXPECT_EQ(cJSON_GetObjectItem(first, "p50")->valuedouble, 200);
    EXPECT_EQ(cJSON_GetObjectItem(first, "size")->valuedouble, 64);
    EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 1), "notify")));
    cJSON *empty = cJSON_GetArrayItem(rows, 2);
    EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(empty, "p50"))); // never a fake zero
    EXPECT_EQ(cJSON_GetObjectItem(empty, "rate_hz")->valuedouble, 1000);
    cJSON_Delete(root);
}

TEST_F(Results, GbenchHasWhatCompareReads)
{
    shl_error err = {};
    std::string path = Path("gbench.json");
    ASSERT_EQ(shl_results_write_gbench(&results_, path.c_str(), &err), 0);
    cJSON *root = cJSON_Parse(slurp(path).c_str());
    ASSERT_NE(root, nullptr);
    ASSERT_NE(cJSON_GetObjectItem(root, "context"), nullptr);
    cJSON *list = cJSON_GetObjectItem(root, "benchmarks");
    ASSERT_EQ(cJSON_GetArraySize(list), 2); // the empty row is left out
    cJSON *b = cJSON_GetArrayItem(list, 0);
    EXPECT_STREQ(cJSON_GetObjectItem(b, "name")->valuestring, "latency/posix:spin/64");
    EXPECT_EQ(cJSON_GetObjectItem(b, "real_time")->valuedouble, 200);
    EXPECT_EQ(cJSON_GetObjectItem(b, "cpu_time")->valuedouble, 500);
    EXPECT_STREQ(cJSON_GetObjectItem(b, "time_unit")->valuestring, "ns");
    EXPECT_EQ(cJSON_GetObjectItem(b, "iterations")->valuedouble, 3);
    cJSON *t = cJSON_GetArrayItem(list, 1);
    // 4096 B at the median rate: 1000 MB/s, the nearest rank of {1000, 2000}.
    EXPECT_NEAR(cJSON_GetObjectItem(t, "real_time")->valuedouble, 4096 / 1000e6 * 1e9, 1e-6);
    EXPECT_EQ(cJSON_GetObjectItem(t, "bytes_per_second")->valuedouble, 1000e6);
    cJSON_Delete(root);
}

// Repetitions are entries of their own, followed by Google Benchmark's three aggregates;
// cpu_scaling_enabled follows the pinned CPUs' governor.
TEST_F(Results, GbenchWritesRepetitionsAggregatesAndTheGovernor)
{
    shl_error err = {};
    shl_results run = {};
    run.context.repetitions = 3;
    snprintf(run.context.machine.a.governor, sizeof run.context.machine.a.governor, "powersave");
    for (unsigned r = 0; r < 3; r++) {
        shl_results_row row;
        shl_results_row_init(&row, "latency", "pipe", SHL_NOTIFY_NONE, 64, "ns");
        double samples[] = {100.0 + 10 * r};
        shl_stats_compute(samples, 1, &row.stats);
        row.repetition = r;
        ASSERT_EQ(shl_results_add(&run, &row, &err), 0);
    }
    std::string path = Path("gbench-repeated.json");
    ASSERT_EQ(shl_results_write_gbench(&run, path.c_str(), &err), 0);
    cJSON *root = cJSON_Parse(slurp(path).c_str());
    ASSERT_NE(root, nullptr);
    EXPECT_TRUE(cJSON_IsTrue(
        cJSON_GetObjectItem(cJSON_GetObjectItem(root, "context"), "cpu_scaling_enabled")));
    cJSON *list = cJSON_GetObjectItem(root, "benchmarks");
    ASSERT_EQ(cJSON_GetArraySize(list), 6);
    EXPECT_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 2), "repetition_index")->valuedouble, 2);
    EXPECT_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "repetitions")->valuedouble, 3);
    cJSON *median = cJSON_GetArrayItem(list, 4);
    EXPECT_STREQ(cJSON_GetObjectItem(median, "run_type")->valuestring, "aggregate");
    EXPECT_STREQ(cJSON_GetObjectItem(median, "aggregate_name")->valuestring, "median");
    EXPECT_STREQ(cJSON_GetObjectItem(median, "name")->valuestring, "latency/pipe/64_median");
    EXPECT_EQ(cJSON_GetObjectItem(median, "real_time")->valuedouble, 110);
    EXPECT_NEAR(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 5), "real_time")->valuedouble, 10,
                1e-9);
    cJSON_Delete(root);
    shl_results_free(&run);
    // No cpufreq governor visible (this VM): no scaling claimed.
    ASSERT_EQ(shl_results_write_gbench(&results_, path.c_str(), &err), 0);
    root = cJSON_Parse(slurp(path).c_str());
    EXPECT_TRUE(cJSON_IsFalse(
        cJSON_GetObjectItem(cJSON_GetObjectItem(root, "context"), "cpu_scaling_enabled")));
    cJSON_Delete(root);
}

// Every field the writer puts in comes back from the reader as it went in.
TEST_F(Results, RoundTrip)
{
    shl_error err = {};
    std::string path = Path("round-trip.json");
    ASSERT_EQ(shl_results_write_json(&results_, path.c_str(), &err), 0);
    shl_results back = {};
    ASSERT_EQ(shl_results_read(path.c_str(), &back, &err), 0) << err.detail;
    EXPECT_TRUE(back.has_context);
    EXPECT_TRUE(back.has_pinning);
    const shl_results_context &a = results_.context, &b = back.context;
    EXPECT_STREQ(b.host, a.host);
    EXPECT_STREQ(b.kernel, a.kernel);
    EXPECT_STREQ(b.cpu_model, a.cpu_model);
    EXPECT_STREQ(b.mode, a.mode);
    EXPECT_STREQ(b.date, a.date);
    EXPECT_STREQ(b.clock, a.clock);
    EXPECT_EQ(b.cpus, a.cpus);
    EXPECT_EQ(b.pinned, a.pinned);
    EXPECT_EQ(b.cpu_b, a.cpu_b);
    EXPECT_EQ(b.pipe_buffer, a.pipe_buffer);
    EXPECT_EQ(b.timer_overhead_ns, a.timer_overhead_ns);
    ASSERT_EQ(b.n_notes, 1u);
    EXPECT_STREQ(b.notes[0], "a note");
    ASSERT_EQ(back.n, results_.n);
    for (size_t i = 0; i < back.n; i++) {
        const shl_results_row &x = results_.rows[i], &y = back.rows[i];
        EXPECT_STREQ(y.benchmark, x.benchmark);
        EXPECT_STREQ(y.transport, x.transport);
        EXPECT_EQ(y.notify, x.notify);
        EXPECT_STREQ(y.unit, x.unit);
        EXPECT_STREQ(y.ratio_to, x.ratio_to);
        EXPECT_EQ(y.size, x.size);
        EXPECT_EQ(y.batch, x.batch);
        EXPECT_EQ(y.messages, x.messages);
        EXPECT_EQ(y.stats.n, x.stats.n);
        for (const char *stat :
             {"min", "p50", "p90", "p99", "p999", "max", "mean", "stddev", "rate_hz",
              "cpu_ns_per_msg", "cpu_ns_per_msg_a", "cpu_ns_per_msg_b", "ratio"}) {
            double want = shl_results_stat(&x, stat), got = shl_results_stat(&y, stat);
            if (std::isnan(want))
                EXPECT_TRUE(std::isnan(got)) << stat << " in row " << i;
            else
                EXPECT_EQ(got, want) << stat << " in row " << i;
        }
    }
    shl_results_free(&back);
}

TEST_F(Results, FindMatchesKernelTransportsWithoutStrategy)
{
    EXPECT_NE(shl_results_find(&results_, "throughput", "pipe", SHL_NOTIFY_NONE, 4096), nullptr);
    EXPECT_NE(shl_results_find(&results_, "latency", "posix", SHL_NOTIFY_SPIN, 64), nullptr);
    EXPECT_EQ(shl_results_find(&results_, "latency", "posix", SHL_NOTIFY_FUTEX, 64), nullptr);
    EXPECT_EQ(shl_results_find(&results_, "latency", "posix", SHL_NOTIFY_SPIN, 65), nullptr);
}

TEST_F(Results, UnwritablePathIsAnErrorNotACrash)
{
    shl_error err = {};
    EXPECT_EQ(shl_results_write_json(&results_, "/nonexistent/dir/r.json", &err), -1);
    EXPECT_EQ(err.errnum, ENOENT);
    EXPECT_EQ(shl_results_write_gbench(&results_, "/nonexistent/dir/g.json", &err), -1);
    EXPECT_EQ(err.errnum, ENOENT);
}

TEST(ResultsReader, RefusesWhatDoesNotFollowTheSchema)
{
    const char *bad[] = {
        "",
        "not json",
        "{\"context\": {}, \"results\": [",
        "[1, 2]",
        "{\"results\": [1]}\n{}",
        "{\"results\": {}}",
        "{\"results\": [], \"context\": 3}",
        "{\"results\": [{\"transport\": \"pipe\", \"size\": 64}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": 5, \"size\": 64}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\"}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"size\": 1.5}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"size\": 64, "
        "\"p50\": \"fast\"}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"size\": 64, "
        "\"unit\": [\"ns\"]}]}",
    };
    for (const char *text : bad) {
        shl_results run;
        shl_error err = {};
        EXPECT_EQ(shl_results_parse(text, strlen(text), &run, &err), -1) << text;
        EXPECT_EQ(err.errnum, EINVAL) << text;
        EXPECT_NE(err.detail[0], '\0') << text;
        EXPECT_EQ(run.rows, nullptr) << text;
    }
    shl_results run;
    shl_error err = {};
    EXPECT_EQ(shl_results_read("/nonexistent/results.json", &run, &err), -1);
    EXPECT_EQ(err.errnum, ENOENT);
}

// A strategy is one the notification table names; the error says which row and field.
TEST(ResultsReader, RefusesAStrategyTheTableDoesNotName)
{
    const char text[] = "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"posix\", "
                        "\"notify\": \"spinning\", \"size\": 64}]}";
    shl_results run;
    shl_error err = {};
    EXPECT_EQ(shl_results_parse(text, strlen(text), &run, &err), -1);
    EXPECT_EQ(err.errnum, EINVAL);
    EXPECT_NE(strstr(err.detail, "row 0"), nullptr) << err.detail;
    EXPECT_NE(strstr(err.detail, "'notify' \"spinning\""), nullptr) << err.detail;
    EXPECT_EQ(run.rows, nullptr);
    const char against[] = "{\"results\": [{\"benchmark\": \"latency\", \"transport\": "
                           "\"posix\", \"size\": 64, \"interleaved_with\": \"pipe\"}]}";
    EXPECT_EQ(shl_results_parse(against, strlen(against), &run, &err), -1);
    EXPECT_NE(strstr(err.detail, "'interleaved_with' \"pipe\""), nullptr) << err.detail;
}

// A context number outside its field's range is read as absent, never converted (which
// would be undefined behaviour): the fuzzer found a cpus of 6.6e91.
TEST(ResultsReader, ContextNumbersOutOfRangeReadAsAbsent)
{
    const char text[] = "{\"context\": {\"cpus\": 6.6e91, \"timeout_ms\": -1e300, "
                        "\"pinning\": {\"cpu_a\": 1e10, \"cpu_b\": 1}, "
                        "\"clock_resolution_ns\": 1e30}, \"results\": []}";
    shl_results run;
    shl_error err = {};
    ASSERT_EQ(shl_results_parse(text, strlen(text), &run, &err), 0) << err.detail;
    EXPECT_EQ(run.context.cpus, 0);
    EXPECT_EQ(run.context.timeout_ms, 0);
    EXPECT_EQ(run.context.cpu_a, -1);
    EXPECT_EQ(run.context.cpu_b, 1);
    EXPECT_EQ(run.context.clock_resolution_ns, 0);
    shl_results_free(&run);
}

// Parsing follows the schema; completeness is what a chart or a table needs on top.
TEST(ResultsReader, CompleteNeedsContextRowsUnitsAndTheDefinedStatistics)
{
    struct {
        const char *text;
        const char *gap;
    } cases[] = {
        {"{\"results\": [{\"benchmark\": \"floor\", \"transport\": \"memcpy\", \"size\": 64, "
         "\"unit\": \"MB/s\", \"p50\": 1}]}",
         "context"},
        {"{\"context\": {}, \"results\": []}", "empty"},
        {"{\"context\": {}, \"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", "
         "\"size\": 64, \"unit\": \"ns\", \"p50\": 1, \"p90\": 2}]}",
         "p99"},
        {"{\"context\": {}, \"results\": [{\"benchmark\": \"setup\", \"transport\": \"sysv\", "
         "\"size\": 64, \"unit\": \"ns\"}]}",
         "mean"},
        {"{\"context\": {}, \"results\": [{\"benchmark\": \"floor\", \"transport\": \"memcpy\", "
         "\"size\": 64, \"unit\": \"ft/s\", \"p50\": 1}]}",
         "ft/s"},
    };
    for (const auto &c : cases) {
        shl_results run;
        shl_error err = {};
        ASSERT_EQ(shl_results_parse(c.text, strlen(c.text), &run, &err), 0) << err.detail;
        EXPECT_EQ(shl_results_check_complete(&run, &err), -1) << c.text;
        EXPECT_NE(std::string(err.detail).find(c.gap), std::string::npos) << err.detail;
        shl_results_free(&run);
    }
}

// The fields the measurement adds survive a write and a read: the histogram (its counts,
// exact min and max), the floors of the moment, load and repetition; and a percentile that
// disagrees with its own histogram makes the run incomplete.
TEST_F(Results, HistogramsAndTheNewFieldsRoundTrip)
{
    shl_results run = {};
    shl_results_row row;
    shl_results_row_init(&row, "latency", "posix", SHL_NOTIFY_ADAPTIVE, 64, "ns");
    std::vector<double> samples;
    row.hist = static_cast<shl_hist *>(malloc(sizeof(shl_hist)));
    shl_error err = {};
    ASSERT_EQ(shl_hist_init(row.hist, 3600LL * 1000000000, &err), 0);
    for (int v = 1000; v < 3000; v += 3) {
        samples.push_back(v);
        shl_hist_record(row.hist, v);
    }
    shl_stats_compute(samples.data(), samples.size(), &row.stats);
    row.floor_line_ns = 400;
    row.floor_pair_ns = 500;
    row.ratio_pair = row.stats.p50 / 500;
    row.floor_move = 0.3;
    row.floor_moved = true;
    row.voluntary_b = 7;
    row.spin_budget_ns = 2240;
    row.interleaved_with = SHL_NOTIFY_SPIN;
    row.interleaved_ratio = 1.07;
    row.interleaved_cpu_b_ratio = 1.3;
    row.repetition = 2;
    ASSERT_EQ(shl_results_add(&run, &row, &err), 0);
    shl_results_row load;
    shl_results_row_init(&load, "load", "pipe", SHL_NOTIFY_NONE, 64, "ns");
    load.stats = row.stats;
    load.offered_hz = 1e5;
    load.achieved_hz = 8e4;
    load.reached = 0;
    ASSERT_EQ(shl_results_add(&run, &load, &err), 0);
    run.context.repetitions = 3;
    shl_results_warn(&run.context, "noisy machine: %s", "test");
    std::string path = dir_ + "/new-fields.json";
    ASSERT_EQ(shl_results_write_json(&run, path.c_str(), &err), 0) << err.detail;
    ASSERT_EQ(shl_results_write_hgrm(&run, dir_.c_str(), &err), 0) << err.detail;
    std::string hgrm = slurp(dir_ + "/latency-posix-adaptive-64-r2.hgrm");
    EXPECT_NE(hgrm.find("#[Buckets ="), std::string::npos) << hgrm;

    shl_results back;
    ASSERT_EQ(shl_results_read(path.c_str(), &back, &err), 0) << err.detail;
    ASSERT_EQ(back.n, 2u);
    const shl_results_row &r = back.rows[0];
    ASSERT_NE(r.hist, nullptr);
    EXPECT_EQ(r.hist->total, row.hist->total);
    EXPECT_EQ(r.hist->min, 1000);
    EXPECT_EQ(r.hist->max, 2998);
    EXPECT_EQ(shl_hist_value_at_percentile(r.hist, 99), shl_hist_value_at_percentile(row.hist, 99));
    EXPECT_DOUBLE_EQ(r.floor_pair_ns, 500);
    EXPECT_TRUE(r.floor_moved);
    EXPECT_EQ(r.voluntary_b, 7);
    EXPECT_EQ(r.voluntary_a, -1);
    EXPECT_EQ(r.repetition, 2u);
    EXPECT_EQ(r.interleaved_with, SHL_NOTIFY_SPIN);
    EXPECT_DOUBLE_EQ(r.interleaved_ratio, 1.07);
    EXPECT_DOUBLE_EQ(r.interleaved_cpu_b_ratio, 1.3);
    EXPECT_EQ(back.rows[1].interleaved_with, SHL_NOTIFY_NONE);
    EXPECT_TRUE(std::isnan(back.rows[1].interleaved_ratio));
    EXPECT_EQ(back.rows[1].reached, 0);
    EXPECT_DOUBLE_EQ(back.rows[1].achieved_hz, 8e4);
    EXPECT_EQ(back.rows[1].hist, nullptr);
    EXPECT_EQ(back.context.n_warnings, 1u);
    EXPECT_EQ(shl_results_check_complete(&back, &err), 0) << err.detail;
    back.rows[0].stats.p50 *= 1.1;
    EXPECT_EQ(shl_results_check_complete(&back, &err), -1);
    EXPECT_NE(std::string(err.detail).find("disagrees with its histogram"), std::string::npos);
    shl_results_free(&back);
    shl_results_free(&run);
}

TEST(ResultsTargets, TextAndVerdictFollowTheDirection)
{
    char text[32];
    const shl_results_target *floor = &shl_results_efficiency[0];
    const shl_results_target *memcpy_share = &shl_results_efficiency[2];
    EXPECT_TRUE(shl_results_target_met(floor, floor->limit));
    EXPECT_FALSE(shl_results_target_met(floor, floor->limit * 1.01));
    EXPECT_TRUE(shl_results_target_met(memcpy_share, memcpy_share->limit * 1.01));
    EXPECT_FALSE(shl_results_target_met(memcpy_share, memcpy_share->limit * 0.99));
    EXPECT_EQ(std::string(shl_results_target_text(floor, text, sizeof text)).rfind("at most ", 0),
              0u);
    EXPECT_EQ(
        std::string(shl_results_target_text(memcpy_share, text, sizeof text)).rfind("at least ", 0),
        0u);
    EXPECT_TRUE(shl_results_beats_pipe.hard);
}

} // namespace
