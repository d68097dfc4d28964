/* Names and keys that shmlab chooses for its own objects: unpredictable, so that another
 * user cannot plant an object in advance, and marked, so that `shmlab clean` can tell
 * shmlab's leftovers from everybody else's objects. */
#ifndef SHMLAB_SHL_NAME_H
#define SHMLAB_SHL_NAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every POSIX shm name shmlab makes starts with this, after the leading '/'. */
#define SHL_NAME_PREFIX "shmlab-"

/* Every System V key shmlab makes has this top byte ('S'); the rest is random. */
#define SHL_KEY_TAG 0x53000000u
#define SHL_KEY_TAG_MASK 0xff000000u

/* Fills buf with "/shmlab-<pid>-<16 random hex digits>". buf needs SHL_NAME_LEN bytes. */
#define SHL_NAME_LEN 48
int shl_name_posix(char *buf, size_t len, struct shl_error *err);

/* A random key carrying SHL_KEY_TAG; never IPC_PRIVATE. */
int shl_name_key(key_t *key, struct shl_error *err);

/* True when a name or key looks like one that shmlab made. */
int shl_name_is_ours(const char *name);
int shl_key_is_ours(key_t key);

/* Where shmlab puts the files it names itself: $TMPDIR if set and not empty, else /tmp. */
const char *shl_tmpdir(void);

/* A private folder (mkdtemp: 0700, made exclusively) under shl_tmpdir() for one socket,
 * named SHL_NAME_SOCKET inside it: "<tmpdir>/shmlab-<pid>-XXXXXX", X from mkdtemp. A folder
 * is how a socket file is made safely where a planted name could otherwise wait for it.
 * Fills buf with its path. */
#define SHL_NAME_SOCKET "zmq"
int shl_name_folder(char *buf, size_t len, struct shl_error *err);

/* True when the last part of a path has the form of shl_name_folder's folders. */
int shl_name_is_folder(const char *name);

/* The creator's pid in a name shmlab made ("/shmlab-<pid>-<hex>" or its last path part),
 * or -1 when the name is not of that form. */
pid_t shl_name_pid(const char *name);

/* Unpredictable bits from the kernel (getrandom), for names, keys and payload seeds. */
int shl_random(void *buf, size_t len, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
