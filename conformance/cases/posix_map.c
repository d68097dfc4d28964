/* Mapping a shared memory object: who sees a store, and what a private mapping keeps to
 * itself. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(posix, map_shared_stores_cross_processes,
        "stores through MAP_SHARED mappings of one object by two unrelated mappings in two "
        "processes are seen by each other without any system call",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_SHARED); shm_open()")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, name);
    volatile int *flag = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        int own = SAFE_SHM_OPEN(name, O_RDWR);
        volatile int *q = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0);
        q[0] = 1;
        /* Spin on plain loads: only the shared memory can carry the answer. */
        while (q[1] != 2)
            ;
        q[2] = 3;
        _exit(0);
    }
    while (flag[0] != 1)
        ;
    flag[1] = 2;
    CF_REAP(pid);
    CF_EXPECT(flag[2] == 3, "the child's last store is not seen");
}

CF_CASE(posix, map_private_store_isolated,
        "a store through a MAP_PRIVATE mapping of an object changes neither the object nor "
        "a MAP_SHARED mapping of it",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_PRIVATE)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, NULL);
    char *shared = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *priv = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memcpy(shared, "shared", 7);
    CF_EXPECT(memcmp(priv, "shared", 7) == 0, "the private mapping does not start from the "
                                              "object's contents");
    memcpy(priv, "mine!!", 7);
    char got[7];
    SAFE_PREAD(fd, got, sizeof got, 0);
    CF_EXPECT(memcmp(got, "shared", 7) == 0, "the object changed");
    CF_EXPECT(memcmp(shared, "shared", 7) == 0, "the shared mapping changed");
}

CF_CASE(posix, map_rdonly_private_write_allowed,
        "mmap(PROT_WRITE, MAP_PRIVATE) of a descriptor from shm_open(O_RDONLY) succeeds and "
        "its stores stay private",
        "POSIX.1-2017 mmap(), ERRORS (EACCES only for MAP_SHARED with PROT_WRITE)")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int rw = SAFE_SHM_NEW(page, name);
    int ro = SAFE_SHM_OPEN(name, O_RDONLY);
    char *p = CF_EXP_PTR(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
    p[0] = 'p';
    char got;
    SAFE_PREAD(rw, &got, 1, 0);
    CF_EXPECT(got == 0, "the private store reached the object");
}

CF_CASE(posix, map_offset_selects_page,
        "a mapping at a page-multiple offset shows the object's bytes from that offset",
        "POSIX.1-2017 mmap(), DESCRIPTION (off)")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(3 * page, NULL);
    SAFE_PWRITE(fd, "second", 7, 2 * page);
    const char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 2 * page);
    CF_EXPECT(memcmp(p, "second", 7) == 0, "the mapping shows other bytes");
}

CF_CASE(posix, map_survives_close,
        "a mapping stays valid and shared after its descriptor is closed",
        "POSIX.1-2017 mmap(), DESCRIPTION (close does not unmap)")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, name);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SAFE_CLOSE(fd);
    memcpy(p, "closed", 7);
    int again = SAFE_SHM_OPEN(name, O_RDONLY);
    char got[7];
    SAFE_PREAD(again, got, sizeof got, 0);
    CF_EXPECT(memcmp(got, "closed", 7) == 0, "the store after close did not reach the object");
}

CF_CASE(posix, map_write_visible_to_mapping,
        "a write() to an object is seen at once through an existing MAP_SHARED mapping",
        "POSIX.1-2017 mmap(), DESCRIPTION (MAP_SHARED); write()")
{
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, NULL);
    const char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    SAFE_PWRITE(fd, "written", 8, 300);
    CF_EXPECT(memcmp(p + 300, "written", 8) == 0, "the mapping does not show the write");
}
