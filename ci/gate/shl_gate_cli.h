/* The gate's command line, as a function so that tests run it in-process: reads the files,
 * prints the table to `out` and one-line errors to `errout`, and returns the exit status
 * (0 pass, 1 regression or missing figure, 2 bad options or unreadable/malformed input). */
#ifndef SHMLAB_SHL_GATE_CLI_H
#define SHMLAB_SHL_GATE_CLI_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

int shl_gate_cli(int argc, char *const argv[], FILE *out, FILE *errout);

#ifdef __cplusplus
}
#endif

#endif
