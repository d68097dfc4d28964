#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "src/timing/shl_stats.h"

namespace {

TEST(Stats, OneToTenExactPercentiles)
{
    std::vector<double> v = {7, 3, 10, 1, 9, 2, 8, 4, 6, 5}; // unsorted on purpose
    shl_stats s;
    shl_stats_compute(v.data(), v.size(), &s);
    EXPECT_EQ(s.n, 10u);
    EXPECT_EQ(s.min, 1);
    EXPECT_EQ(s.p50, 5);
    EXPECT_EQ(s.p90, 9);
    EXPECT_EQ(s.p99, 10);
    EXPECT_EQ(s.p999, 10);
    EXPECT_EQ(s.max, 10);
    EXPECT_DOUBLE_EQ(s.mean, 5.5);
    EXPECT_NEAR(s.stddev, std::sqrt(82.5 / 9.0), 1e-12);
    EXPECT_EQ(v.front(), 1); // sorted in place
}

TEST(Stats, ThousandSamplesHitEveryRank)
{
    std::vector<double> v;
    for (int i = 1000; i >= 1; i--)
        v.push_back(i);
    shl_stats s;
    shl_stats_compute(v.data(), v.size(), &s);
    EXPECT_EQ(s.p50, 500);
    EXPECT_EQ(s.p90, 900);
    EXPECT_EQ(s.p99, 990);
    EXPECT_EQ(s.p999, 999);
    EXPECT_EQ(s.max, 1000);
    EXPECT_DOUBLE_EQ(s.mean, 500.5);
    EXPECT_TRUE(std::isnan(s.p9999)); // 1000 samples cannot tell p99.99 from the max
}

TEST(Stats, TenThousandSamplesGiveP9999)
{
    std::vector<double> v;
    for (int i = 1; i <= 20000; i++)
        v.push_back(i);
    shl_stats s;
    shl_stats_compute(v.data(), v.size(), &s);
    EXPECT_EQ(s.p9999, 19998);
    EXPECT_EQ(s.max, 20000);
}

TEST(Stats, OutlierShowsOnlyInTheTail)
{
    std::vector<double> v(100, 2.0);
    v[37] = 1000.0;
    shl_stats s;
    shl_stats_compute(v.data(), v.size(), &s);
    EXPECT_EQ(s.p50, 2);
    EXPECT_EQ(s.p90, 2);
    EXPECT_EQ(s.p99, 2);
    EXPECT_EQ(s.p999, 1000);
    EXPECT_EQ(s.max, 1000);
    EXPECT_DOUBLE_EQ(s.mean, (99 * 2.0 + 1000.0) / 100);
}

TEST(Stats, SingleSample)
{
    double v = 42.5;
    shl_stats s;
    shl_stats_compute(&v, 1, &s);
    EXPECT_EQ(s.n, 1u);
    EXPECT_EQ(s.min, 42.5);
    EXPECT_EQ(s.p50, 42.5);
    EXPECT_EQ(s.p999, 42.5);
    EXPECT_EQ(s.max, 42.5);
    EXPECT_EQ(s.mean, 42.5);
    EXPECT_EQ(s.stddev, 0.0);
}

TEST(Stats, EmptyIsNotANumberNotZero)
{
    shl_stats s;
    shl_stats_compute(nullptr, 0, &s);
    EXPECT_EQ(s.n, 0u);
    EXPECT_TRUE(std::isnan(s.min));
    EXPECT_TRUE(std::isnan(s.p50));
    EXPECT_TRUE(std::isnan(s.max));
    EXPECT_TRUE(std::isnan(s.mean));
    EXPECT_TRUE(std::isnan(s.stddev));
}

TEST(Stats, TwoSamples)
{
    double v[] = {4, 2};
    shl_stats s;
    shl_stats_compute(v, 2, &s);
    EXPECT_EQ(s.p50, 2);
    EXPECT_EQ(s.p90, 4);
    EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(2.0));
}

TEST(Stats, PercentileEdges)
{
    double sorted[] = {1, 2, 3, 4};
    EXPECT_EQ(shl_stats_percentile(sorted, 4, 0.25), 1);
    EXPECT_EQ(shl_stats_percentile(sorted, 4, 0.26), 2);
    EXPECT_EQ(shl_stats_percentile(sorted, 4, 1.0), 4);
    EXPECT_EQ(shl_stats_percentile(sorted, 4, 0.0001), 1);
}

} // namespace
