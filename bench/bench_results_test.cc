#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

extern "C" {
#include <cjson/cJSON.h>

#include "bench/bench_results.h"
}

namespace {

std::string slurp(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class Results : public ::testing::Test {
  protected:
    void SetUp() override {
        const char *tmp = getenv("TEST_TMPDIR");
        dir_ = std::string(tmp ? tmp : "/tmp") + "/results_test_" + std::to_string(getpid());
        ASSERT_EQ(system(("mkdir -p '" + dir_ + "'").c_str()), 0);
        shl_error err = {};
        ASSERT_EQ(bench_context_collect(&ctx_, &err), 0);
        ctx_.mode = "quick";
        ctx_.clock = "CLOCK_MONOTONIC";
        ctx_.timer_overhead_ns = 25.0;
        ctx_.pinned = 1;
        ctx_.cpu_b = 1;
        bench_context_note(&ctx_, "a note");

        bench_row row;
        bench_row_init(&row, "latency", "posix", "spin", 64, "ns");
        double samples[] = {300, 100, 200};
        shl_stats_compute(samples, 3, &row.stats);
        row.cpu_ns_per_msg = 500;
        row.messages = 3;
        ASSERT_EQ(bench_results_add(&results_, &row, &err), 0);

        bench_row_init(&row, "throughput", "pipe", nullptr, 4096, "MB/s");
        double rates[] = {1000, 2000};
        shl_stats_compute(rates, 2, &row.stats);
        ASSERT_EQ(bench_results_add(&results_, &row, &err), 0);

        bench_row_init(&row, "wakeup", "pipe", nullptr, 64, "ns");  // measured nothing
        row.rate_hz = 1000;
        ASSERT_EQ(bench_results_add(&results_, &row, &err), 0);
    }
    void TearDown() override {
        bench_results_free(&results_);
        ASSERT_EQ(system(("rm -rf '" + dir_ + "'").c_str()), 0);
    }
    std::string dir_;
    bench_context ctx_;
    bench_results results_ = {};
};

TEST_F(Results, JsonHasEveryRequiredField) {
    shl_error err = {};
    std::string path = dir_ + "/results.json";
    ASSERT_EQ(bench_results_write_json(&ctx_, &results_, path.c_str(), &err), 0);
    cJSON *root = cJSON_Parse(slurp(path).c_str());
    ASSERT_NE(root, nullptr) << "not valid JSON";
    cJSON *ctx = cJSON_GetObjectItem(root, "context");
    for (const char *key : {"host", "kernel", "cpu_model", "cpus", "pinning", "buffers", "mode",
                            "date", "timer_overhead_ns", "clock", "notes"})
        EXPECT_NE(cJSON_GetObjectItem(ctx, key), nullptr) << key;
    cJSON *buffers = cJSON_GetObjectItem(ctx, "buffers");
    EXPECT_GT(cJSON_GetObjectItem(buffers, "pipe")->valuedouble, 0);
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
    EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(empty, "p50")));  // never a fake zero
    EXPECT_EQ(cJSON_GetObjectItem(empty, "rate_hz")->valuedouble, 1000);
    cJSON_Delete(root);
}

TEST_F(Results, CsvHasAHeaderAndOneLinePerRow) {
    shl_error err = {};
    std::string path = dir_ + "/results.csv";
    ASSERT_EQ(bench_results_write_csv(&results_, path.c_str(), &err), 0);
    std::istringstream in(slurp(path));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line.rfind("benchmark,transport,notify,size,unit,n,min,p50", 0), 0u);
    int lines = 0;
    size_t commas = std::count(line.begin(), line.end(), ',');
    while (std::getline(in, line)) {
        lines++;
        EXPECT_EQ(static_cast<size_t>(std::count(line.begin(), line.end(), ',')), commas) << line;
    }
    EXPECT_EQ(lines, 3);
}

TEST_F(Results, GbenchHasWhatCompareReads) {
    shl_error err = {};
    std::string path = dir_ + "/gbench.json";
    ASSERT_EQ(bench_results_write_gbench(&ctx_, &results_, path.c_str(), &err), 0);
    cJSON *root = cJSON_Parse(slurp(path).c_str());
    ASSERT_NE(root, nullptr);
    ASSERT_NE(cJSON_GetObjectItem(root, "context"), nullptr);
    cJSON *list = cJSON_GetObjectItem(root, "benchmarks");
    ASSERT_EQ(cJSON_GetArraySize(list), 2);  // the empty row is left out
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

TEST_F(Results, FindMatchesKernelTransportsWithoutStrategy) {
    EXPECT_NE(bench_results_find(&results_, "throughput", "pipe", nullptr, 4096), nullptr);
    EXPECT_NE(bench_results_find(&results_, "latency", "posix", "spin", 64), nullptr);
    EXPECT_EQ(bench_results_find(&results_, "latency", "posix", "futex", 64), nullptr);
    EXPECT_EQ(bench_results_find(&results_, "latency", "posix", "spin", 65), nullptr);
}

TEST_F(Results, UnwritablePathIsAnErrorNotACrash) {
    shl_error err = {};
    EXPECT_EQ(bench_results_write_json(&ctx_, &results_, "/nonexistent/dir/r.json", &err), -1);
    EXPECT_EQ(err.errnum, ENOENT);
    EXPECT_EQ(bench_results_write_csv(&results_, "/nonexistent/dir/r.csv", &err), -1);
}

}  // namespace
