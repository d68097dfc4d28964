#include <gtest/gtest.h>

#include <list>
#include <string>
#include <vector>

extern "C" {
#include "bench/bench_options.h"
}

namespace {

struct Parsed {
    int rc;
    bench_options opts;
    std::string msg;
};

// The options point into argv (like --out's value), so the strings outlive each parse.
std::list<std::string> arg_storage;

Parsed parse(std::vector<std::string> args)
{
    args.insert(args.begin(), "bench");
    std::vector<char *> argv;
    for (auto &a : args) {
        arg_storage.push_back(a);
        argv.push_back(&arg_storage.back()[0]);
    }
    argv.push_back(nullptr);
    Parsed p;
    char msg[256] = "";
    p.rc = bench_options_parse(static_cast<int>(args.size()), argv.data(), &p.opts, msg,
                               sizeof msg);
    p.msg = msg;
    return p;
}

TEST(Options, Defaults)
{
    Parsed p = parse({});
    ASSERT_EQ(p.rc, 0);
    EXPECT_EQ(p.opts.mode, BENCH_MODE_DEFAULT);
    EXPECT_EQ(p.opts.n_sizes, 0u);
    EXPECT_EQ(p.opts.cpu_a, -1);
    EXPECT_EQ(p.opts.out_dir, nullptr);
    EXPECT_EQ(p.opts.benchmarks, static_cast<unsigned>(BENCH_ALL));
    EXPECT_EQ(p.opts.timeout_ms, 3000);
    EXPECT_FALSE(p.opts.help);
}

TEST(Options, EverythingGiven)
{
    Parsed p = parse({"--quick", "--sizes", "8,64,4K,1M", "--cpus=1,0", "--out", "/tmp/x",
                      "--transports", "pipe,posix", "--benchmarks=latency,floor", "--timeout-ms",
                      "500", "--no-plots"});
    ASSERT_EQ(p.rc, 0) << p.msg;
    EXPECT_EQ(p.opts.mode, BENCH_MODE_QUICK);
    ASSERT_EQ(p.opts.n_sizes, 4u);
    EXPECT_EQ(p.opts.sizes[0], 8u);
    EXPECT_EQ(p.opts.sizes[2], 4096u);
    EXPECT_EQ(p.opts.sizes[3], 1048576u);
    EXPECT_EQ(p.opts.cpu_a, 1);
    EXPECT_EQ(p.opts.cpu_b, 0);
    EXPECT_STREQ(p.opts.out_dir, "/tmp/x");
    ASSERT_EQ(p.opts.n_transports, 2u);
    EXPECT_STREQ(p.opts.transports[1], "posix");
    EXPECT_EQ(p.opts.benchmarks, static_cast<unsigned>(BENCH_LATENCY | BENCH_FLOOR));
    EXPECT_EQ(p.opts.timeout_ms, 500);
    EXPECT_TRUE(p.opts.no_plots);
}

TEST(Options, HelpAndFull)
{
    Parsed p = parse({"--full", "--help"});
    ASSERT_EQ(p.rc, 0);
    EXPECT_TRUE(p.opts.help);
    EXPECT_EQ(p.opts.mode, BENCH_MODE_FULL);
}

TEST(Options, BadInputIsOneLineAndNamesTheProblem)
{
    const std::vector<std::vector<std::string>> bad = {
        {"--bogus"},           {"stray"},
        {"--quick", "--full"}, {"--sizes"},
        {"--sizes", "7"},      {"--sizes", "12"},
        {"--sizes", "0"},      {"--sizes", "64,,128"},
        {"--sizes", "128M"},   {"--sizes", "-8"},
        {"--sizes", "8x"},     {"--sizes", "99999999999999999999999"},
        {"--cpus", "1"},       {"--cpus", "1,1"},
        {"--cpus", "a,b"},     {"--cpus", "0,-1"},
        {"--out", ""},         {"--benchmarks", "latency,nope"},
        {"--timeout-ms", "5"}, {"--timeout-ms", "1e3"},
        {"--quick=yes"},       {"--transports", ""},
    };
    for (const auto &args : bad) {
        Parsed p = parse(args);
        std::string joined;
        for (const auto &a : args)
            joined += a + " ";
        EXPECT_EQ(p.rc, -1) << joined;
        EXPECT_FALSE(p.msg.empty()) << joined;
        EXPECT_EQ(p.msg.find('\n'), std::string::npos) << joined;
    }
}

TEST(Options, MessagesSayWhat)
{
    EXPECT_NE(parse({"--bogus"}).msg.find("--bogus"), std::string::npos);
    EXPECT_NE(parse({"--sizes", "12"}).msg.find("'12'"), std::string::npos);
    EXPECT_NE(parse({"--cpus", "2,2"}).msg.find("differ"), std::string::npos);
}

TEST(Options, PlansGrowFromQuickToFull)
{
    bench_plan quick, normal, full;
    bench_plan_for(BENCH_MODE_QUICK, &quick);
    bench_plan_for(BENCH_MODE_DEFAULT, &normal);
    bench_plan_for(BENCH_MODE_FULL, &full);
    EXPECT_LT(quick.n_default_sizes, normal.n_default_sizes);
    EXPECT_LT(normal.n_default_sizes, full.n_default_sizes);
    EXPECT_LT(quick.budget_ns, normal.budget_ns);
    EXPECT_LT(normal.budget_ns, full.budget_ns);
    // Every mode measures 64 B and 1 MiB, where the issue states its targets.
    for (const bench_plan *plan : {&quick, &normal, &full}) {
        bool has64 = false, has1m = false;
        for (size_t i = 0; i < plan->n_default_sizes; i++) {
            has64 |= plan->default_sizes[i] == 64;
            has1m |= plan->default_sizes[i] == (1u << 20);
        }
        EXPECT_TRUE(has64 && has1m);
    }
    EXPECT_STREQ(bench_mode_name(BENCH_MODE_QUICK), "quick");
}

} // namespace
