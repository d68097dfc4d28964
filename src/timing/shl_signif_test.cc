#include "src/timing/shl_signif.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <random>
#include <vector>

namespace {

// Per-repetition p50s of a run: a latency level plus the noise between repetitions.
std::vector<double> Repetitions(std::mt19937_64 &rng, double level, size_t reps)
{
    std::lognormal_distribution<double> noise(0.0, 0.04);
    std::vector<double> v;
    for (size_t i = 0; i < reps; i++)
        v.push_back(level * noise(rng));
    return v;
}

shl_mann_whitney Mwu(const std::vector<double> &a, const std::vector<double> &b)
{
    shl_mann_whitney r;
    shl_error err = {};
    EXPECT_EQ(shl_mann_whitney_test(a.data(), a.size(), b.data(), b.size(), &r, &err), 0);
    return r;
}

TEST(MannWhitney, ExactPValuesOfSmallSamples)
{
    // Complete separation of 3 and 3: 1 ordering in C(6,3) = 20 at each extreme.
    shl_mann_whitney r = Mwu({1, 2, 3}, {4, 5, 6});
    EXPECT_TRUE(r.exact);
    EXPECT_DOUBLE_EQ(r.u, 0);
    EXPECT_DOUBLE_EQ(r.p, 0.1);
    EXPECT_EQ(r.verdict, SHL_VERDICT_TOO_FEW); // 0.1 is the best 3 against 3 can do
    // 5 against 5, separated: 2 / C(10,5) = 2/252.
    r = Mwu({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
    EXPECT_NEAR(r.p, 2.0 / 252, 1e-12);
    EXPECT_EQ(r.verdict, SHL_VERDICT_SLOWER);
    // One swap at the boundary: U = 1, P(U <= 1) = 2/252.
    r = Mwu({1, 2, 3, 4, 6}, {5, 7, 8, 9, 10});
    EXPECT_DOUBLE_EQ(r.u, 1);
    EXPECT_NEAR(r.p, 4.0 / 252, 1e-12);
    r = Mwu({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
    EXPECT_EQ(r.verdict, SHL_VERDICT_FASTER);
}

TEST(MannWhitney, OneDistributionGivesNoSignificantDifference)
{
    std::mt19937_64 rng(2024);
    int significant = 0;
    const int trials = 200;
    for (int t = 0; t < trials; t++) {
        shl_mann_whitney r = Mwu(Repetitions(rng, 500, 10), Repetitions(rng, 500, 10));
        ASSERT_NE(r.verdict, SHL_VERDICT_TOO_FEW);
        significant += r.verdict != SHL_VERDICT_SAME;
    }
    // At alpha 0.05 about 10 of 200 are false alarms; far more means a broken test.
    EXPECT_LE(significant, 20);
    std::mt19937_64 fixed(7);
    EXPECT_EQ(Mwu(Repetitions(fixed, 500, 10), Repetitions(fixed, 500, 10)).verdict,
              SHL_VERDICT_SAME);
}

TEST(MannWhitney, RunsTwentyPercentApartAreSignificant)
{
    std::mt19937_64 rng(99);
    for (int t = 0; t < 50; t++) {
        shl_mann_whitney r = Mwu(Repetitions(rng, 500, 5), Repetitions(rng, 600, 5));
        EXPECT_EQ(r.verdict, SHL_VERDICT_SLOWER) << "trial " << t << " p " << r.p;
    }
}

TEST(MannWhitney, TiesAndLargeSamplesUseTheNormalApproximation)
{
    std::vector<double> a(60, 100.0), b(60, 100.0);
    shl_mann_whitney r = Mwu(a, b);
    EXPECT_FALSE(r.exact);
    EXPECT_DOUBLE_EQ(r.p, 1.0);
    for (size_t i = 0; i < b.size(); i++)
        b[i] = 120.0 + (double)(i % 7);
    r = Mwu(a, b);
    EXPECT_LT(r.p, 1e-6);
    EXPECT_EQ(r.verdict, SHL_VERDICT_SLOWER);
    shl_error err = {};
    EXPECT_EQ(shl_mann_whitney_test(a.data(), 0, b.data(), 1, &r, &err), -1);
    EXPECT_EQ(err.errnum, EINVAL);
}

TEST(Bootstrap, MedianRatioIntervalHoldsOneOnlyForOneDistribution)
{
    std::mt19937_64 rng(5);
    shl_bootstrap same, apart;
    shl_error err = {};
    std::vector<double> a = Repetitions(rng, 500, 30), b = Repetitions(rng, 500, 30),
                        c = Repetitions(rng, 600, 30);
    ASSERT_EQ(shl_bootstrap_median_ratio(a.data(), a.size(), b.data(), b.size(), 2000, 0.95, 1,
                                         &same, &err),
              0);
    EXPECT_EQ(same.verdict, SHL_VERDICT_SAME) << same.lo << " " << same.hi;
    EXPECT_LE(same.lo, 1.0);
    EXPECT_GE(same.hi, 1.0);
    ASSERT_EQ(shl_bootstrap_median_ratio(a.data(), a.size(), c.data(), c.size(), 2000, 0.95, 1,
                                         &apart, &err),
              0);
    EXPECT_EQ(apart.verdict, SHL_VERDICT_SLOWER);
    EXPECT_NEAR(apart.ratio, 1.2, 0.05);
    EXPECT_GT(apart.lo, 1.1);
    // The same seed gives the same interval.
    shl_bootstrap again;
    ASSERT_EQ(shl_bootstrap_median_ratio(a.data(), a.size(), c.data(), c.size(), 2000, 0.95, 1,
                                         &again, &err),
              0);
    EXPECT_EQ(again.lo, apart.lo);
    EXPECT_EQ(shl_bootstrap_median_ratio(a.data(), a.size(), c.data(), c.size(), 2000, 1.5, 1,
                                         &again, &err),
              -1);
    EXPECT_EQ(err.errnum, EINVAL);
    double two[] = {1, 2};
    ASSERT_EQ(shl_bootstrap_median_ratio(two, 2, two, 2, 100, 0.95, 1, &again, &err), 0);
    EXPECT_EQ(again.verdict, SHL_VERDICT_TOO_FEW);
}

} // namespace
