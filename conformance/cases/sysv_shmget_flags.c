/* shmget() flags beyond IPC_CREAT: IPC_EXCL alone, and SHM_HUGETLB. */
#include <sys/ipc.h>
#include <sys/shm.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(sysv, shmget_excl_without_creat_missing_enoent,
        "shmget() with IPC_EXCL but without IPC_CREAT, of a key that has no segment, fails "
        "with ENOENT (IPC_EXCL alone creates nothing)",
        "shmget(2), ERRORS (ENOENT); POSIX.1-2017 shmget() (IPC_EXCL only with IPC_CREAT)")
{
    key_t key = cf_unique_key();
    CF_EXP_FAIL(shmget(key, cf_page_size(), IPC_EXCL | 0600), ENOENT);
    CF_EXP_FAIL(shmget(key, 0, 0600), ENOENT);
}

CF_CASE(sysv, shmget_hugetlb_eperm_or_enomem,
        "shmget(SHM_HUGETLB) of one page either succeeds, or fails with EPERM (no "
        "CAP_IPC_LOCK, not in vm.hugetlb_shm_group, beyond RLIMIT_MEMLOCK) or ENOMEM (no "
        "huge page free)",
        "shmget(2), DESCRIPTION (SHM_HUGETLB) and ERRORS (EPERM, ENOMEM); LTP hugeshmget")
{
    /* One page: the kernel rounds it up to one huge page, and nothing is touched. */
    errno = 0;
    int id = shmget(IPC_PRIVATE, cf_page_size(), IPC_CREAT | SHM_HUGETLB | 0600);
    if (id >= 0) {
        cf_track_sysv(id);
        cf_info("SHM_HUGETLB segment created: huge pages are reserved and permitted here");
        return;
    }
    int err = errno;
    CF_EXPECT(err == EPERM || err == ENOMEM, "shmget(SHM_HUGETLB) failed with %s",
              cf_errno_name(err));
    cf_info("shmget(SHM_HUGETLB) refused with %s", cf_errno_name(err));
}
