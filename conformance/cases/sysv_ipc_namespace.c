/* What the kernel reports about all segments (SHM_INFO, SHM_STAT, SHM_STAT_ANY,
 * /proc/sysvipc/shm) and how kernel.shm_next_id picks the next id. Each case runs in a
 * private IPC namespace, so no other program's segments can race with the counts; the
 * namespace, and every segment in it, is destroyed when the case's helper exits. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"
#include "conformance/harness/cf_userns.h"

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15 /* Linux 4.17 */
#endif

/* One line of /proc/sysvipc/shm. */
struct proc_row {
    long key;
    int shmid;
    unsigned perms;
    unsigned long long size;
    long cpid, lpid;
    unsigned long nattch;
};

#define MAX_ROWS 8

/* The rows of /proc/sysvipc/shm (of this process's IPC namespace); skips where it is absent. */
static int read_proc_rows(struct proc_row rows[MAX_ROWS])
{
    FILE *f = fopen("/proc/sysvipc/shm", "re");
    if (f == NULL)
        CF_SKIP("/proc/sysvipc/shm cannot be read here: %s", cf_errno_name(errno));
    char line[512];
    int n = 0;
    if (fgets(line, sizeof line, f) == NULL) /* the header */
        CF_BROKEN("/proc/sysvipc/shm is empty");
    while (fgets(line, sizeof line, f) != NULL) {
        if (n == MAX_ROWS)
            CF_BROKEN("more than %d segments in a private IPC namespace", MAX_ROWS);
        struct proc_row *r = &rows[n];
        if (sscanf(line, "%ld %d %o %llu %ld %ld %lu", &r->key, &r->shmid, &r->perms, &r->size,
                   &r->cpid, &r->lpid, &r->nattch) != 7)
            CF_BROKEN("unexpected line in /proc/sysvipc/shm: %s", line);
        n++;
    }
    fclose(f);
    return n;
}

/* Two segments of different keys, sizes and modes, one of them attached. */
static void make_two_segments(void)
{
    size_t page = (size_t)cf_page_size();
    /* Raw shmget: these ids live in the private namespace, where no cleanup must chase them. */
    CF_EXP_FD(shmget(IPC_PRIVATE, page, IPC_CREAT | 0600));
    int b = CF_EXP_FD(shmget(cf_unique_key(), 3 * page, IPC_CREAT | IPC_EXCL | 0640));
    CF_EXP_PTR(shmat(b, NULL, 0));
}

/* Every index below SHM_INFO's highest, read with `cmd` (SHM_STAT or SHM_STAT_ANY), must be a
 * row of /proc/sysvipc/shm with the same id, key, size, mode, creator and attach count, and
 * together they must be SHM_INFO's used_ids and all the rows. Run in a private IPC namespace. */
static void check_index_against_proc(int cmd, const char *cmd_name)
{
    make_two_segments();
    struct shm_info info;
    int highest = CF_EXP_FD(shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&info));
    struct proc_row rows[MAX_ROWS];
    int n_rows = read_proc_rows(rows);
    CF_EXPECT_EQ(info.used_ids, 2);
    CF_EXPECT_EQ(n_rows, 2);
    struct shmid_ds ds;
    if (shmctl(highest, cmd, &ds) < 0 && errno == EINVAL && cmd == SHM_STAT_ANY)
        CF_UNKNOWN_SINCE(4, 17, "shmctl(SHM_STAT_ANY) of the highest used index");
    int found = 0;
    for (int idx = 0; idx <= highest; idx++) {
        int id = shmctl(idx, cmd, &ds);
        if (id < 0)
            continue;
        found++;
        int r = 0;
        while (r < n_rows && rows[r].shmid != id)
            r++;
        CF_ASSERT(r < n_rows, "%s of index %d gave id %d, which /proc/sysvipc/shm lacks", cmd_name,
                  idx, id);
        CF_EXPECT_EQ((long)ds.shm_perm.__key, rows[r].key);
        CF_EXPECT_EQ(ds.shm_segsz, rows[r].size);
        CF_EXPECT_EQ(ds.shm_perm.mode & 0777, rows[r].perms & 0777);
        CF_EXPECT_EQ((long)ds.shm_cpid, rows[r].cpid);
        CF_EXPECT_EQ(ds.shm_nattch, rows[r].nattch);
    }
    CF_EXPECT_EQ(found, info.used_ids);
}

CF_CASE(sysv, info_shm_stat_agrees_with_proc,
        "in an IPC namespace of its own, SHM_INFO's used_ids and the segments that SHM_STAT "
        "finds below its highest index are exactly the rows of /proc/sysvipc/shm",
        "shmctl(2) (SHM_INFO, SHM_STAT); proc(5) /proc/sysvipc; LTP shmctl04")
{
    CF_IN_PRIVATE_NAMESPACES(CLONE_NEWIPC, check_index_against_proc(SHM_STAT, "SHM_STAT"));
}

CF_CASE(sysv, info_shm_stat_any_agrees_with_proc,
        "in an IPC namespace of its own, SHM_STAT_ANY finds below SHM_INFO's highest index "
        "exactly the segments that /proc/sysvipc/shm lists, with the same attributes",
        "shmctl(2) (SHM_STAT_ANY, Linux 4.17); proc(5) /proc/sysvipc; LTP shmctl04")
{
    CF_IN_PRIVATE_NAMESPACES(CLONE_NEWIPC, check_index_against_proc(SHM_STAT_ANY, "SHM_STAT_ANY"));
}

#define NEXT_ID "/proc/sys/kernel/shm_next_id"

static long read_next_id(void)
{
    FILE *f = fopen(NEXT_ID, "re");
    if (f == NULL)
        CF_SKIP(NEXT_ID " cannot be read here: %s", cf_errno_name(errno));
    long v;
    int ok = fscanf(f, "%ld", &v) == 1;
    fclose(f);
    if (!ok)
        CF_BROKEN(NEXT_ID " holds no number");
    return v;
}

static void write_next_id(long v)
{
    int fd = open(NEXT_ID, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        CF_SKIP(NEXT_ID " cannot be written in a private IPC namespace here: %s",
                cf_errno_name(errno));
    char text[32];
    int len = snprintf(text, sizeof text, "%ld\n", v);
    if (write(fd, text, (size_t)len) != len)
        CF_SKIP("writing " NEXT_ID ": %s", cf_errno_name(errno));
    close(fd);
}

CF_CASE(sysv, next_id_sets_next_shmid,
        "in a private IPC namespace, after kernel.shm_next_id is set to N the next new "
        "segment gets id N",
        "proc(5) /proc/sys/kernel/shm_next_id (Linux 3.19); kernel selftests "
        "ipc/msgque.c (msg_next_id, the same mechanism)")
{
    CF_IN_PRIVATE_NAMESPACES(CLONE_NEWIPC, {
        write_next_id(1234);
        int id = CF_EXP_FD(shmget(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600));
        CF_EXPECT_EQ(id, 1234);
    });
}

CF_CASE(sysv, next_id_reads_minus_one_unless_pending,
        "kernel.shm_next_id reads -1 in a new IPC namespace, holds a value written to it, and "
        "reads -1 again once a segment has taken that id",
        "proc(5) /proc/sys/kernel/shm_next_id")
{
    CF_IN_PRIVATE_NAMESPACES(CLONE_NEWIPC, {
        CF_EXPECT_EQ(read_next_id(), -1);
        write_next_id(77);
        CF_EXPECT_EQ(read_next_id(), 77);
        CF_EXP_FD(shmget(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600));
        CF_EXPECT_EQ(read_next_id(), -1);
    });
}
