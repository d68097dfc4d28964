#include "src/shm/shl_memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "src/shm/shl_shm.h"
#include "src/testing/run.h"

namespace {

TEST(ShlMemfd, CreateSizesAndSealsIt)
{
    int fd;
    struct shl_error err;
    ASSERT_EQ(0, shl_memfd_create("shmlab-test", 8192, 0600, SHL_CREATE_RESERVE, &fd, &err))
        << err.call;
    struct stat st;
    ASSERT_EQ(0, fstat(fd, &st));
    EXPECT_EQ(8192, st.st_size);
    EXPECT_EQ(0600u, st.st_mode & 07777);
    EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);

    unsigned seals = ~0u;
    ASSERT_EQ(0, shl_memfd_get_seals(fd, &seals, NULL));
    EXPECT_EQ(0u, seals); // MFD_ALLOW_SEALING: no seal yet, not even F_SEAL_SEAL
    ASSERT_EQ(0, shl_memfd_add_seals(fd, F_SEAL_SHRINK | F_SEAL_GROW, NULL));
    ASSERT_EQ(0, shl_memfd_get_seals(fd, &seals, NULL));
    EXPECT_EQ((unsigned)(F_SEAL_SHRINK | F_SEAL_GROW), seals);
    EXPECT_EQ(-1, ftruncate(fd, 4096));
    EXPECT_EQ(EPERM, errno);
    ASSERT_EQ(0, shl_memfd_add_seals(fd, F_SEAL_SEAL, NULL));
    EXPECT_EQ(-1, shl_memfd_add_seals(fd, F_SEAL_WRITE, &err));
    EXPECT_EQ(EPERM, err.errnum);
    EXPECT_STREQ("fcntl(F_ADD_SEALS)", err.call);
    close(fd);
    EXPECT_EQ(-1, shl_memfd_get_seals(fd, &seals, &err));
    EXPECT_EQ(EBADF, err.errnum);
}

