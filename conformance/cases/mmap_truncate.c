/* ftruncate() of a file under a live mapping: shrinking discards pages, growing adds zeros. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, shrink_under_mapping_sigbus,
        "after ftruncate() shrinks a mapped file, the cut whole pages raise SIGBUS and the "
        "pages before the new end keep their data",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (discarded pages: SIGBUS)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    (void)p[2 * page];
    SAFE_FTRUNCATE(fd, page);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the first page changed");
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[page]);
    CF_EXPECT_SIGNAL(SIGBUS, p[2 * page + 1] = 1);
}

CF_CASE(mmap, truncate_by_path_under_mapping_sigbus,
        "truncate() by path under a live mapping also cuts the pages (SIGBUS)",
        "POSIX.1-2017 truncate(), DESCRIPTION (as ftruncate())")
{
    long page = cf_page_size();
    char path[CF_PATH_MAX];
    int fd = SAFE_TMPFILE(2 * page, path);
    volatile char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    (void)p[page];
    CF_ASSERT(truncate(path, page) == 0, "truncate: %s", cf_errno_name(errno));
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[page]);
}

CF_CASE(mmap, regrow_after_shrink_zero_filled,
        "after shrinking a mapped file and growing it again, the regained pages read as zero "
        "through the mapping and read()",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (extended area shall appear zero-filled)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    cf_info_filesystem(fd);
    volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    memset((void *)(p + page), 0x5A, 2 * page);
    SAFE_FTRUNCATE(fd, page);
    SAFE_FTRUNCATE(fd, 3 * page);
    long bad = cf_first_nonzero(p, page, 3 * page);
    CF_EXPECT(bad == -1, "mapping byte %ld is 0x%02x", bad, bad >= 0 ? p[bad] : 0);
    unsigned char got[4096];
    long n = page < (long)sizeof got ? page : (long)sizeof got;
    SAFE_PREAD(fd, got, n, 2 * page);
    bad = cf_first_nonzero(got, 0, n);
    CF_EXPECT(bad == -1, "read() byte %ld is 0x%02x", bad + 2 * page, bad >= 0 ? got[bad] : 0);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the kept page changed");
}

CF_CASE(mmap, shrink_mid_page_regrow_zero_filled,
        "shrinking a mapped file to the middle of a page and growing it again leaves zeros "
        "after the cut, seen through the mapping and read()",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (data past the new end discarded; extended area "
        "zero-filled)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    cf_info_filesystem(fd);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    long cut = page / 2 + 3;
    (void)p[page - 1];
    SAFE_FTRUNCATE(fd, cut);
    SAFE_FTRUNCATE(fd, page);
    CF_EXPECT(cf_pattern_mismatch(p, cut, 0) == -1, "bytes before the cut changed");
    long bad = cf_first_nonzero(p, cut, page);
    CF_EXPECT(bad == -1, "mapping byte %ld is 0x%02x", bad, bad >= 0 ? p[bad] : 0);
    unsigned char got[64];
    SAFE_PREAD(fd, got, sizeof got, cut);
    bad = cf_first_nonzero(got, 0, sizeof got);
    CF_EXPECT(bad == -1, "read() byte %ld is 0x%02x", bad + cut, bad >= 0 ? got[bad] : 0);
}

CF_CASE(mmap, grow_makes_mapped_pages_usable,
        "after ftruncate() grows a file, mapped pages that were past end of file read as zero "
        "and their stores reach the file",
        "POSIX.1-2017 ftruncate(), DESCRIPTION; mmap(), DESCRIPTION (SIGBUS only past the end)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[page]);
    SAFE_FTRUNCATE(fd, 3 * page);
    long bad = cf_first_nonzero(p, page, 3 * page);
    CF_EXPECT(bad == -1, "byte %ld is not zero", bad);
    p[2 * page + 8] = 'g';
    char got = 0;
    SAFE_PREAD(fd, &got, 1, 2 * page + 8);
    CF_EXPECT(got == 'g', "the store did not reach the file");
}

CF_CASE(mmap, write_past_eof_makes_mapped_page_usable,
        "a write() that extends the file makes the mapped pages it reaches usable: the data "
        "shows, the hole before it reads as zero",
        "POSIX.1-2017 write() (holes read as zero); mmap(), DESCRIPTION")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ, MAP_SHARED, fd, 0);
    SAFE_PWRITE(fd, "x", 1, 2 * page + 5);
    CF_EXPECT(p[2 * page + 5] == 'x', "the written byte does not show");
    long bad = cf_first_nonzero(p, page, 2 * page + 5);
    CF_EXPECT(bad == -1, "hole byte %ld is not zero", bad);
}

CF_CASE(mmap, shrink_reaches_other_process_mapping,
        "ftruncate() by one process cuts the pages out of another process's own mapping of "
        "the file (SIGBUS there)",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (discarded pages: SIGBUS)")
{
    long page = cf_page_size();
    char path[CF_PATH_MAX];
    int fd = SAFE_TMPFILE(2 * page, path);
    int mapped[2], cut[2];
    SAFE_PIPE(mapped);
    SAFE_PIPE(cut);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        int own = SAFE_OPEN(path, O_RDONLY, 0);
        volatile char *q = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, own, 0);
        (void)q[page];
        char c;
        if (write(mapped[1], "m", 1) != 1 || read(cut[0], &c, 1) != 1)
            CF_BROKEN("pipe to the parent failed");
        CF_EXPECT_SIGNAL(SIGBUS, (void)q[page]);
        _exit(0);
    }
    char c;
    CF_ASSERT(read(mapped[0], &c, 1) == 1, "the other process did not map the file");
    SAFE_FTRUNCATE(fd, page);
    CF_ASSERT(write(cut[1], "c", 1) == 1, "write to the other process: %s", cf_errno_name(errno));
    CF_REAP(pid);
}

CF_CASE(mmap, shrink_under_private_mapping_sigbus,
        "after ftruncate() shrinks a file, unmodified pages of a MAP_PRIVATE mapping past the "
        "new end raise SIGBUS too",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (whole pages beyond the new end previously "
        "mapped are discarded)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
                                          0);
    (void)p[page];
    SAFE_FTRUNCATE(fd, page);
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[page]);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the kept page changed");
}

CF_CASE(mmap, shrink_discards_modified_private_page_sigbus,
        "after ftruncate() shrinks a file, a MAP_PRIVATE page past the new end that the "
        "process had modified raises SIGBUS too: the private copy is discarded",
        "truncate(2)/mmap(2) (SIGBUS past end of file; Linux unmaps private copies too); "
        "gVisor mmap.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
                                          0);
    p[page] = 0;
    SAFE_FTRUNCATE(fd, page);
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[page]);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page, 0), -1);
}

CF_CASE(mmap, shrink_mid_page_zeroes_tail_at_once,
        "after ftruncate() to the middle of a page, the mapping reads zeros past the new end "
        "at once, and the bytes before it are kept",
        "POSIX.1-2017 mmap() (the partial page at the end of an object is zero-filled); "
        "ftruncate(); gVisor mmap.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    (void)p[page - 1];
    SAFE_FTRUNCATE(fd, page / 2);
    CF_EXPECT_EQ(cf_first_nonzero(p, page / 2, page), -1);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page / 2, 0), -1);
}
