/* MAP_PRIVATE: copy-on-write isolation in both directions. */
#include <string.h>
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, private_store_not_in_file,
        "a store through MAP_PRIVATE does not change the file, even after munmap",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_PRIVATE: shall not change the underlying "
        "object)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memset((void *)p, 0, page);
    CF_EXPECT(p[5] == 0, "the private store did not stick");
    unsigned char got[64];
    SAFE_PREAD(fd, got, sizeof got, 0);
    CF_EXPECT(cf_pattern_mismatch(got, sizeof got, 0) == -1, "the file changed");
    SAFE_MUNMAP((void *)p, page);
    SAFE_PREAD(fd, got, sizeof got, 0);
    CF_EXPECT(cf_pattern_mismatch(got, sizeof got, 0) == -1, "the file changed at munmap");
}

CF_CASE(mmap, private_store_not_seen_by_other_mappings,
        "a store through MAP_PRIVATE is seen neither by a MAP_SHARED nor by another MAP_PRIVATE "
        "mapping of the file",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_PRIVATE: visible only to the calling process)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *priv = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
                                             0);
    volatile unsigned char *shared = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    volatile unsigned char *other = SAFE_MMAP(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    (void)shared[9];
    (void)other[9];
    priv[9] = 0;
    CF_EXPECT(shared[9] == cf_pattern_byte(9), "the shared mapping sees the private store");
    CF_EXPECT(other[9] == cf_pattern_byte(9), "another private mapping sees the store");
}

CF_CASE(mmap, shared_store_not_in_private_copy,
        "after a page is privately modified, a later store to the same bytes through "
        "MAP_SHARED does not change the private copy",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_PRIVATE: modifications visible only to the "
        "calling process); mmap(2) MAP_PRIVATE (copy-on-write)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *priv = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE,
                                             fd, 0);
    volatile unsigned char *shared = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED,
                                               fd, 0);
    (void)priv[page + 3];
    priv[3] = 'p';
    shared[3] = 's';
    SAFE_PWRITE(fd, "w", 1, 4);
    CF_EXPECT(priv[3] == 'p', "the private store was overwritten by the shared one (%d)", priv[3]);
    /* Only what the process itself stored is specified; the rest is reported. */
    shared[page + 3] = 's';
    cf_info("untouched private page %s later file changes; the modified page %s them",
            priv[page + 3] == 's' ? "shows" : "does not show",
            priv[4] == 'w' ? "shows" : "does not show");
}

CF_CASE(mmap, posix_madvise_dontneed_keeps_private_data,
        "posix_madvise(POSIX_MADV_DONTNEED) does not discard a MAP_PRIVATE mapping's stores",
        "POSIX.1-2017 posix_madvise(), DESCRIPTION (advice shall not affect the semantics of "
        "access)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    p[21] = 0;
    int err = posix_madvise((void *)p, page, POSIX_MADV_DONTNEED);
    CF_ASSERT(err == 0, "posix_madvise returned %d", err);
    CF_EXPECT(p[21] == 0, "the private store is gone: the mapping shows the file again");
}

CF_CASE(mmap, madv_dontneed_keeps_shared_stores,
        "madvise(MADV_DONTNEED) on a MAP_SHARED file mapping keeps its stores: pages come "
        "back from the file",
        "madvise(2) MADV_DONTNEED")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[30] = 'd';
    CF_ASSERT(madvise((void *)p, page, MADV_DONTNEED) == 0, "madvise: %s", cf_errno_name(errno));
    char got = 0;
    SAFE_PREAD(fd, &got, 1, 30);
    CF_EXPECT(p[30] == 'd' && got == 'd', "mapping %d, file %d", p[30], got);
}
