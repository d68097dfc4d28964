/* msync(): each flag, what it promises, and its errors. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

#define TMPFS_MAGIC_ 0x01021994u
#define RAMFS_MAGIC_ 0x858458f6u

static long dirty_kb(const void *start)
{
    static const char *const dirty[] = {"Private_Dirty", "Shared_Dirty", NULL};
    return cf_smaps_kb(start, dirty);
}

CF_CASE(mmap, ms_sync_writes_dirty_pages_back,
        "msync(MS_SYNC) returns only after the mapping's modified pages are written: none is "
        "left dirty",
        "POSIX.1-2017 msync(), DESCRIPTION (MS_SYNC: writes complete before return); msync(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(4 * page, NULL);
    uint32_t fs = cf_info_filesystem(fd);
    if (fs == TMPFS_MAGIC_ || fs == RAMFS_MAGIC_)
        CF_SKIP("the temporary folder is in memory: there is no storage to write back to");
    char *p = SAFE_MMAP(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(p, 'd', 4 * page);
    long before = dirty_kb(p);
    if (before < 0)
        CF_SKIP("/proc/self/smaps is missing or lists no mapping at %p (under an emulator it "
                "describes the emulator, not the program)",
                (void *)p);
    if (before == 0)
        CF_SKIP("/proc/self/smaps does not report the stored pages as dirty (0 kB)");
    SAFE_MSYNC(p, 4 * page, MS_SYNC);
    long after = dirty_kb(p);
    cf_info("dirty before msync %ld kB, after %ld kB", before, after);
    CF_EXPECT(after == 0, "%ld kB still dirty after MS_SYNC", after);
}

CF_CASE(mmap, ms_async_succeeds_data_in_file,
        "msync(MS_ASYNC) succeeds on a modified shared mapping and read() shows the stores",
        "POSIX.1-2017 msync(), DESCRIPTION (MS_ASYNC); msync(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p + 12, "async", 5);
    CF_EXP_PASS(msync(p, page, MS_ASYNC));
    char got[5];
    SAFE_PREAD(fd, got, 5, 12);
    CF_EXPECT(memcmp(got, "async", 5) == 0, "read() does not show the stores");
    long dirty = dirty_kb(p);
    cf_info("dirty right after MS_ASYNC: %ld kB (Linux schedules nothing)", dirty);
}

CF_CASE(mmap, ms_invalidate_keeps_own_stores,
        "msync(MS_INVALIDATE) does not discard the stores made through shared mappings",
        "POSIX.1-2017 msync(), DESCRIPTION (MS_INVALIDATE: cached copies obtain data "
        "consistent with the permanent storage); msync(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile char *other = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    memcpy(p + 8, "mine", 4);
    CF_EXP_PASS(msync(p, page, MS_SYNC | MS_INVALIDATE));
    CF_EXP_PASS(msync(p, page, MS_ASYNC | MS_INVALIDATE));
    char got[4];
    SAFE_PREAD(fd, got, 4, 8);
    CF_EXPECT(memcmp(p + 8, "mine", 4) == 0, "the mapping lost its stores");
    CF_EXPECT(memcmp(got, "mine", 4) == 0, "the file lost the stores");
    CF_EXPECT(other[8] == 'm' && other[11] == 'e', "the other mapping does not see them");
}

CF_CASE(mmap, ms_invalidate_then_sees_file_writes,
        "after msync(MS_INVALIDATE), a mapping shows what write() put in the file",
        "POSIX.1-2017 msync(), DESCRIPTION (MS_INVALIDATE: subsequent references obtain data "
        "consistent with the permanent storage)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    (void)p[0];
    SAFE_PWRITE(fd, "new", 3, 100);
    CF_EXP_PASS(msync((void *)p, page, MS_ASYNC | MS_INVALIDATE));
    CF_EXPECT(p[100] == 'n' && p[102] == 'w', "the mapping shows stale bytes");
}

CF_CASE(mmap, ms_invalidate_locked_range_ebusy,
        "msync(MS_INVALIDATE) on a range locked with mlock() fails with EBUSY; MS_SYNC alone "
        "succeeds",
        "POSIX.1-2017 msync(), ERRORS (EBUSY); msync(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    cf_lock_or_skip(p, page);
    p[0] = 1;
    CF_EXP_FAIL(msync(p, page, MS_INVALIDATE), EBUSY);
    CF_EXP_FAIL(msync(p, page, MS_SYNC | MS_INVALIDATE), EBUSY);
    CF_EXP_PASS(msync(p, page, MS_SYNC));
}

CF_CASE(mmap, msync_sync_and_async_einval,
        "msync() with both MS_SYNC and MS_ASYNC fails with EINVAL",
        "POSIX.1-2017 msync(), ERRORS (EINVAL: flags invalid); msync(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(msync(p, page, MS_SYNC | MS_ASYNC), EINVAL);
    CF_EXP_FAIL(msync(p, page, MS_SYNC | MS_ASYNC | MS_INVALIDATE), EINVAL);
}

CF_CASE(mmap, msync_unknown_flag_einval,
        "msync() with a flag bit other than MS_ASYNC, MS_SYNC, MS_INVALIDATE fails with EINVAL",
        "POSIX.1-2017 msync(), ERRORS (EINVAL: flags invalid); msync(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int known = MS_ASYNC | MS_SYNC | MS_INVALIDATE;
    int lowest_unknown = (known + 1) & ~known;
    cf_info("unknown flag 0x%x", lowest_unknown);
    CF_EXP_FAIL(msync(p, page, MS_SYNC | lowest_unknown), EINVAL);
    CF_EXP_FAIL(msync(p, page, MS_ASYNC | 0x40000000), EINVAL);
}

CF_CASE(mmap, msync_unaligned_einval,
        "msync() with an address that is not a multiple of the page size fails with EINVAL",
        "POSIX.1-2017 msync(), ERRORS (EINVAL: addr not a multiple of the page size)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(2 * page, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(msync(p + 1, page, MS_SYNC), EINVAL);
    CF_EXP_FAIL(msync(p + page / 2, page, MS_ASYNC), EINVAL);
}

CF_CASE(mmap, msync_unmapped_range_enomem,
        "msync() of a range where nothing is mapped fails with ENOMEM",
        "POSIX.1-2017 msync(), ERRORS (ENOMEM); msync(2)")
{
    long page = cf_page_size();
    char *free_range = cf_free_range(2 * page);
    CF_EXP_FAIL(msync(free_range, 2 * page, MS_SYNC), ENOMEM);
    CF_EXP_FAIL(msync(free_range, 2 * page, MS_ASYNC), ENOMEM);
}

CF_CASE(mmap, msync_range_with_hole_enomem,
        "msync() of a range with an unmapped page between mapped ones fails with ENOMEM",
        "POSIX.1-2017 msync(), ERRORS (ENOMEM: one or more pages not mapped); msync(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(3 * page, NULL);
    char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SAFE_MUNMAP(p + page, page);
    CF_EXP_FAIL(msync(p, 3 * page, MS_SYNC), ENOMEM);
    CF_EXP_PASS(msync(p, page, MS_SYNC));
}

CF_CASE(mmap, msync_private_mapping_not_written,
        "msync(MS_SYNC) of a modified MAP_PRIVATE mapping does not write its data to the file",
        "POSIX.1-2017 msync(), DESCRIPTION (MAP_PRIVATE: modified data shall not be written)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *shared = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memset(p, 0, page);
    CF_EXP_PASS(msync(p, page, MS_SYNC));
    CF_EXP_PASS(msync(p, page, MS_ASYNC | MS_INVALIDATE));
    unsigned char got[64];
    SAFE_PREAD(fd, got, sizeof got, 0);
    CF_EXPECT(cf_pattern_mismatch(got, sizeof got, 0) == -1, "the file changed");
    CF_EXPECT(cf_pattern_mismatch(shared, page, 0) == -1, "a shared mapping sees the data");
    CF_EXPECT(p[10] == 0, "the private data was discarded");
}

CF_CASE(mmap, msync_marks_mtime_ctime,
        "after a store into a shared mapping and msync(MS_SYNC), st_mtime and st_ctime are "
        "updated",
        "POSIX.1-2017 msync() and mmap(), DESCRIPTION (st_ctime and st_mtime marked for update)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    cf_info_filesystem(fd);
    /* An old mtime, so that any update shows; ctime can only be "now", so wait past it. */
    struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
    CF_ASSERT(futimens(fd, old) == 0, "futimens: %s", cf_errno_name(errno));
    struct stat before, after;
    SAFE_FSTAT(fd, &before);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[0] = 't';
    SAFE_MSYNC(p, page, MS_SYNC);
    SAFE_FSTAT(fd, &after);
    CF_EXPECT(after.st_mtim.tv_sec > before.st_mtim.tv_sec, "st_mtime stayed %lld",
              (long long)after.st_mtim.tv_sec);
    CF_EXPECT(after.st_ctim.tv_sec > before.st_ctim.tv_sec ||
                  (after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
                   after.st_ctim.tv_nsec > before.st_ctim.tv_nsec),
              "st_ctime stayed %lld.%09ld", (long long)after.st_ctim.tv_sec, after.st_ctim.tv_nsec);
}

