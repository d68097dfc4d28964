#include "src/shm/shl_shm.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "src/core/shl_cleanup.h"
#include "src/core/shl_name.h"
#include "src/testing/run.h"
#include "src/testing/unique.h"

namespace {

bool Exists(const struct shl_shm &obj)
{
    switch (obj.mech) {
    case SHL_MECH_FILE: return shltest::FileExists(obj.name);
    case SHL_MECH_POSIX: return shltest::PosixExists(obj.name);
    default: return shltest::SysvExists(obj.key);
    }
}

// A spec for a fresh object of `size` bytes under a unique name or key of this test.
struct Named {
    std::string name;
    struct shl_shm_spec spec;
    Named(enum shl_mech mech, size_t size)
    {
        memset(&spec, 0, sizeof spec);
        spec.mech = mech;
        spec.size = size;
        spec.mode = 0600;
        if (mech == SHL_MECH_SYSV) {
            spec.key = shltest::UniqueKey();
            spec.has_key = 1;
        } else {
            name = mech == SHL_MECH_FILE ? shltest::TempPath() : shltest::UniqueName();
            spec.name = name.c_str();
        }
    }
};

class ShlShm : public ::testing::TestWithParam<enum shl_mech> {};

TEST_P(ShlShm, WriterAndReaderShareTheBytes)
{
    Named n(GetParam(), 8192);
    struct shl_shm w, r;
    struct shl_error err;
    ASSERT_EQ(0, shl_shm_create(&w, &n.spec, &err)) << err.call;
    EXPECT_EQ(1, w.created);
    EXPECT_GE(w.cleanup_slot, 0);
    struct shl_map wm, rm;
    ASSERT_EQ(0, shl_shm_map(&w, NULL, 0, PROT_READ | PROT_WRITE, 0, &wm, NULL));
    EXPECT_EQ(8192u, wm.len);
    strcpy((char *)wm.addr, "hello");
    ASSERT_EQ(0, shl_shm_sync(&wm, MS_SYNC, NULL));
    ASSERT_EQ(0, shl_shm_sync(&wm, MS_ASYNC | MS_INVALIDATE, NULL));

    struct shl_shm_spec rs = n.spec;
    rs.flags = SHL_OPEN_RDONLY;
    rs.size = 100;
    ASSERT_EQ(0, shl_shm_open(&r, &rs, NULL));
    EXPECT_EQ(0, r.created);
    EXPECT_EQ(8192u, r.size);
    ASSERT_EQ(0, shl_shm_map(&r, NULL, 0, PROT_READ, 0, &rm, NULL));
    EXPECT_STREQ("hello", (const char *)rm.addr);

    struct shl_shm_stat st;
    ASSERT_EQ(0, shl_shm_stat(&r, &st, NULL));
    EXPECT_EQ(8192u, st.size);
    EXPECT_EQ(0600u, st.mode);
    EXPECT_EQ(getuid(), st.uid);
    if (GetParam() == SHL_MECH_SYSV) {
        EXPECT_EQ(2u, st.nattch);
        EXPECT_EQ(getpid(), st.cpid);
    }

    ASSERT_EQ(0, shl_shm_unmap(&r, &rm, NULL));
    EXPECT_EQ(nullptr, rm.addr);
    EXPECT_EQ(0, shl_shm_unmap(&r, &rm, NULL));
    shl_shm_close(&r);
    ASSERT_EQ(0, shl_shm_unmap(&w, &wm, NULL));
    ASSERT_EQ(0, shl_shm_destroy(&w, NULL));
    EXPECT_FALSE(Exists(w));
    EXPECT_EQ(-1, w.cleanup_slot);
    EXPECT_EQ(-1, w.fd);
    EXPECT_EQ(-1, shl_shm_destroy(&w, &err)); // already gone
}

TEST_P(ShlShm, ChosenNamesArePrefixedAndPlantedObjectsRefused)
{
    struct shl_shm_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.mech = GetParam();
    spec.size = 4096;
    spec.mode = 0600;
    spec.flags = SHL_CREATE_REUSE; // ignored for a name shmlab chooses
    struct shl_shm a;
    ASSERT_EQ(0, shl_shm_create(&a, &spec, NULL));
    if (GetParam() == SHL_MECH_SYSV)
        EXPECT_TRUE(shl_key_is_ours(a.key));
    else
        EXPECT_NE(nullptr, strstr(a.name, "/shmlab-"));
    EXPECT_TRUE(Exists(a));

    // Someone "plants" the same name: creating it again must fail, not reuse it.
    Named n(GetParam(), 4096);
    struct shl_shm b, c;
    ASSERT_EQ(0, shl_shm_create(&b, &n.spec, NULL));
    struct shl_error err;
    EXPECT_EQ(-1, shl_shm_create(&c, &n.spec, &err));
    EXPECT_EQ(EEXIST, err.errnum);
    n.spec.flags = SHL_CREATE_REUSE;
    ASSERT_EQ(0, shl_shm_create(&c, &n.spec, NULL)); // unless the caller asks
    EXPECT_EQ(0, c.created);
    EXPECT_EQ(-1, c.cleanup_slot); // and then it is not ours to remove
    shl_shm_close(&c);
    ASSERT_EQ(0, shl_shm_destroy(&b, NULL));
    ASSERT_EQ(0, shl_shm_destroy(&a, NULL));
}

TEST_P(ShlShm, OpenFailures)
{
    Named n(GetParam(), 64);
    struct shl_shm o;
    struct shl_error err;
    EXPECT_EQ(-1, shl_shm_open(&o, &n.spec, &err));
    EXPECT_EQ(ENOENT, err.errnum);
    ASSERT_EQ(0, shl_shm_create(&o, &n.spec, NULL));
    struct shl_shm r;
    struct shl_shm_spec big = n.spec;
    big.size = 1 << 20;
    EXPECT_EQ(-1, shl_shm_open(&r, &big, &err)); // too small for what the caller needs
    EXPECT_EQ(EINVAL, err.errnum);
    struct shl_shm_spec nameless = n.spec;
    nameless.name = NULL;
    nameless.has_key = 0;
    EXPECT_EQ(-1, shl_shm_open(&r, &nameless, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    ASSERT_EQ(0, shl_shm_destroy(&o, NULL));
}

TEST_P(ShlShm, MapFailures)
{
    Named n(GetParam(), 8192);
    struct shl_shm o;
    ASSERT_EQ(0, shl_shm_create(&o, &n.spec, NULL));
    struct shl_map m;
    struct shl_error err;
    EXPECT_EQ(-1, shl_shm_map(&o, NULL, 3 * 8192, PROT_READ, 0, &m, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    if (GetParam() == SHL_MECH_SYSV) {
        EXPECT_EQ(-1, shl_shm_map(&o, NULL, 0, PROT_READ, SHL_MAP_PRIVATE, &m, &err));
        EXPECT_EQ(-1, shl_shm_map(&o, NULL, 0, PROT_NONE, 0, &m, &err));
        EXPECT_EQ(-1, shl_shm_map(&o, NULL, 0, PROT_WRITE, 0, &m, &err));
        EXPECT_EQ(EINVAL, err.errnum);
    } else {
        shl_shm_close(&o);
        EXPECT_EQ(-1, shl_shm_map(&o, NULL, 0, PROT_READ, 0, &m, &err));
        EXPECT_EQ(EBADF, err.errnum);
    }
    ASSERT_EQ(0, shl_shm_destroy(&o, NULL));
}

// The requested address is honoured exactly (FIXED), rounded (RND), never by replacing
// a mapping that is already there.
TEST_P(ShlShm, MapsAtARequestedAddress)
{
    Named n(GetParam(), 8192);
    struct shl_shm o;
    ASSERT_EQ(0, shl_shm_create(&o, &n.spec, NULL));
    // Find a free, SHMLBA-aligned range by reserving and releasing one.
    size_t span = 4 * (size_t)SHMLBA;
    void *probe = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(MAP_FAILED, probe);
    uintptr_t at = ((uintptr_t)probe + SHMLBA - 1) / SHMLBA * SHMLBA;
    munmap(probe, span);

    struct shl_map m, m2;
    struct shl_error err;
    ASSERT_EQ(0, shl_shm_map(&o, (void *)at, 0, PROT_READ | PROT_WRITE, SHL_MAP_FIXED, &m, &err))
        << err.call << " " << err.errnum;
    EXPECT_EQ(at, (uintptr_t)m.addr);
    EXPECT_EQ(-1, shl_shm_map(&o, (void *)at, 0, PROT_READ, SHL_MAP_FIXED, &m2, &err));
    ASSERT_EQ(0, shl_shm_unmap(&o, &m, NULL));
    ASSERT_EQ(0, shl_shm_map(&o, (void *)(at + 100), 0, PROT_READ, SHL_MAP_RND, &m, NULL));
    EXPECT_EQ(at, (uintptr_t)m.addr);
    ASSERT_EQ(0, shl_shm_unmap(&o, &m, NULL));
    ASSERT_EQ(0, shl_shm_map(&o, (void *)(at + 100), 0, PROT_READ, 0, &m, NULL)); // a hint
    ASSERT_EQ(0, shl_shm_unmap(&o, &m, NULL));
    ASSERT_EQ(0, shl_shm_destroy(&o, NULL));
}

TEST_P(ShlShm, CreateFailuresLeaveNothing)
{
    Named n(GetParam(), 0);
    struct shl_shm o;
    struct shl_error err;
    EXPECT_EQ(-1, shl_shm_create(&o, &n.spec, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    n.spec.size = (size_t)1 << 62; // beyond any limit
    n.spec.flags = SHL_CREATE_RESERVE;
    // Under a 1 MiB RLIMIT_FSIZE, so that an unbounded tmpfs is never filled.
    EXPECT_TRUE(shltest::WithFileSizeLimit(
        1 << 20, [&] { return shl_shm_create(&o, &n.spec, &err) == -1 && !Exists(o); }));
}

// A process that dies of SIGTERM leaves none of the objects it created behind.
TEST_P(ShlShm, SignalRemovesWhatWasCreated)
{
    Named n(GetParam(), 4096);
    pid_t pid = shltest::ForkReady([&] {
        struct shl_shm o;
        return shl_cleanup_on_signals(NULL) == 0 && shl_shm_create(&o, &n.spec, NULL) == 0;
    });
    ASSERT_GT(pid, 0);
    struct shl_shm probe;
    struct shl_shm_spec open_spec = n.spec;
    ASSERT_EQ(0, shl_shm_open(&probe, &open_spec, NULL));
    shl_shm_close(&probe);
    kill(pid, SIGTERM);
    int ws;
    ASSERT_EQ(pid, waitpid(pid, &ws, 0));
    EXPECT_TRUE(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM);
    EXPECT_FALSE(Exists(probe));
}

TEST(ShlMech, ParseAndName)
{
    enum shl_mech m;
    ASSERT_EQ(0, shl_mech_parse("mmap", &m));
    EXPECT_EQ(SHL_MECH_FILE, m);
    ASSERT_EQ(0, shl_mech_parse("file", &m));
    EXPECT_EQ(SHL_MECH_FILE, m);
    ASSERT_EQ(0, shl_mech_parse("sysv", &m));
    EXPECT_EQ(SHL_MECH_SYSV, m);
    ASSERT_EQ(0, shl_mech_parse("posix", &m));
    EXPECT_EQ(SHL_MECH_POSIX, m);
    EXPECT_EQ(-1, shl_mech_parse("POSIX", &m));
    EXPECT_EQ(-1, shl_mech_parse("", &m));
    EXPECT_EQ(-1, shl_mech_parse(NULL, &m));
    EXPECT_STREQ("mmap", shl_mech_name(SHL_MECH_FILE));
    EXPECT_STREQ("sysv", shl_mech_name(SHL_MECH_SYSV));
    EXPECT_STREQ("posix", shl_mech_name(SHL_MECH_POSIX));
    EXPECT_STREQ("?", shl_mech_name((enum shl_mech)7));
}

INSTANTIATE_TEST_SUITE_P(AllMechanisms, ShlShm,
                         ::testing::Values(SHL_MECH_FILE, SHL_MECH_SYSV, SHL_MECH_POSIX),
                         [](const ::testing::TestParamInfo<enum shl_mech> &info) {
                             return std::string(shl_mech_name(info.param));
                         });

} // namespace
