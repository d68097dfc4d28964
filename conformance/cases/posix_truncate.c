/* ftruncate() on a shared memory object: its size, the zeros it adds, and what a mapping
 * sees when the size changes under it. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

/* How many of the len bytes at p are not zero. */
static size_t nonzero_bytes(const volatile char *p, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += p[i] != 0;
    return n;
}

static off_t size_of(int fd)
{
    struct stat st;
    SAFE_FSTAT(fd, &st);
    return st.st_size;
}

CF_CASE(posix, truncate_sets_size,
        "ftruncate() sets st_size to exactly the length given, page multiple or not",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (shared memory object); fstat()")
{
    int fd = SAFE_SHM_NEW(0, NULL);
    off_t sizes[] = {5000, 1, 3 * cf_page_size(), 0};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        SAFE_FTRUNCATE(fd, sizes[i]);
        off_t got = size_of(fd);
        CF_EXPECT_EQ(got, sizes[i]);
    }
}

CF_CASE(posix, truncate_grow_zero_filled,
        "growing an object with ftruncate() adds bytes that read as zero",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (extended area appears zero-filled)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(0, NULL);
    SAFE_FTRUNCATE(fd, 4 * page);
    const char *p = SAFE_MMAP(NULL, 4 * page, PROT_READ, MAP_SHARED, fd, 0);
    size_t n = nonzero_bytes(p, (size_t)(4 * page));
    CF_EXPECT(n == 0, "%zu bytes are not zero", n);
}

CF_CASE(posix, truncate_shrink_then_grow_reads_zeros,
        "after shrinking and growing again, the bytes past the smaller size read zero and "
        "those before it are kept",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (data beyond the new size discarded; "
        "extension zero-filled)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(2 * page, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(p, 'd', (size_t)(2 * page));
    SAFE_MUNMAP(p, 2 * page);
    SAFE_FTRUNCATE(fd, 100);
    SAFE_FTRUNCATE(fd, 2 * page);
    const char *q = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    size_t kept = 0;
    for (int i = 0; i < 100; i++)
        kept += q[i] == 'd';
    CF_EXPECT(kept == 100, "only %zu of the first 100 bytes kept", kept);
    size_t n = nonzero_bytes(q + 100, (size_t)(2 * page - 100));
    CF_EXPECT(n == 0, "%zu bytes past the cut are not zero", n);
}

CF_CASE(posix, truncate_shrink_under_mapping_sigbus,
        "after ftruncate() shrinks an object under a live mapping, touching a page wholly "
        "past the new size raises SIGBUS while the first page still works",
        "POSIX.1-2017 mmap(), DESCRIPTION (references beyond the object: SIGBUS); ftruncate()")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(2 * page, NULL);
    volatile char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[page] = 1;
    SAFE_FTRUNCATE(fd, page);
    p[0] = 1;
    CF_EXPECT_SIGNAL(SIGBUS, (void)p[page]);
}

CF_CASE(posix, truncate_regrow_under_mapping_zero,
        "a live mapping sees zeros where an object was cut by ftruncate() and then regrown",
        "POSIX.1-2017 ftruncate(), DESCRIPTION; mmap() (MAP_SHARED)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(2 * page, NULL);
    volatile char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset((char *)p, 'd', (size_t)(2 * page));
    SAFE_FTRUNCATE(fd, 0);
    SAFE_FTRUNCATE(fd, 2 * page);
    size_t n = nonzero_bytes(p, (size_t)(2 * page));
    CF_EXPECT(n == 0, "%zu bytes of old data came back", n);
}

CF_CASE_SIGNAL(posix, map_past_size_sigbus, SIGBUS,
               "touching a mapped page that lies wholly past the object's size raises SIGBUS",
               "POSIX.1-2017 mmap(), DESCRIPTION (references beyond the object); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    (void)p[page];
}

CF_CASE(posix, truncate_partial_page_zero_tail,
        "the bytes of the last mapped page past the object's size read as zero",
        "POSIX.1-2017 mmap(), DESCRIPTION (partial page zero-filled)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(100, NULL);
    const char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    size_t n = nonzero_bytes(p + 100, (size_t)(page - 100));
    CF_EXPECT(n == 0, "%zu bytes of the tail are not zero", n);
}

CF_CASE(posix, truncate_negative_einval,
        "ftruncate() with a negative length fails with EINVAL and keeps the size",
        "POSIX.1-2017 ftruncate(), ERRORS (EINVAL)")
{
    int fd = SAFE_SHM_NEW(cf_page_size(), NULL);
    CF_EXP_FAIL(ftruncate(fd, -1), EINVAL);
    CF_EXPECT(size_of(fd) == cf_page_size(), "size changed");
}

CF_CASE(posix, truncate_size_seen_by_other_descriptor,
        "a size set with ftruncate() is what fstat() shows through another descriptor of "
        "the object, in another process",
        "POSIX.1-2017 ftruncate(), fstat(); shm_open() (same object)")
{
    char name[CF_NAME_MAX];
    int fd = SAFE_SHM_NEW(0, name);
    SAFE_FTRUNCATE(fd, 12345);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        int own = SAFE_SHM_OPEN(name, O_RDONLY);
        off_t got = size_of(own);
        CF_EXPECT_EQ(got, 12345);
        _exit(0);
    }
    CF_REAP(pid);
}
