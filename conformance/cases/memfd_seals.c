/* File seals (fcntl(2), "File seals") on memfds: which seals a new memfd carries, what each
 * seal refuses, when a seal can be added, and that seals belong to the inode. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* Newer than some libc headers (values from the kernel's uapi). */
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALABLE (MFD_CLOEXEC | MFD_ALLOW_SEALING)

/* F_GET_SEALS as a set-up step. */
static int seals_of(int fd)
{
    int s = fcntl(fd, F_GET_SEALS);
    if (s < 0)
        CF_BROKEN("fcntl(F_GET_SEALS): %s", cf_errno_name(errno));
    return s;
}

/* F_GET_SEALS without F_SEAL_EXEC, which vm.memfd_noexec (Linux 6.3+) may add to every new
 * memfd; -1 where F_GET_SEALS fails. */
static int seals_but_exec(int fd)
{
    int s = fcntl(fd, F_GET_SEALS);
    return s < 0 ? s : s & ~F_SEAL_EXEC;
}

/* Skips a case about memfds made without MFD_ALLOW_SEALING where vm.memfd_noexec makes every
 * memfd MFD_NOEXEC_SEAL, which implies MFD_ALLOW_SEALING (memfd_create(2), proc(5)). */
static void skip_if_noexec_by_default(void)
{
    FILE *f = fopen("/proc/sys/vm/memfd_noexec", "re");
    if (f == NULL)
        return; /* a kernel before 6.3, or no /proc: no such default */
    int level = 0;
    int ok = fscanf(f, "%d", &level) == 1;
    fclose(f);
    if (ok && level > 0)
        CF_SKIP("vm.memfd_noexec is %d: every memfd is made MFD_NOEXEC_SEAL, which allows "
                "sealing",
                level);
}

/* F_ADD_SEALS of a seal new in Linux major.minor; an EINVAL (unknown seal) ends the case as
 * CF_UNKNOWN_SINCE says. */
static void add_seal(int fd, int seal, const char *name, int major, int minor)
{
    if (fcntl(fd, F_ADD_SEALS, seal) == 0)
        return;
    if (errno == EINVAL) {
        char what[64];
        snprintf(what, sizeof what, "F_ADD_SEALS(%s)", name);
        CF_UNKNOWN_SINCE(major, minor, what);
    }
    CF_BROKEN("F_ADD_SEALS(%s): %s", name, cf_errno_name(errno));
}

CF_CASE(memfd, no_sealing_reports_seal_seal,
        "a memfd created without MFD_ALLOW_SEALING reports F_SEAL_SEAL from F_GET_SEALS",
        "memfd_create(2), DESCRIPTION (MFD_ALLOW_SEALING); fcntl(2), File seals; "
        "kernel selftests memfd_test.c (test_create)")
{
    skip_if_noexec_by_default();
    int fd = SAFE_MEMFD(MFD_CLOEXEC, 0, NULL);
    CF_EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
}

CF_CASE(memfd, no_sealing_add_seals_eperm,
        "F_ADD_SEALS on a memfd created without MFD_ALLOW_SEALING fails with EPERM and adds "
        "nothing",
        "fcntl(2), File seals (EPERM: F_SEAL_SEAL is set); LTP memfd_create01")
{
    skip_if_noexec_by_default();
    int fd = SAFE_MEMFD(MFD_CLOEXEC, 0, NULL);
    CF_EXP_FAIL(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
    CF_EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
}

CF_CASE(memfd, allow_sealing_starts_unsealed,
        "a memfd created with MFD_ALLOW_SEALING starts with no seals",
        "memfd_create(2), DESCRIPTION (MFD_ALLOW_SEALING); gVisor memfd.cc")
{
    int fd = SAFE_MEMFD(SEALABLE, 0, NULL);
    CF_EXPECT_EQ(seals_but_exec(fd), 0);
}

CF_CASE(memfd, seal_seal_blocks_further_seals,
        "after F_SEAL_SEAL, F_ADD_SEALS fails with EPERM and the seals stay as they were",
        "fcntl(2), File seals (F_SEAL_SEAL); kernel selftests memfd_test.c (test_seal_seal)")
{
    int fd = SAFE_MEMFD(SEALABLE, 0, NULL);
    CF_EXP_PASS(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_GROW));
    CF_EXP_FAIL(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
    CF_EXPECT_EQ(seals_but_exec(fd), F_SEAL_SEAL | F_SEAL_GROW);
}

CF_CASE(memfd, add_seals_unknown_bit_einval,
        "F_ADD_SEALS with a bit that is no seal fails with EINVAL",
        "fcntl(2), File seals (EINVAL); gVisor memfd.cc")
{
    int fd = SAFE_MEMFD(SEALABLE, 0, NULL);
    CF_EXP_FAIL(fcntl(fd, F_ADD_SEALS, 0x40000000), EINVAL);
    CF_EXPECT_EQ(seals_but_exec(fd), 0);
}

CF_CASE(memfd, seals_on_pipe_einval,
        "F_GET_SEALS and F_ADD_SEALS on a descriptor that cannot be sealed (a pipe) fail "
        "with EINVAL",
        "fcntl(2), File seals (EINVAL: the file does not support sealing)")
{
    int fds[2];
    SAFE_PIPE(fds);
    CF_EXP_FAIL(fcntl(fds[0], F_GET_SEALS), EINVAL);
    CF_EXP_FAIL(fcntl(fds[1], F_ADD_SEALS, F_SEAL_WRITE), EINVAL);
}

/* "/proc/self/fd/N" of fd, opened again with `flags` (a new open file of the same inode). */
static int reopen_via_proc(int fd, int flags)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int again = open(path, flags | O_CLOEXEC);
    if (again < 0)
        CF_SKIP("open(%s): %s: no /proc/self/fd here", path, cf_errno_name(errno));
    return again;
}