CF_CASE(mmap, msync_neither_sync_nor_async_linux,
        "Linux accepts msync() with neither MS_SYNC nor MS_ASYNC, as MS_ASYNC",
        "msync(2) NOTES (POSIX requires one of them; Linux permits neither)")
{
#ifndef __linux__
    CF_SKIP("a Linux extension; POSIX requires MS_SYNC or MS_ASYNC");
#endif
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[0] = 'n';
    CF_EXP_PASS(msync(p, page, 0));
    CF_EXP_PASS(msync(p, page, MS_INVALIDATE));
}

/* Each flag combination msync() accepts. */
static const int msync_flags[] = {MS_SYNC, MS_ASYNC, MS_SYNC | MS_INVALIDATE,
                                  MS_ASYNC | MS_INVALIDATE};
#define N_MSYNC_FLAGS (sizeof msync_flags / sizeof msync_flags[0])

CF_CASE(mmap, msync_zero_length_unmapped_succeeds,
        "msync() of zero bytes succeeds, even at an address where nothing is mapped",
        "msync(2) (the range is addr to addr+length); gVisor msync.cc (zero length at an "
        "unmapped address)")
{
    char *hole = cf_free_range(cf_page_size());
    for (size_t i = 0; i < N_MSYNC_FLAGS; i++)
        CF_EXP_PASS(msync(hole, 0, msync_flags[i]));
}

