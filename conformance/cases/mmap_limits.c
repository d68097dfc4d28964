/* Limits on mappings: RLIMIT_AS and vm.max_map_count make mmap() (and a munmap() that would
 * split a mapping) fail with ENOMEM. Each lowers or reaches the limit in a child of its own,
 * and only reserves address space (PROT_NONE, never touched), so no memory is used. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* Address space reserved against RLIMIT_AS; the limit leaves half of it free. */
#define RESERVE_BYTES (64L * 1024 * 1024)

/* The address space the process uses now (/proc/self/status VmSize), in bytes: the limit is
 * set above it, since a process running under an instrumenting tool (valgrind) or a
 * sanitizer uses far more than a plain one, and must keep room for its own allocations. */
static long address_space_in_use(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        CF_SKIP("cannot read /proc/self/status: %s", cf_errno_name(errno));
    char line[256];
    long kb = -1;
    while (kb < 0 && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmSize: %ld kB", &kb) != 1)
            kb = -1;
    fclose(f);
    if (kb < 0)
        CF_SKIP("/proc/self/status has no VmSize: the address space in use is unknown");
    return kb * 1024;
}

/* Beyond this many mappings the count case would take too long (under emulators above all). */
#define MAP_COUNT_CEILING 262144L

CF_CASE(mmap, rlimit_as_enomem,
        "mmap() that would take the address space past RLIMIT_AS fails with ENOMEM, and "
        "succeeds again once the limit is raised",
        "mmap(2) ERRORS (ENOMEM: RLIMIT_AS would be exceeded); getrlimit(2) RLIMIT_AS")
{
    void *p = SAFE_MMAP(NULL, RESERVE_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAFE_MUNMAP(p, RESERVE_BYTES);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        struct rlimit old, low;
        if (getrlimit(RLIMIT_AS, &old) != 0)
            CF_BROKEN("getrlimit(RLIMIT_AS): %s", cf_errno_name(errno));
        low = old;
        low.rlim_cur = (rlim_t)(address_space_in_use() + RESERVE_BYTES / 2);
        cf_info("RLIMIT_AS lowered to %llu bytes", (unsigned long long)low.rlim_cur);
        if (setrlimit(RLIMIT_AS, &low) != 0)
            CF_BROKEN("lowering RLIMIT_AS: %s", cf_errno_name(errno));
        CF_EXP_MAP_FAIL(mmap(NULL, RESERVE_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                        ENOMEM);
        if (setrlimit(RLIMIT_AS, &old) != 0)
            CF_BROKEN("restoring RLIMIT_AS: %s", cf_errno_name(errno));
        CF_EXP_PTR(mmap(NULL, RESERVE_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        _exit(0);
    }
    CF_REAP(pid);
}

/* vm.max_map_count, or a skip that says why it is not used. */
static long max_map_count(void)
{
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f == NULL)
        CF_SKIP("cannot read /proc/sys/vm/max_map_count: %s", cf_errno_name(errno));
    long n = -1;
    int got = fscanf(f, "%ld", &n);
    fclose(f);
    if (got != 1 || n <= 0)
        CF_SKIP("/proc/sys/vm/max_map_count does not hold a count");
    cf_info("vm.max_map_count %ld", n);
    if (n > MAP_COUNT_CEILING)
        CF_SKIP("vm.max_map_count is %ld: making that many mappings would take too long (the "
                "case runs up to %ld)",
                n, MAP_COUNT_CEILING);
    return n;
}

/* Makes one-page mappings, alternating PROT_READ and PROT_NONE so neighbours never merge,
 * until mmap() fails; returns how many it made, errno as the failure left it. */
static long map_until_refused(long ceiling)
{
    long page = cf_page_size();
    for (long made = 0; made <= ceiling; made++) {
        int prot = made % 2 ? PROT_READ : PROT_NONE;
        if (mmap(NULL, page, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
            return made;
    }
    errno = 0;
    return ceiling + 1;
}

CF_CASE(mmap, max_map_count_mmap_enomem,
        "mmap() fails with ENOMEM once the process has vm.max_map_count mappings",
        "mmap(2) ERRORS (ENOMEM: the maximum number of mappings would be exceeded); "
        "proc(5) /proc/sys/vm/max_map_count")
{
    long limit = max_map_count();
    pid_t pid = CF_FORK();
    if (pid == 0) {
        long made = map_until_refused(limit);
        int err = errno;
        CF_ASSERT(made <= limit, "%ld new mappings were all accepted (limit %ld)", made, limit);
        CF_EXPECT(err == ENOMEM, "mmap was refused after %ld mappings with %s, expected ENOMEM",
                  made, cf_errno_name(err));
        _exit(0);
    }
    CF_REAP(pid);
}

CF_CASE(mmap, max_map_count_split_munmap_enomem,
        "at vm.max_map_count mappings, munmap() of the middle of a mapping (which would split "
        "it in two) fails with ENOMEM and leaves it mapped",
        "munmap(2) ERRORS (ENOMEM: unmapping the middle would exceed the maximum number of "
        "mappings); proc(5) /proc/sys/vm/max_map_count")
{
    long limit = max_map_count();
    long page = cf_page_size();
    pid_t pid = CF_FORK();
    if (pid == 0) {
        volatile char *p = SAFE_ANON(3 * page, MAP_PRIVATE);
        p[page] = 'x';
        long made = map_until_refused(limit);
        CF_ASSERT(made <= limit, "%ld new mappings were all accepted (limit %ld)", made, limit);
        CF_EXP_FAIL(munmap((void *)(p + page), page), ENOMEM);
        CF_EXPECT_EQ(p[page], 'x');
        _exit(0);
    }
    CF_REAP(pid);
}
