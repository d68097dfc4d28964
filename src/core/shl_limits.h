/* The kernel's limits as /proc/sys publishes them (msgmax, msgsize_max, shmmax, ...), read
 * when they are needed, so that sizes fit the machine at hand rather than a default and an
 * error can name the limit it ran into. */
#ifndef SHMLAB_SHL_LIMITS_H
#define SHMLAB_SHL_LIMITS_H

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the one positive number in `path` (e.g. /proc/sys/kernel/msgmax); shmmax and
 * shmall are near 2^64 by default, hence the width. */
int shl_limit_read(const char *path, unsigned long long *value, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
