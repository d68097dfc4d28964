/* Protection of file mappings: what prot allows, what it forbids, and mprotect(). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE_SIGNAL(mmap, prot_read_store_sigsegv, SIGSEGV,
               "a store into a PROT_READ file mapping raises SIGSEGV",
               "POSIX.1-2017 mmap(), DESCRIPTION (prot) and mprotect(); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    p[0] = 1;
}

CF_CASE(mmap, prot_none_denies_every_access,
        "every read or store into a PROT_NONE file mapping raises SIGSEGV",
        "POSIX.1-2017 mmap(), DESCRIPTION (PROT_NONE: \"shall not permit any access\")")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_NONE, MAP_SHARED, fd, 0);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[0]);
    CF_EXPECT_SIGNAL(SIGSEGV, p[page - 1] = 1);
    volatile char *q = SAFE_MMAP(NULL, page, PROT_NONE, MAP_PRIVATE, fd, 0);
    CF_EXPECT_SIGNAL(SIGSEGV, (void)q[1]);
}

CF_CASE(mmap, mprotect_add_write_store_reaches_file,
        "after mprotect() adds PROT_WRITE to a shared mapping of an O_RDWR file, stores work "
        "and reach the file",
        "POSIX.1-2017 mprotect(), DESCRIPTION; mprotect(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    CF_EXPECT_SIGNAL(SIGSEGV, p[5] = 'w');
    CF_ASSERT(mprotect((void *)p, page, PROT_READ | PROT_WRITE) == 0, "mprotect: errno %d", errno);
    p[5] = 'w';
    char got = 0;
    SAFE_PREAD(fd, &got, 1, 5);
    CF_EXPECT(got == 'w', "the store did not reach the file");
}

CF_CASE(mmap, mprotect_remove_write_sigsegv_keeps_data,
        "after mprotect() removes PROT_WRITE a store raises SIGSEGV and earlier stores stay",
        "POSIX.1-2017 mprotect(), DESCRIPTION; mprotect(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[11] = 'a';
    CF_ASSERT(mprotect((void *)p, page, PROT_READ) == 0, "mprotect: errno %d", errno);
    CF_EXPECT_SIGNAL(SIGSEGV, p[11] = 'b');
    CF_EXPECT(p[11] == 'a', "the mapping reads %d", p[11]);
    char got = 0;
    SAFE_PREAD(fd, &got, 1, 11);
    CF_EXPECT(got == 'a', "the file holds %d", got);
}

CF_CASE(mmap, mprotect_shared_write_rdonly_fd_eacces,
        "mprotect() adding PROT_WRITE to a MAP_SHARED mapping of an O_RDONLY fd fails with "
        "EACCES",
        "POSIX.1-2017 mprotect(), ERRORS (EACCES); mprotect(2)")
{
    char path[CF_PATH_MAX];
    long page = cf_page_size();
    int fd = SAFE_REOPEN(path, SAFE_TMPFILE(page, path), O_RDONLY);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(mprotect((void *)p, page, PROT_READ | PROT_WRITE), EACCES);
    CF_EXPECT_SIGNAL(SIGSEGV, p[0] = 1);
}

CF_CASE(mmap, mprotect_private_write_rdonly_fd_allowed,
        "mprotect() adding PROT_WRITE to a MAP_PRIVATE mapping of an O_RDONLY fd succeeds and "
        "the store stays private",
        "POSIX.1-2017 mprotect(), ERRORS (EACCES concerns the memory object's access); "
        "mprotect(2)")
{
    char path[CF_PATH_MAX];
    long page = cf_page_size();
    int fd = SAFE_REOPEN(path, SAFE_PATTERN_FILE(page, path), O_RDONLY);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    CF_ASSERT(mprotect((void *)p, page, PROT_READ | PROT_WRITE) == 0, "mprotect: errno %d", errno);
    p[2] = 0;
    unsigned char got = 0;
    SAFE_PREAD(fd, &got, 1, 2);
    CF_EXPECT(p[2] == 0 && got == cf_pattern_byte(2), "mapping %d, file %d", p[2], got);
}

CF_CASE(mmap, mprotect_unaligned_einval,
        "mprotect() with an address that is not page aligned fails with EINVAL",
        "POSIX.1-2017 mprotect(), ERRORS (EINVAL); mprotect(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(2 * page, NULL);
    char *p = SAFE_MMAP(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CF_EXP_FAIL(mprotect(p + 1, page, PROT_READ), EINVAL);
    /* Refused as a whole: the page is still writable. */
    p[1] = 1;
}

CF_CASE(mmap, mprotect_unmapped_enomem,
        "mprotect() over a range containing unmapped pages fails with ENOMEM",
        "POSIX.1-2017 mprotect(), ERRORS (ENOMEM); mprotect(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(3 * page, NULL);
    char *p = SAFE_MMAP(NULL, 3 * page, PROT_READ, MAP_SHARED, fd, 0);
    SAFE_MUNMAP(p + page, page);
    CF_EXP_FAIL(mprotect(p, 3 * page, PROT_READ), ENOMEM);
    CF_EXP_FAIL(mprotect(p + page, page, PROT_READ), ENOMEM);
}

/* One instruction that returns to its caller. */
#if defined(__x86_64__) || defined(__i386__)
#define RETURN_INSTRUCTION \
    {                      \
        0xc3               \
    }
#elif defined(__aarch64__)
#define RETURN_INSTRUCTION     \
    {                          \
        0xc0, 0x03, 0x5f, 0xd6 \
    }
