/* The tutorial's in-memory layouts, byte for byte, so that its programs and shmlab read
 * each other's objects: what each mechanism's `write` stores and `read` prints. */
#ifndef SHMLAB_SHMLAB_RECORDS_H
#define SHMLAB_SHMLAB_RECORDS_H

#include <stddef.h>
#include <stdio.h>

#include "src/shm/shl_shm.h"

/* Section 1.4 (five of them in a file) and section 2.5 (one in a System V segment). */
struct tut_student4 {
    char name[4]; /* not NUL-terminated when full: "barr" fills it */
    int age;
};

/* Section 3.2 (one in a POSIX object). */
struct tut_student32 {
    char name[32];
    int age;
};

/* What a mechanism's worker stores, where by default, and how it prints it. */
struct records {
    enum shl_mech mech;
    size_t size;            /* bytes the records take */
    const char *default_id; /* the tutorial's key or name; NULL: the user must give one */
    void (*fill)(void *mem);
    void (*print)(const void *mem, FILE *out);
};

const struct records *records_for(enum shl_mech mech);

#endif
