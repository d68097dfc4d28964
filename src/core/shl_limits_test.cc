#include "src/core/shl_limits.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include <string>

namespace {

std::string WriteLimit(const char *text)
{
    const char *dir = getenv("TEST_TMPDIR");
    std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/limit";
    FILE *f = fopen(path.c_str(), "w");
    EXPECT_NE(f, nullptr);
    if (f != nullptr) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

// /proc/sys writes the number and a newline; shmmax's default is near 2^64.
TEST(ShlLimits, ReadsThePositiveNumberInTheFile)
{
    unsigned long long v = 0;
    ASSERT_EQ(0, shl_limit_read(WriteLimit("8192\n").c_str(), &v, NULL));
    EXPECT_EQ(8192u, v);
    ASSERT_EQ(0, shl_limit_read(WriteLimit("18446744073692774399\n").c_str(), &v, NULL));
    EXPECT_EQ(18446744073692774399ull, v);
}

TEST(ShlLimits, RefusesWhatIsNoPositiveNumber)
{
    for (const char *text : {"", "0\n", "-1\n", "12x\n", " 5\n", "99999999999999999999\n"}) {
        unsigned long long v = 7;
        struct shl_error err;
        EXPECT_EQ(-1, shl_limit_read(WriteLimit(text).c_str(), &v, &err)) << text;
        EXPECT_EQ(EINVAL, err.errnum) << text;
        EXPECT_EQ(7u, v) << text;
    }
    unsigned long long v;
    struct shl_error err;
    EXPECT_EQ(-1, shl_limit_read("/proc/sys/kernel/no-such-limit", &v, &err));
    EXPECT_EQ(ENOENT, err.errnum);
}

} // namespace
