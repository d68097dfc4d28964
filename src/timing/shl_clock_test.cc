#include <gtest/gtest.h>

#include <cerrno>

#include "src/timing/shl_clock.h"
#include "src/timing/shl_pin.h"

namespace {

TEST(Clock, Monotonic)
{
    int64_t a = shl_now_ns(), b = shl_now_ns();
    EXPECT_GE(b, a);
}

TEST(Clock, ResolutionIsReported)
{
    int64_t res = 0;
    shl_error err = {};
    ASSERT_EQ(shl_clock_resolution_ns(&res, &err), 0);
    EXPECT_GT(res, 0);
}

TEST(Clock, SleepUntilReachesTheDeadline)
{
    shl_error err = {};
    int64_t deadline = shl_now_ns() + 2000000;
    ASSERT_EQ(shl_sleep_until_ns(deadline, &err), 0);
    EXPECT_GE(shl_now_ns(), deadline);
    ASSERT_EQ(shl_sleep_until_ns(shl_now_ns() - 1000, &err), 0); // past: returns at once
}

TEST(Clock, ProcessCpuTimeGrowsWithWork)
{
    shl_error err = {};
    int64_t before = 0, after = 0;
    ASSERT_EQ(shl_process_cpu_ns(&before, &err), 0);
    volatile uint64_t sink = 0;
    int64_t until = shl_now_ns() + 30000000;
    while (shl_now_ns() < until)
        sink = sink + 1;
    ASSERT_EQ(shl_process_cpu_ns(&after, &err), 0);
    EXPECT_GT(after, before);
}

TEST(Pin, PinsToAnAllowedCpuAndRejectsBadOnes)
{
    shl_error err = {};
    int count = 0, first = -1, second = -1;
    ASSERT_EQ(shl_cpus_allowed(&count, &first, &second, &err), 0);
    ASSERT_GE(count, 1);
    ASSERT_GE(first, 0);
    EXPECT_TRUE(shl_cpu_allowed(first));
    ASSERT_EQ(shl_pin_to_cpu(first, &err), 0);
    int now_count = 0;
    ASSERT_EQ(shl_cpus_allowed(&now_count, &first, &second, &err), 0);
    EXPECT_EQ(now_count, 1);
    EXPECT_EQ(shl_pin_to_cpu(-1, &err), -1);
    EXPECT_EQ(err.errnum, EINVAL);
    EXPECT_FALSE(shl_cpu_allowed(-3));
}

} // namespace