CF_CASE(memfd, add_seals_rdonly_fd_eperm,
        "F_ADD_SEALS through a descriptor not open for writing fails with EPERM",
        "fcntl(2), File seals (EPERM: fd is not open for writing)")
{
    int fd = SAFE_MEMFD(SEALABLE, 0, NULL);
    int ro = reopen_via_proc(fd, O_RDONLY);
    CF_EXP_FAIL(fcntl(ro, F_ADD_SEALS, F_SEAL_GROW), EPERM);
    CF_EXPECT_EQ(seals_but_exec(fd), 0);
}

/* ---- Each seal against each operation: the table, and one body that runs it ---- */

enum op {
    OP_WRITE,              /* write() at offset 0, inside the file */
    OP_PWRITE_AT_EOF,      /* pwrite() at end of file: grows it */
    OP_FTRUNCATE_SHRINK,   /* ftruncate() to one page less */
    OP_FTRUNCATE_GROW,     /* ftruncate() to one page more */
    OP_FALLOCATE_INSIDE,   /* fallocate(0) of the first page */
    OP_FALLOCATE_PAST_EOF, /* fallocate(0) of the page after end of file: grows it */
    OP_PUNCH_HOLE,         /* fallocate(PUNCH_HOLE | KEEP_SIZE) of the first page */
    OP_MMAP_SHARED_WRITE,  /* mmap(PROT_READ | PROT_WRITE, MAP_SHARED) */
    OP_MMAP_PRIVATE_WRITE, /* mmap(PROT_READ | PROT_WRITE, MAP_PRIVATE) */
    OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
    "write",
    "pwrite at EOF",
    "ftruncate shrink",
    "ftruncate grow",
    "fallocate inside",
    "fallocate past EOF",
    "fallocate punch hole",
    "mmap shared writable",
    "mmap private writable",
};

#define OK 0
/* What each seal does to each operation (fcntl(2), File seals; kernel selftests
 * memfd_test.c test_seal_write, test_seal_future_write, test_seal_shrink, test_seal_grow):
 * 0 where the operation succeeds, otherwise the errno. */
struct seal_row {
    int seal;
    const char *name;
    int since_major, since_minor; /* the first Linux release with the seal */
    int expect[OP_COUNT];
};
enum { ROW_WRITE, ROW_FUTURE_WRITE, ROW_SHRINK, ROW_GROW };
static const struct seal_row seal_table[] = {
    [ROW_WRITE] =
        {F_SEAL_WRITE, "F_SEAL_WRITE", 3, 17, {EPERM, EPERM, OK, OK, OK, OK, EPERM, EPERM, OK}},
    [ROW_FUTURE_WRITE] = {F_SEAL_FUTURE_WRITE,
                          "F_SEAL_FUTURE_WRITE",
                          5,
                          1,
                          {EPERM, EPERM, OK, OK, OK, OK, EPERM, EPERM, OK}},
    [ROW_SHRINK] = {F_SEAL_SHRINK, "F_SEAL_SHRINK", 3, 17, {OK, OK, EPERM, OK, OK, OK, OK, OK, OK}},
    [ROW_GROW] = {F_SEAL_GROW, "F_SEAL_GROW", 3, 17, {OK, EPERM, OK, EPERM, OK, EPERM, OK, OK, OK}},
};

