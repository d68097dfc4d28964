#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <tuple>

extern "C" {
#include "bench/bench_driver.h"
#include "src/transport/shl_transport.h"
}

namespace {

// The floors before and after a configuration: one that moved by more than 25% marks it.
TEST(FloorRatios, AMovedFloorMarksTheRow)
{
    bench_floor_moment before = {100, 200, 0}, steady = {110, 210, 0}, moved = {420, 520, 0};
    bench_floor_ratios r;
    bench_floor_compare(&before, &steady, 300, &r);
    EXPECT_DOUBLE_EQ(r.line_ns, 105);
    EXPECT_DOUBLE_EQ(r.pair_ns, 205);
    EXPECT_DOUBLE_EQ(r.ratio_line, 300.0 / 105);
    EXPECT_DOUBLE_EQ(r.ratio_pair, 300.0 / 205);
    EXPECT_NEAR(r.move, 0.10, 1e-12);
    EXPECT_FALSE(r.moved);
    bench_floor_compare(&before, &moved, 300, &r);
    EXPECT_NEAR(r.move, 3.2, 1e-12); // the one-line floor went from 100 to 420 ns
    EXPECT_TRUE(r.moved);
    // Only the pair moved: still marked, the larger move counts.
    bench_floor_moment pair_only = {100, 300, 0};
    bench_floor_compare(&before, &pair_only, 300, &r);
    EXPECT_NEAR(r.move, 0.5, 1e-12);
    EXPECT_TRUE(r.moved);
}

void Push(bench_jobs *jobs, const bench_job &job)
{
    if (jobs->n == jobs->cap) {
        jobs->cap = jobs->cap ? jobs->cap * 2 : 16;
        jobs->jobs = static_cast<bench_job *>(realloc(jobs->jobs, jobs->cap * sizeof(bench_job)));
    }
    jobs->jobs[jobs->n++] = job;
}

// Five latency jobs and one load ladder of three rates.
bench_jobs Ladders()
{
    static shl_transport pipe_like = {};
    pipe_like.name = "pipe";
    bench_jobs jobs = {};
    for (int i = 0; i < 5; i++) {
        bench_job job = {};
        job.kind = JOB_LATENCY;
        job.transport = &pipe_like;
        job.name = "pipe";
        job.size = 8u << i;
        Push(&jobs, job);
    }
    for (double rate : {1e3, 1e4, 1e5}) {
        bench_job job = {};
        job.kind = JOB_LOAD;
        job.transport = &pipe_like;
        job.name = "pipe";
        job.size = 64;
        job.rate_hz = rate;
        Push(&jobs, job);
    }
    return jobs;
}

std::string Order(const bench_jobs &jobs)
{
    std::string s;
    for (size_t i = 0; i < jobs.n; i++)
        s += std::to_string(jobs.jobs[i].kind) + ":" + std::to_string(jobs.jobs[i].size) + ":" +
             std::to_string((long)jobs.jobs[i].rate_hz) + ":" +
             std::to_string(jobs.jobs[i].repetition) + " ";
    return s;
}

TEST(Repetitions, EveryJobNTimesInASeededOrderWithLoadLaddersWhole)
{
    shl_error err = {};
    bench_jobs a = Ladders(), b = Ladders(), c = Ladders();
    bench_jobs once = Ladders();
    std::string planned = Order(once);
    ASSERT_EQ(bench_jobs_repeat(&once, 1, 42, &err), 0);
    EXPECT_EQ(Order(once), planned); // one repetition: the planned order
    bench_jobs_free(&once);
    ASSERT_EQ(bench_jobs_repeat(&a, 3, 42, &err), 0);
    ASSERT_EQ(bench_jobs_repeat(&b, 3, 42, &err), 0);
    ASSERT_EQ(bench_jobs_repeat(&c, 3, 43, &err), 0);
    ASSERT_EQ(a.n, 24u);
    EXPECT_EQ(Order(a), Order(b)); // one seed, one order
    EXPECT_NE(Order(a), Order(c));
    std::map<std::tuple<int, size_t, long>, int> seen;
    for (size_t i = 0; i < a.n; i++) {
        const bench_job &j = a.jobs[i];
        seen[{j.kind, j.size, (long)j.rate_hz}]++;
        if (j.kind == JOB_LOAD && j.rate_hz == 1e3) {
            // The ladder follows in rising order, in the same repetition.
            ASSERT_LT(i + 2, a.n);
            EXPECT_EQ(a.jobs[i + 1].rate_hz, 1e4);
            EXPECT_EQ(a.jobs[i + 2].rate_hz, 1e5);
            EXPECT_EQ(a.jobs[i + 2].repetition, j.repetition);
        }
    }
    for (const auto &kv : seen)
        EXPECT_EQ(kv.second, 3);
    bench_jobs_free(&a);
    bench_jobs_free(&b);
    bench_jobs_free(&c);
}

// Set-up rows: one per segment size for the memory of every ring transport, the rings
// over memory with no name (anon, memfd) included, and for nothing else.
TEST(Plan, SetupRowsForEveryRingTransport)
{
    bench_options opts = {};
    opts.benchmarks = BENCH_SETUP;
    bench_env env = {};
    bench_plan_for(BENCH_MODE_QUICK, &env.plan);
    bench_jobs jobs = {};
    shl_error err = {};
    ASSERT_EQ(0, bench_jobs_plan(&opts, &env, &jobs, &err)) << err.detail;
    std::map<std::string, std::set<size_t>> planned;
    for (size_t i = 0; i < jobs.n; i++) {
        ASSERT_EQ(JOB_SETUP, jobs.jobs[i].kind);
        planned[jobs.jobs[i].name].insert(jobs.jobs[i].size);
    }
    bench_jobs_free(&jobs);
    std::set<std::string> rings;
    for (size_t t = 0; shl_transports[t] != nullptr; t++)
        if (shl_transports[t]->kind == SHL_TRANSPORT_RING)
            rings.insert(shl_transports[t]->name);
    EXPECT_EQ(1u, rings.count("anon"));
    EXPECT_EQ(1u, rings.count("memfd"));
    EXPECT_EQ(rings.size(), planned.size());
    std::set<size_t> sizes(env.plan.setup_sizes, env.plan.setup_sizes + 3);
    for (const std::string &ring : rings)
        EXPECT_EQ(sizes, planned[ring]) << ring;

    // --transports picks among them as among the others.
    opts.n_transports = 1;
    snprintf(opts.transports[0], sizeof opts.transports[0], "anon");
    ASSERT_EQ(0, bench_jobs_plan(&opts, &env, &jobs, &err)) << err.detail;
    ASSERT_EQ(3u, jobs.n);
    for (size_t i = 0; i < jobs.n; i++)
        EXPECT_STREQ("anon", jobs.jobs[i].name);
    bench_jobs_free(&jobs);
}

} // namespace
