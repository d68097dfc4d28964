/* What a MAP_SHARED store means for the file and for everyone else who maps it. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, shared_store_visible_to_read,
        "a store through a MAP_SHARED mapping is seen by read() on the file without msync()",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_SHARED); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p + 100, "shmlab", 6);
    char got[6];
    SAFE_PREAD(fd, got, sizeof got, 100);
    CF_EXPECT(memcmp(got, "shmlab", 6) == 0, "read() returned other bytes");
}

CF_CASE(mmap, mapping_shows_file_contents,
        "a MAP_SHARED or MAP_PRIVATE mapping shows the file's bytes at the same offsets",
        "POSIX.1-2017 mmap(), DESCRIPTION (pa..pa+len maps off..off+len of the object)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    static const int types[] = {MAP_SHARED, MAP_PRIVATE};
    for (int i = 0; i < 2; i++) {
        volatile unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ, types[i], fd, 0);
        long bad = cf_pattern_mismatch(p, 3 * page, 0);
        CF_EXPECT(bad == -1, "%s: offset %ld differs from the file",
                  types[i] == MAP_SHARED ? "MAP_SHARED" : "MAP_PRIVATE", bad);
    }
}

CF_CASE(mmap, offset_maps_file_at_offset,
        "a mapping at a page-aligned offset shows and stores the file's bytes from that offset",
        "POSIX.1-2017 mmap(), DESCRIPTION (off)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(4 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          2 * page);
    long bad = cf_pattern_mismatch(p, page, 2 * page);
    CF_EXPECT(bad == -1, "file offset %ld differs", bad);
    p[17] = 0;
    unsigned char got[2];
    SAFE_PREAD(fd, &got[0], 1, 2 * page + 17);
    SAFE_PREAD(fd, &got[1], 1, 17);
    CF_EXPECT(got[0] == 0, "the store did not reach file offset 2 pages + 17");
    CF_EXPECT(got[1] == cf_pattern_byte(17), "the store reached offset 17 instead");
}

CF_CASE(mmap, write_visible_in_shared_mapping,
        "a write() to the file is seen through an existing MAP_SHARED mapping",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_SHARED); mmap(2) MAP_SHARED")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    (void)p[40];
    SAFE_PWRITE(fd, "fresh", 5, 40);
    char got[5];
    for (int i = 0; i < 5; i++)
        got[i] = p[40 + i];
    CF_EXPECT(memcmp(got, "fresh", 5) == 0, "the mapping still shows the old bytes");
}

CF_CASE(mmap, two_shared_mappings_alias,
        "two MAP_SHARED mappings of one file in one process see each other's stores",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_SHARED: write references change the object)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *a = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile char *b = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CF_ASSERT(a != b, "both mappings at %p", (void *)a);
    a[1] = 'a';
    b[2] = 'b';
    CF_EXPECT(b[1] == 'a' && a[2] == 'b', "b[1]=%d a[2]=%d", b[1], a[2]);
}

CF_CASE(mmap, shared_store_visible_to_other_process,
        "a store through MAP_SHARED is seen by another process's own mapping of the file, with "
        "no system call by either side",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_SHARED); mmap(2) MAP_SHARED")
{
    long page = cf_page_size();
    char path[CF_PATH_MAX];
    int fd = SAFE_TMPFILE(page, path);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        /* Its own open and mapping, not the inherited one. */
        int own = SAFE_OPEN(path, O_RDWR, 0);
        volatile char *q = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0);
        q[1] = 'r';
        if (cf_spin_until(&q[0], 'g', 10) != 0)
            CF_FAIL("the reader never saw the writer's store");
        q[2] = 'a';
        _exit(0);
    }
    CF_ASSERT(cf_spin_until(&p[1], 'r', 10) == 0, "the reader's ready store never arrived");
    p[0] = 'g';
    CF_EXPECT(cf_spin_until(&p[2], 'a', 10) == 0, "the reader's answer never arrived");
    CF_REAP(pid);
}

CF_CASE(mmap, shared_stores_outlive_the_process,
        "MAP_SHARED stores reach the file even when the process exits without msync or munmap",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_SHARED: write references change the object)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        char *q = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        memcpy(q + 64, "kept", 4);
        _exit(0);
    }
    CF_REAP(pid);
    char got[4];
    SAFE_PREAD(fd, got, 4, 64);
    CF_EXPECT(memcmp(got, "kept", 4) == 0, "the file lost the stores");
}
