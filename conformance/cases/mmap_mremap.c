/* mremap() of shared file mappings: growing, shrinking and moving keep the data, the tie to
 * the file and each page's file offset; and its errors. */
#include <string.h>
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

/* A PROT_READ shared mapping of the whole of a new pattern file of `pages` pages. */
static volatile unsigned char *shared_pattern(long pages)
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(pages * page, NULL);
    return SAFE_MMAP(NULL, pages * page, PROT_READ, MAP_SHARED, fd, 0);
}

/* A shared mapping of the first page of `fd` whose next page is taken by another mapping
 * (PROT_NONE, anonymous), so it cannot grow where it is. */
static volatile unsigned char *blocked_mapping(int fd)
{
    long page = cf_page_size();
    char *at = SAFE_MMAP(NULL, 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return SAFE_MMAP(at, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
}

/* A shared mapping of the first page of `fd` with `free_pages` free pages after it. */
static volatile unsigned char *mapping_with_room(int fd, long free_pages)
{
    long page = cf_page_size();
    char *at = SAFE_MMAP(NULL, (size_t)(1 + free_pages) * page, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile unsigned char *p = SAFE_MMAP(at, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
                                          fd, 0);
    SAFE_MUNMAP(at + page, (size_t)free_pages * page);
    return p;
}

CF_CASE(mmap, mremap_grow_in_place_when_room,
        "mremap() without MREMAP_MAYMOVE grows a shared file mapping in place when the pages "
        "after it are free, and each new page shows the file at its own offset",
        "mremap(2) DESCRIPTION; gVisor mremap.cc (InPlace expansion); LTP mremap01")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    volatile unsigned char *p = mapping_with_room(fd, 2);
    volatile unsigned char *q = CF_EXP_PTR(mremap((void *)p, page, 3 * page, 0));
    CF_ASSERT(q == p, "grown at %p, expected in place at %p", (void *)q, (void *)p);
    CF_EXPECT_EQ(cf_pattern_mismatch(q, 3 * page, 0), -1);
}

CF_CASE(mmap, mremap_grow_in_place_blocked_enomem,
        "mremap() without MREMAP_MAYMOVE fails with ENOMEM when another mapping follows, and "
        "leaves the mapping as it was",
        "mremap(2) ERRORS (ENOMEM: cannot expand at the current address); gVisor mremap.cc; "
        "LTP mremap04")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *p = blocked_mapping(fd);
    CF_EXP_MAP_FAIL(mremap((void *)p, page, 2 * page, 0), ENOMEM);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page, 0), -1);
    p[5] = 'k';
    unsigned char got = 0;
    SAFE_PREAD(fd, &got, 1, 5);
    CF_EXPECT_EQ(got, 'k');
}

CF_CASE(mmap, mremap_maymove_grow_keeps_data_and_offsets,
        "mremap(MREMAP_MAYMOVE) of a blocked shared file mapping moves it: the old address is "
        "unmapped, and every page of the new one shows the file at its own offset",
        "mremap(2) DESCRIPTION (MREMAP_MAYMOVE); gVisor mremap.cc (MayMove expansion)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    volatile unsigned char *p = blocked_mapping(fd);
    volatile unsigned char *q = CF_EXP_PTR(mremap((void *)p, page, 3 * page, MREMAP_MAYMOVE));
    CF_EXPECT(q != p, "grew in place over another mapping");
    CF_EXPECT_EQ(cf_pattern_mismatch(q, 3 * page, 0), -1);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[0]);
}

