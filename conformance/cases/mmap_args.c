/* mmap() argument rules: what the call itself must refuse. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, len_zero_einval, "mmap() with a length of 0 fails with EINVAL",
        "POSIX.1-2017 mmap(), ERRORS; mmap(2)")
{
    int fd = SAFE_TMPFILE(cf_page_size(), NULL);
    CF_EXP_MAP_FAIL(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
}

CF_CASE(mmap, bad_fd_ebadf, "mmap() of a file mapping with a closed descriptor fails with EBADF",
        "POSIX.1-2017 mmap(), ERRORS; mmap(2)")
{
    int fd = SAFE_TMPFILE(cf_page_size(), NULL);
    SAFE_CLOSE(fd);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED, fd, 0), EBADF);
}

CF_CASE(mmap, negative_fd_ebadf,
        "mmap() of a file mapping with fd -1 (no MAP_ANONYMOUS) fails with EBADF",
        "POSIX.1-2017 mmap(), ERRORS; mmap(2)")
{
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED, -1, 0), EBADF);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
}

CF_CASE(mmap, rdonly_fd_shared_write_eacces,
        "MAP_SHARED with PROT_WRITE of a descriptor opened O_RDONLY fails with EACCES",
        "POSIX.1-2017 mmap(), ERRORS (EACCES); mmap(2)")
{
    char path[CF_PATH_MAX];
    int fd = SAFE_REOPEN(path, SAFE_TMPFILE(cf_page_size(), path), O_RDONLY);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
}

CF_CASE(mmap, rdonly_fd_private_write_allowed,
        "MAP_PRIVATE with PROT_WRITE of an O_RDONLY descriptor succeeds and is writable",
        "POSIX.1-2017 mmap(), DESCRIPTION and ERRORS (EACCES names MAP_SHARED only); mmap(2)")
{
    char path[CF_PATH_MAX];
    int fd = SAFE_REOPEN(path, SAFE_PATTERN_FILE(cf_page_size(), path), O_RDONLY);
    volatile unsigned char *p = CF_EXP_PTR(
        mmap(NULL, cf_page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
    p[7] = 0;
    CF_EXPECT(p[7] == 0, "the private store did not stick");
    CF_EXPECT(p[8] == cf_pattern_byte(8), "the mapping does not show the file");
}

CF_CASE(mmap, not_readable_fd_eacces,
        "mmap() of a descriptor opened O_WRONLY fails with EACCES, whatever prot and type",
        "POSIX.1-2017 mmap(), ERRORS (EACCES: fildes not open for read); mmap(2)")
{
    char path[CF_PATH_MAX];
    int fd = SAFE_REOPEN(path, SAFE_TMPFILE(cf_page_size(), path), O_WRONLY);
    long page = cf_page_size();
    CF_EXP_MAP_FAIL(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0), EACCES);
    CF_EXP_MAP_FAIL(mmap(NULL, page, PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
    CF_EXP_MAP_FAIL(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), EACCES);
}

CF_CASE(mmap, unaligned_offset_einval,
        "mmap() with an offset that is not a multiple of the page size fails with EINVAL",
        "POSIX.1-2017 mmap(), ERRORS (EINVAL: off not a multiple of the page size); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(2 * page, NULL);
    CF_EXP_MAP_FAIL(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 1), EINVAL);
    CF_EXP_MAP_FAIL(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, page / 2), EINVAL);
}

CF_CASE(mmap, no_sharing_type_einval,
        "mmap() with neither MAP_SHARED nor MAP_PRIVATE in flags fails with EINVAL",
        "POSIX.1-2017 mmap(), ERRORS (EINVAL: neither MAP_PRIVATE nor MAP_SHARED)")
{
    int fd = SAFE_TMPFILE(cf_page_size(), NULL);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, 0, fd, 0), EINVAL);
    /* At a free address: MAP_FIXED at 0 meets vm.mmap_min_addr first (EPERM unprivileged). */
    char *free_page = cf_free_range(cf_page_size());
    CF_EXP_MAP_FAIL(mmap(free_page, cf_page_size(), PROT_READ, MAP_FIXED, fd, 0), EINVAL);
}

