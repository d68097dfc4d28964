/* Set-up cost: the whole-process time of `shmlab lifecycle MECH --size BYTES` (create, map,
 * touch every page, unmap, destroy), measured by hyperfine and read back from its JSON. */
#ifndef SHMLAB_BENCH_SETUP_H
#define SHMLAB_BENCH_SETUP_H

#include <stddef.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_setup {
    const char *hyperfine; /* program name or path */
    const char *shmlab;    /* path of the shmlab binary */
    const char *mechanism; /* mmap, sysv, posix */
    size_t size;
    unsigned runs, warmup;
    const char *json_path; /* hyperfine's export, kept beside the results */
    /* result: ns per run; free() */
    double *samples;
    size_t n;
};

/* ENOENT in err->errnum when hyperfine itself is missing. */
int bench_setup_run(struct bench_setup *s, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
