#include "src/core/shl_parse.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <stdint.h>

TEST(ShlParse, Sizes)
{
    size_t v;
    ASSERT_EQ(0, shl_parse_size("4096", &v, NULL));
    EXPECT_EQ(4096u, v);
    ASSERT_EQ(0, shl_parse_size("64K", &v, NULL));
    EXPECT_EQ(65536u, v);
    ASSERT_EQ(0, shl_parse_size("1m", &v, NULL));
    EXPECT_EQ(1u << 20, v);
    ASSERT_EQ(0, shl_parse_size("2G", &v, NULL));
    EXPECT_EQ(2ull << 30, v);
    ASSERT_EQ(0, shl_parse_size("0", &v, NULL));
    EXPECT_EQ(0u, v);
}

TEST(ShlParse, BadSizes)
{
    const char *bad[] = {"", " 1", "-1", "+1", "1x", "1KB", "K", "0x10", "1.5M", "1 "};
    for (const char *s : bad) {
        size_t v = 7;
        struct shl_error err;
        EXPECT_EQ(-1, shl_parse_size(s, &v, &err)) << s;
        EXPECT_EQ(EINVAL, err.errnum) << s;
        EXPECT_EQ(7u, v) << s;
    }
    struct shl_error err;
    size_t v;
    EXPECT_EQ(-1, shl_parse_size("99999999999999999999999", &v, &err));
    EXPECT_EQ(ERANGE, err.errnum);
    EXPECT_EQ(-1, shl_parse_size("16777216T", &v, &err));
    EXPECT_EQ(ERANGE, err.errnum);
    EXPECT_EQ(-1, shl_parse_size(NULL, &v, &err));
}

TEST(ShlParse, Modes)
{
    mode_t m;
    ASSERT_EQ(0, shl_parse_mode("0600", &m, NULL));
    EXPECT_EQ(0600u, m);
    ASSERT_EQ(0, shl_parse_mode("644", &m, NULL));
    EXPECT_EQ(0644u, m);
    ASSERT_EQ(0, shl_parse_mode("07777", &m, NULL));
    const char *bad[] = {"", "8", "0999", "010000", "-1", "rw", "0600x", "0x180"};
    for (const char *s : bad)
        EXPECT_EQ(-1, shl_parse_mode(s, &m, NULL)) << s;
}

TEST(ShlParse, Keys)
{
    key_t k;
    ASSERT_EQ(0, shl_parse_key("1234", &k, NULL));
    EXPECT_EQ(1234, k);
    ASSERT_EQ(0, shl_parse_key("0x4d2", &k, NULL));
    EXPECT_EQ(1234, k);
    ASSERT_EQ(0, shl_parse_key("0", &k, NULL));
    EXPECT_EQ(0, k);
    ASSERT_EQ(0, shl_parse_key("0xffffffff", &k, NULL));
    EXPECT_EQ(-1, k);
    ASSERT_EQ(0, shl_parse_key("-2147483648", &k, NULL));
    EXPECT_EQ(INT32_MIN, k);
    const char *bad[] = {"", "abc", "0x", "1234z", "0x100000000", "-2147483649", "--1", " 1", "08"};
    for (const char *s : bad)
        EXPECT_EQ(-1, shl_parse_key(s, &k, NULL)) << s;
}

TEST(ShlParse, Uints)
{
    unsigned v;
    ASSERT_EQ(0, shl_parse_uint("255", 255, &v, NULL));
    EXPECT_EQ(255u, v);
    EXPECT_EQ(-1, shl_parse_uint("256", 255, &v, NULL));
    EXPECT_EQ(-1, shl_parse_uint("-1", 255, &v, NULL));
    EXPECT_EQ(-1, shl_parse_uint("1a", 255, &v, NULL));
}