CF_CASE(mmap, shared_and_private_is_shared_validate,
        "on Linux MAP_SHARED|MAP_PRIVATE is MAP_SHARED_VALIDATE: a valid shared mapping",
        "POSIX.1-2017 mmap() (\"either ... but not both\", no error named); mmap(2) "
        "MAP_SHARED_VALIDATE")
{
#ifdef MAP_SHARED_VALIDATE
    if ((MAP_SHARED | MAP_PRIVATE) != MAP_SHARED_VALIDATE)
        CF_SKIP("MAP_SHARED|MAP_PRIVATE is not MAP_SHARED_VALIDATE here; POSIX names no "
                "error for it");
    cf_info("MAP_SHARED|MAP_PRIVATE == MAP_SHARED_VALIDATE == 0x%x", MAP_SHARED_VALIDATE);
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = CF_EXP_PTR(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_PRIVATE, fd, 0));
    p[3] = 'v';
    char got = 0;
    SAFE_PREAD(fd, &got, 1, 3);
    CF_EXPECT(got == 'v', "the store did not reach the file: the mapping is not shared");
#else
    CF_SKIP("no MAP_SHARED_VALIDATE here; POSIX names no error for MAP_SHARED|MAP_PRIVATE");
#endif
}

CF_CASE(mmap, fixed_unaligned_addr_einval,
        "mmap() with MAP_FIXED and an address that is not page aligned fails with EINVAL",
        "POSIX.1-2017 mmap(), ERRORS (EINVAL: addr not a multiple of the page size); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *addr = cf_free_range(2 * page) + 1;
    CF_EXP_MAP_FAIL(mmap(addr, page, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0), EINVAL);
}

CF_CASE(mmap, pipe_enodev, "mmap() of a pipe fails with ENODEV",
        "POSIX.1-2017 mmap(), ERRORS (ENODEV: file type not supported); mmap(2)")
{
    int fds[2];
    SAFE_PIPE(fds);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED, fds[0], 0), ENODEV);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_PRIVATE, fds[0], 0), ENODEV);
}

CF_CASE(mmap, directory_enodev, "mmap() of a directory fails with ENODEV",
        "POSIX.1-2017 mmap(), ERRORS (ENODEV: file type not supported); mmap(2)")
{
    char dir[CF_PATH_MAX];
    cf_unique_path(dir);
    *strrchr(dir, '/') = '\0';
    int fd = SAFE_OPEN(dir[0] != '\0' ? dir : "/", O_RDONLY | O_DIRECTORY, 0);
    cf_info_filesystem(fd);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_PRIVATE, fd, 0), ENODEV);
}

CF_CASE(mmap, fixed_noreplace_occupied_eexist,
        "MAP_FIXED_NOREPLACE over an existing mapping fails with EEXIST and keeps it intact",
        "mmap(2) MAP_FIXED_NOREPLACE and ERRORS (EEXIST)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(3 * page, NULL);
    int other = SAFE_TMPFILE(page, NULL);
    unsigned char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ, MAP_SHARED, fd, 0);
    CF_EXP_MAP_FAIL(mmap(p + page, page, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, other, 0),
                    EEXIST);
    /* Overlapping only in part is still a clash. */
    CF_EXP_MAP_FAIL(
        mmap(p + 2 * page, 2 * page, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, other, 0),
        EEXIST);
    CF_EXPECT(cf_pattern_mismatch(p, 3 * page, 0) == -1, "the existing mapping changed");
}

