/* Anonymous memory: MAP_SHARED|MAP_ANONYMOUS and shared mappings of /dev/zero are shared with
 * children across fork() and with nothing else; MAP_PRIVATE anonymous memory is copied. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* A fork()ed child stores `mine` at p[0] and waits until the parent's `theirs` shows at p[1];
 * the parent then checks it saw the child's store. */
static void store_both_ways(volatile char *p)
{
    pid_t pid = CF_FORK();
    if (pid == 0) {
        p[0] = 'c';
        CF_ASSERT(cf_spin_until(&p[1], 'p', 10) == 0, "the child never saw the parent's store");
        _exit(0);
    }
    int seen = cf_spin_until(&p[0], 'c', 10);
    p[1] = 'p';
    CF_REAP(pid);
    CF_EXPECT(seen == 0, "the parent never saw the child's store");
}

static int open_dev_zero(void)
{
    struct stat st;
    if (stat("/dev/zero", &st) != 0 || !S_ISCHR(st.st_mode))
        CF_SKIP("/dev/zero is not a character device here");
    return SAFE_OPEN("/dev/zero", O_RDWR, 0);
}

CF_CASE(mmap, shared_anon_shared_across_fork,
        "MAP_SHARED|MAP_ANONYMOUS memory is shared between a parent and a fork()ed child: "
        "stores by either are seen by the other",
        "mmap(2) (MAP_SHARED, MAP_ANONYMOUS); fork(2); gVisor fork.cc (shared anonymous)")
{
    long page = cf_page_size();
    volatile char *p = SAFE_ANON(page, MAP_SHARED);
    store_both_ways(p);
}

CF_CASE(mmap, shared_anon_zero_filled, "new MAP_SHARED|MAP_ANONYMOUS memory reads as zeros",
        "mmap(2) (MAP_ANONYMOUS: contents are initialized to zero); gVisor mmap.cc")
{
    long page = cf_page_size();
    volatile unsigned char *p = SAFE_ANON(2 * page, MAP_SHARED);
    CF_EXPECT_EQ(cf_first_nonzero(p, 0, 2 * page), -1);
}

CF_CASE(mmap, private_anon_copied_on_fork,
        "MAP_PRIVATE|MAP_ANONYMOUS memory is copied at fork(): the child's stores stay in the "
        "child",
        "mmap(2) (MAP_PRIVATE); fork(2) (the child gets a copy); gVisor fork.cc")
{
    long page = cf_page_size();
    volatile char *p = SAFE_ANON(page, MAP_PRIVATE);
    p[0] = 'a';
    pid_t pid = CF_FORK();
    if (pid == 0) {
        CF_EXPECT_EQ(p[0], 'a');
        p[0] = 'c';
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT_EQ(p[0], 'a');
}

CF_CASE(mmap, dev_zero_shared_shared_across_fork,
        "a MAP_SHARED mapping of /dev/zero is shared anonymous memory: shared with a fork()ed "
        "child",
        "zero(4); mmap(2) (MAP_ANONYMOUS, /dev/zero); gVisor mmap.cc (MapDevZeroShared)")
{
    long page = cf_page_size();
    int fd = open_dev_zero();
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    store_both_ways(p);
}

CF_CASE(mmap, dev_zero_shared_mappings_independent,
        "two MAP_SHARED mappings of /dev/zero, even through one descriptor and at one "
        "offset, are separate memory: a store in one is not in the other",
        "zero(4); mmap(2); gVisor mmap.cc (MapDevZeroSharedFdNoPersistence)")
{
    long page = cf_page_size();
    int fd = open_dev_zero();
    volatile char *a = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile char *b = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    a[7] = 'z';
    CF_EXPECT_EQ(b[7], 0);
}

CF_CASE(mmap, dev_zero_shared_no_persistence,
        "a new MAP_SHARED mapping of /dev/zero is zeros even after an earlier one was written "
        "and unmapped",
        "zero(4); gVisor mmap.cc (MapDevZeroSharedNoPersistence)")
{
    long page = cf_page_size();
    int fd = open_dev_zero();
    char *a = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(a, 'x', page);
    SAFE_MUNMAP(a, page);
    volatile unsigned char *b = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CF_EXPECT_EQ(cf_first_nonzero(b, 0, page), -1);
}

CF_CASE(mmap, shared_anon_named_dev_zero_in_maps,
        "/proc/self/maps names a MAP_SHARED|MAP_ANONYMOUS mapping \"/dev/zero (deleted)\"",
        "proc(5) /proc/pid/maps (shared anonymous memory); gVisor mmap.cc")
{
    long page = cf_page_size();
    char *p = SAFE_ANON(page, MAP_SHARED);
    FILE *f = fopen("/proc/self/maps", "r");
    if (f == NULL)
        CF_SKIP("cannot read /proc/self/maps: %s", cf_errno_name(errno));
    char line[512], name[256];
    int found = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long from, to;
        name[0] = '\0';
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %255[^\n]", &from, &to, name) < 2)
            continue;
        if (from == (unsigned long)p) {
            found = 1;
            break;
        }
    }
    fclose(f);
    CF_ASSERT(found, "the mapping at %p is not listed", (void *)p);
    CF_EXPECT(strcmp(name, "/dev/zero (deleted)") == 0, "it is named \"%s\"", name);
}

CF_CASE(mmap, shared_private_anonymous_einval,
        "MAP_SHARED|MAP_PRIVATE together with MAP_ANONYMOUS fails with EINVAL",
        "mmap(2) ERRORS (EINVAL: flags contained none or both of MAP_PRIVATE and MAP_SHARED); "
        "gVisor mmap.cc")
{
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                    EINVAL);
}
