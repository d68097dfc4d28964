/* Placing the two processes of a benchmark on CPUs of their own. */
#ifndef SHMLAB_SHL_PIN_H
#define SHMLAB_SHL_PIN_H

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Restricts the calling process to one CPU (sched_setaffinity). */
int shl_pin_to_cpu(int cpu, struct shl_error *err);

/* How many CPUs this process may run on (its affinity mask), and the first two of them in
 * first/second (-1 when absent). */
int shl_cpus_allowed(int *count, int *first, int *second, struct shl_error *err);

/* True when `cpu` is in this process's affinity mask. */
int shl_cpu_allowed(int cpu);

#ifdef __cplusplus
}
#endif

#endif