CF_CASE(mmap, shared_validate_unknown_flag_eopnotsupp,
        "MAP_SHARED_VALIDATE with a flag the kernel does not know fails with EOPNOTSUPP",
        "mmap(2) MAP_SHARED_VALIDATE and ERRORS (EOPNOTSUPP)")
{
    int fd = SAFE_TMPFILE(cf_page_size(), NULL);
    /* A bit no Linux version assigns a meaning to. */
    int unknown = 0x800000;
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED_VALIDATE | unknown, fd, 0),
                    EOPNOTSUPP);
    /* Plain MAP_SHARED ignores it, which is why the validating type exists. */
    CF_EXP_PTR(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED | unknown, fd, 0));
}

CF_CASE(mmap, shared_validate_known_flags_is_shared,
        "MAP_SHARED_VALIDATE with only known flags maps like MAP_SHARED: stores reach the file",
        "mmap(2) MAP_SHARED_VALIDATE")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    char *p = CF_EXP_PTR(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, fd, 0));
    p[9] = 'k';
    char got = 0;
    SAFE_PREAD(fd, &got, 1, 9);
    CF_EXPECT(got == 'k', "the store did not reach the file");
}

CF_CASE(mmap, map_sync_without_dax_eopnotsupp,
        "MAP_SYNC with MAP_SHARED_VALIDATE on a file without DAX fails with EOPNOTSUPP",
        "mmap(2) MAP_SYNC")
{
    int fd = SAFE_TMPFILE(cf_page_size(), NULL);
    cf_info_filesystem(fd);
#ifndef STATX_ATTR_DAX
    CF_SKIP("this libc has no statx(), so whether the temporary file uses DAX is unknown");
#else
    struct statx stx;
    CF_ASSERT(statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) == 0, "statx: %s",
              cf_errno_name(errno));
    if ((stx.stx_attributes_mask & STATX_ATTR_DAX) == 0)
        CF_SKIP("statx cannot tell whether the temporary file uses DAX");
    if (stx.stx_attributes & STATX_ATTR_DAX)
        CF_SKIP("the temporary file uses DAX, so MAP_SYNC is supported");
    CF_EXP_MAP_FAIL(
        mmap(NULL, cf_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0),
        EOPNOTSUPP);
#endif
}

CF_CASE(mmap, offset_plus_len_overflow_eoverflow,
        "a regular-file mapping whose offset plus length exceeds the largest file offset "
        "fails with EOVERFLOW",
        "POSIX.1-2017 mmap(), ERRORS (EOVERFLOW: off plus len exceeds the offset maximum)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    off_t off;
    if (sizeof(off_t) < 8) {
        /* Linux does not hold mmap to the descriptor's offset maximum (2^31 - 1 without
         * O_LARGEFILE); on a 32-bit ABI its only EOVERFLOW is the page count of offset plus
         * length overflowing an unsigned long, which a 32-bit off_t cannot reach. */
        CF_SKIP("off_t is %zu bits here (built without _FILE_OFFSET_BITS=64): no offset it "
                "can express makes mmap overflow (mmap(2), EOVERFLOW)",
                8 * sizeof(off_t));
    } else if (sizeof(long) < 8) {
        /* A 64-bit off_t on a 32-bit ABI: mmap2 takes the offset in pages, an unsigned long;
         * the last page number it can carry plus the length's pages overflows it. */
        off = (off_t)0xffffffffu * page;
    } else {
        off_t last = (off_t)(((uint64_t)1 << (sizeof(off_t) * 8 - 1)) - 1);
        off = last - last % page;
    }
    cf_info("offset %lld, length %ld", (long long)off, 2 * page);
    CF_EXP_MAP_FAIL(mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, off), EOVERFLOW);
}

CF_CASE(mmap, length_beyond_address_space_enomem,
        "mmap() without MAP_FIXED of a length no address space can hold fails with ENOMEM",
        "POSIX.1-2017 mmap(), ERRORS (ENOMEM: insufficient room in the address space)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    size_t huge = SIZE_MAX - (size_t)page + 1;
    CF_EXP_MAP_FAIL(mmap(NULL, huge, PROT_READ, MAP_PRIVATE, fd, 0), ENOMEM);
}

