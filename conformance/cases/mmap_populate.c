/* MAP_POPULATE: the pages are resident when mmap() returns, as mincore() reports. Sizes stay
 * at a few pages: populating is allocating. */
#include <stdlib.h>
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

#define POPULATED_PAGES 4

/* mincore()'s residency bit for each of `pages` pages at p. */
static void residency(void *p, long pages, unsigned char *vec)
{
    if (mincore(p, (size_t)pages * cf_page_size(), vec) != 0)
        CF_SKIP("mincore is not available here: %s", cf_errno_name(errno));
}

CF_CASE(mmap, populate_anon_pages_resident,
        "MAP_POPULATE makes every page of a private anonymous mapping resident before mmap() "
        "returns, where without it none is",
        "mmap(2) MAP_POPULATE; mincore(2); LTP mmap12")
{
    long page = cf_page_size();
    unsigned char vec[POPULATED_PAGES];
    void *plain = SAFE_ANON(POPULATED_PAGES * page, MAP_PRIVATE);
    residency(plain, POPULATED_PAGES, vec);
    for (int i = 0; i < POPULATED_PAGES; i++)
        if (vec[i] & 1)
            CF_SKIP("untouched anonymous pages already count as resident here (page %d), so "
                    "residency cannot show MAP_POPULATE",
                    i);
    void *p = CF_EXP_PTR(mmap(NULL, POPULATED_PAGES * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0));
    residency(p, POPULATED_PAGES, vec);
    for (int i = 0; i < POPULATED_PAGES; i++)
        CF_EXPECT(vec[i] & 1, "page %d of %d is not resident", i, POPULATED_PAGES);
}

CF_CASE(mmap, populate_file_shorter_than_mapping,
        "MAP_POPULATE of a file shorter than the mapping succeeds, the file's pages are "
        "resident, and a page past the end of the file still raises SIGBUS",
        "mmap(2) MAP_POPULATE and SIGBUS; mincore(2); gVisor mmap.cc (MAP_POPULATE past EOF)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *p = CF_EXP_PTR(
        mmap(NULL, POPULATED_PAGES * page, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0));
    unsigned char vec[POPULATED_PAGES];
    residency((void *)p, POPULATED_PAGES, vec);
    CF_EXPECT((vec[0] & 1) && (vec[1] & 1), "the file's pages are not resident (%d, %d)",
              vec[0] & 1, vec[1] & 1);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, 2 * page, 0), -1);
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[2 * page]);
}
