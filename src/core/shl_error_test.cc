#include "src/core/shl_error.h"

#include <errno.h>
#include <gtest/gtest.h>

TEST(ShlError, FailRecordsCallErrnoAndDetail)
{
    struct shl_error err;
    EXPECT_EQ(-1, shl_fail(&err, "shmget", ENOENT, "key %d", 7));
    EXPECT_STREQ("shmget", err.call);
    EXPECT_EQ(ENOENT, err.errnum);
    char buf[128];
    EXPECT_STREQ("shmget(key 7): No such file or directory", shl_error_text(&err, buf, sizeof buf));
}

TEST(ShlError, TextWithoutDetailAndWithoutError)
{
    struct shl_error err;
    shl_fail(&err, "mmap", EINVAL, NULL);
    char buf[64];
    EXPECT_STREQ("mmap: Invalid argument", shl_error_text(&err, buf, sizeof buf));
    EXPECT_STREQ("no error", shl_error_text(NULL, buf, sizeof buf));
}

TEST(ShlError, NullErrorIsAllowedAndShortBuffersStayTerminated)
{
    EXPECT_EQ(-1, shl_fail(NULL, "x", EIO, "ignored"));
    struct shl_error err;
    shl_fail(&err, "open", EACCES, "%s", "/a/very/long/path");
    char buf[8];
    shl_error_text(&err, buf, sizeof buf);
    EXPECT_EQ(7u, strlen(buf));
}
