/* An attachment is a mapping like any other: mprotect and munmap work on parts of it, within
 * what the attach mode allows, and shmdt and shm_nattch still see the whole attachment. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(sysv, mprotect_rdonly_attach_write_eacces,
        "mprotect(PROT_WRITE) of a segment attached SHM_RDONLY fails with EACCES",
        "mprotect(2), ERRORS (EACCES: the mapping's file was opened read-only); shmat(2) "
        "(SHM_RDONLY); gVisor shm.cc")
{
    size_t page = (size_t)cf_page_size();
    int id = SAFE_SHMGET(IPC_PRIVATE, page, IPC_CREAT | 0600);
    void *p = SAFE_SHMAT(id, NULL, SHM_RDONLY);
    CF_EXP_FAIL(mprotect(p, page, PROT_READ | PROT_WRITE), EACCES);
}

CF_CASE(sysv, mprotect_write_restored_on_writable_attach,
        "a writable attachment made read-only with mprotect can be made writable again, and "
        "its stores then reach the segment",
        "mprotect(2); shmat(2); gVisor shm.cc")
{
    size_t page = (size_t)cf_page_size();
    int id = SAFE_SHMGET(IPC_PRIVATE, page, IPC_CREAT | 0600);
    char *p = SAFE_SHMAT(id, NULL, 0);
    const char *other = SAFE_SHMAT(id, NULL, SHM_RDONLY);
    CF_EXP_PASS(mprotect(p, page, PROT_READ));
    CF_EXP_PASS(mprotect(p, page, PROT_READ | PROT_WRITE));
    memcpy(p, "again", 6);
    CF_EXPECT(memcmp(other, "again", 6) == 0, "the store did not reach the segment");
}

/* A new 3-page segment, attached writable at *at. */
static int attached_three_pages(char **at)
{
    int id = SAFE_SHMGET(IPC_PRIVATE, 3 * (size_t)cf_page_size(), IPC_CREAT | 0600);
    *at = SAFE_SHMAT(id, NULL, 0);
    return id;
}

CF_CASE(sysv, shmdt_after_partial_munmap,
        "after munmap of a middle page of an attachment, shmdt of its address still detaches "
        "the rest and shm_nattch drops to 0",
        "shmdt(2); munmap(2); gVisor shm.cc (PartialUnmap)")
{
    size_t page = (size_t)cf_page_size();
    char *p;
    int id = attached_three_pages(&p);
    SAFE_MUNMAP(p + page, page);
    CF_EXP_PASS(shmdt(p));
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_nattch, 0);
    /* The last page went with the shmdt: msync of an unmapped range fails with ENOMEM. */
    CF_EXP_FAIL(msync(p + 2 * page, page, MS_ASYNC), ENOMEM);
}

CF_CASE(sysv, nattch_zero_after_mprotect_split_and_merge,
        "shm_nattch of an attachment split in three by mprotect stays between 1 and 3, and "
        "returns to 0 at shmdt once merged back, so a segment removed before is destroyed",
        "shmctl(2) (shm_nattch); mprotect(2); gVisor shm.cc")
{
    size_t page = (size_t)cf_page_size();
    char *p;
    int id = attached_three_pages(&p);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_nattch, 1);
    CF_EXP_PASS(mprotect(p + page, page, PROT_READ));
    unsigned long split = (unsigned long)SAFE_SHM_STAT(id).shm_nattch;
    CF_EXPECT(split >= 1 && split <= 3, "shm_nattch %lu for one attachment in 3 pieces", split);
    CF_EXP_PASS(mprotect(p + page, page, PROT_READ | PROT_WRITE));
    cf_info("shm_nattch of one attachment: 1, split in 3 by mprotect: %lu, merged back: %lu", split,
            (unsigned long)SAFE_SHM_STAT(id).shm_nattch);
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    CF_EXP_PASS(shmdt(p));
    CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EINVAL);
}
