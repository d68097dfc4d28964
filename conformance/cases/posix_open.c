/* shm_open() creation rules. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(posix, open_excl_existing_eexist,
        "shm_open() with O_CREAT|O_EXCL on an existing name fails with EEXIST",
        "POSIX.1-2017 shm_open(), ERRORS")
{
    char name[CF_NAME_MAX];
    SAFE_SHM_NEW(0, name);
    CF_EXP_FAIL(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
}

CF_CASE(posix, open_missing_enoent,
        "shm_open() without O_CREAT of a name that does not exist fails with ENOENT",
        "POSIX.1-2017 shm_open(), ERRORS")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    CF_EXP_FAIL(shm_open(name, O_RDWR, 0), ENOENT);
}

CF_CASE(posix, create_size_zero_and_mode_umask,
        "a new object has size 0 and permission bits mode & ~umask",
        "POSIX.1-2017 shm_open(), DESCRIPTION (O_CREAT)")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    cf_track_posix(name);
    umask(027);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0666);
    CF_ASSERT(fd >= 0, "shm_open failed");
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT(st.st_size == 0, "st_size is %lld", (long long)st.st_size);
    CF_EXPECT((st.st_mode & 0777) == 0640, "mode is %03o", (unsigned)(st.st_mode & 0777));
}
