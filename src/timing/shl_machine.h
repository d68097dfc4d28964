/* The state of the machine a figure was measured on, read from /proc and /sys: what decides
 * whether two runs can be compared (frequency scaling, where the two pinned CPUs sit, a
 * hypervisor and its steal time, isolated CPUs, the clocksource, other load), and the
 * warnings a reader needs when the machine was noisy.
 *
 * Every path is read under `root` ("" for this machine), so a test can lay out a fake tree.
 * What the kernel does not show is left unknown (an empty string or -1), never guessed. */
#ifndef SHMLAB_SHL_MACHINE_H
#define SHMLAB_SHL_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Steal time above this share of the run's CPU time makes the figures suspect. */
#define SHL_NOISE_STEAL_MAX 0.01
/* A pinned CPU busier than this while the benchmark idles is shared with other work. */
#define SHL_NOISE_PINNED_BUSY_MAX 0.10
/* The host moves the two vCPUs between near and far cores: a floor measured before and after
 * a configuration that differs by more than this means its ratios straddle two machines. */
#define SHL_NOISE_FLOOR_MOVE_MAX 0.25

/* How far a floor moved between two measurements: max/min - 1 (NaN if either is not > 0). */
double shl_floor_move(double before_ns, double after_ns);

/* Where one CPU sits; -1 for what is not visible. */
struct shl_cpu_place {
    int cpu;
    int core, package, node;
    char siblings[64]; /* thread_siblings_list: the CPUs sharing its core */
    char governor[32]; /* cpufreq scaling_governor; "" when there is no cpufreq */
};

struct shl_machine {
    struct shl_cpu_place a, b;   /* the two pinned CPUs */
    int smt_siblings;            /* 1: a and b are threads of one core; 0: not; -1: unknown */
    int turbo;                   /* 1 on, 0 off, -1 not visible */
    int hypervisor;              /* 1 when any sign of one is seen */
    char hypervisor_detail[160]; /* which signs: cpuinfo flag, /sys/hypervisor, dmi */
    char isolcpus[64];           /* /sys/devices/system/cpu/isolated or isolcpus=; "" none */
    char nohz_full[64];          /* /sys/devices/system/cpu/nohz_full or nohz_full=; "" none */
    char clocksource[32];
    double loadavg[3]; /* 1, 5, 15 minutes; -1 when unreadable */
};

/* Reads the state for cpu_a and cpu_b (either may be -1: not pinned). */
int shl_machine_collect(const char *root, int cpu_a, int cpu_b, struct shl_machine *m,
                        struct shl_error *err);

/* One CPU's (or, with cpu -1, all CPUs') time from /proc/stat, in clock ticks. */
struct shl_cpu_times {
    uint64_t busy;  /* user, nice, system, irq, softirq */
    uint64_t idle;  /* idle, iowait */
    uint64_t steal; /* taken by the hypervisor */
};
int shl_cpu_times_read(const char *root, int cpu, struct shl_cpu_times *t, struct shl_error *err);
/* Shares of the time between two readings; NaN when no time passed. */
double shl_cpu_times_steal(const struct shl_cpu_times *before, const struct shl_cpu_times *after);
double shl_cpu_times_busy(const struct shl_cpu_times *before, const struct shl_cpu_times *after);

/* The first "flags" line of a cpuinfo file (ENOENT when it has none), and whether a flag is
 * listed in it as a whole word. */
int shl_cpuinfo_flags(const char *cpuinfo_path, char *flags, size_t len, struct shl_error *err);
int shl_flag_listed(const char *flags, const char *flag);

/* Voluntary and involuntary context switches of this process so far (getrusage). */
int shl_context_switches(long *voluntary, long *involuntary, struct shl_error *err);

/* What made a run noisy. NaN (or 0 rows) for what was not measured. */
struct shl_noise {
    double steal;          /* share of the run's CPU time */
    double pinned_busy[2]; /* of cpu_a and cpu_b, while the benchmark idled */
    int cpu[2];
    size_t floor_moved_rows; /* rows whose floor moved within their configuration */
    double floor_move_max;   /* the largest such move, as a fraction */
};
/* Writes one line per warning into out[0..max) and returns how many there are. */
size_t shl_noise_warnings(const struct shl_noise *n, char (*out)[200], size_t max);

#ifdef __cplusplus
}
#endif

#endif
