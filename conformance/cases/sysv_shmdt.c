/* shmdt(): what a detach removes, and which addresses it refuses. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

CF_CASE_SIGNAL(sysv, shmdt_store_after_sigsegv, SIGSEGV,
               "a store at a detached segment's former address raises SIGSEGV",
               "POSIX.1-2017 shmdt(), DESCRIPTION; shmdt(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    volatile char *p = SAFE_SHMAT(id, NULL, 0);
    SAFE_SHMDT((const void *)p);
    p[0] = 1;
}

CF_CASE(sysv, shmdt_not_attached_einval,
        "shmdt() of an address where no segment is attached fails with EINVAL and unmaps "
        "nothing",
        "POSIX.1-2017 shmdt(), ERRORS; shmdt(2)")
{
    char *anon = SAFE_MMAP(NULL, cf_page_size(), PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    anon[0] = 'a';
    CF_EXP_FAIL(shmdt(anon), EINVAL);
    CF_EXPECT(anon[0] == 'a', "the anonymous mapping lost its content");
}

CF_CASE(sysv, shmdt_twice_einval, "a second shmdt() of the same address fails with EINVAL",
        "POSIX.1-2017 shmdt(), ERRORS; shmdt(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    void *p = SAFE_SHMAT(id, NULL, 0);
    SAFE_SHMDT(p);
    CF_EXP_FAIL(shmdt(p), EINVAL);
}

CF_CASE(sysv, shmdt_unaligned_einval,
        "shmdt() of an address inside an attachment but not its start fails with EINVAL and "
        "keeps the attachment",
        "shmdt(2), ERRORS (EINVAL: not the start address, or not page aligned)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *p = SAFE_SHMAT(id, NULL, 0);
    p[0] = 's';
    CF_EXP_FAIL(shmdt(p + 1), EINVAL);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_nattch, 1);
    CF_EXPECT(p[0] == 's', "the attachment lost its content");
}

CF_CASE(sysv, shmdt_keeps_other_attachments,
        "shmdt() removes only the attachment at its address; another attachment of the "
        "same segment keeps working",
        "POSIX.1-2017 shmdt(), DESCRIPTION; shmdt(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *a = SAFE_SHMAT(id, NULL, 0);
    volatile char *b = SAFE_SHMAT(id, NULL, 0);
    memcpy(a, "kept", 5);
    SAFE_SHMDT(a);
    CF_EXPECT(b[0] == 'k' && b[3] == 't', "the remaining attachment lost the data");
    b[4] = '!';
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_nattch, 1);
}
