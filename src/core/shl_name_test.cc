#include "src/core/shl_name.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/ipc.h>

#include <string>

TEST(ShlName, PosixNamesArePrefixedAndDiffer)
{
    char a[SHL_NAME_LEN], b[SHL_NAME_LEN];
    ASSERT_EQ(0, shl_name_posix(a, sizeof a, NULL));
    ASSERT_EQ(0, shl_name_posix(b, sizeof b, NULL));
    EXPECT_EQ(0, strncmp(a, "/shmlab-", 8));
    EXPECT_STRNE(a, b);
    EXPECT_TRUE(shl_name_is_ours(a));
    EXPECT_TRUE(shl_name_is_ours(a + 1));
    EXPECT_FALSE(shl_name_is_ours("/xyz"));
}

TEST(ShlName, PosixNameRefusesAShortBuffer)
{
    char small[8];
    struct shl_error err;
    EXPECT_EQ(-1, shl_name_posix(small, sizeof small, &err));
    EXPECT_EQ(ENAMETOOLONG, err.errnum);
}

TEST(ShlName, KeysAreTaggedAndNeverPrivate)
{
    for (int i = 0; i < 100; i++) {
        key_t k;
        ASSERT_EQ(0, shl_name_key(&k, NULL));
        EXPECT_NE(IPC_PRIVATE, k);
        EXPECT_TRUE(shl_key_is_ours(k));
    }
    EXPECT_FALSE(shl_key_is_ours(1234));
    EXPECT_FALSE(shl_key_is_ours(IPC_PRIVATE));
}

TEST(ShlName, RandomFillsTheBuffer)
{
    unsigned char buf[64] = {0};
    ASSERT_EQ(0, shl_random(buf, sizeof buf, NULL));
    int nonzero = 0;
    for (unsigned char c : buf)
        nonzero += c != 0;
    EXPECT_GT(nonzero, 32);
}

TEST(ShlName, PidInNames)
{
    EXPECT_EQ(123, shl_name_pid("/shmlab-123-abcdef"));
    EXPECT_EQ(123, shl_name_pid("/tmp/x/shmlab-123-abcdef"));
    EXPECT_EQ(123, shl_name_pid("shmlab-123-"));
    EXPECT_EQ(-1, shl_name_pid("/shmlab-0123-a"));
    EXPECT_EQ(-1, shl_name_pid("/shmlab-123"));
    EXPECT_EQ(-1, shl_name_pid("/shmlab--1-a"));
    EXPECT_EQ(-1, shl_name_pid("/shmlab-99999999999-a"));
    EXPECT_EQ(-1, shl_name_pid("/xyz"));
    unsetenv("TMPDIR");
    EXPECT_STREQ("/tmp", shl_tmpdir());
    setenv("TMPDIR", "", 1);
    EXPECT_STREQ("/tmp", shl_tmpdir());
    setenv("TMPDIR", "/var/tmp", 1);
    EXPECT_STREQ("/var/tmp", shl_tmpdir());
}
