#include "src/timing/shl_pin.h"

#include <errno.h>
#include <sched.h>

int shl_pin_to_cpu(int cpu, struct shl_error *err)
{
    if (cpu < 0 || cpu >= CPU_SETSIZE)
        return shl_fail(err, "sched_setaffinity", EINVAL, "cpu %d", cpu);
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        return shl_fail(err, "sched_setaffinity", errno, "cpu %d", cpu);
    return 0;
}

int shl_cpus_allowed(int *count, int *first, int *second, struct shl_error *err)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return shl_fail(err, "sched_getaffinity", errno, "self");
    *count = CPU_COUNT(&set);
    *first = *second = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &set))
            continue;
        if (*first < 0)
            *first = cpu;
        else if (*second < 0) {
            *second = cpu;
            break;
        }
    }
    return 0;
}

int shl_cpu_allowed(int cpu)
{
    cpu_set_t set;
    if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    return CPU_ISSET(cpu, &set);
}
