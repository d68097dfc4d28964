/* The tutorial's section 3.2 includes a "common.h" it never shows. This is the least that
 * makes its program compile: the headers it uses and the ERR_EXIT of sections 1 and 2. */
#ifndef SHMLAB_TUTORIAL_COMMON_H
#define SHMLAB_TUTORIAL_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ERR_EXIT(m)         \
    do {                    \
        perror(m);          \
        exit(EXIT_FAILURE); \
    } while (0)

#endif
