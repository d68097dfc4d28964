/* Placement: MAP_FIXED replaces what was there, a hint never does. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, fixed_replaces_existing_pages,
        "MAP_FIXED over an existing mapping returns that address and replaces its pages: "
        "reads and stores go to the new file",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_FIXED; previous mappings of those pages are "
        "removed); mmap(2)")
{
    long page = cf_page_size();
    int old_fd = SAFE_PATTERN_FILE(page, NULL);
    int new_fd = SAFE_TMPFILE(page, NULL);
    SAFE_PWRITE(new_fd, "new", 3, 0);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, old_fd, 0);
    char *q = CF_EXP_PTR(mmap(p, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, new_fd, 0));
    CF_ASSERT(q == p, "MAP_FIXED returned %p for %p", (void *)q, (void *)p);
    CF_EXPECT(memcmp(p, "new", 3) == 0, "the old pages are still there");
    p[10] = 0;
    unsigned char got_old, got_new = 1;
    SAFE_PREAD(old_fd, &got_old, 1, 10);
    SAFE_PREAD(new_fd, &got_new, 1, 10);
    CF_EXPECT(got_new == 0 && got_old == cf_pattern_byte(10), "the store went to %s",
              got_old == 0 ? "the old file" : "neither file");
}

CF_CASE(mmap, fixed_replaces_only_the_overlap,
        "MAP_FIXED over the middle page of a mapping replaces only that page",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_FIXED: whole pages in [pa, pa+len))")
{
    long page = cf_page_size();
    int old_fd = SAFE_PATTERN_FILE(3 * page, NULL);
    int new_fd = SAFE_TMPFILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ, MAP_SHARED, old_fd, 0);
    void *q = CF_EXP_PTR(
        mmap((void *)(p + page), page, PROT_READ, MAP_SHARED | MAP_FIXED, new_fd, 0));
    CF_ASSERT(q == p + page, "MAP_FIXED returned %p for %p", q, (void *)(p + page));
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the first page changed");
    CF_EXPECT(cf_first_nonzero(p, page, 2 * page) == -1, "the middle page is not the new file");
    CF_EXPECT(cf_pattern_mismatch(p + 2 * page, page, 2 * page) == -1, "the last page changed");
}

CF_CASE(mmap, fixed_noreplace_free_range_exact,
        "MAP_FIXED_NOREPLACE at a free page-aligned address maps exactly there",
        "mmap(2) MAP_FIXED_NOREPLACE")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    char *want = cf_free_range(page);
    volatile unsigned char *p = CF_EXP_PTR(
        mmap(want, page, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0));
    CF_EXPECT(p == (unsigned char *)want, "mapped at %p, asked %p", (void *)p, (void *)want);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the mapping does not show the file");
}

CF_CASE(mmap, hint_never_replaces_mapping,
        "without MAP_FIXED, an address hint over an existing mapping is not used and the "
        "existing mapping stays intact",
        "POSIX.1-2017 mmap(), DESCRIPTION (the implementation never replaces an extant "
        "mapping)")
{
    long page = cf_page_size();
    int old_fd = SAFE_PATTERN_FILE(2 * page, NULL);
    int new_fd = SAFE_TMPFILE(2 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, old_fd, 0);
    unsigned char *q = SAFE_MMAP((void *)p, 2 * page, PROT_READ, MAP_SHARED, new_fd, 0);
    CF_EXPECT(q + 2 * page <= p || q >= p + 2 * page, "the new mapping %p overlaps %p", (void *)q,
              (void *)p);
    CF_EXPECT(cf_pattern_mismatch(p, 2 * page, 0) == -1, "the existing mapping changed");
}

CF_CASE(mmap, kernel_chosen_address_page_aligned_not_zero,
        "with a NULL address the mapping is placed at a page-aligned address other than 0",
        "POSIX.1-2017 mmap(), DESCRIPTION (never places a mapping at address 0); mmap(2) "
        "(page-aligned address)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    for (int i = 0; i < 8; i++) {
        void *p = SAFE_MMAP(NULL, page + i, PROT_READ, i % 2 ? MAP_SHARED : MAP_PRIVATE, fd, 0);
        CF_EXPECT(p != NULL, "mapped at address 0");
        uintptr_t misalignment = (uintptr_t)p & (uintptr_t)(page - 1);
        CF_EXPECT(misalignment == 0, "%p is not page aligned", p);
    }
}
