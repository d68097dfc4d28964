/* System calls whose buffer is a mapping: I/O between a file and its own shared mapping
 * completes, and a buffer in a mapped page past end of file is EFAULT, never SIGBUS. */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, write_from_own_mapping_completes,
        "pwrite() of a file from its own shared mapping completes, also when the buffer is "
        "the very page being written",
        "POSIX.1-2017 write(); mmap(2); gVisor mmap.cc (write from a mapping of the same file)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    CF_EXPECT_EQ(pwrite(fd, (const void *)p, page, 0), page);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page, 0), -1);
    CF_EXPECT_EQ(pwrite(fd, (const void *)p, page, page), page);
    CF_EXPECT_EQ(cf_pattern_mismatch(p + page, page, 0), -1);
}

CF_CASE(mmap, read_into_own_mapping_completes,
        "pread() of a file into its own shared mapping completes and the bytes land in the "
        "file",
        "POSIX.1-2017 read(); mmap(2); gVisor mmap.cc (read into a mapping of the same file)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(2 * page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    CF_EXPECT_EQ(pread(fd, (void *)p, page, page), page);
    CF_EXPECT_EQ(cf_pattern_mismatch(p, page, page), -1);
    unsigned char got[2];
    SAFE_PREAD(fd, got, 2, 0);
    CF_EXPECT(got[0] == cf_pattern_byte(page) && got[1] == cf_pattern_byte(page + 1),
              "the file does not hold what was read into its mapping");
}

CF_CASE(mmap, syscall_buffer_past_eof_efault,
        "read() into and write() from a mapped page past end of file fail with EFAULT; the "
        "process gets no SIGBUS",
        "mmap(2) (SIGBUS only on access by the process); read(2)/write(2) ERRORS (EFAULT); "
        "gVisor mmap.cc")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int fds[2];
    SAFE_PIPE(fds);
    CF_EXP_FAIL(write(fds[1], p + page, 16), EFAULT);
    CF_ASSERT(write(fds[1], "0123456789abcdef", 16) == 16, "filling the pipe failed");
    CF_EXP_FAIL(read(fds[0], p + page, 16), EFAULT);
    CF_EXP_FAIL(pread(fd, p + page, 16, 0), EFAULT);
}
