/* Finding what shmlab left behind: objects under the names and keys shmlab chooses for
 * itself (shl_name.h) whose creating process is gone. A process killed with SIGKILL cannot
 * clean up; the next run finds its objects here, and `shmlab clean` removes them, and only
 * them: never an object of another user, of a live process, or with a name shmlab would
 * not choose. Besides the mechanisms' objects, the names the transports make are found
 * too: their FIFOs, System V message queues and the private folders of their sockets. */
#ifndef SHMLAB_SHL_STALE_H
#define SHMLAB_SHL_STALE_H

#include <limits.h>
#include <sys/types.h>

#include "src/core/shl_error.h"
#include "src/shm/shl_shm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What was found, each with the name `shmlab clean` prints for it. */
#define SHL_STALE_KINDS(X)                                                                    \
    X(POSIX, "posix")       /* a POSIX shm object in the shm folder */                        \
    X(POSIX_MQ, "posix-mq") /* a POSIX message queue in the queue folder */                   \
    X(FILE, "mmap")         /* a file (or a FIFO of the fifo transport) in the file folder */ \
    X(SYSV, "sysv")         /* a System V segment with a tagged key */                        \
    X(SYSV_MSG, "sysv-msg") /* a System V message queue with a tagged key */                  \
    X(FOLDER, "zeromq-ipc") /* a zeromq-ipc socket's folder (shl_name_folder), nothing else */

enum shl_stale_kind {
#define SHL_STALE_ENUM(id, name) SHL_STALE_##id,
    SHL_STALE_KINDS(SHL_STALE_ENUM)
#undef SHL_STALE_ENUM
};

/* The kind's name ("posix", "sysv-msg", ...); "?" out of range. */
const char *shl_stale_kind_name(enum shl_stale_kind kind);

/* One object that carries shmlab's mark and belongs to this user. */
struct shl_stale {
    enum shl_stale_kind kind;
    char name[PATH_MAX]; /* FILE or FOLDER path, POSIX or POSIX_MQ name; "" for SYSV and
                          * SYSV_MSG */
    key_t key;           /* SYSV, SYSV_MSG */
    int id;              /* SYSV shmid, SYSV_MSG msqid, else -1 */
    pid_t creator;       /* from the name, shm_cpid (SYSV) or, for SYSV_MSG, its last sender
                          * (msg_lspid: the creator's stamp, shl_sysv_msg.h, until another
                          * sends); 0 when not known */
    pid_t receiver;      /* SYSV_MSG: its last receiver (msg_lrpid), 0 for none; else 0 */
    int stale;           /* the creator is gone (SYSV: and nothing is attached; SYSV_MSG: and
                          * so is the last receiver) */
};

/* Where the kernel shows POSIX message queues, when an mqueue file system is mounted there
 * (as root: mount -t mqueue none /dev/mqueue); without it they cannot be listed. */
#define SHL_STALE_MQUEUE_DIR "/dev/mqueue"

/* Calls fn for every shmlab object of this user: POSIX objects in `shm_dir` (normally
 * "/dev/shm"), files, FIFOs and socket folders in `file_dir` (normally shl_tmpdir()), POSIX
 * message queues in `mq_dir` (normally SHL_STALE_MQUEUE_DIR; skipped where it is missing),
 * System V segments and message queues with a tagged key. Stops early, returning fn's
 * value, when fn returns non-zero. A creator in another PID namespace looks gone: run it
 * where the objects were made. A queue whose maker was killed between msgget and its stamp
 * (two consecutive calls) names no process: it is reported with creator 0, never stale. */
int shl_stale_scan(const char *shm_dir, const char *file_dir, const char *mq_dir,
                   int (*fn)(const struct shl_stale *obj, void *arg), void *arg,
                   struct shl_error *err);

/* Removes one object found by shl_stale_scan (a folder with its socket, if it has one). */
int shl_stale_remove(const struct shl_stale *obj, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
