#include "src/timing/shl_hist.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

struct Hist {
    shl_hist h;
    explicit Hist(int64_t highest)
    {
        shl_error err = {};
        if (shl_hist_init(&h, highest, &err) != 0)
            abort();
    }
    ~Hist()
    {
        shl_hist_free(&h);
    }
};

std::string Hgrm(const shl_hist *h, double scale)
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    shl_error err = {};
    EXPECT_EQ(shl_hist_write_hgrm(h, f, scale, &err), 0);
    fclose(f);
    std::string s(buf, len);
    free(buf);
    return s;
}

TEST(Hist, LayoutMatchesHdrHistogramAtThreeDigits)
{
    Hist a(10000);
    // 2048 exact values, then ranges of 2048 values in 1024 buckets (pairs), then quads.
    EXPECT_EQ(a.h.bucket_count, 4);
    EXPECT_EQ(a.h.sub_bucket_count, 2048);
    EXPECT_EQ(a.h.counts_len, 5 * 1024);
    EXPECT_EQ(shl_hist_index_of(&a.h, 2047), 2047);
    EXPECT_EQ(shl_hist_index_of(&a.h, 2048), 2048);
    EXPECT_EQ(shl_hist_index_of(&a.h, 2049), 2048);
    EXPECT_EQ(shl_hist_index_of(&a.h, 4096), 3072);
    EXPECT_EQ(shl_hist_lowest_equivalent(&a.h, 4099), 4096);
    EXPECT_EQ(shl_hist_highest_equivalent(&a.h, 4096), 4099);
    EXPECT_EQ(shl_hist_highest_equivalent(&a.h, 1000), 1000);
    // An hour in nanoseconds: the range the benchmark uses.
    Hist hour(3600LL * 1000000000);
    EXPECT_EQ(hour.h.bucket_count, 32);
    int64_t v = 3599LL * 1000000000;
    int64_t lo = shl_hist_lowest_equivalent(&hour.h, v);
    EXPECT_LE(lo, v);
    EXPECT_GE(shl_hist_highest_equivalent(&hour.h, v), v);
    EXPECT_LT((double)(shl_hist_highest_equivalent(&hour.h, v) - lo) / v, 1e-3);
}

// Ten samples 1..10, each in a bucket of its own. The .hgrm lines follow HdrHistogram's
// percentile iteration with 5 ticks per half distance, worked out by hand: steps of 10% up
// to 50%, then 5% up to 75%, 2.5% up to 87.5%, 1.25% after; a step is printed at the first
// bucket whose cumulative share reaches it, and the iteration closes with a 100% line once
// the last bucket has been reached.
TEST(Hist, HgrmMatchesAHandComputedDistribution)
{
    Hist a(10000);
    for (int v = 1; v <= 10; v++)
        shl_hist_record(&a.h, v);
    const char *expected = "       Value     Percentile TotalCount 1/(1-Percentile)\n"
                           "\n"
                           "       1.000 0.000000000000          1           1.00\n"
                           "       1.000 0.100000000000          1           1.11\n"
                           "       2.000 0.200000000000          2           1.25\n"
                           "       3.000 0.300000000000          3           1.43\n"
                           "       4.000 0.400000000000          4           1.67\n"
                           "       5.000 0.500000000000          5           2.00\n"
                           "       6.000 0.550000000000          6           2.22\n"
                           "       6.000 0.600000000000          6           2.50\n"
                           "       7.000 0.650000000000          7           2.86\n"
                           "       7.000 0.700000000000          7           3.33\n"
                           "       8.000 0.750000000000          8           4.00\n"
                           "       8.000 0.775000000000          8           4.44\n"
                           "       8.000 0.800000000000          8           5.00\n"
                           "       9.000 0.825000000000          9           5.71\n"
                           "       9.000 0.850000000000          9           6.67\n"
                           "       9.000 0.875000000000          9           8.00\n"
                           "       9.000 0.887500000000          9           8.89\n"
                           "       9.000 0.900000000000          9          10.00\n"
                           "      10.000 0.912500000000         10          11.43\n"
                           "      10.000 1.000000000000         10\n"
                           "#[Mean    =        5.500, StdDeviation   =        2.872]\n"
                           "#[Max     =       10.000, Total count    =           10]\n"
                           "#[Buckets =            4, SubBuckets     =         2048]\n";
    EXPECT_EQ(Hgrm(&a.h, 1.0), expected);
}

// Values above 2048 share buckets: 4096..4099 are one bucket, printed as its highest value.
TEST(Hist, HgrmPrintsABucketsHighestValueScaled)
{
    Hist a(10000);
    shl_hist_record_n(&a.h, 4097, 3);
    std::string s = Hgrm(&a.h, 1000.0);
    EXPECT_NE(s.find("       4.099 0.000000000000          3           1.00\n"), std::string::npos)
        << s;
    EXPECT_NE(s.find("       4.099 1.000000000000          3\n"), std::string::npos) << s;
    EXPECT_NE(s.find("#[Max     =        4.097, Total count    =            3]"), std::string::npos)
        << s;
    shl_error err = {};
    FILE *f = tmpfile();
    EXPECT_EQ(shl_hist_write_hgrm(&a.h, f, 0, &err), -1);
    EXPECT_EQ(err.errnum, EINVAL);
    fclose(f);
}

