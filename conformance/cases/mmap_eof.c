/* The end of the file inside a mapping: the partial last page and whole pages past it. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, tail_of_last_page_zero_filled,
        "the bytes of the last mapped page past end of file read as zero, shared or private",
        "POSIX.1-2017 mmap(), DESCRIPTION (\"shall always zero-fill any partial page at the "
        "end of an object\"); mmap(2) NOTES")
{
    long page = cf_page_size();
    long size = page + page / 3 + 1;
    int fd = SAFE_PATTERN_FILE(size, NULL);
    cf_info_filesystem(fd);
    cf_info("page size %ld, file size %ld", page, size);
    volatile unsigned char *s = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    volatile unsigned char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_PRIVATE, fd, 0);
    CF_EXPECT(cf_pattern_mismatch(s, size, 0) == -1, "the file part differs");
    long bad = cf_first_nonzero(s, size, 2 * page);
    CF_EXPECT(bad == -1, "shared mapping: byte %ld past end of file is not zero", bad);
    bad = cf_first_nonzero(p, size, 2 * page);
    CF_EXPECT(bad == -1, "private mapping: byte %ld past end of file is not zero", bad);
}

CF_CASE(mmap, tail_stores_never_reach_file,
        "stores into the last page past end of file are never written to the file: after "
        "msync, munmap and growing the file, those bytes read as zero",
        "POSIX.1-2017 mmap(), DESCRIPTION (\"shall never write out any modified portions of "
        "the last page ... beyond its end\") and ftruncate() (extended area zero-filled)")
{
    long page = cf_page_size();
    long size = page / 2 + 5;
    int fd = SAFE_PATTERN_FILE(size, NULL);
    cf_info_filesystem(fd);
    unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(p + size, 0xAA, page - size);
    /* Reported, not judged: whether another mapping of the page cache sees the tail bytes
     * depends on the filesystem (ext4 zeroes them at writeback, tmpfs never writes back). */
    volatile unsigned char *q = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    int seen_before = q[size] != 0;
    SAFE_MSYNC(p, page, MS_SYNC);
    int seen_after = q[size] != 0;
    cf_info("a second mapping sees the tail stores: before msync %s, after %s",
            seen_before ? "yes" : "no", seen_after ? "yes" : "no");
    SAFE_MUNMAP((void *)q, page);
    SAFE_MUNMAP(p, page);
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_size, size);
    /* Drop clean cached pages so the next read comes from the file's storage. */
    CF_ASSERT(fsync(fd) == 0, "fsync: %s", cf_errno_name(errno));
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    SAFE_FTRUNCATE(fd, page);
    unsigned char got[4096];
    long n = page - size < (long)sizeof got ? page - size : (long)sizeof got;
    SAFE_PREAD(fd, got, n, size);
    long bad = cf_first_nonzero(got, 0, n);
    CF_EXPECT(bad == -1, "byte %ld past the old end of file holds a tail store (0x%02x)",
              bad + size, bad >= 0 ? got[bad] : 0);
}

CF_CASE_SIGNAL(mmap, whole_page_past_eof_sigbus, SIGBUS,
               "touching a whole page of the mapping that lies past end of file raises SIGBUS",
               "POSIX.1-2017 mmap(), DESCRIPTION (references beyond the object); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    cf_info("page size %ld", page);
    (void)p[page];
}

CF_CASE(mmap, whole_page_past_eof_store_sigbus,
        "a store to a whole page past end of file raises SIGBUS, while the pages before it "
        "work",
        "POSIX.1-2017 mmap(), DESCRIPTION (references to whole pages following the end of an "
        "object: SIGBUS); mmap(2) SIGBUS")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page + 1, NULL);
    volatile char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[page] = 1;
    p[2 * page - 1] = 1;
    CF_EXPECT_SIGNAL(SIGBUS, p[2 * page] = 1);
    CF_EXPECT_SIGNAL(SIGBUS, p[3 * page - 1] = 1);
}

CF_CASE(mmap, offset_past_eof_maps_then_sigbus,
        "mmap() at an offset past end of file succeeds, and touching the mapping raises SIGBUS",
        "POSIX.1-2017 mmap(), DESCRIPTION (mapping beyond the object; SIGBUS on reference)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = CF_EXP_PTR(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 4 * page));
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[0]);
}

CF_CASE(mmap, empty_file_maps_then_sigbus,
        "mmap() of an empty file succeeds, and touching the mapping raises SIGBUS",
        "POSIX.1-2017 mmap(), DESCRIPTION (references beyond the object: SIGBUS)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(0, NULL);
    volatile char *p = CF_EXP_PTR(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[0]);
    CF_EXPECT_SIGNAL(SIGBUS, p[1] = 1);
}

CF_CASE(mmap, length_rounded_up_to_page,
        "a mapping whose length is not a page multiple covers the whole last page, and the "
        "next page is not mapped (SIGSEGV, not SIGBUS)",
        "POSIX.1-2017 mmap(), DESCRIPTION (mapping operations over whole pages); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    char *hole = cf_free_range(2 * page);
    cf_info("page size %ld", page);
    volatile unsigned char *p = CF_EXP_PTR(
        mmap(hole, 10, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0));
    CF_ASSERT(p == (unsigned char *)hole, "mapped at %p, asked %p", (void *)p, (void *)hole);
    CF_EXPECT(p[page - 1] == cf_pattern_byte(page - 1), "the rest of the page is not the file");
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[page]);
}
