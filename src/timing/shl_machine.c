#include "src/timing/shl_machine.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

int shl_flag_listed(const char *flags, const char *flag)
{
    size_t n = strlen(flag);
    for (const char *p = strstr(flags, flag); p != NULL; p = strstr(p + 1, flag)) {
        int starts = p == flags || p[-1] == ' ' || p[-1] == '\t';
        int ends = p[n] == ' ' || p[n] == '\n' || p[n] == '\0';
        if (starts && ends)
            return 1;
    }
    return 0;
}

int shl_cpuinfo_flags(const char *cpuinfo_path, char *flags, size_t len, struct shl_error *err)
{
    FILE *f = fopen(cpuinfo_path, "r");
    if (f == NULL)
        return shl_fail(err, "fopen", errno, "%s", cpuinfo_path);
    flags[0] = '\0';
    int found = 0;
    while (!found && fgets(flags, (int)len, f) != NULL)
        found = strncmp(flags, "flags", 5) == 0;
    fclose(f);
    if (!found) {
        flags[0] = '\0';
        return shl_fail(err, "shl_cpuinfo_flags", ENOENT, "no flags line in %s", cpuinfo_path);
    }
    return 0;
}

/* The first line of root + the formatted path, without its newline; 0 when readable. */
static int read_line(const char *root, char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int read_line(const char *root, char *buf, size_t len, const char *fmt, ...)
{
    char rel[256], path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rel, sizeof rel, fmt, ap);
    va_end(ap);
    snprintf(path, sizeof path, "%s%s", root, rel);
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char *got = fgets(buf, (int)len, f);
    fclose(f);
    if (got == NULL) {
        buf[0] = '\0';
        return 0; /* an empty file, as /sys/devices/system/cpu/isolated is when none are */
    }
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

static int read_int(const char *root, int fallback, const char *path)
{
    char buf[32];
    if (read_line(root, buf, sizeof buf, "%s", path) != 0 || buf[0] == '\0')
        return fallback;
    return atoi(buf);
}

/* The NUMA node a CPU belongs to: its sysfs folder holds a nodeN link. */
static int cpu_node(const char *root, int cpu)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sys/devices/system/cpu/cpu%d", root, cpu);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int node = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "node", 4) == 0 && e->d_name[4] >= '0' && e->d_name[4] <= '9')
            node = atoi(e->d_name + 4);
    closedir(d);
    return node;
}

/* Whether cpu is in a kernel CPU list such as "0-3,8,10-11". */
static int in_cpu_list(const char *list, int cpu)
{
    for (const char *p = list; *p != '\0'; p++) {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;
        if (end == p)
            return 0;
        if (*end == '-')
            hi = strtol(end + 1, &end, 10);
        if (cpu >= lo && cpu <= hi)
            return 1;
        if (*end != ',')
            return 0;
        p = end;
    }
    return 0;
}