#elif defined(__arm__) && defined(__ARMEL__)
/* A32 `bx lr`: called through a pointer with bit 0 clear, it runs in ARM state and returns
 * to the caller's state, Thumb or not. */
#define RETURN_INSTRUCTION     \
    {                          \
        0x1e, 0xff, 0x2f, 0xe1 \
    }
#endif

/* A private mapping, with `prot`, of a file page holding a return instruction. */
static void (*code_page(int prot))(void)
{
#ifdef RETURN_INSTRUCTION
    static const unsigned char ret[] = RETURN_INSTRUCTION;
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    SAFE_PWRITE(fd, ret, sizeof ret, 0);
    void *p = SAFE_MMAP(NULL, page, prot, MAP_PRIVATE, fd, 0);
    __builtin___clear_cache((char *)p, (char *)p + sizeof ret);
    void (*fn)(void);
    memcpy(&fn, &p, sizeof fn);
    return fn;
#else
    (void)prot;
    CF_SKIP("no return instruction known for this architecture");
#endif
}

CF_CASE(mmap, prot_exec_runs_file_code,
        "code in a file mapping with PROT_READ|PROT_EXEC can be executed",
        "POSIX.1-2017 mmap(), DESCRIPTION (PROT_EXEC: data can be executed); mmap(2)")
{
    void (*fn)(void) = code_page(PROT_READ | PROT_EXEC);
    fn();
}

CF_CASE(mmap, no_prot_exec_execution_sigsegv,
        "executing from a PROT_READ file mapping raises SIGSEGV where the CPU enforces "
        "no-execute",
        "mmap(2) NOTES (PROT_READ may imply PROT_EXEC only where the architecture does)")
{
    if (personality(0xffffffff) & READ_IMPLIES_EXEC)
        CF_SKIP("the READ_IMPLIES_EXEC personality makes readable memory executable");
#if defined(__x86_64__)
    /* Every x86-64 CPU has NX, but a hypervisor can hide it. */
    FILE *cpuinfo = fopen("/proc/cpuinfo", "r");
    int nx = 0;
    char line[4096];
    while (cpuinfo != NULL && !nx && fgets(line, sizeof line, cpuinfo) != NULL)
        nx = strncmp(line, "flags", 5) == 0 && strstr(line, " nx") != NULL;
    if (cpuinfo != NULL)
        fclose(cpuinfo);
    if (!nx)
        CF_SKIP("the CPU does not report the NX bit");
    cf_info("x86-64 with NX");
#elif defined(__arm__) && __ARM_ARCH >= 7
    cf_info("ARMv%d: pages without PROT_EXEC are execute-never (XN)", __ARM_ARCH);
#elif !defined(__aarch64__)
    CF_SKIP("no-execute enforcement is not known for this architecture");
#endif
    void (*fn)(void) = code_page(PROT_READ);
    CF_EXPECT_SIGNAL(SIGSEGV, fn());
}

/* A writable folder on a noexec mount: an existing one, or else the temporary folder bound
 * onto itself noexec in a mount namespace private to this case (skipped when there can be
 * none). NULL if the bind mount fails. */
static const char *noexec_folder(char buf[CF_PATH_MAX])
{
    const char *candidates[] = {"/dev/shm", "/tmp", "/run", "/var/tmp"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        struct statvfs sv;
        if (statvfs(candidates[i], &sv) == 0 && (sv.f_flag & ST_NOEXEC) &&
            (sv.f_flag & ST_RDONLY) == 0 && access(candidates[i], W_OK) == 0)
            return candidates[i];
    }
    cf_unique_path(buf);
    *strrchr(buf, '/') = '\0';
    cf_private_namespaces(CLONE_NEWNS);
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount(buf, buf, NULL, MS_BIND, NULL) != 0 ||
        mount(NULL, buf, NULL, MS_REMOUNT | MS_BIND | MS_NOEXEC, NULL) != 0)
        return NULL;
    return buf;
}

CF_CASE(mmap, prot_exec_on_noexec_mount_eperm,
        "PROT_EXEC mapping of a file on a filesystem mounted noexec fails with EPERM",
        "mmap(2) ERRORS (EPERM)")
{
    char buf[CF_PATH_MAX];
    const char *dir = noexec_folder(buf);
    if (dir == NULL)
        CF_SKIP("no writable noexec filesystem, and a noexec bind mount in a private mount "
                "namespace failed: %s",
                cf_errno_name(errno));
    char name[CF_NAME_MAX], path[CF_PATH_MAX];
    cf_unique_name(name);
    /* Joined by hand: snprintf into a fixed buffer trips -Wformat-truncation under -O. */
    size_t dir_len = strlen(dir), name_len = strlen(name);
    if (dir_len + name_len >= sizeof path)
        CF_BROKEN("path too long in %s", dir);
    memcpy(path, dir, dir_len);
    memcpy(path + dir_len, name, name_len + 1);
    cf_track_file(path);
    int fd = SAFE_OPEN(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    SAFE_FTRUNCATE(fd, cf_page_size());
    cf_info("noexec folder %s", dir);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0), EPERM);
    /* The same file without PROT_EXEC maps: the refusal is about execution. */
    void *p = mmap(NULL, cf_page_size(), PROT_READ, MAP_PRIVATE, fd, 0);
    CF_EXPECT(p != MAP_FAILED, "a PROT_READ mapping failed too: errno %d", errno);
}