CF_CASE(mmap, mremap_moved_mapping_keeps_file_tie,
        "a shared file mapping moved by mremap() is still the file: its stores reach the file "
        "and writes to the file show in it",
        "mremap(2) DESCRIPTION; POSIX.1-2017 mmap() (MAP_SHARED); gVisor mremap.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *p = blocked_mapping(fd);
    volatile unsigned char *q = CF_EXP_PTR(mremap((void *)p, page, 2 * page, MREMAP_MAYMOVE));
    q[10] = 'm';
    q[page + 10] = 'n';
    unsigned char got[2] = {0, 0};
    SAFE_PREAD(fd, &got[0], 1, 10);
    SAFE_PREAD(fd, &got[1], 1, page + 10);
    CF_EXPECT(got[0] == 'm' && got[1] == 'n', "the file holds %d and %d", got[0], got[1]);
    SAFE_PWRITE(fd, "w", 1, 20);
    CF_EXPECT_EQ(q[20], 'w');
}

CF_CASE(mmap, mremap_grow_past_eof_sigbus,
        "pages that mremap() adds past the end of the file raise SIGBUS when touched",
        "mmap(2) ERRORS (SIGBUS past end of file); mremap(2); gVisor mremap.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = blocked_mapping(fd);
    volatile unsigned char *q = CF_EXP_PTR(mremap((void *)p, page, 2 * page, MREMAP_MAYMOVE));
    CF_EXPECT_EQ(cf_pattern_mismatch(q, page, 0), -1);
    CF_EXPECT_SIGNAL(SIGBUS, (void)q[page]);
}

CF_CASE(mmap, mremap_shrink_in_place_unmaps_tail,
        "mremap() to a smaller size keeps the address and the head, and unmaps the tail",
        "mremap(2) DESCRIPTION; gVisor mremap.cc (InPlace shrinking)")
{
    long page = cf_page_size();
    volatile unsigned char *p = shared_pattern(3);
    volatile unsigned char *q = CF_EXP_PTR(mremap((void *)p, 3 * page, page, 0));
    CF_EXPECT(q == p, "shrunk to %p from %p", (void *)q, (void *)p);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page, 0), -1);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[page]);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[2 * page]);
}

CF_CASE(mmap, mremap_fixed_moves_to_new_address,
        "mremap(MREMAP_MAYMOVE|MREMAP_FIXED) moves a shared file mapping to exactly "
        "new_address with its data, and unmaps the old range",
        "mremap(2) DESCRIPTION (MREMAP_FIXED); gVisor mremap.cc; LTP mremap05")
{
    long page = cf_page_size();
    volatile unsigned char *p = shared_pattern(2);
    char *target = cf_free_range(2 * page);
    volatile unsigned char *q = CF_EXP_PTR(
        mremap((void *)p, 2 * page, 2 * page, MREMAP_MAYMOVE | MREMAP_FIXED, target));
    CF_ASSERT(q == (unsigned char *)target, "moved to %p, asked %p", (void *)q, target);
    CF_EXPECT_EQ(cf_pattern_mismatch(q, 2 * page, 0), -1);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[0]);
}

CF_CASE(mmap, mremap_fixed_replaces_mapping_there,
        "mremap(MREMAP_FIXED) to an address that is mapped unmaps what was there, as "
        "MAP_FIXED does",
        "mremap(2) DESCRIPTION (MREMAP_FIXED: any previous mapping there is unmapped); "
        "LTP mremap05")
{
    long page = cf_page_size();
    int other = SAFE_TMPFILE(page, NULL);
    volatile unsigned char *p = shared_pattern(1);
    char *target = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, other, 0);
    volatile unsigned char *q = CF_EXP_PTR(
        mremap((void *)p, page, page, MREMAP_MAYMOVE | MREMAP_FIXED, target));
    CF_ASSERT(q == (unsigned char *)target, "moved to %p, asked %p", (void *)q, target);
    CF_EXPECT_EQ(cf_pattern_mismatch(q, page, 0), -1);
}

CF_CASE(mmap, mremap_fixed_without_maymove_einval,
        "mremap() with MREMAP_FIXED but without MREMAP_MAYMOVE fails with EINVAL",
        "mremap(2) ERRORS (EINVAL: MREMAP_FIXED without MREMAP_MAYMOVE); gVisor mremap.cc")
{
    long page = cf_page_size();
    volatile unsigned char *p = shared_pattern(1);
    char *target = cf_free_range(page);
    CF_EXP_MAP_FAIL(mremap((void *)p, page, page, MREMAP_FIXED, target), EINVAL);
}

