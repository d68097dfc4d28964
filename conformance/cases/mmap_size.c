/* A mapping never changes the size of its file. */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

static long long file_size(int fd)
{
    struct stat st;
    SAFE_FSTAT(fd, &st);
    return (long long)st.st_size;
}

CF_CASE(mmap, mapping_longer_than_file_keeps_size,
        "mapping more pages than the file has does not grow the file",
        "POSIX.1-2017 mmap(), DESCRIPTION (mmap() does not change the object's size; "
        "references past it: SIGBUS)")
{
    long page = cf_page_size();
    long size = page + 100;
    int fd = SAFE_TMPFILE(size, NULL);
    SAFE_MMAP(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SAFE_MMAP(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CF_EXPECT_EQ(file_size(fd), size);
}

CF_CASE(mmap, stores_msync_munmap_keep_size,
        "stores (also into the last page's tail), msync() and munmap() leave st_size unchanged",
        "POSIX.1-2017 mmap(), DESCRIPTION (modified portions past the end never written); "
        "msync()")
{
    long page = cf_page_size();
    long size = page + 100;
    int fd = SAFE_TMPFILE(size, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(p, 's', 2 * page);
    CF_EXPECT_EQ(file_size(fd), size);
    SAFE_MSYNC(p, 2 * page, MS_SYNC);
    CF_EXPECT_EQ(file_size(fd), size);
    SAFE_MUNMAP(p, 2 * page);
    CF_EXPECT_EQ(file_size(fd), size);
}
