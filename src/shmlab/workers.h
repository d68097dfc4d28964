/* The commands a person runs by hand: the tutorial's writers and readers done right, and
 * `info` and `remove` for what they leave; `lifecycle` for the set-up cost benchmark. */
#ifndef SHMLAB_SHMLAB_WORKERS_H
#define SHMLAB_SHMLAB_WORKERS_H

#include "src/shmlab/cli.h"

int worker_write(const struct opts *o);
int worker_read(const struct opts *o);
int worker_info(const struct opts *o);
int worker_remove(const struct opts *o);
int worker_lifecycle(const struct opts *o);

#endif