/* Runs `op` on fd (FILE_PAGES pages long, holding 'a'); 0 or the errno it failed with. */
#define FILE_PAGES 2
static int run_op(int fd, enum op op, size_t page)
{
    off_t size = (off_t)(FILE_PAGES * page);
    char byte = 'b';
    long r = 0;
    void *p = MAP_FAILED;
    errno = 0;
    switch (op) {
    case OP_WRITE: r = write(fd, &byte, 1) == 1 ? 0 : -1; break;
    case OP_PWRITE_AT_EOF: r = pwrite(fd, &byte, 1, size) == 1 ? 0 : -1; break;
    case OP_FTRUNCATE_SHRINK: r = ftruncate(fd, size - (off_t)page); break;
    case OP_FTRUNCATE_GROW: r = ftruncate(fd, size + (off_t)page); break;
    case OP_FALLOCATE_INSIDE: r = fallocate(fd, 0, 0, (off_t)page); break;
    case OP_FALLOCATE_PAST_EOF: r = fallocate(fd, 0, size, (off_t)page); break;
    case OP_PUNCH_HOLE:
        r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)page);
        break;
    case OP_MMAP_SHARED_WRITE:
    case OP_MMAP_PRIVATE_WRITE:
        p = mmap(NULL, page, PROT_READ | PROT_WRITE,
                 op == OP_MMAP_SHARED_WRITE ? MAP_SHARED : MAP_PRIVATE, fd, 0);
        r = p == MAP_FAILED ? -1 : 0;
        if (p != MAP_FAILED)
            munmap(p, page);
        break;
    default: break;
    }
    return r == 0 ? 0 : errno != 0 ? errno : -1;
}

/* Every operation against a fresh memfd that carries only row->seal. A refused operation
 * must also leave the size and the first byte as they were. */
static void check_seal_row(const struct seal_row *row)
{
    size_t page = (size_t)cf_page_size();
    off_t size = (off_t)(FILE_PAGES * page);
    for (int op = 0; op < OP_COUNT; op++) {
        int fd = SAFE_MEMFD(SEALABLE, (size_t)size, NULL);
        SAFE_PWRITE(fd, "a", 1, 0);
        add_seal(fd, row->seal, row->name, row->since_major, row->since_minor);
        int got = run_op(fd, (enum op)op, page);
        int want = row->expect[op];
        CF_EXPECT(got == want, "%s under %s: %s, expected %s", op_names[op], row->name,
                  got == 0 ? "succeeded" : cf_errno_name(got),
                  want == 0 ? "success" : cf_errno_name(want));
        if (got != 0) {
            struct stat st;
            char first;
            SAFE_FSTAT(fd, &st);
            SAFE_PREAD(fd, &first, 1, 0);
            CF_EXPECT(st.st_size == size && first == 'a',
                      "refused %s under %s still changed the file (size %lld, byte '%c')",
                      op_names[op], row->name, (long long)st.st_size, first);
        }
        SAFE_CLOSE(fd);
    }
}

CF_CASE(memfd, seal_write_operations,
        "F_SEAL_WRITE refuses write, pwrite, punching a hole and a writable shared mapping "
        "with EPERM, and allows ftruncate, fallocate and a writable private mapping",
        "fcntl(2), File seals (F_SEAL_WRITE); kernel selftests memfd_test.c (test_seal_write)")
{
    check_seal_row(&seal_table[ROW_WRITE]);
}

CF_CASE(memfd, seal_future_write_operations,
        "F_SEAL_FUTURE_WRITE refuses the same new writes as F_SEAL_WRITE (write, pwrite, hole "
        "punching, writable shared mapping) and allows the rest",
        "fcntl(2), File seals (F_SEAL_FUTURE_WRITE); "
        "kernel selftests memfd_test.c (test_seal_future_write)")
{
    check_seal_row(&seal_table[ROW_FUTURE_WRITE]);
}

CF_CASE(memfd, seal_shrink_operations,
        "F_SEAL_SHRINK refuses only an ftruncate that shrinks the file, with EPERM",
        "fcntl(2), File seals (F_SEAL_SHRINK); kernel selftests memfd_test.c (test_seal_shrink)")
{
    check_seal_row(&seal_table[ROW_SHRINK]);
}

CF_CASE(memfd, seal_grow_operations,
        "F_SEAL_GROW refuses with EPERM every operation that grows the file (ftruncate up, "
        "pwrite at end of file, fallocate past it) and allows writes inside it",
        "fcntl(2), File seals (F_SEAL_GROW); kernel selftests memfd_test.c (test_seal_grow)")
{
    check_seal_row(&seal_table[ROW_GROW]);
}

