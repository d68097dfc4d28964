#include "src/timing/shl_timer.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace {

std::string WriteCpuinfo(const char *flags)
{
    char path[] = "/tmp/shl_timer_cpuinfoXXXXXX";
    int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "processor\t: 0\nmodel name\t: test\nflags\t\t: %s\n\n", flags);
    fclose(f);
    return path;
}

int64_t MonotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

TEST(Timer, ReadsTheInvariantTscFlags)
{
#if !defined(__x86_64__) && !defined(__i386__)
    GTEST_SKIP() << "the TSC exists only on x86";
#endif
    shl_error err = {};
    char why[128];
    std::string both = WriteCpuinfo("fpu tsc constant_tsc rep_good nonstop_tsc cpuid");
    EXPECT_EQ(shl_timer_tsc_invariant(both.c_str(), why, sizeof why, &err), 1) << why;
    std::string one = WriteCpuinfo("fpu tsc constant_tsc rep_good nonstop_tscx");
    EXPECT_EQ(shl_timer_tsc_invariant(one.c_str(), why, sizeof why, &err), 0);
    EXPECT_NE(std::string(why).find("nonstop_tsc"), std::string::npos) << why;
    unlink(both.c_str());
    unlink(one.c_str());
    EXPECT_EQ(shl_timer_tsc_invariant("/nonexistent/cpuinfo", why, sizeof why, &err), -1);
    EXPECT_EQ(err.errnum, ENOENT);
}

TEST(Timer, WithoutAnInvariantTscUsesClockGettimeAndSubtractsItsCost)
{
    std::string none = WriteCpuinfo("fpu tsc");
    shl_timer t;
    shl_error err = {};
    ASSERT_EQ(shl_timer_init(&t, 1, none.c_str(), 5, &err), 0);
    unlink(none.c_str());
    EXPECT_EQ(t.source, SHL_TIMER_CLOCK_GETTIME);
    EXPECT_GT(t.cost_ns, 0.0);
    EXPECT_EQ(t.subtract_ns, t.cost_ns);
    EXPECT_NE(std::string(t.why).find("clock_gettime"), std::string::npos);
    // An empty interval measures about nothing once the cost is taken off.
    uint64_t a = shl_timer_read(&t), b = shl_timer_read(&t);
    EXPECT_LT(shl_timer_elapsed_ns(&t, a, b), 1000);
    EXPECT_EQ(shl_timer_check(&t, &err), 0);
}

TEST(Timer, TscIsCalibratedAgainstMonotonicAndAWrongRateFailsTheCheck)
{
    shl_timer t;
    shl_error err = {};
    ASSERT_EQ(shl_timer_init(&t, 1, "/proc/cpuinfo", 20, &err), 0);
    if (t.source != SHL_TIMER_TSC)
        GTEST_SKIP() << "no invariant TSC here: " << t.why;
    EXPECT_EQ(t.subtract_ns, 0.0);
    EXPECT_GT(t.cost_ns, 0.0);
    EXPECT_GT(t.ns_per_tick, 0.01); // below 100 GHz
    EXPECT_LT(t.ns_per_tick, 10.0); // above 100 MHz
    // 10 ms slept, timed by both clocks: they agree to well within 1%.
    uint64_t a = shl_timer_read(&t);
    int64_t m0 = MonotonicNs();
    timespec pause = {0, 10000000};
    nanosleep(&pause, nullptr);
    uint64_t b = shl_timer_read(&t);
    int64_t m1 = MonotonicNs();
    double tsc_ns = (double)shl_timer_elapsed_ns(&t, a, b);
    EXPECT_NEAR(tsc_ns, (double)(m1 - m0), 0.01 * (m1 - m0));
    ASSERT_EQ(shl_timer_check(&t, &err), 0) << err.detail;
    EXPECT_LT(t.drift, SHL_TIMER_MAX_DRIFT);
    // A start-up rate 1% off is caught at the end.
    t.ns_per_tick *= 1.01;
    EXPECT_EQ(shl_timer_check(&t, &err), -1);
    EXPECT_EQ(err.errnum, ERANGE);
    EXPECT_GT(t.drift, SHL_TIMER_MAX_DRIFT);
}

TEST(Timer, NotAskingForTheTscGivesClockGettime)
{
    shl_timer t;
    shl_error err = {};
    ASSERT_EQ(shl_timer_init(&t, 0, "/proc/cpuinfo", 1, &err), 0);
    EXPECT_EQ(t.source, SHL_TIMER_CLOCK_GETTIME);
    EXPECT_STREQ(shl_timer_source_names[t.source], "clock_gettime");
}

} // namespace
