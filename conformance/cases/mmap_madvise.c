/* madvise() on file, shared and anonymous mappings: what MADV_DONTNEED, MADV_DONTFORK and
 * MADV_REMOVE do to the data, and the errors. */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, madv_dontneed_private_file_page_refetched,
        "after MADV_DONTNEED a modified MAP_PRIVATE file page shows the file's bytes again",
        "madvise(2) MADV_DONTNEED (private mappings are repopulated from the file); "
        "gVisor madvise.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
                                          0);
    memset((void *)p, 0, 2 * page);
    CF_EXP_PASS(madvise((void *)p, 2 * page, MADV_DONTNEED));
    CF_EXPECT_EQ(cf_pattern_mismatch(p, 2 * page, 0), -1);
}

CF_CASE(mmap, madv_dontneed_private_anon_zero_filled,
        "after MADV_DONTNEED a MAP_PRIVATE anonymous page reads as zeros",
        "madvise(2) MADV_DONTNEED (zero-fill-on-demand for private anonymous mappings); "
        "gVisor madvise.cc")
{
    long page = cf_page_size();
    volatile unsigned char *p = SAFE_ANON(2 * page, MAP_PRIVATE);
    memset((void *)p, 'a', 2 * page);
    CF_EXP_PASS(madvise((void *)p, page, MADV_DONTNEED));
    CF_EXPECT_EQ(cf_first_nonzero(p, 0, page), -1);
    CF_EXPECT_EQ(p[page], 'a');
}

CF_CASE(mmap, madv_dontneed_shared_anon_keeps_data,
        "MADV_DONTNEED on MAP_SHARED|MAP_ANONYMOUS memory keeps its contents",
        "madvise(2) MADV_DONTNEED (shared mappings are repopulated from the backing object); "
        "gVisor madvise.cc")
{
    long page = cf_page_size();
    volatile unsigned char *p = SAFE_ANON(page, MAP_SHARED);
    memset((void *)p, 's', page);
    CF_EXP_PASS(madvise((void *)p, page, MADV_DONTNEED));
    CF_EXPECT_EQ(p[0], 's');
    CF_EXPECT_EQ(p[page - 1], 's');
}

/* A fork()ed child checks that the middle page of `p` (3 pages) is not mapped, then stores
 * into the outer two, which the parent must see. */
static void expect_middle_page_not_inherited(volatile char *p, long page)
{
    pid_t pid = CF_FORK();
    if (pid == 0) {
        CF_EXPECT_SIGNAL(SIGSEGV, (void)p[page]);
        p[0] = 'f';
        p[2 * page] = 'g';
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT(p[0] == 'f' && p[2 * page] == 'g',
              "the child's stores to the shared pages "
              "are not seen (%d, %d)",
              p[0], p[2 * page]);
    CF_EXPECT_EQ(p[page], 'm');
}

CF_CASE(mmap, madv_dontfork_page_absent_in_child,
        "a page given MADV_DONTFORK is not mapped in a fork()ed child, while the rest of the "
        "shared mapping stays shared",
        "madvise(2) MADV_DONTFORK; gVisor madvise.cc (DontFork shared)")
{
    long page = cf_page_size();
    volatile char *p = SAFE_ANON(3 * page, MAP_SHARED);
    p[page] = 'm';
    CF_EXP_PASS(madvise((void *)(p + page), page, MADV_DONTFORK));
    expect_middle_page_not_inherited(p, page);
}

CF_CASE(mmap, madv_dofork_undoes_dontfork,
        "MADV_DOFORK after MADV_DONTFORK makes the page inherited by a fork()ed child again",
        "madvise(2) MADV_DOFORK")
{
    long page = cf_page_size();
    volatile char *p = SAFE_ANON(page, MAP_SHARED);
    CF_EXP_PASS(madvise((void *)p, page, MADV_DONTFORK));
    CF_EXP_PASS(madvise((void *)p, page, MADV_DOFORK));
    pid_t pid = CF_FORK();
    if (pid == 0) {
        p[0] = 'k';
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT_EQ(p[0], 'k');
}

CF_CASE(mmap, madv_remove_frees_shared_tmpfs_range,
        "MADV_REMOVE on a shared writable mapping of a tmpfs object frees the range: the "
        "mapping and the object read zeros there, and the size is unchanged",
        "madvise(2) MADV_REMOVE (tmpfs/shmem); fallocate(2) FALLOC_FL_PUNCH_HOLE")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(2 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    memset((void *)p, 'r', 2 * page);
    errno = 0;
    if (madvise((void *)(p + page), page, MADV_REMOVE) != 0) {
        if (errno == EOPNOTSUPP)
            CF_SKIP("the filesystem under /dev/shm does not support MADV_REMOVE");
        CF_FAIL("madvise(MADV_REMOVE) failed with %s", cf_errno_name(errno));
        return;
    }
    CF_EXPECT_EQ(cf_first_nonzero(p, page, 2 * page), -1);
    CF_EXPECT_EQ(p[page - 1], 'r');
    unsigned char got = 1;
    SAFE_PREAD(fd, &got, 1, page + 3);
    CF_EXPECT_EQ(got, 0);
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_size, 2 * page);
}

CF_CASE(mmap, madv_remove_private_mapping_eacces,
        "MADV_REMOVE on a MAP_PRIVATE file mapping fails with EACCES",
        "madvise(2) ERRORS (EACCES: MADV_REMOVE on a range that is not shared writable)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, NULL);
    void *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CF_EXP_FAIL(madvise(p, page, MADV_REMOVE), EACCES);
}

CF_CASE(mmap, madvise_unaligned_einval,
        "madvise() at an address that is not page aligned fails with EINVAL",
        "madvise(2) ERRORS (EINVAL: addr is not page-aligned); LTP madvise02")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(madvise(p + 100, 100, MADV_NORMAL), EINVAL);
}

CF_CASE(mmap, madvise_unknown_advice_einval,
        "madvise() with advice it does not define fails with EINVAL",
        "madvise(2) ERRORS (EINVAL: advice is not valid); LTP madvise02")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    void *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(madvise(p, page, 1212), EINVAL);
}

CF_CASE(mmap, madvise_unmapped_range_enomem,
        "madvise() over a range that is partly not mapped fails with ENOMEM",
        "madvise(2) ERRORS (ENOMEM: addresses in the range are not mapped); LTP madvise02")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    char *at = cf_free_range(2 * page);
    SAFE_MMAP(at, page, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
    CF_EXP_FAIL(madvise(at, 2 * page, MADV_NORMAL), ENOMEM);
}

CF_CASE(mmap, madv_dontneed_locked_einval,
        "MADV_DONTNEED on locked pages fails with EINVAL and keeps them",
        "madvise(2) ERRORS (EINVAL: MADV_DONTNEED on locked pages); LTP madvise02")
{
    long page = cf_page_size();
    volatile char *p = SAFE_ANON(page, MAP_PRIVATE);
    p[0] = 'l';
    cf_lock_or_skip((void *)p, page);
    CF_EXP_FAIL(madvise((void *)p, page, MADV_DONTNEED), EINVAL);
    CF_EXPECT_EQ(p[0], 'l');
}

CF_CASE(mmap, madv_free_file_mapping_einval,
        "MADV_FREE on a file mapping fails with EINVAL: it applies to private anonymous "
        "pages only",
        "madvise(2) MADV_FREE (only private anonymous pages)")
{
#ifndef MADV_FREE
    CF_SKIP("this libc does not define MADV_FREE");
#else
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(madvise((void *)p, page, MADV_FREE), EINVAL);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page, 0), -1);
#endif
}
