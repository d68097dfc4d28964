/* munmap(): what removing a mapping does, and what it refuses. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, access_after_munmap_sigsegv,
        "reading or storing into a range after munmap() raises SIGSEGV",
        "POSIX.1-2017 munmap(), DESCRIPTION (further references generate SIGSEGV)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[0] = 1;
    SAFE_MUNMAP((void *)p, page);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[0]);
    CF_EXPECT_SIGNAL(SIGSEGV, p[page - 1] = 1);
}

CF_CASE(mmap, munmap_nothing_mapped_succeeds,
        "munmap() of a range with no mappings, or of one already unmapped, succeeds",
        "POSIX.1-2017 munmap(), DESCRIPTION (no mappings: no effect); munmap(2)")
{
    long page = cf_page_size();
    char *free_range = cf_free_range(2 * page);
    CF_EXP_PASS(munmap(free_range, 2 * page));
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    SAFE_MUNMAP(p, page);
    CF_EXP_PASS(munmap(p, page));
}

CF_CASE(mmap, munmap_unaligned_einval,
        "munmap() with an address that is not page aligned fails with EINVAL and unmaps nothing",
        "POSIX.1-2017 munmap(), ERRORS (EINVAL: addr not a multiple of the page size)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(2 * page, NULL);
    volatile char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(munmap((char *)p + 1, page), EINVAL);
    CF_EXP_FAIL(munmap((char *)p + page / 2, page), EINVAL);
    (void)p[0];
    (void)p[page];
}

CF_CASE(mmap, munmap_len_zero_einval, "munmap() with a length of 0 fails with EINVAL",
        "munmap(2) ERRORS (EINVAL, since Linux 2.6.12: length was 0); POSIX.1-2017 munmap()")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(munmap((void *)p, 0), EINVAL);
    (void)p[0];
}

/* Whether one page at addr can be mapped: 1 it can, 0 something is there, -1 the address is
 * outside the address space. */
static int probe(uintptr_t addr, long page)
{
    void *want = (void *)addr;
    void *p = mmap(want, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED)
        return errno == EEXIST ? 0 : -1;
    SAFE_MUNMAP(p, page);
    if (p != want && cf_kernel_at_least(4, 17))
        CF_SKIP("MAP_FIXED_NOREPLACE is taken as a hint here, though kernel %s has it (since "
                "4.17): something between the checker and the kernel (an emulator, a "
                "dynamic-analysis tool) does not honour it",
                cf_kernel_release());
    if (p != want)
        CF_SKIP("MAP_FIXED_NOREPLACE is taken as a hint here (kernel %s, before 4.17)",
                cf_kernel_release());
    return 1;
}

/* The lowest page-aligned address above the stack where no page can be mapped: the end of
 * the user address space, found by bisection instead of assumed. */
static uintptr_t end_of_address_space(long page)
{
    int here = 0;
    uintptr_t lo = (uintptr_t)&here & ~(uintptr_t)(page - 1);
    uintptr_t hi = UINTPTR_MAX & ~(uintptr_t)(page - 1);
    if (probe(hi, page) >= 0)
        CF_SKIP("the top page of the address space can be mapped: nothing lies outside");
    while (hi - lo > (uintptr_t)page) {
        uintptr_t mid = lo + ((hi - lo) / 2 & ~(uintptr_t)(page - 1));
        if (probe(mid, page) >= 0)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

CF_CASE(mmap, munmap_outside_address_space_einval,
        "munmap() of a page-aligned range outside the process's address space fails with "
        "EINVAL",
        "POSIX.1-2017 munmap(), ERRORS (EINVAL: outside the valid range for the address "
        "space); munmap(2)")
{
    long page = cf_page_size();
    uintptr_t end = end_of_address_space(page);
    cf_info("user address space ends at %#lx", (unsigned long)end);
    CF_EXP_FAIL(munmap((void *)end, page), EINVAL);
    CF_EXP_FAIL(munmap((void *)(UINTPTR_MAX & ~(uintptr_t)(page - 1)), page), EINVAL);
    /* Starting inside, ending outside. */
    CF_EXP_FAIL(munmap((void *)(end - page), 2 * page), EINVAL);
}

CF_CASE(mmap, munmap_discards_private_changes,
        "munmap() of a MAP_PRIVATE mapping discards its stores: the file and a new mapping "
        "show the original bytes",
        "POSIX.1-2017 munmap(), DESCRIPTION; mmap() (MAP_PRIVATE)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memset(p, 0, page);
    SAFE_MUNMAP(p, page);
    volatile unsigned char *q = SAFE_MMAP(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    CF_EXPECT(cf_pattern_mismatch(q, page, 0) == -1, "a new mapping shows the old stores");
    unsigned char got[64];
    SAFE_PREAD(fd, got, sizeof got, 0);
    CF_EXPECT(cf_pattern_mismatch(got, sizeof got, 0) == -1, "the file holds the stores");
}

CF_CASE(mmap, partial_munmap_splits_mapping,
        "munmap() of the middle page of a mapping leaves the pages on either side mapped to "
        "the same file offsets",
        "POSIX.1-2017 munmap(), DESCRIPTION (removes mappings for whole pages in the range)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    SAFE_MUNMAP((void *)(p + page), page);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[page]);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the first page changed");
    CF_EXPECT(cf_pattern_mismatch(p + 2 * page, page, 2 * page) == -1,
              "the last page no longer maps the last file page");
    p[2 * page + 1] = 0;
    unsigned char got = 1;
    SAFE_PREAD(fd, &got, 1, 2 * page + 1);
    CF_EXPECT(got == 0, "a store into the last page did not reach its file offset");
}

CF_CASE(mmap, munmap_range_spanning_mappings_and_holes,
        "one munmap() over two mappings with a hole between them removes both",
        "POSIX.1-2017 munmap(), DESCRIPTION (all mappings in the range)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *range = cf_free_range(3 * page);
    volatile char *a = mmap(range, page, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    volatile char *b = mmap(range + 2 * page, page, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd,
                            0);
    CF_ASSERT(a == (char *)range && b == range + 2 * page, "could not place the mappings");
    CF_EXP_PASS(munmap(range, 3 * page));
    CF_EXPECT_SIGNAL(SIGSEGV, (void)a[0]);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)b[0]);
}

CF_CASE(mmap, munmap_leaves_other_mapping_of_file,
        "munmap() of one mapping leaves another mapping of the same file working and shared",
        "POSIX.1-2017 munmap(), DESCRIPTION (only the pages in the range)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *a = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile char *b = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    a[4] = 'a';
    SAFE_MUNMAP(a, page);
    b[5] = 'b';
    char got[2];
    SAFE_PREAD(fd, got, 2, 4);
    CF_EXPECT(b[4] == 'a' && got[0] == 'a' && got[1] == 'b', "b[4]=%d file=%d,%d", b[4], got[0],
              got[1]);
}
