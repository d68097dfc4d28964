#include "src/shm/shl_sysv.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include "src/shm/shl_file.h"
#include "src/testing/unique.h"

namespace {

// Creates a segment under a unique key and removes it at the end of the test.
class ShlSysv : public ::testing::Test {
  protected:
    void SetUp() override
    {
        key_ = shltest::UniqueKey();
        int created;
        ASSERT_EQ(0, shl_sysv_create(key_, 8192, 0600, 0, &id_, &created, NULL));
        ASSERT_EQ(1, created);
    }
    void TearDown() override
    {
        shmctl(id_, IPC_RMID, NULL);
    }
    key_t key_;
    int id_ = -1;
};

TEST_F(ShlSysv, CreateIsExclusiveUnlessReused)
{
    int id, created;
    struct shl_error err;
    EXPECT_EQ(-1, shl_sysv_create(key_, 8192, 0600, 0, &id, &created, &err));
    EXPECT_EQ(EEXIST, err.errnum);
    EXPECT_EQ(0, created);
    ASSERT_EQ(0, shl_sysv_create(key_, 8192, 0600, SHL_CREATE_REUSE, &id, &created, NULL));
    EXPECT_EQ(id_, id);
    EXPECT_EQ(0, created);
    EXPECT_EQ(-1, shl_sysv_create(key_, 1 << 20, 0600, SHL_CREATE_REUSE, &id, &created, &err));
    EXPECT_EQ(EINVAL, err.errnum); // an existing segment cannot grow
    ASSERT_EQ(0, shl_sysv_open(key_, &id, NULL));
    EXPECT_EQ(id_, id);
}

TEST_F(ShlSysv, AttachAnywhereAtAnAddressAndRounded)
{
    void *p;
    ASSERT_EQ(0, shl_sysv_attach(id_, NULL, 0, &p, NULL));
    memcpy(p, "barr", 4);
    uintptr_t where = (uintptr_t)p;
    ASSERT_EQ(0, shl_sysv_detach(p, NULL));

    // The same address again, exactly; then an unaligned one, with and without SHM_RND.
    void *q;
    ASSERT_EQ(0, shl_sysv_attach(id_, (void *)where, 0, &q, NULL));
    EXPECT_EQ(where, (uintptr_t)q);
    EXPECT_EQ(0, memcmp(q, "barr", 4));
    ASSERT_EQ(0, shl_sysv_detach(q, NULL));
    struct shl_error err;
    EXPECT_EQ(-1, shl_sysv_attach(id_, (void *)(where + 1), 0, &q, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    ASSERT_EQ(0, shl_sysv_attach(id_, (void *)(where + 1), SHM_RND, &q, NULL));
    EXPECT_EQ(shl_sysv_round(where + 1), (uintptr_t)q);
    ASSERT_EQ(0, shl_sysv_detach(q, NULL));
}

TEST_F(ShlSysv, RoundIsAddrMinusAddrModShmlba)
{
    EXPECT_EQ(0u, shl_sysv_round(0));
    EXPECT_EQ((uintptr_t)SHMLBA, shl_sysv_round(SHMLBA));
    EXPECT_EQ((uintptr_t)SHMLBA, shl_sysv_round(2 * SHMLBA - 1));
    EXPECT_EQ((uintptr_t)SHMLBA * 3, shl_sysv_round(3 * SHMLBA + 5));
}

TEST_F(ShlSysv, ReadOnlyAttachStatSetRemove)
{
    void *p;
    ASSERT_EQ(0, shl_sysv_attach(id_, NULL, SHM_RDONLY, &p, NULL));
    struct shmid_ds ds;
    ASSERT_EQ(0, shl_sysv_stat(id_, &ds, NULL));
    EXPECT_EQ(8192u, ds.shm_segsz);
    EXPECT_EQ(1u, ds.shm_nattch);
    EXPECT_EQ(0600u, ds.shm_perm.mode & 0777);
    EXPECT_EQ(getpid(), ds.shm_cpid);
    ASSERT_EQ(0, shl_sysv_set(id_, getuid(), getgid(), 0640, NULL));
    ASSERT_EQ(0, shl_sysv_stat(id_, &ds, NULL));
    EXPECT_EQ(0640u, ds.shm_perm.mode & 0777);

    ASSERT_EQ(0, shl_sysv_remove(id_, NULL));
    ASSERT_EQ(0, shl_sysv_stat(id_, &ds, NULL)); // still attached: it lingers
    EXPECT_NE(0, ds.shm_perm.mode & SHM_DEST);
    EXPECT_FALSE(shltest::SysvExists(key_));
    ASSERT_EQ(0, shl_sysv_detach(p, NULL));
    struct shl_error err;
    EXPECT_EQ(-1, shl_sysv_stat(id_, &ds, &err));
    EXPECT_EQ(EINVAL, err.errnum);
}

TEST_F(ShlSysv, FailuresComeBackAsValues)
{
    struct shl_error err;
    int id, created;
    void *p;
    struct shmid_ds ds;
    EXPECT_EQ(-1, shl_sysv_open(shltest::UniqueKey(), &id, &err));
    EXPECT_EQ(ENOENT, err.errnum);
    EXPECT_STREQ("shmget", err.call);
    EXPECT_EQ(-1, shl_sysv_create(shltest::UniqueKey(), 0, 0600, 0, &id, &created, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_EQ(-1, shl_sysv_attach(-1, NULL, 0, &p, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_STREQ("shmat", err.call);
    EXPECT_EQ(-1, shl_sysv_detach((void *)(uintptr_t)SHMLBA, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_EQ(-1, shl_sysv_stat(-1, &ds, &err));
    EXPECT_EQ(-1, shl_sysv_set(-1, 0, 0, 0600, &err));
    EXPECT_EQ(-1, shl_sysv_remove(-1, &err));
    EXPECT_STREQ("shmctl", err.call);
}

TEST(ShlSysvKeys, FtokAndPrivate)
{
    key_t a, b;
    ASSERT_EQ(0, shl_sysv_ftok("/", 1, &a, NULL));
    ASSERT_EQ(0, shl_sysv_ftok("/", 2, &b, NULL));
    EXPECT_NE(a, b);
    struct shl_error err;
    EXPECT_EQ(-1, shl_sysv_ftok("/", 0, &a, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_EQ(-1, shl_sysv_ftok("/", 256, &a, &err));
    EXPECT_EQ(-1, shl_sysv_ftok("/nonexistent-path", 1, &a, &err));
    EXPECT_EQ(ENOENT, err.errnum);

    int id1, id2, created;
    ASSERT_EQ(0, shl_sysv_create(IPC_PRIVATE, 4096, 0600, 0, &id1, &created, NULL));
    ASSERT_EQ(0, shl_sysv_create(IPC_PRIVATE, 4096, 0600, SHL_CREATE_REUSE, &id2, &created, NULL));
    EXPECT_EQ(1, created); // IPC_PRIVATE always makes a new segment
    EXPECT_NE(id1, id2);
    EXPECT_EQ(0, shl_sysv_remove(id1, NULL));
    EXPECT_EQ(0, shl_sysv_remove(id2, NULL));
}

} // namespace
