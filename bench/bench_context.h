/* The circumstances of a run as this machine shows them, collected into results.json's
 * "context" (src/results): the host, kernel, CPU, and the kernel's buffer sizes. */
#ifndef SHMLAB_BENCH_CONTEXT_H
#define SHMLAB_BENCH_CONTEXT_H

#include "src/core/shl_error.h"
#include "src/results/shl_results.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads host, kernel, CPU model, CPU count, buffer sizes and the date. */
int bench_context_collect(struct shl_results_context *ctx, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
