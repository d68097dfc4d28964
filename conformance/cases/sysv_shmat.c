/* shmat() placement rules: SHM_RND rounding and its absence. */
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

/* An SHMLBA-aligned address with 2 * SHMLBA free bytes after it: reserved and released
 * here, so attaching there cannot collide with anything else in the process. */
static char *free_shmlba_aligned_address(void)
{
    char *area = SAFE_MMAP(NULL, 4 * SHMLBA, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uintptr_t aligned = ((uintptr_t)area + SHMLBA - 1) / SHMLBA * SHMLBA;
    SAFE_MUNMAP(area, 4 * SHMLBA);
    return (char *)aligned;
}

CF_CASE(sysv, shmat_rnd_rounds_down_to_shmlba,
        "shmat() with SHM_RND attaches at shmaddr - (shmaddr % SHMLBA)",
        "POSIX.1-2017 shmat(), DESCRIPTION; shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    char *want = free_shmlba_aligned_address();
    /* Not even page aligned, so the rounding shows on every platform. */
    char *ask = want + 123;
    cf_info("SHMLBA=%d", (int)SHMLBA);
    void *got = SAFE_SHMAT(id, ask, SHM_RND);
    CF_EXPECT(got == want, "asked %p, got %p, expected %p", (void *)ask, got, (void *)want);
}

CF_CASE(sysv, shmat_unaligned_without_rnd_einval,
        "shmat() at an address not aligned to SHMLBA, without SHM_RND, fails with EINVAL",
        "POSIX.1-2017 shmat(), ERRORS; shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    /* Page aligned where SHMLBA is larger, so only the SHMLBA rule can refuse it. */
    char *ask = free_shmlba_aligned_address() + (SHMLBA > cf_page_size() ? cf_page_size() : 1);
    CF_EXP_MAP_FAIL(shmat(id, ask, 0), EINVAL);
}

CF_CASE_SIGNAL(sysv, shmat_rdonly_store_sigsegv, SIGSEGV,
               "a store into a segment attached with SHM_RDONLY raises SIGSEGV",
               "POSIX.1-2017 shmat(), DESCRIPTION (SHM_RDONLY); shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    volatile char *p = SAFE_SHMAT(id, NULL, SHM_RDONLY);
    p[0] = 1;
}

CF_CASE(sysv, shmat_null_kernel_chooses,
        "shmat() with a null address attaches at an SHMLBA-aligned address the system chooses",
        "POSIX.1-2017 shmat(), DESCRIPTION; shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    cf_info("SHMLBA=%d", (int)SHMLBA);
    char *p = SAFE_SHMAT(id, NULL, 0);
    /* The condition is kept out of CF_EXPECT: its text becomes part of a format string. */
    int aligned = (uintptr_t)p % SHMLBA == 0;
    CF_EXPECT(aligned, "address %p is not SHMLBA aligned", (void *)p);
    p[0] = 42;
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_nattch, 1);
}

CF_CASE(sysv, shmat_aligned_address_used_exactly,
        "shmat() at an SHMLBA-aligned address without SHM_RND attaches exactly there",
        "POSIX.1-2017 shmat(), DESCRIPTION; shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *want = free_shmlba_aligned_address();
    void *got = SAFE_SHMAT(id, want, 0);
    CF_EXPECT(got == want, "asked %p, got %p", (void *)want, got);
}

CF_CASE(sysv, shmat_rnd_remap_to_zero_einval,
        "shmat() with SHM_RND|SHM_REMAP at an address that rounds down to 0 fails with EINVAL",
        "shmat(2), ERRORS (EINVAL)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    CF_EXP_MAP_FAIL(shmat(id, (void *)(uintptr_t)(SHMLBA - 1), SHM_RND | SHM_REMAP), EINVAL);
}

CF_CASE(sysv, shmat_occupied_range_einval,
        "shmat() at an address already mapped, without SHM_REMAP, fails with EINVAL and "
        "leaves the mapping there intact",
        "shmat(2), ERRORS (EINVAL: invalid attach address); SHM_REMAP in DESCRIPTION")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *at = free_shmlba_aligned_address();
    char *taken = SAFE_MMAP(at, cf_page_size(), PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    taken[0] = 'm';
    CF_EXP_MAP_FAIL(shmat(id, at, 0), EINVAL);
    CF_EXPECT(taken[0] == 'm', "the existing mapping's content changed");
}

