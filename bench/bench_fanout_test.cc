// Fan-out correctness, not speed: every transport and strategy with 1 and 3 subscribers
// delivers every message intact to every subscriber (the run fails otherwise) and yields
// one positive latency per message and subscriber. iceoryx's cases start their own RouDi
// and are skipped, with the reason, when it cannot be had.
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>
#include <tuple>
#include <vector>

#include "bench/bench_fanout.h"
#include "src/transport/shl_roudi.h"

namespace {

std::string ErrorText(const struct shl_error &err)
{
    char buf[512];
    return shl_error_text(&err, buf, sizeof buf);
}

struct Case {
    enum bench_fanout_kind kind;
    enum shl_notify_kind wait;
    uint32_t subscribers;
};

std::vector<Case> AllCases()
{
    std::vector<Case> cases;
    for (int k = 0; k < BENCH_FANOUT_KINDS; k++) {
        const struct bench_fanout_kind_info &info = bench_fanout_kinds[k];
        for (uint32_t n : {1u, 3u}) {
            if (!info.notify)
                cases.push_back({(enum bench_fanout_kind)k, SHL_NOTIFY_NONE, n});
            for (int w = SHL_NOTIFY_FIRST; info.notify && w < SHL_NOTIFY_COUNT; w++)
                cases.push_back({(enum bench_fanout_kind)k, (enum shl_notify_kind)w, n});
        }
    }
    return cases;
}

std::string CaseName(const ::testing::TestParamInfo<Case> &info)
{
    std::string name = bench_fanout_kinds[info.param.kind].name;
    if (info.param.wait != SHL_NOTIFY_NONE)
        name += std::string("_") + shl_notify_name(info.param.wait);
    name += "_" + std::to_string(info.param.subscribers);
    for (char &c : name)
        if (c == '-')
            c = '_';
    return name;
}

class FanoutTest : public ::testing::TestWithParam<Case> {
  protected:
    static void SetUpTestSuite()
    {
        struct shl_error err = {};
        if (shl_roudi_running() != 0)
            no_roudi_ = "an iox-roudi runs that this test did not start";
        else if (shl_roudi_start(&roudi_, 10000, &err) != 0)
            no_roudi_ = ErrorText(err);
    }
    static void TearDownTestSuite()
    {
        if (!no_roudi_.empty())
            return;
        struct shl_error err = {};
        EXPECT_EQ(0, shl_roudi_stop(&roudi_, &err)) << ErrorText(err);
    }
    static struct shl_roudi roudi_;
    static std::string no_roudi_;
};

struct shl_roudi FanoutTest::roudi_;
std::string FanoutTest::no_roudi_;

TEST_P(FanoutTest, EverySubscriberGetsEveryMessageIntact)
{
    const Case &c = GetParam();
    if ((c.kind == BENCH_FANOUT_ICEORYX || c.kind == BENCH_FANOUT_ICEORYX_WAITSET) &&
        !no_roudi_.empty())
        GTEST_SKIP() << "no RouDi: " << no_roudi_;
    struct bench_fanout_plan plan = {};
    plan.kind = c.kind;
    plan.wait = c.wait;
    plan.subscribers = c.subscribers;
    plan.size = 1000;
    plan.warmup = 20;
    plan.messages = 300;
    plan.interval_ns = 100000;
    plan.timeout_ms = 5000;
    char why[256];
    if (bench_fanout_unrunnable(&plan, why, sizeof why))
        GTEST_SKIP() << why;
    struct bench_fanout_result r;
    struct shl_error err = {};
    ASSERT_EQ(0, bench_fanout_run(&plan, &r, &err)) << ErrorText(err);
    EXPECT_EQ(plan.messages * plan.subscribers, r.all.n);
    EXPECT_LT(r.slowest, plan.subscribers);
    for (uint32_t i = 0; i < plan.subscribers; i++) {
        EXPECT_EQ(plan.messages, r.per[i].n) << "subscriber " << i;
        EXPECT_GT(r.per[i].min, 0.0) << "subscriber " << i;
    }
    EXPECT_GT(r.publish_ns, 0.0);
    EXPECT_GE(r.publisher_cpu_ns, 0.0);
}

INSTANTIATE_TEST_SUITE_P(All, FanoutTest, ::testing::ValuesIn(AllCases()), CaseName);

TEST(Fanout, SpinWithMoreProcessesThanCpusIsUnrunnable)
{
    struct bench_fanout_plan plan = {};
    plan.kind = BENCH_FANOUT_BROADCAST;
    plan.wait = SHL_NOTIFY_SPIN;
    plan.subscribers = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
    char why[256] = "";
    EXPECT_TRUE(bench_fanout_unrunnable(&plan, why, sizeof why));
    EXPECT_NE(nullptr, strstr(why, "CPUs")) << why;
    plan.wait = SHL_NOTIFY_FUTEX;
    EXPECT_FALSE(bench_fanout_unrunnable(&plan, why, sizeof why));
}

TEST(Fanout, BadPlansAreRefused)
{
    struct bench_fanout_plan plan = {};
    plan.kind = BENCH_FANOUT_ZEROMQ;
    plan.subscribers = 1;
    plan.size = 64;
    plan.messages = 10;
    plan.timeout_ms = 1000;
    plan.wait = SHL_NOTIFY_SPIN;
    struct bench_fanout_result r;
    struct shl_error err = {};
    EXPECT_EQ(-1, bench_fanout_run(&plan, &r, &err));
    EXPECT_EQ(EINVAL, err.errnum) << "zeromq has no strategies";
    plan.wait = SHL_NOTIFY_NONE;
    plan.size = 8;
    EXPECT_EQ(-1, bench_fanout_run(&plan, &r, &err));
    EXPECT_EQ(EINVAL, err.errnum) << "too small for the stamp";
    plan.size = 64;
    plan.subscribers = BENCH_FANOUT_MAX_SUBSCRIBERS + 1;
    EXPECT_EQ(-1, bench_fanout_run(&plan, &r, &err));
    EXPECT_EQ(EINVAL, err.errnum);
}

} // namespace
