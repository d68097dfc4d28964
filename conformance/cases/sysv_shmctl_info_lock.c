/* shmctl() commands beyond POSIX (IPC_INFO, SHM_INFO, SHM_STAT, SHM_LOCK, SHM_UNLOCK) and
 * the errors every command shares. */
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* A /proc/sys/kernel value; the case is skipped where /proc does not show it. */
static unsigned long long read_sysctl(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        CF_SKIP("%s is not readable here", path);
    unsigned long long value;
    int ok = fscanf(f, "%llu", &value) == 1;
    fclose(f);
    if (!ok)
        CF_BROKEN("%s holds no number", path);
    return value;
}

CF_CASE(sysv, info_ipc_info_matches_sysctls,
        "shmctl(IPC_INFO) reports the SHMMAX, SHMMNI and SHMALL limits that "
        "/proc/sys/kernel/shmmax, shmmni and shmall set, and SHMMIN 1",
        "shmctl(2), DESCRIPTION (IPC_INFO); proc(5) /proc/sys/kernel/shm*")
{
    struct shminfo limits;
    SAFE_SHM_LIMITS(&limits);
    unsigned long long shmmax = read_sysctl("shmmax");
    unsigned long long shmmni = read_sysctl("shmmni");
    unsigned long long shmall = read_sysctl("shmall");
    /* The fields are unsigned long: a 32-bit caller of a 64-bit kernel gets each limit cut
     * to its low 32 bits (the kernel's compat shminfo64 copy), which it reports as it is. */
    if (sizeof limits.shmmax < sizeof shmmax && (shmmax >> 32 || shmall >> 32))
        cf_info("a %zu-bit caller: IPC_INFO limits are the sysctls cut to %zu bits",
                8 * sizeof limits.shmmax, 8 * sizeof limits.shmmax);
    CF_EXPECT_EQ(limits.shmmax, (unsigned long)shmmax);
    CF_EXPECT_EQ(limits.shmmni, (unsigned long)shmmni);
    CF_EXPECT_EQ(limits.shmall, (unsigned long)shmall);
    CF_EXPECT_EQ(limits.shmmin, 1);
}

CF_CASE(sysv, info_shm_info_counts_our_segment,
        "shmctl(SHM_INFO) counts an existing segment in used_ids and its pages in shm_tot",
        "shmctl(2), DESCRIPTION (SHM_INFO)")
{
    long page = cf_page_size();
    SAFE_SHMGET(IPC_PRIVATE, 4 * page, IPC_CREAT | 0600);
    struct shm_info usage;
    CF_EXP_FD(shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&usage));
    CF_EXPECT(usage.used_ids >= 1, "used_ids %d with our segment alive", usage.used_ids);
    CF_EXPECT(usage.shm_tot >= 4, "shm_tot %lu pages, ours alone has 4",
              (unsigned long)usage.shm_tot);
}

CF_CASE(sysv, info_shm_stat_index_finds_segment,
        "shmctl(SHM_STAT) of an index up to the highest one that IPC_INFO returns gives the "
        "identifier of the segment there, ours included",
        "shmctl(2), DESCRIPTION (SHM_STAT, IPC_INFO return value)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    struct shminfo limits;
    int highest = CF_EXP_FD(shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&limits));
    int found = 0;
    for (int index = 0; index <= highest && !found; index++) {
        struct shmid_ds ds;
        int got = shmctl(index, SHM_STAT, &ds);
        if (got == id) {
            found = 1;
            CF_EXPECT_EQ(ds.shm_segsz, (size_t)cf_page_size());
        }
    }
    CF_EXPECT(found, "no index in 0..%d gave id %d", highest, id);
}

