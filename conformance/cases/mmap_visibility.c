/* What a MAP_SHARED store means for the file and for everyone else who maps it. */
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

CF_CASE_SIGNAL(mmap, whole_page_past_eof_sigbus, SIGBUS,
               "touching a whole page of the mapping that lies past end of file raises SIGBUS",
               "POSIX.1-2017 mmap(), DESCRIPTION (references beyond the object); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    (void)p[page];
}