/* A sealable memfd of one page, mapped shared and writable at *map. */
static int mapped_memfd(char **map)
{
    size_t page = (size_t)cf_page_size();
    int fd = SAFE_MEMFD(SEALABLE, page, NULL);
    *map = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return fd;
}

CF_CASE(memfd, seal_write_ebusy_with_shared_writable_mapping,
        "F_ADD_SEALS with F_SEAL_WRITE fails with EBUSY while a writable shared mapping "
        "exists, applies none of the seals asked for, and succeeds once it is unmapped",
        "fcntl(2), File seals (EBUSY); kernel selftests memfd_test.c (test_seal_write, "
        "mfd_fail_add_seals after mmap); gVisor memfd.cc")
{
    char *p;
    int fd = mapped_memfd(&p);
    int all = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW;
    CF_EXP_FAIL(fcntl(fd, F_ADD_SEALS, all), EBUSY);
    CF_EXPECT_EQ(seals_but_exec(fd), 0);
    p[0] = 'w'; /* the mapping is still writable */
    SAFE_MUNMAP(p, (size_t)cf_page_size());
    CF_EXP_PASS(fcntl(fd, F_ADD_SEALS, all));
    CF_EXPECT_EQ(seals_but_exec(fd), all);
}

/* A read-only shared mapping of a memfd sealed with `seal` must never become writable:
 * mprotect(PROT_WRITE) fails with EACCES. Where `may_refuse`, refusing the mapping itself with
 * EPERM (Linux before 6.7 for F_SEAL_WRITE) keeps the rule too. */
static void check_rdonly_mapping_stays_rdonly(const struct seal_row *row, int may_refuse)
{
    size_t page = (size_t)cf_page_size();
    int fd = SAFE_MEMFD(SEALABLE, page, NULL);
    add_seal(fd, row->seal, row->name, row->since_major, row->since_minor);
    void *p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        CF_ASSERT(may_refuse && errno == EPERM,
                  "the read-only shared mapping under %s failed "
                  "with %s",
                  row->name, cf_errno_name(errno));
        cf_info("a read-only shared mapping under %s is refused (EPERM)", row->name);
        return;
    }
    CF_EXP_FAIL(mprotect(p, page, PROT_READ | PROT_WRITE), EACCES);
}

CF_CASE(memfd, seal_write_rdonly_mapping_never_writable,
        "a read-only shared mapping of a write-sealed memfd cannot be made writable: either "
        "the mapping is refused (Linux before 6.7) or mprotect(PROT_WRITE) fails with EACCES",
        "fcntl(2), File seals (F_SEAL_WRITE); mprotect(2), ERRORS (EACCES); "
        "kernel selftests memfd_test.c (test_seal_write)")
{
    check_rdonly_mapping_stays_rdonly(&seal_table[ROW_WRITE], 1);
}

CF_CASE(memfd, future_write_keeps_existing_writable_mapping,
        "F_SEAL_FUTURE_WRITE can be added while a writable shared mapping exists; that "
        "mapping stays writable and its stores reach the file, while write() fails with EPERM",
        "fcntl(2), File seals (F_SEAL_FUTURE_WRITE); "
        "kernel selftests memfd_test.c (test_seal_future_write)")
{
    char *p;
    int fd = mapped_memfd(&p);
    add_seal(fd, F_SEAL_FUTURE_WRITE, "F_SEAL_FUTURE_WRITE", 5, 1);
    memcpy(p, "old map", 8);
    char buf[8];
    SAFE_PREAD(fd, buf, sizeof buf, 0);
    CF_EXPECT(memcmp(buf, "old map", 8) == 0, "the existing mapping's store is not in the file");
    CF_EXP_FAIL(pwrite(fd, "x", 1, 0), EPERM);
}

CF_CASE(memfd, future_write_rdonly_mapping_mprotect_eacces,
        "after F_SEAL_FUTURE_WRITE a new read-only shared mapping is allowed, but "
        "mprotect(PROT_WRITE) of it fails with EACCES",
        "fcntl(2), File seals (F_SEAL_FUTURE_WRITE); mprotect(2), ERRORS (EACCES); "
        "kernel selftests memfd_test.c (test_seal_future_write)")
{
    check_rdonly_mapping_stays_rdonly(&seal_table[ROW_FUTURE_WRITE], 0);
}