CF_CASE(sysv, lock_toggles_shm_locked,
        "SHM_LOCK sets SHM_LOCKED in shm_perm.mode and SHM_UNLOCK clears it",
        "shmctl(2), DESCRIPTION (SHM_LOCK, SHM_UNLOCK)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    int initially = (SAFE_SHM_STAT(id).shm_perm.mode & SHM_LOCKED) != 0;
    SAFE_SHMCTL(id, SHM_LOCK, NULL);
    int locked = (SAFE_SHM_STAT(id).shm_perm.mode & SHM_LOCKED) != 0;
    SAFE_SHMCTL(id, SHM_UNLOCK, NULL);
    int unlocked = (SAFE_SHM_STAT(id).shm_perm.mode & SHM_LOCKED) != 0;
    CF_EXPECT(!initially, "SHM_LOCKED set on a new segment");
    CF_EXPECT(locked, "SHM_LOCKED not set after SHM_LOCK");
    CF_EXPECT(!unlocked, "SHM_LOCKED still set after SHM_UNLOCK");
}

/* How many of the n pages at p are resident. */
static long resident_pages(void *p, long n)
{
    unsigned char vec[64];
    if (n > (long)sizeof vec || mincore(p, (size_t)(n * cf_page_size()), vec) != 0)
        CF_BROKEN("mincore failed (%s)", cf_errno_name(errno));
    long resident = 0;
    for (long i = 0; i < n; i++)
        resident += vec[i] & 1;
    return resident;
}

/* Faults in n pages of a new segment, locked or not, and asks the kernel to page them out. */
static long resident_after_pageout(int lock, long n)
{
    int id = SAFE_SHMGET(IPC_PRIVATE, n * cf_page_size(), IPC_CREAT | 0600);
    if (lock)
        SAFE_SHMCTL(id, SHM_LOCK, NULL);
    char *p = SAFE_SHMAT(id, NULL, 0);
    memset(p, 1, (size_t)(n * cf_page_size()));
    if (madvise(p, (size_t)(n * cf_page_size()), MADV_PAGEOUT) != 0)
        CF_SKIP("madvise(MADV_PAGEOUT) is not available (%s)", cf_errno_name(errno));
    return resident_pages(p, n);
}

CF_CASE(sysv, lock_keeps_pages_resident,
        "the faulted-in pages of a segment under SHM_LOCK stay resident when the kernel is "
        "asked to page them out",
        "shmctl(2), DESCRIPTION (SHM_LOCK: prevent swapping of the segment)")
{
    const long n = 8;
    /* Without swap an unlocked segment stays resident too, so the check would prove nothing;
     * the unlocked control shows whether paging out works here at all. */
    long unlocked = resident_after_pageout(0, n);
    if (unlocked == n)
        CF_SKIP("paging out shared memory has no effect here (no swap device?): an unlocked "
                "segment stayed resident, so SHM_LOCK cannot be told apart");
    long locked = resident_after_pageout(1, n);
    CF_EXPECT_EQ(locked, n);
}

CF_CASE(sysv, ctl_bad_cmd_einval, "shmctl() with an unknown command fails with EINVAL",
        "POSIX.1-2017 shmctl(), ERRORS; shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    struct shmid_ds ds;
    CF_EXP_FAIL(shmctl(id, 0x7ff, &ds), EINVAL);
    CF_EXP_PASS(shmctl(id, IPC_STAT, &ds));
}

CF_CASE(sysv, ctl_bad_id_einval,
        "shmctl(IPC_STAT) of an identifier that was never valid fails with EINVAL",
        "POSIX.1-2017 shmctl(), ERRORS; shmctl(2)")
{
    struct shmid_ds ds;
    CF_EXP_FAIL(shmctl(-1, IPC_STAT, &ds), EINVAL);
}

CF_CASE(sysv, ctl_removed_id_einval_or_eidrm,
        "shmctl(IPC_STAT) of the identifier of a destroyed segment fails with EINVAL, or "
        "EIDRM where the id's slot holds a newer segment",
        "shmctl(2), ERRORS (EIDRM: removed identifier; EINVAL: invalid shmid)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    struct shmid_ds ds;
    CF_EXP_FAIL_ARR(shmctl(id, IPC_STAT, &ds), EINVAL, EIDRM);
    cf_info("destroyed id: %s", cf_errno_name(errno));
}