CF_CASE(mmap, mremap_fixed_overlapping_einval,
        "mremap(MREMAP_FIXED) to a range that overlaps the old one fails with EINVAL",
        "mremap(2) ERRORS (EINVAL: new and old ranges overlap); gVisor mremap.cc "
        "(Fixed source and destination cannot overlap)")
{
    long page = cf_page_size();
    volatile unsigned char *p = shared_pattern(2);
    CF_EXP_MAP_FAIL(
        mremap((void *)p, 2 * page, 2 * page, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(p + page)),
        EINVAL);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, 2 * page, 0), -1);
}

CF_CASE(mmap, mremap_unaligned_old_address_einval,
        "mremap() of an old_address that is not page aligned fails with EINVAL",
        "mremap(2) ERRORS (EINVAL: old_address not page aligned); LTP mremap02")
{
    long page = cf_page_size();
    volatile unsigned char *p = shared_pattern(2);
    CF_EXP_MAP_FAIL(mremap((void *)(p + 1), page, 2 * page, MREMAP_MAYMOVE), EINVAL);
}

CF_CASE(mmap, mremap_zero_new_size_einval, "mremap() to a new_size of 0 fails with EINVAL",
        "mremap(2) ERRORS (EINVAL: new_size was zero); gVisor mremap.cc")
{
    long page = cf_page_size();
    volatile unsigned char *p = shared_pattern(1);
    CF_EXP_MAP_FAIL(mremap((void *)p, page, 0, MREMAP_MAYMOVE), EINVAL);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page, 0), -1);
}

CF_CASE(mmap, mremap_unknown_flag_einval,
        "mremap() with a flag it does not define fails with EINVAL",
        "mremap(2) ERRORS (EINVAL: an invalid flag was specified)")
{
    long page = cf_page_size();
    volatile unsigned char *p = shared_pattern(1);
    CF_EXP_MAP_FAIL(mremap((void *)p, page, 2 * page, MREMAP_MAYMOVE | (1 << 20)), EINVAL);
}

CF_CASE(mmap, mremap_unmapped_old_address_efault,
        "mremap() of an old range where nothing is mapped fails with EFAULT",
        "mremap(2) ERRORS (EFAULT: an address in the old range is not mapped); LTP mremap03")
{
    long page = cf_page_size();
    char *hole = cf_free_range(2 * page);
    CF_EXP_MAP_FAIL(mremap(hole, page, 2 * page, MREMAP_MAYMOVE), EFAULT);
}

CF_CASE(mmap, mremap_old_size_zero_duplicates_shared,
        "mremap() with old_size 0 of a shared mapping makes a second mapping of the same "
        "pages: stores through either show in the other and in the file",
        "mremap(2) DESCRIPTION (old_size zero on a shareable mapping); gVisor mremap.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile unsigned char *q = CF_EXP_PTR(mremap((void *)p, 0, page, MREMAP_MAYMOVE));
    CF_ASSERT(q != p, "the duplicate is at the original address %p", (void *)p);
    CF_EXPECT_EQ(cf_pattern_mismatch(q, page, 0), -1);
    q[1] = 'd';
    p[2] = 'e';
    CF_EXPECT(p[1] == 'd' && q[2] == 'e', "the two mappings do not alias");
    unsigned char got = 0;
    SAFE_PREAD(fd, &got, 1, 1);
    CF_EXPECT_EQ(got, 'd');
}

CF_CASE(mmap, mremap_old_size_zero_private_einval,
        "mremap() with old_size 0 of a private mapping fails with EINVAL (there is nothing "
        "shareable to duplicate)",
        "mremap(2) ERRORS (EINVAL: old_size zero and the mapping is not shareable); "
        "gVisor mremap.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    void *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    CF_EXP_MAP_FAIL(mremap(p, 0, page, MREMAP_MAYMOVE), EINVAL);
}