CF_CASE(sysv, shmat_remap_replaces_mapping,
        "shmat() with SHM_REMAP replaces an existing mapping in the range with the segment",
        "shmat(2), DESCRIPTION (SHM_REMAP)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *seg = SAFE_SHMAT(id, NULL, 0);
    seg[0] = 's';
    char *at = free_shmlba_aligned_address();
    char *taken = SAFE_MMAP(at, cf_page_size(), PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    taken[0] = 'm';
    char *got = SAFE_SHMAT(id, at, SHM_REMAP);
    CF_EXPECT(got == at, "asked %p, got %p", (void *)at, (void *)got);
    CF_EXPECT(at[0] == 's', "the range shows %#x, not the segment's data", (unsigned)at[0]);
}

/* The mapping a segment of `size` bytes gets: bytes up to the end of its last page, and
 * not one page more. A PROT_NONE page is kept right after it, so that a mapping that is
 * too long shows up as a readable byte instead of a fault. */
CF_CASE(sysv, shmat_mapping_covers_whole_pages,
        "a segment whose size is not a page multiple is mapped to the end of its last page, "
        "zero-filled, and no further",
        "shmget(2), DESCRIPTION (size rounded up to a multiple of PAGE_SIZE); shmat(2)")
{
    long page = cf_page_size();
    int id = SAFE_SHMGET(IPC_PRIVATE, 100, IPC_CREAT | 0600);
    char *at = free_shmlba_aligned_address();
    SAFE_MMAP(at, 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    volatile char *p = SAFE_SHMAT(id, at, SHM_REMAP);
    CF_ASSERT(p == at, "asked %p, got %p", (void *)at, (void *)p);
    long nonzero = 0;
    for (long i = 100; i < page; i++)
        nonzero += p[i] != 0;
    CF_EXPECT(nonzero == 0, "%ld bytes of the page tail are not zero", nonzero);
    p[page - 1] = 1;
    CF_EXPECT_SIGNAL(SIGSEGV, (void)p[page]);
}

CF_CASE(sysv, shmat_double_attach_aliases,
        "two attachments of one segment in one process are different addresses of the "
        "same memory",
        "POSIX.1-2017 shmat(), DESCRIPTION; shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *a = SAFE_SHMAT(id, NULL, 0);
    char *b = SAFE_SHMAT(id, NULL, 0);
    CF_ASSERT(a != b, "both attachments at %p", (void *)a);
    a[10] = 'x';
    b[20] = 'y';
    CF_EXPECT(b[10] == 'x' && a[20] == 'y', "stores through one address are not seen "
                                            "through the other");
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_nattch, 2);
}

CF_CASE(sysv, shmat_other_process_sees_data,
        "a store by one process into a segment is seen by another process that attaches it",
        "POSIX.1-2017 shmat(), DESCRIPTION; shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *p = SAFE_SHMAT(id, NULL, 0);
    memcpy(p, "parent", 7);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        /* A separate attachment, so that fork's inherited one cannot be what is seen. */
        SAFE_SHMDT(p);
        char *q = SAFE_SHMAT(id, NULL, 0);
        CF_EXPECT(memcmp(q, "parent", 7) == 0, "the child sees other bytes");
        memcpy(q + 100, "child", 6);
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT(memcmp(p + 100, "child", 6) == 0, "the parent does not see the child's store");
}

CF_CASE(sysv, shmat_bad_id_einval,
        "shmat() of an identifier that names no segment fails with EINVAL",
        "POSIX.1-2017 shmat(), ERRORS; shmat(2)")
{
    CF_EXP_MAP_FAIL(shmat(-1, NULL, 0), EINVAL);
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    CF_EXP_MAP_FAIL(shmat(id, NULL, 0), EINVAL);
}

CF_CASE(sysv, shmat_rdonly_reads_data, "an attachment with SHM_RDONLY reads the segment's data",
        "POSIX.1-2017 shmat(), DESCRIPTION (SHM_RDONLY); shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *rw = SAFE_SHMAT(id, NULL, 0);
    memcpy(rw, "visible", 8);
    const char *ro = SAFE_SHMAT(id, NULL, SHM_RDONLY);
    CF_EXPECT(memcmp(ro, "visible", 8) == 0, "the read-only attachment sees other bytes");
}

CF_CASE(sysv, shmat_fork_inherits_attachment,
        "a child made by fork() inherits the attachment at the same address, sharing the "
        "memory with its parent",
        "POSIX.1-2017 fork(), DESCRIPTION (attached shared memory segments); shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    volatile char *p = SAFE_SHMAT(id, NULL, 0);
    p[0] = 'p';
    pid_t pid = CF_FORK();
    if (pid == 0) {
        CF_EXPECT(p[0] == 'p', "the child sees other data at the inherited address");
        p[1] = 'c';
        _exit(0);
    }
    CF_REAP(pid);
    /* A private copy would have taken the child's store with it. */
    CF_EXPECT(p[1] == 'c', "the parent does not see the child's store");
}

CF_CASE(sysv, shmat_exec_detaches, "execve() detaches every attached segment",
        "POSIX.1-2017 exec, DESCRIPTION (attached shared memory segments); shmat(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        SAFE_SHMAT(id, NULL, 0);
        /* A program that outlives the check, so only exec (not exit) can have detached. */
        execl("/bin/sleep", "sleep", "5", (char *)NULL);
        CF_BROKEN("execl(/bin/sleep) failed");
    }
    /* The child attached (nattch 1), then exec'd: wait for the count to settle. */
    unsigned long nattch = 1;
    int child_alive = 1;
    for (int i = 0; i < 400; i++) {
        struct shmid_ds ds = SAFE_SHM_STAT(id);
        nattch = ds.shm_nattch;
        if (nattch == 0 && ds.shm_lpid == pid)
            break;
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    child_alive = waitpid(pid, NULL, WNOHANG) == 0;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    CF_ASSERT(child_alive, "the child ended before the check");
    CF_EXPECT(nattch == 0, "shm_nattch %lu while the exec'd child lives", nattch);
}
