#include "plots/plot_spectrum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

std::vector<plot_spectrum_point> Spectrum(int64_t samples)
{
    shl_hist h;
    shl_error err = {};
    EXPECT_EQ(shl_hist_init(&h, 1000000000, &err), 0);
    for (int64_t v = 1; v <= samples; v++)
        shl_hist_record(&h, v);
    std::vector<plot_spectrum_point> points(1000);
    points.resize(plot_spectrum(&h, points.data(), points.size()));
    shl_hist_free(&h);
    return points;
}

TEST(Spectrum, StopsWhereTheSampleCountStopsTellingPercentilesApart)
{
    // 100 samples: past p99 every percentile is the max.
    std::vector<plot_spectrum_point> few = Spectrum(100);
    ASSERT_FALSE(few.empty());
    EXPECT_EQ(few.front().x, 1.0);
    EXPECT_LE(few.back().x, 100.0);
    EXPECT_GT(few.back().x, 50.0);
    // A million: the line goes on to p99.99 and stops there.
    std::vector<plot_spectrum_point> many = Spectrum(1000000);
    EXPECT_LE(many.back().x, PLOT_SPECTRUM_MAX_X);
    EXPECT_GT(many.back().x, PLOT_SPECTRUM_MAX_X / 2);
    for (size_t i = 1; i < many.size(); i++) {
        EXPECT_GT(many[i].x, many[i - 1].x);
        EXPECT_GE(many[i].value, many[i - 1].value);
    }
    // At 1/(1-p) = 10 (p90) the value is the 90th percentile of 1..10^6, within precision.
    bool at_p90 = false;
    for (const auto &p : many) {
        if (std::abs(p.x - 10.0) < 1e-9) {
            EXPECT_NEAR(p.value, 900000, 900000 * 1e-3);
            at_p90 = true;
        }
    }
    EXPECT_TRUE(at_p90);
}

TEST(Spectrum, AnEmptyHistogramHasNoPoints)
{
    EXPECT_TRUE(Spectrum(0).empty());
}

} // namespace