CF_CASE(memfd, seals_shared_by_dup,
        "seals belong to the file: a seal added through a dup() of the descriptor is seen, "
        "and enforced, through the original",
        "fcntl(2), File seals (seals are a property of the inode); "
        "kernel selftests memfd_test.c (test_share_dup)")
{
    int fd = SAFE_MEMFD(SEALABLE, (size_t)cf_page_size(), NULL);
    int copy = CF_EXP_FD(dup(fd));
    CF_EXP_PASS(fcntl(copy, F_ADD_SEALS, F_SEAL_WRITE));
    CF_EXPECT_EQ(seals_but_exec(fd), F_SEAL_WRITE);
    CF_EXP_FAIL(pwrite(fd, "x", 1, 0), EPERM);
}

CF_CASE(memfd, seals_shared_by_proc_reopen,
        "seals belong to the inode: a seal added through a new open of /proc/self/fd/N is "
        "seen, and enforced, through the original descriptor, and the other way round",
        "fcntl(2), File seals (seals are a property of the inode); "
        "kernel selftests memfd_test.c (test_share_open)")
{
    int fd = SAFE_MEMFD(SEALABLE, (size_t)cf_page_size(), NULL);
    int again = reopen_via_proc(fd, O_RDWR);
    CF_EXP_PASS(fcntl(again, F_ADD_SEALS, F_SEAL_SHRINK));
    CF_EXPECT_EQ(seals_but_exec(fd), F_SEAL_SHRINK);
    CF_EXP_FAIL(ftruncate(fd, 0), EPERM);
    CF_EXP_PASS(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    CF_EXPECT_EQ(seals_but_exec(again), F_SEAL_SHRINK | F_SEAL_WRITE);
    CF_EXP_FAIL(pwrite(again, "x", 1, 0), EPERM);
}

CF_CASE(memfd, seal_exec_blocks_mode_exec_change,
        "F_SEAL_EXEC refuses with EPERM an fchmod() that changes an execute bit, and allows "
        "one that keeps them",
        "fcntl(2), File seals (F_SEAL_EXEC, Linux 6.3); "
        "kernel selftests memfd_test.c (test_seal_exec)")
{
    int fd = SAFE_MEMFD(SEALABLE, 0, NULL);
    add_seal(fd, F_SEAL_EXEC, "F_SEAL_EXEC", 6, 3);
    struct stat st;
    SAFE_FSTAT(fd, &st);
    mode_t mode = st.st_mode & 07777;
    CF_EXP_FAIL(fchmod(fd, mode ^ 0100), EPERM);
    CF_EXP_PASS(fchmod(fd, mode ^ 0200)); /* a write bit: not sealed */
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_mode & 0111, mode & 0111);
}

/* memfd_create(MFD_CLOEXEC | MFD_NOEXEC_SEAL) under the unique label in `name`. */
static int noexec_memfd(char name[CF_NAME_MAX])
{
    cf_unique_name(name);
    int fd = memfd_create(name + 1, MFD_CLOEXEC | MFD_NOEXEC_SEAL);
    if (fd < 0 && errno == EINVAL)
        CF_UNKNOWN_SINCE(6, 3, "memfd_create(MFD_NOEXEC_SEAL)");
    CF_ASSERT(fd >= 0, "memfd_create(MFD_NOEXEC_SEAL) failed: %s", cf_errno_name(errno));
    return fd;
}

CF_CASE(memfd, noexec_seal_not_executable_and_sealed,
        "MFD_NOEXEC_SEAL makes a memfd without execute bits that carries F_SEAL_EXEC and can "
        "still take more seals",
        "memfd_create(2), DESCRIPTION (MFD_NOEXEC_SEAL, Linux 6.3); "
        "kernel selftests memfd_test.c (test_noexec_seal)")
{
    char name[CF_NAME_MAX];
    int fd = noexec_memfd(name);
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_mode & 0111, 0);
    int seals = seals_of(fd);
    CF_EXPECT(seals & F_SEAL_EXEC, "seals %#x lack F_SEAL_EXEC", (unsigned)seals);
    CF_EXPECT(!(seals & F_SEAL_SEAL), "seals %#x include F_SEAL_SEAL", (unsigned)seals);
    CF_EXP_FAIL(fchmod(fd, 0700), EPERM);
    CF_EXP_PASS(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
}

CF_CASE(memfd, noexec_seal_with_exec_einval,
        "memfd_create() with both MFD_NOEXEC_SEAL and MFD_EXEC fails with EINVAL",
        "memfd_create(2), ERRORS (EINVAL: both MFD_EXEC and MFD_NOEXEC_SEAL); "
        "kernel selftests memfd_test.c (test_create)")
{
    char name[CF_NAME_MAX];
    close(noexec_memfd(name)); /* the kernel knows the flag, so the combination means something */
    CF_EXP_FAIL(memfd_create(name + 1, MFD_CLOEXEC | MFD_NOEXEC_SEAL | MFD_EXEC), EINVAL);
}