TEST(ShlMemfd, BadLabelsAndSizesAreErrors)
{
    int fd = -1;
    struct shl_error err;
    std::string too_long(SHL_MEMFD_LABEL_MAX + 1, 'a');
    EXPECT_EQ(-1, shl_memfd_create(too_long.c_str(), 64, 0600, 0, &fd, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_EQ(-1, shl_memfd_create(NULL, 64, 0600, 0, &fd, &err));
    // A memfd is bounded only by RAM, so oversized requests run under a 1 MiB RLIMIT_FSIZE:
    // SIZE_MAX overflows off_t on 64-bit and is refused before any call; 16 MiB (and SIZE_MAX
    // where size_t is 32 bits) reaches ftruncate, which the limit stops with EFBIG.
    EXPECT_TRUE(shltest::WithFileSizeLimit(1 << 20, [] {
        int big = -1;
        struct shl_error e;
        for (size_t size : {SIZE_MAX, (size_t)16 << 20})
            if (shl_memfd_create("shmlab-big", size, 0600, SHL_CREATE_RESERVE, &big, &e) != -1 ||
                e.errnum != EFBIG || big != -1)
                return false;
        return true;
    }));
    std::string longest(SHL_MEMFD_LABEL_MAX, 'b');
    ASSERT_EQ(0, shl_memfd_create(longest.c_str(), 64, 0600, 0, &fd, &err)) << err.errnum;
    close(fd);
}

TEST(ShlMemfd, PathOpensTheSameObjectAndRefusesOtherFiles)
{
    int fd;
    ASSERT_EQ(0, shl_memfd_create("shmlab-path", 4096, 0600, 0, &fd, NULL));
    char path[64];
    ASSERT_EQ(0, shl_memfd_path(fd, path, sizeof path, NULL));
    EXPECT_EQ("/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(fd), std::string(path));
    ASSERT_EQ(4, pwrite(fd, "abc", 4, 0));
    int again;
    struct shl_error err;
    ASSERT_EQ(0, shl_memfd_open(path, O_RDONLY, &again, &err)) << err.call << " " << err.errnum;
    char buf[4] = {0};
    ASSERT_EQ(4, pread(again, buf, 4, 0));
    EXPECT_STREQ("abc", buf);
    EXPECT_EQ(O_RDONLY, fcntl(again, F_GETFL) & O_ACCMODE);
    close(again);
    EXPECT_EQ(-1, shl_memfd_path(-1, path, sizeof path, &err));
    EXPECT_EQ(EBADF, err.errnum);
    char short_buf[8];
    EXPECT_EQ(-1, shl_memfd_path(fd, short_buf, sizeof short_buf, &err));
    EXPECT_EQ(ENAMETOOLONG, err.errnum);

    int pipefd[2];
    ASSERT_EQ(0, pipe(pipefd));
    char pipe_path[64];
    ASSERT_EQ(0, shl_memfd_path(pipefd[0], pipe_path, sizeof pipe_path, NULL));
    EXPECT_EQ(-1, shl_memfd_open(pipe_path, O_RDONLY, &again, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    close(pipefd[0]);
    close(pipefd[1]);
    close(fd);
    EXPECT_EQ(-1, shl_memfd_open(path, O_RDONLY, &again, &err));
    EXPECT_EQ(ENOENT, err.errnum);
}

// Through the common interface: a child inherits the object across fork, and a reader
// opens it by the path in obj.name; closing the last descriptor and mapping ends it.
TEST(ShlMemfd, CommonInterfaceSharesBytesWithAChild)
{
    struct shl_shm_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.mech = SHL_MECH_MEMFD;
    spec.size = 8192;
    spec.mode = 0600;
    struct shl_shm w;
    struct shl_error err;
    ASSERT_EQ(0, shl_shm_create(&w, &spec, &err)) << err.call;
    EXPECT_EQ(1, w.created);
    EXPECT_EQ(-1, w.cleanup_slot);
    EXPECT_EQ(0, strncmp(w.name, "/proc/", 6)) << w.name;
    char link[128] = {0};
    ASSERT_GT(readlink(w.name, link, sizeof link - 1), 0);
    EXPECT_EQ(0, strncmp(link, "/memfd:shmlab-", 14)) << link;

    struct shl_map m;
    ASSERT_EQ(0, shl_shm_map(&w, NULL, 0, PROT_READ | PROT_WRITE, 0, &m, NULL));
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        strcpy((char *)m.addr + 4096, "from the child");
        _exit(0);
    }
    int ws;
    ASSERT_EQ(pid, waitpid(pid, &ws, 0));
    EXPECT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);

    struct shl_shm_spec rs = spec;
    rs.name = w.name;
    rs.flags = SHL_OPEN_RDONLY;
    rs.size = 100;
    struct shl_shm r;
    ASSERT_EQ(0, shl_shm_open(&r, &rs, &err)) << err.call << " " << err.errnum;
    EXPECT_EQ(8192u, r.size);
    EXPECT_EQ(0, r.created);
    struct shl_map rm;
    ASSERT_EQ(0, shl_shm_map(&r, NULL, 0, PROT_READ, 0, &rm, NULL));
    EXPECT_STREQ("from the child", (const char *)rm.addr + 4096);
    struct shl_shm_stat st;
    ASSERT_EQ(0, shl_shm_stat(&r, &st, NULL));
    EXPECT_EQ(8192u, st.size);
    EXPECT_EQ(0600u, st.mode);
    EXPECT_EQ(getuid(), st.uid);

    rs.size = 1 << 20;
    struct shl_shm small;
    EXPECT_EQ(-1, shl_shm_open(&small, &rs, &err)); // smaller than the reader needs
    EXPECT_EQ(EINVAL, err.errnum);

    ASSERT_EQ(0, shl_shm_unmap(&r, &rm, NULL));
    shl_shm_close(&r);
    ASSERT_EQ(0, shl_shm_unmap(&w, &m, NULL));
    std::string path = w.name;
    ASSERT_EQ(0, shl_shm_destroy(&w, NULL));
    EXPECT_EQ(-1, w.fd);
    EXPECT_EQ(-1, shl_shm_destroy(&w, &err)); // already closed
    EXPECT_EQ(EBADF, err.errnum);
    EXPECT_EQ(-1, access(path.c_str(), F_OK)); // the descriptor, and so the object, is gone
}

TEST(ShlMemfd, MechanismName)
{
    enum shl_mech m;
    ASSERT_EQ(0, shl_mech_parse("memfd", &m));
    EXPECT_EQ(SHL_MECH_MEMFD, m);
    EXPECT_STREQ("memfd", shl_mech_name(SHL_MECH_MEMFD));
}

} // namespace
