/* The kernel's limits on message queues as /proc/sys publishes them, read when a channel is
 * made, so that the sizes chosen fit the machine at hand rather than a default. */
#ifndef SHMLAB_SHL_LIMITS_H
#define SHMLAB_SHL_LIMITS_H

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the one positive number in `path` (e.g. /proc/sys/kernel/msgmax). */
int shl_limit_read(const char *path, long *value, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