// The percentiles agree with the exact (sorted-sample) ones to within the layout's precision.
TEST(Hist, PercentilesAgreeWithSortedSamplesWithinPrecision)
{
    Hist a(3600LL * 1000000000);
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> dist(7.0, 1.2); // ~1 us median, a long tail
    std::vector<int64_t> samples;
    for (int i = 0; i < 100000; i++) {
        int64_t v = (int64_t)dist(rng) + 1;
        samples.push_back(v);
        shl_hist_record(&a.h, v);
    }
    std::sort(samples.begin(), samples.end());
    for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 99.99}) {
        size_t rank = (size_t)(p / 100.0 * samples.size() + 0.5);
        int64_t exact = samples[rank - 1];
        int64_t got = shl_hist_value_at_percentile(&a.h, p);
        EXPECT_GE(got, exact) << p;
        EXPECT_LE((double)(got - exact), exact * 1e-3 + 1) << p;
    }
    EXPECT_EQ(shl_hist_value_at_percentile(&a.h, 0), samples.front());
    EXPECT_EQ(shl_hist_value_at_percentile(&a.h, 100), samples.back());
    double mean = 0;
    for (int64_t v : samples)
        mean += v;
    mean /= samples.size();
    EXPECT_NEAR(shl_hist_mean(&a.h), mean, 1e-6 * mean);
    EXPECT_EQ(a.h.total, samples.size());
}

TEST(Hist, ClampsAboveHighestAndCountsIt)
{
    Hist a(5000);
    shl_hist_record(&a.h, 1000000);
    shl_hist_record(&a.h, -5);
    EXPECT_EQ(a.h.clamped, 1u);
    EXPECT_EQ(a.h.max, 5000);
    EXPECT_EQ(a.h.min, 0);
    EXPECT_EQ(a.h.total, 2u);
    shl_error err = {};
    shl_hist bad;
    EXPECT_EQ(shl_hist_init(&bad, 1, &err), -1);
    EXPECT_EQ(err.errnum, EINVAL);
}

TEST(Hist, MergeAddsCountsAndRefusesAnotherLayout)
{
    Hist a(100000), b(100000), c(200000);
    for (int v = 1; v <= 100; v++)
        shl_hist_record(&a.h, v);
    for (int v = 101; v <= 200; v++)
        shl_hist_record(&b.h, v * 100);
    shl_error err = {};
    ASSERT_EQ(shl_hist_merge(&a.h, &b.h, &err), 0);
    EXPECT_EQ(a.h.total, 200u);
    EXPECT_EQ(a.h.min, 1);
    EXPECT_EQ(a.h.max, 20000);
    EXPECT_EQ(shl_hist_value_at_percentile(&a.h, 50), 100);
    EXPECT_EQ(shl_hist_merge(&a.h, &c.h, &err), -1);
    EXPECT_EQ(err.errnum, EINVAL);
}

TEST(Hist, IteratesNonEmptyBucketsInOrder)
{
    Hist a(100000);
    shl_hist_record_n(&a.h, 7, 2);
    shl_hist_record(&a.h, 5000);
    shl_hist_iter it = {};
    ASSERT_TRUE(shl_hist_next(&a.h, &it));
    EXPECT_EQ(it.lowest, 7);
    EXPECT_EQ(it.count, 2u);
    ASSERT_TRUE(shl_hist_next(&a.h, &it));
    EXPECT_EQ(it.lowest, 5000);
    EXPECT_EQ(it.highest, 5003);
    EXPECT_EQ(it.cumulative, 3u);
    EXPECT_FALSE(shl_hist_next(&a.h, &it));
}

TEST(Hist, EncodingRoundTripsAndIsCompact)
{
    Hist a(3600LL * 1000000000), b(3600LL * 1000000000);
    std::mt19937_64 rng(7);
    std::lognormal_distribution<double> dist(6.0, 0.5);
    for (int i = 0; i < 50000; i++)
        shl_hist_record(&a.h, (int64_t)dist(rng));
    shl_error err = {};
    char *text = shl_hist_encode(&a.h, &err);
    ASSERT_NE(text, nullptr);
    EXPECT_LT(strlen(text), 4000u); // a few hundred buckets, not 33k counts
    ASSERT_EQ(shl_hist_decode(&b.h, text, &err), 0) << err.detail;
    free(text);
    EXPECT_EQ(b.h.total, a.h.total);
    for (int i = 0; i < a.h.counts_len; i++)
        ASSERT_EQ(a.h.counts[i], b.h.counts[i]) << i;
    EXPECT_EQ(shl_hist_value_at_percentile(&b.h, 99), shl_hist_value_at_percentile(&a.h, 99));
    EXPECT_EQ(shl_hist_lowest_equivalent(&b.h, b.h.min), shl_hist_lowest_equivalent(&a.h, a.h.min));

    Hist empty(1000);
    text = shl_hist_encode(&empty.h, &err);
    ASSERT_NE(text, nullptr);
    EXPECT_STREQ(text, "");
    ASSERT_EQ(shl_hist_decode(&empty.h, text, &err), 0);
    EXPECT_EQ(empty.h.total, 0u);
    free(text);
}

TEST(Hist, DecodeRefusesMalformedText)
{
    Hist a(1000);
    shl_error err = {};
    EXPECT_EQ(shl_hist_decode(&a.h, "abc", &err), -1);  // not a multiple of 4
    EXPECT_EQ(shl_hist_decode(&a.h, "a=bc", &err), -1); // padding inside
    EXPECT_EQ(shl_hist_decode(&a.h, "!!!!", &err), -1); // not base64
    EXPECT_EQ(shl_hist_decode(&a.h, "gA==", &err), -1); // a varint cut short
    EXPECT_EQ(shl_hist_decode(&a.h, "AA==", &err), -1); // a zero count
    EXPECT_EQ(err.errnum, EINVAL);
    // A skip past the end of the counts: zigzag(-5000) = 9999 = 0x8f 0x4e, then count 1.
    EXPECT_EQ(shl_hist_decode(&a.h, "j04C", &err), -1);
}

} // namespace
