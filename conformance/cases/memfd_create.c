/* memfd_create(): the name is only a label, the flags are checked, and the object is an
 * ordinary shared file that lives as long as a descriptor or mapping of it. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

/* The longest name memfd_create(2) takes: 249 bytes, NUL excluded ("/memfd:" and the name fit
 * NAME_MAX). */
#define MEMFD_NAME_MAX 249

/* A name of `len` characters, unique to this case. */
static void long_label(char *buf, size_t len)
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    memset(buf, 'x', len);
    size_t own = strlen(name + 1);
    memcpy(buf, name + 1, own < len ? own : len);
    buf[len] = '\0';
}

CF_CASE(memfd, create_name_max_accepted, "memfd_create() accepts a name of 249 bytes",
        "memfd_create(2), ERRORS (EINVAL: name longer than 249 bytes)")
{
    char label[MEMFD_NAME_MAX + 1];
    long_label(label, MEMFD_NAME_MAX);
    int fd = CF_EXP_FD(memfd_create(label, MFD_CLOEXEC));
    close(fd);
}

CF_CASE(memfd, create_name_too_long_einval,
        "memfd_create() of a name longer than 249 bytes fails with EINVAL",
        "memfd_create(2), ERRORS (EINVAL); kernel selftests memfd_test.c (test_create); "
        "LTP memfd_create02")
{
    char label[MEMFD_NAME_MAX + 2];
    long_label(label, MEMFD_NAME_MAX + 1);
    CF_EXP_FAIL(memfd_create(label, MFD_CLOEXEC), EINVAL);
}

CF_CASE(memfd, create_unknown_flags_einval,
        "memfd_create() with a flag bit it does not know fails with EINVAL",
        "memfd_create(2), ERRORS (EINVAL: flags included unknown bits); "
        "kernel selftests memfd_test.c (test_create)")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    CF_EXP_FAIL(memfd_create(name + 1, 0x80000000u), EINVAL);
    CF_EXP_FAIL(memfd_create(name + 1, ~0u), EINVAL);
}

CF_CASE(memfd, create_bad_name_efault,
        "memfd_create() with a name at an unmapped address fails with EFAULT",
        "memfd_create(2), ERRORS (EFAULT); gVisor memfd.cc")
{
    const char *nowhere = cf_free_range((size_t)cf_page_size());
    CF_EXP_FAIL(memfd_create(nowhere, MFD_CLOEXEC), EFAULT);
}

CF_CASE(memfd, create_new_is_empty_regular_file,
        "a new memfd is an empty regular file, opened for reading and writing",
        "memfd_create(2), DESCRIPTION (initial size 0, O_RDWR); gVisor memfd.cc")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    int fd = CF_EXP_FD(memfd_create(name + 1, 0));
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT(S_ISREG(st.st_mode), "st_mode %#o is not a regular file", (unsigned)st.st_mode);
    CF_EXPECT_EQ(st.st_size, 0);
    CF_EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
}

CF_CASE(memfd, create_same_name_separate_objects,
        "two memfds created with the same name are separate objects",
        "memfd_create(2), DESCRIPTION (names are for debugging only, need not be unique)")
{
    char label[CF_NAME_MAX];
    int a = SAFE_MEMFD(0, (size_t)cf_page_size(), label);
    int b = CF_EXP_FD(memfd_create(label, 0));
    struct stat sa, sb;
    SAFE_FSTAT(a, &sa);
    SAFE_FSTAT(b, &sb);
    CF_EXPECT(sa.st_ino != sb.st_ino || sa.st_dev != sb.st_dev, "both are inode %lu",
              (unsigned long)sa.st_ino);
    CF_EXPECT_EQ(sb.st_size, 0);
}

CF_CASE(memfd, proc_fd_link_names_memfd, "/proc/self/fd of a memfd reads \"/memfd:NAME (deleted)\"",
        "memfd_create(2), DESCRIPTION (the name is shown as the target of /proc/self/fd); "
        "gVisor memfd.cc")
{
    char label[CF_NAME_MAX];
    int fd = SAFE_MEMFD(0, 0, label);
    char link[64], target[CF_NAME_MAX + 32], want[CF_NAME_MAX + 32];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        CF_SKIP("readlink(%s) failed: no /proc here?", link);
    target[n] = '\0';
    snprintf(want, sizeof want, "/memfd:%s (deleted)", label);
    CF_EXPECT(strcmp(target, want) == 0, "the link reads '%s', expected '%s'", target, want);
}

CF_CASE(memfd, cloexec_flag_sets_fd_cloexec,
        "MFD_CLOEXEC sets FD_CLOEXEC on the new descriptor, and without it the flag is clear",
        "memfd_create(2), DESCRIPTION (MFD_CLOEXEC); LTP memfd_create01")
{
    int with = SAFE_MEMFD(MFD_CLOEXEC, 0, NULL);
    int without = SAFE_MEMFD(0, 0, NULL);
    CF_EXPECT_EQ(fcntl(with, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    CF_EXPECT_EQ(fcntl(without, F_GETFD) & FD_CLOEXEC, 0);
}

CF_CASE(memfd, shared_mapping_crosses_fork,
        "a MAP_SHARED mapping of a memfd is shared with a forked child, and the child's "
        "stores reach the file",
        "memfd_create(2), DESCRIPTION (behaves like a regular file); mmap(2) (MAP_SHARED)")
{
    size_t page = (size_t)cf_page_size();
    int fd = SAFE_MEMFD(MFD_CLOEXEC, page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        memcpy(p + 100, "child", 6);
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT(memcmp(p + 100, "child", 6) == 0, "the child's store is not in the mapping");
    char buf[6];
    SAFE_PREAD(fd, buf, sizeof buf, 100);
    CF_EXPECT(memcmp(buf, "child", 6) == 0, "the child's store is not in the file");
}

CF_CASE(memfd, contents_live_while_mapped,
        "a memfd's contents outlive its last descriptor while a mapping of it exists",
        "memfd_create(2), DESCRIPTION (released when all references are dropped)")
{
    size_t page = (size_t)cf_page_size();
    int fd = SAFE_MEMFD(MFD_CLOEXEC, page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p, "kept", 5);
    SAFE_CLOSE(fd);
    CF_EXPECT(memcmp(p, "kept", 5) == 0, "the data changed after close");
}
