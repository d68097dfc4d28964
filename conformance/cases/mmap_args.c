/* mmap() argument rules: what the call itself must refuse. */
#include <sys/mman.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, len_zero_einval,
        "mmap() with a length of 0 fails with EINVAL",
        "POSIX.1-2017 mmap(), ERRORS; mmap(2)")
{
    int fd = SAFE_TMPFILE(cf_page_size(), NULL);
    CF_EXP_MAP_FAIL(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
}

CF_CASE(mmap, bad_fd_ebadf,
        "mmap() of a file mapping with a closed descriptor fails with EBADF",
        "POSIX.1-2017 mmap(), ERRORS; mmap(2)")
{
    int fd = SAFE_TMPFILE(cf_page_size(), NULL);
    SAFE_CLOSE(fd);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED, fd, 0), EBADF);
}