CF_CASE(mmap, write_sealed_memfd_shared_write_eperm,
        "a writable MAP_SHARED mapping of a memfd sealed with F_SEAL_WRITE fails with EPERM",
        "mmap(2) ERRORS (EPERM: prevented by a file seal); fcntl(2) F_SEAL_WRITE")
{
    long page = cf_page_size();
    int fd = memfd_create("shmlab-seal", MFD_ALLOW_SEALING | MFD_CLOEXEC);
    if (fd < 0)
        CF_SKIP("memfd_create with sealing is not available: %s", cf_errno_name(errno));
    SAFE_FTRUNCATE(fd, page);
    CF_ASSERT(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0, "F_ADD_SEALS failed: %s",
              cf_errno_name(errno));
    CF_EXP_MAP_FAIL(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM);
    /* Reading is what a seal against writes still allows. */
    CF_EXP_PTR(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0));
}

CF_CASE(mmap, negative_offset_eoverflow_or_einval,
        "mmap() of a regular file at a negative offset fails with EOVERFLOW (or EINVAL)",
        "mmap(2) ERRORS (EOVERFLOW; EINVAL for an offset that is not valid); "
        "gVisor mmap.cc (negative offset)")
{
    /* A 32-bit ABI passes the offset to the kernel as an unsigned count of pages (mmap2):
     * glibc turns -page into the largest page count, a valid offset for a 64-bit kernel. */
    if (sizeof(long) < 8)
        CF_SKIP("this ABI passes mmap offsets as an unsigned page count (mmap2), so a "
                "negative offset cannot reach the kernel as one");
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    CF_EXP_MAP_FAIL_ARR(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, -(off_t)page), EOVERFLOW,
                        EINVAL);
    CF_EXP_MAP_FAIL_ARR(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, -(off_t)page), EOVERFLOW,
                        EINVAL);
}

CF_CASE(mmap, o_path_fd_ebadf,
        "mmap() of an O_PATH descriptor fails with EBADF: it is not open for reading",
        "open(2) O_PATH (the descriptor cannot be used for mmap); mmap(2) ERRORS (EBADF); "
        "gVisor mmap.cc")
{
#ifndef O_PATH
    CF_SKIP("this libc does not define O_PATH");
#else
    char path[CF_PATH_MAX];
    SAFE_CLOSE(SAFE_TMPFILE(cf_page_size(), path));
    int fd = SAFE_OPEN(path, O_PATH, 0);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED, fd, 0), EBADF);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
#endif
}

CF_CASE(mmap, pipe_write_end_refused,
        "mmap() of the write end of a pipe fails: EACCES (not open for reading) or ENODEV",
        "mmap(2) ERRORS (EACCES: fd not open for reading; ENODEV); gVisor mmap.cc")
{
    int fds[2];
    SAFE_PIPE(fds);
    CF_EXP_MAP_FAIL_ARR(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED, fds[1], 0), EACCES,
                        ENODEV);
    CF_EXP_MAP_FAIL_ARR(mmap(NULL, cf_page_size(), PROT_WRITE, MAP_SHARED, fds[1], 0), EACCES,
                        ENODEV);
}

CF_CASE(mmap, chardev_without_mmap_enodev,
        "mmap() of a character device that has no mapping (/dev/null) fails with ENODEV",
        "mmap(2) ERRORS (ENODEV: the filesystem of the file does not support memory mapping); "
        "null(4); gVisor mmap.cc")
{
    struct stat st;
    if (stat("/dev/null", &st) != 0 || !S_ISCHR(st.st_mode))
        CF_SKIP("/dev/null is not a character device here");
    int fd = SAFE_OPEN("/dev/null", O_RDWR, 0);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_SHARED, fd, 0), ENODEV);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ, MAP_PRIVATE, fd, 0), ENODEV);
}
