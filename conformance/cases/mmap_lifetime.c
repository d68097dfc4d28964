/* A mapping holds its own reference to the file: close() and unlink() do not end it. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, close_keeps_mapping,
        "after close() of the descriptor the mapping still works and its stores reach the file",
        "POSIX.1-2017 mmap(), DESCRIPTION (the extra reference is not removed by close())")
{
    long page = cf_page_size();
    char path[CF_PATH_MAX];
    int fd = SAFE_PATTERN_FILE(page, path);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SAFE_CLOSE(fd);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the mapping changed at close()");
    p[3] = 0;
    int again = SAFE_OPEN(path, O_RDONLY, 0);
    unsigned char got = 1;
    SAFE_PREAD(again, &got, 1, 3);
    CF_EXPECT(got == 0, "the store after close() did not reach the file");
}

CF_CASE(mmap, close_unlink_keeps_file_alive,
        "after close() and unlink() the mapped file lives on: its data stays and two mappings "
        "still share it",
        "POSIX.1-2017 mmap(), DESCRIPTION (reference to the file); unlink() (space freed only "
        "when no process has the file open)")
{
    long page = cf_page_size();
    char path[CF_PATH_MAX];
    int fd = SAFE_PATTERN_FILE(2 * page, path);
    volatile unsigned char *a = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                          0);
    volatile unsigned char *b = SAFE_MMAP(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
    SAFE_CLOSE(fd);
    CF_ASSERT(unlink(path) == 0, "unlink: %s", cf_errno_name(errno));
    struct stat st;
    CF_ASSERT(stat(path, &st) != 0 && errno == ENOENT, "the name is still there");
    CF_EXPECT(cf_pattern_mismatch(a, 2 * page, 0) == -1, "the data changed");
    a[page + 1] = 0;
    CF_EXPECT(b[page + 1] == 0, "the other mapping no longer shares the file");
}

CF_CASE(mmap, mapping_follows_file_not_descriptor,
        "a mapping keeps showing its file after the descriptor number is closed and reused "
        "for another file",
        "POSIX.1-2017 mmap(), DESCRIPTION (the mapping refers to the file, not to fildes)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    SAFE_CLOSE(fd);
    int other = SAFE_TMPFILE(page, NULL);
    cf_info("descriptor %d reused: %s", fd, other == fd ? "yes" : "no");
    SAFE_PWRITE(other, "other", 5, 0);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the mapping shows another file");
}
