/* Where the benchmark's files are: the output folder the user meant, and the programs
 * `bazel run` put beside it (data dependencies in the runfiles tree). */
#ifndef SHMLAB_BENCH_PATHS_H
#define SHMLAB_BENCH_PATHS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Default bench-out/ in the workspace; a relative `given` is taken from where `bazel run`
 * was typed, not from the runfiles tree Bazel runs us in. */
void bench_out_dir(const char *given, char *buf, size_t len);

/* The executable at `rel` (e.g. "src/shmlab") in our runfiles, or NULL. */
const char *bench_runfile(const char *argv0, const char *rel, char *buf, size_t len);

/* The program's path in PATH, or NULL: set-up cost needs hyperfine, which may be missing. */
const char *bench_in_path(const char *program, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