CF_CASE(mmap, msync_unaligned_length_succeeds,
        "msync() with a length that is not a multiple of the page size succeeds (the range "
        "is rounded up to whole pages) and writes the data",
        "POSIX.1-2017 msync() (the range is addr to addr+len); msync(2); gVisor msync.cc")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(2 * page, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[page + 1] = 'u';
    for (size_t i = 0; i < N_MSYNC_FLAGS; i++)
        CF_EXP_PASS(msync(p, page + 1, msync_flags[i]));
    char got = 0;
    SAFE_PREAD(fd, &got, 1, page + 1);
    CF_EXPECT_EQ(got, 'u');
}

CF_CASE(mmap, msync_read_only_mapping_succeeds,
        "msync() of a PROT_READ shared mapping of a read-only descriptor succeeds with every "
        "flag",
        "POSIX.1-2017 msync(); msync(2); gVisor msync.cc")
{
    char path[CF_PATH_MAX];
    long page = cf_page_size();
    int fd = SAFE_REOPEN(path, SAFE_PATTERN_FILE(page, path), O_RDONLY);
    void *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    for (size_t i = 0; i < N_MSYNC_FLAGS; i++)
        CF_EXP_PASS(msync(p, page, msync_flags[i]));
}

CF_CASE(mmap, msync_anonymous_mappings_succeed,
        "msync() of private and shared anonymous mappings succeeds with every flag and keeps "
        "their contents",
        "msync(2); gVisor msync.cc (anonymous mappings)")
{
    long page = cf_page_size();
    static const int types[] = {MAP_PRIVATE, MAP_SHARED};
    for (size_t t = 0; t < 2; t++) {
        char *p = SAFE_ANON(page, types[t]);
        p[3] = 'a';
        for (size_t i = 0; i < N_MSYNC_FLAGS; i++)
            CF_EXP_PASS(msync(p, page, msync_flags[i]));
        CF_EXPECT_EQ(p[3], 'a');
    }
}