static void read_place(const char *root, int cpu, struct shl_cpu_place *p)
{
    memset(p, 0, sizeof *p);
    p->cpu = cpu;
    p->core = p->package = p->node = -1;
    if (cpu < 0)
        return;
    char path[128];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
    p->core = read_int(root, -1, path);
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
    p->package = read_int(root, -1, path);
    p->node = cpu_node(root, cpu);
    read_line(root, p->siblings, sizeof p->siblings,
              "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", cpu);
    read_line(root, p->governor, sizeof p->governor,
              "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
}

/* The value of `name=` on the kernel command line, or "". */
static void cmdline_value(const char *cmdline, const char *name, char *out, size_t len)
{
    out[0] = '\0';
    size_t n = strlen(name);
    for (const char *p = strstr(cmdline, name); p != NULL; p = strstr(p + 1, name)) {
        if ((p == cmdline || p[-1] == ' ') && p[n] == '=') {
            snprintf(out, len, "%.*s", (int)strcspn(p + n + 1, " "), p + n + 1);
            return;
        }
    }
}

static void add_detail(char *detail, size_t len, const char *what)
{
    size_t used = strlen(detail);
    snprintf(detail + used, len - used, "%s%s", used ? "; " : "", what);
}

static void read_hypervisor(const char *root, struct shl_machine *m)
{
    char path[512], flags[4096];
    snprintf(path, sizeof path, "%s/proc/cpuinfo", root);
    if (shl_cpuinfo_flags(path, flags, sizeof flags, NULL) == 0 &&
        shl_flag_listed(flags, "hypervisor"))
        add_detail(m->hypervisor_detail, sizeof m->hypervisor_detail, "cpuinfo hypervisor flag");
    char value[96], what[160];
    if (read_line(root, value, sizeof value, "/sys/hypervisor/type") == 0 && value[0] != '\0') {
        snprintf(what, sizeof what, "/sys/hypervisor/type %s", value);
        add_detail(m->hypervisor_detail, sizeof m->hypervisor_detail, what);
    }
    char vendor[64] = "", product[64] = "";
    read_line(root, vendor, sizeof vendor, "/sys/class/dmi/id/sys_vendor");
    read_line(root, product, sizeof product, "/sys/class/dmi/id/product_name");
    if (vendor[0] != '\0' || product[0] != '\0') {
        snprintf(what, sizeof what, "dmi %s %s", vendor, product);
        add_detail(m->hypervisor_detail, sizeof m->hypervisor_detail, what);
    }
    /* dmi names the machine whether or not it is virtual: only the other two prove one. */
    m->hypervisor = strstr(m->hypervisor_detail, "cpuinfo") != NULL ||
                    strstr(m->hypervisor_detail, "/sys/hypervisor") != NULL;
}

int shl_machine_collect(const char *root, int cpu_a, int cpu_b, struct shl_machine *m,
                        struct shl_error *err)
{
    (void)err;
    memset(m, 0, sizeof *m);
    read_place(root, cpu_a, &m->a);
    read_place(root, cpu_b, &m->b);
    m->smt_siblings = -1;
    if (cpu_a >= 0 && cpu_b >= 0 && m->a.siblings[0] != '\0')
        m->smt_siblings = cpu_a != cpu_b && in_cpu_list(m->a.siblings, cpu_b);

    m->turbo = -1;
    int no_turbo = read_int(root, -1, "/sys/devices/system/cpu/intel_pstate/no_turbo");
    int boost = read_int(root, -1, "/sys/devices/system/cpu/cpufreq/boost");
    if (no_turbo >= 0)
        m->turbo = !no_turbo;
    else if (boost >= 0)
        m->turbo = boost != 0;

    read_hypervisor(root, m);

    char cmdline[4096] = "";
    read_line(root, cmdline, sizeof cmdline, "/proc/cmdline");
    if (read_line(root, m->isolcpus, sizeof m->isolcpus, "/sys/devices/system/cpu/isolated") != 0)
        cmdline_value(cmdline, "isolcpus", m->isolcpus, sizeof m->isolcpus);
    if (read_line(root, m->nohz_full, sizeof m->nohz_full, "/sys/devices/system/cpu/nohz_full") !=
        0)
        cmdline_value(cmdline, "nohz_full", m->nohz_full, sizeof m->nohz_full);
    read_line(root, m->clocksource, sizeof m->clocksource,
              "/sys/devices/system/clocksource/clocksource0/current_clocksource");

    char load[128];
    m->loadavg[0] = m->loadavg[1] = m->loadavg[2] = -1;
    if (read_line(root, load, sizeof load, "/proc/loadavg") == 0 &&
        sscanf(load, "%lf %lf %lf", &m->loadavg[0], &m->loadavg[1], &m->loadavg[2]) != 3)
        m->loadavg[0] = m->loadavg[1] = m->loadavg[2] = -1;
    return 0;
}

int shl_cpu_times_read(const char *root, int cpu, struct shl_cpu_times *t, struct shl_error *err)
{
    char path[512], want[32], line[512];
    snprintf(path, sizeof path, "%s/proc/stat", root);
    if (cpu < 0)
        snprintf(want, sizeof want, "cpu ");
    else
        snprintf(want, sizeof want, "cpu%d ", cpu);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return shl_fail(err, "fopen", errno, "%s", path);
    int found = 0;
    unsigned long long v[8] = {0};
    while (!found && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, want, strlen(want)) != 0)
            continue;
        found = sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
                       &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) >= 7;
        break;
    }
    fclose(f);
    if (!found)
        return shl_fail(err, "shl_cpu_times_read", ENOENT, "no \"%.*s\" line in %s",
                        (int)strlen(want) - 1, want, path);
    /* user nice system idle iowait irq softirq steal */
    t->busy = v[0] + v[1] + v[2] + v[5] + v[6];
    t->idle = v[3] + v[4];
    t->steal = v[7];
    return 0;
}

static double share(uint64_t part, const struct shl_cpu_times *b, const struct shl_cpu_times *a)
{
    uint64_t total = (a->busy - b->busy) + (a->idle - b->idle) + (a->steal - b->steal);
    return total == 0 ? NAN : (double)part / (double)total;
}

double shl_cpu_times_steal(const struct shl_cpu_times *before, const struct shl_cpu_times *after)
{
    return share(after->steal - before->steal, before, after);
}

double shl_cpu_times_busy(const struct shl_cpu_times *before, const struct shl_cpu_times *after)
{
    return share(after->busy - before->busy, before, after);
}

int shl_context_switches(long *voluntary, long *involuntary, struct shl_error *err)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return shl_fail(err, "getrusage", errno, "RUSAGE_SELF");
    *voluntary = ru.ru_nvcsw;
    *involuntary = ru.ru_nivcsw;
    return 0;
}

double shl_floor_move(double before_ns, double after_ns)
{
    if (!(before_ns > 0) || !(after_ns > 0))
        return NAN;
    return before_ns > after_ns ? before_ns / after_ns - 1 : after_ns / before_ns - 1;
}

size_t shl_noise_warnings(const struct shl_noise *n, char (*out)[200], size_t max)
{
    size_t count = 0;
#define WARN(...)                                                 \
    do {                                                          \
        if (count < max)                                          \
            snprintf(out[count], sizeof out[count], __VA_ARGS__); \
        count++;                                                  \
    } while (0)
    if (n->steal > SHL_NOISE_STEAL_MAX)
        WARN("noisy machine: the hypervisor stole %.1f%% of the CPU time (above %.0f%%)",
             100 * n->steal, 100 * SHL_NOISE_STEAL_MAX);
    for (int i = 0; i < 2; i++)
        if (n->pinned_busy[i] > SHL_NOISE_PINNED_BUSY_MAX)
            WARN("noisy machine: pinned CPU %d was %.0f%% busy with other work while the "
                 "benchmark idled (above %.0f%%)",
                 n->cpu[i], 100 * n->pinned_busy[i], 100 * SHL_NOISE_PINNED_BUSY_MAX);
    if (n->floor_moved_rows > 0)
        WARN("noisy machine: the floor moved by up to %.0f%% within %zu configuration%s "
             "(above %.0f%%): their ratios are marked",
             100 * n->floor_move_max, n->floor_moved_rows, n->floor_moved_rows == 1 ? "" : "s",
             100 * SHL_NOISE_FLOOR_MOVE_MAX);
#undef WARN
    return count;
}
