/* shmget(): which key and size give a new segment, which give the existing one, and which
 * are refused. */
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(sysv, shmget_missing_key_enoent,
        "shmget() of a key with no segment, without IPC_CREAT, fails with ENOENT",
        "POSIX.1-2017 shmget(), ERRORS; shmget(2)")
{
    CF_EXP_FAIL(shmget(cf_unique_key(), cf_page_size(), 0600), ENOENT);
}

CF_CASE(sysv, shmget_excl_existing_eexist,
        "shmget() with IPC_CREAT|IPC_EXCL of a key that has a segment fails with EEXIST",
        "POSIX.1-2017 shmget(), ERRORS; shmget(2)")
{
    key_t key = cf_unique_key();
    int id = SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    int again = shmget(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    int err = errno;
    /* A broken implementation may have made a second segment: it must not outlive us. */
    if (again >= 0 && again != id)
        cf_track_sysv(again);
    CF_EXPECT(again == -1 && err == EEXIST, "returned %d (%s), expected EEXIST", again,
              cf_errno_name(err));
}

CF_CASE(sysv, shmget_existing_key_same_id,
        "shmget() of a key that has a segment returns that segment's identifier",
        "POSIX.1-2017 shmget(), DESCRIPTION; shmget(2)")
{
    key_t key = cf_unique_key();
    int id = SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    int again = shmget(key, 0, 0600);
    CF_EXPECT_EQ(again, id);
    int creat_again = shmget(key, cf_page_size(), IPC_CREAT | 0600);
    if (creat_again >= 0 && creat_again != id)
        cf_track_sysv(creat_again);
    CF_EXPECT_EQ(creat_again, id);
}

CF_CASE(sysv, shmget_size_below_shmmin_einval,
        "shmget() creating a segment smaller than SHMMIN fails with EINVAL",
        "POSIX.1-2017 shmget(), ERRORS; shmget(2)")
{
    struct shminfo limits;
    SAFE_SHM_LIMITS(&limits);
    if (limits.shmmin == 0)
        CF_SKIP("SHMMIN is 0: no size is below it");
    key_t key = cf_unique_key();
    int id = shmget(key, limits.shmmin - 1, IPC_CREAT | IPC_EXCL | 0600);
    if (id >= 0)
        cf_track_sysv(id);
    CF_EXPECT(id == -1 && errno == EINVAL, "size %lu gave id %d (%s)",
              (unsigned long)limits.shmmin - 1, id, cf_errno_name(errno));
}

CF_CASE(sysv, shmget_size_above_shmmax_einval,
        "shmget() creating a segment larger than SHMMAX fails with EINVAL",
        "POSIX.1-2017 shmget(), ERRORS; shmget(2)")
{
    struct shminfo limits;
    SAFE_SHM_LIMITS(&limits);
    if (limits.shmmax >= (unsigned long)SIZE_MAX)
        CF_SKIP("SHMMAX is SIZE_MAX (%lu): no size is above it", (unsigned long)limits.shmmax);
    int id = shmget(cf_unique_key(), (size_t)limits.shmmax + 1, IPC_CREAT | IPC_EXCL | 0600);
    if (id >= 0)
        cf_track_sysv(id);
    CF_EXPECT(id == -1 && errno == EINVAL, "size SHMMAX+1 gave id %d (%s)", id,
              cf_errno_name(errno));
}

CF_CASE(sysv, shmget_existing_larger_size_einval,
        "shmget() of an existing key asking for more than the segment's size fails with EINVAL",
        "POSIX.1-2017 shmget(), ERRORS; shmget(2)")
{
    key_t key = cf_unique_key();
    SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    /* One byte more: the segment's page would hold it, but the rule is about its size. */
    CF_EXP_FAIL(shmget(key, cf_page_size() + 1, 0600), EINVAL);
}

CF_CASE(sysv, shmget_existing_smaller_size_ok,
        "shmget() of an existing key with a size up to the segment's size returns it",
        "POSIX.1-2017 shmget(), ERRORS (EINVAL only when size is larger); shmget(2)")
{
    key_t key = cf_unique_key();
    int id = SAFE_SHMGET(key, 2 * cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    int smaller = shmget(key, 1, 0600);
    CF_EXPECT_EQ(smaller, id);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_segsz, (size_t)(2 * cf_page_size()));
}

CF_CASE(sysv, shmget_ipc_private_always_new,
        "shmget(IPC_PRIVATE) creates a new, distinct segment on every call",
        "POSIX.1-2017 shmget(), DESCRIPTION; shmget(2)")
{
    int a = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    /* Without IPC_CREAT too: IPC_PRIVATE is not a key that can be looked up. */
    int b = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), 0600);
    cf_track_sysv(b);
    CF_ASSERT(a != b, "both calls returned %d", a);
    char *pa = SAFE_SHMAT(a, NULL, 0);
    char *pb = SAFE_SHMAT(b, NULL, 0);
    pa[0] = 'a';
    CF_EXPECT(pb[0] == 0, "a store into one segment appeared in the other");
}

CF_CASE(sysv, shmget_new_segment_zero_filled, "a newly created segment's contents are all zero",
        "shmget(2), DESCRIPTION (contents initialized to zero)")
{
    long size = 3 * cf_page_size();
    int id = SAFE_SHMGET(IPC_PRIVATE, size, IPC_CREAT | 0600);
    const unsigned char *p = SAFE_SHMAT(id, NULL, SHM_RDONLY);
    long nonzero = 0;
    for (long i = 0; i < size; i++)
        nonzero += p[i] != 0;
    CF_EXPECT_EQ(nonzero, 0);
}

CF_CASE(sysv, shmget_segsz_is_requested_size,
        "shm_segsz reports the size asked for, not the size rounded up to pages",
        "POSIX.1-2017 shmget(), DESCRIPTION (shm_segsz); shmget(2)")
{
    size_t size = (size_t)cf_page_size() + 100;
    int id = SAFE_SHMGET(IPC_PRIVATE, size, IPC_CREAT | 0600);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(ds.shm_segsz, size);
}

CF_CASE(sysv, shmget_mode_bits_ignore_umask,
        "the low nine bits of shmflg become shm_perm.mode as given; the umask does not apply",
        "POSIX.1-2017 shmget(), DESCRIPTION (shm_perm.mode); shmget(2)")
{
    umask(077);
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0644);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT((ds.shm_perm.mode & 0777) == 0644, "mode %03o, expected 0644",
              (unsigned)(ds.shm_perm.mode & 0777));
}
