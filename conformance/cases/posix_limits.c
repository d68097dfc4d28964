/* A shared memory object on a full file system: the container case of a small /dev/shm.
 * A helper mounts a tiny tmpfs over /dev/shm in a private mount namespace: no one else sees
 * it, and the objects in it vanish with the namespace. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

enum { QUOTA_PAGES = 16 };

/* Gives the calling helper its own /dev/shm of QUOTA_PAGES pages and a new object of
 * `pages` pages in it (sparse: ftruncate reserves nothing). */
static int object_on_small_dev_shm(long pages)
{
    cf_private_namespaces(CLONE_NEWNS);
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        CF_SKIP("cannot make mounts private: mount(MS_PRIVATE): %s", cf_errno_name(errno));
    char options[64];
    snprintf(options, sizeof options, "size=%ld,mode=1777", QUOTA_PAGES * cf_page_size());
    if (mount("shmlab-quota", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
        CF_SKIP("cannot mount a small tmpfs on /dev/shm: %s", cf_errno_name(errno));
    cf_info("/dev/shm of %d pages", QUOTA_PAGES);
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        CF_BROKEN("shm_open on the small /dev/shm: %s", cf_errno_name(errno));
    /* Sparse growth beyond the quota is allowed: nothing is allocated yet. */
    CF_EXP_PASS(ftruncate(fd, pages * cf_page_size()));
    return fd;
}

CF_CASE(posix, limits_fallocate_past_quota_enospc,
        "posix_fallocate() of an object beyond the space its file system has left fails "
        "with ENOSPC",
        "POSIX.1-2017 posix_fallocate(), ERRORS (ENOSPC); tmpfs(5) (size=)")
{
    pid_t pid = CF_FORK();
    if (pid == 0) {
        long pages = 4 * QUOTA_PAGES;
        int fd = object_on_small_dev_shm(pages);
        int ret = posix_fallocate(fd, 0, pages * cf_page_size());
        CF_EXPECT(ret == ENOSPC, "posix_fallocate returned %s", cf_errno_name(ret));
        _exit(0);
    }
    CF_REAP(pid);
}

CF_CASE(posix, limits_touch_past_quota_sigbus,
        "touching pages of a sparse object beyond its file system's free space raises "
        "SIGBUS, after the pages that fit were usable",
        "tmpfs(5) (size=; SIGBUS when exceeded); mmap(2) (SIGBUS)")
{
    pid_t pid = CF_FORK();
    if (pid == 0) {
        long pages = 4 * QUOTA_PAGES, page = cf_page_size();
        int fd = object_on_small_dev_shm(pages);
        volatile char *p = SAFE_MMAP(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        /* Half the quota is surely free; the whole of it may not be (metadata). */
        for (long i = 0; i < QUOTA_PAGES / 2; i++)
            p[i * page] = 1;
        CF_EXPECT_SIGNAL(SIGBUS, for (long i = 0; i < pages; i++) p[i * page] = 1);
        _exit(0);
    }
    CF_REAP(pid);
}
