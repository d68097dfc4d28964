/* shmat() placement rules: SHM_RND rounding and its absence. */
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

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
