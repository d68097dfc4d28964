/* Long options as every shmlab command line spells them: "--name VALUE" or "--name=VALUE". */
#ifndef SHMLAB_SHL_ARGS_H
#define SHMLAB_SHL_ARGS_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* If argv[*i] is the option `name`, returns its value, stepping *i over a separate value;
 * returns NULL if argv[*i] is anything else, or if it is `name` with no value left, which
 * sets *missing so the caller can say so. The value points into argv, writable like it. */
char *shl_option_value(const char *name, int argc, char *const argv[], int *i,
                       bool *missing);

#ifdef __cplusplus
}
#endif

#endif
