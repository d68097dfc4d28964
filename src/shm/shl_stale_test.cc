#include "src/shm/shl_stale.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "src/core/shl_name.h"
#include "src/testing/unique.h"

namespace {

struct Found {
    std::vector<struct shl_stale> all;
};

int Collect(const struct shl_stale *obj, void *arg)
{
    static_cast<Found *>(arg)->all.push_back(*obj);
    return 0;
}

// Creates one object per mechanism under names shmlab chooses and keeps them, in this
// process (pid_out = 0) or in a child that then exits, leaving them stale.
std::vector<struct shl_shm> Leave(bool in_child)
{
    int fds[2];
    EXPECT_EQ(0, pipe(fds));
    pid_t pid = in_child ? fork() : 0;
    std::vector<struct shl_shm> made(3);
    if (pid == 0) {
        for (int m = 0; m < 3; m++) {
            struct shl_shm_spec spec = {};
            spec.mech = (enum shl_mech)m;
            spec.size = 4096;
            spec.mode = 0600;
            if (shl_shm_create(&made[m], &spec, NULL) != 0)
                abort();
            shl_shm_keep(&made[m]);
            shl_shm_close(&made[m]);
        }
        if (in_child) {
            (void)!write(fds[1], made.data(), sizeof(struct shl_shm) * 3);
            _exit(0);
        }
    } else {
        for (size_t got = 0; got < sizeof(struct shl_shm) * 3;) {
            ssize_t n = read(fds[0], (char *)made.data() + got, sizeof(struct shl_shm) * 3 - got);
            EXPECT_GT(n, 0);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        waitpid(pid, nullptr, 0);
    }
    close(fds[0]);
    close(fds[1]);
    return made;
}

const struct shl_stale *Find(const Found &f, const struct shl_shm &o)
{
    for (const auto &s : f.all)
        if (s.mech == o.mech &&
            (o.mech == SHL_MECH_SYSV ? s.shmid == o.shmid : std::string(s.name) == o.name))
            return &s;
    return nullptr;
}

TEST(ShlStale, FindsWhatADeadProcessLeftAndSparesTheLiving)
{
    setenv("TMPDIR", getenv("TEST_TMPDIR"), 1);
    std::vector<struct shl_shm> dead = Leave(true);
    std::vector<struct shl_shm> live = Leave(false);
    Found f;
    ASSERT_EQ(0, shl_stale_scan("/dev/shm", shl_tmpdir(), Collect, &f, NULL));
    for (int m = 0; m < 3; m++) {
        const struct shl_stale *d = Find(f, dead[m]);
        ASSERT_NE(nullptr, d) << m;
        EXPECT_EQ(1, d->stale) << m;
        EXPECT_NE(getpid(), d->creator);
        const struct shl_stale *l = Find(f, live[m]);
        ASSERT_NE(nullptr, l) << m;
        EXPECT_EQ(0, l->stale) << m;
        EXPECT_EQ(getpid(), l->creator);
        EXPECT_EQ(0, shl_stale_remove(d, NULL));
        EXPECT_EQ(0, shl_shm_destroy(&live[m], NULL));
    }
    Found again;
    ASSERT_EQ(0, shl_stale_scan("/dev/shm", shl_tmpdir(), Collect, &again, NULL));
    for (int m = 0; m < 3; m++) {
        EXPECT_EQ(nullptr, Find(again, dead[m]));
        EXPECT_EQ(nullptr, Find(again, live[m]));
    }
}

TEST(ShlStale, IgnoresOtherNamesAndMissingDirsAndStopsEarly)
{
    std::string dir = getenv("TEST_TMPDIR");
    std::string plain = dir + "/not-shmlab-1-2";
    std::string planted = dir + "/shmlab-1-dir";
    FILE *f = fopen(plain.c_str(), "w");
    ASSERT_NE(nullptr, f);
    fclose(f);
    ASSERT_EQ(0, mkdir(planted.c_str(), 0700)); // not a regular file: never touched
    Found found;
    ASSERT_EQ(0, shl_stale_scan("/nonexistent", dir.c_str(), Collect, &found, NULL));
    for (const auto &s : found.all)
        EXPECT_EQ(SHL_MECH_SYSV, s.mech) << s.name;
    rmdir(planted.c_str());
    unlink(plain.c_str());

    struct shl_shm o;
    struct shl_shm_spec spec = {};
    spec.mech = SHL_MECH_SYSV;
    spec.size = 4096;
    spec.mode = 0600;
    ASSERT_EQ(0, shl_shm_create(&o, &spec, NULL));
    int calls = 0;
    auto stop = [](const struct shl_stale *, void *arg) {
        ++*static_cast<int *>(arg);
        return 7;
    };
    EXPECT_EQ(7, shl_stale_scan("/nonexistent", "/nonexistent", stop, &calls, NULL));
    EXPECT_EQ(1, calls);
    ASSERT_EQ(0, shl_shm_destroy(&o, NULL));
}

} // namespace
