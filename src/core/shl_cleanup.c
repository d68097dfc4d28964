#include "src/core/shl_cleanup.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A slot is claimed with a compare-and-swap and published only once filled, so a signal
 * handler that interrupts a registration never sees half a path. */
enum { SLOT_FREE, SLOT_FILLING, SLOT_READY, SLOT_REMOVING };

struct slot {
    atomic_int state;
    enum shl_cleanup_kind kind;
    int shmid;
    char path[SHL_CLEANUP_PATH_MAX];
};

static struct slot slots[SHL_CLEANUP_SLOTS];

int shl_cleanup_add(enum shl_cleanup_kind kind, const char *path, int shmid, struct shl_error *err)
{
    size_t len = path == NULL ? 0 : strlen(path);
    if (len >= SHL_CLEANUP_PATH_MAX)
        return shl_fail(err, "shl_cleanup_add", ENAMETOOLONG, "%s", path);
    for (int i = 0; i < SHL_CLEANUP_SLOTS; i++) {
        int expected = SLOT_FREE;
        if (!atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_FILLING))
            continue;
        slots[i].kind = kind;
        slots[i].shmid = shmid;
        memcpy(slots[i].path, path == NULL ? "" : path, len + 1);
        atomic_store(&slots[i].state, SLOT_READY);
        return i;
    }
    return shl_fail(err, "shl_cleanup_add", ENOSPC, "all %d slots in use", SHL_CLEANUP_SLOTS);
}

void shl_cleanup_forget(int slot)
{
    if (slot >= 0 && slot < SHL_CLEANUP_SLOTS)
        atomic_store(&slots[slot].state, SLOT_FREE);
}

/* Async-signal-safe: kill, waitpid and nanosleep only. */
static int stop_child(pid_t pid)
{
    if (kill(pid, SIGTERM) != 0)
        return -1;
    const struct timespec tick = {0, 10 * 1000 * 1000};
    for (int waited = 0; waited < SHL_CLEANUP_CHILD_GRACE_MS; waited += 10) {
        pid_t got = waitpid(pid, NULL, WNOHANG);
        if (got == pid || (got < 0 && errno == ECHILD))
            return 0;
        nanosleep(&tick, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1; /* it had no chance to remove what it made */
}

int shl_cleanup_run(void)
{
    int saved = errno;
    int failures = 0;
    for (int i = 0; i < SHL_CLEANUP_SLOTS; i++) {
        int expected = SLOT_READY;
        if (!atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_REMOVING))
            continue;
        int rc;
        switch (slots[i].kind) {
        case SHL_CLEANUP_FILE: rc = unlink(slots[i].path); break;
        case SHL_CLEANUP_POSIX: rc = shm_unlink(slots[i].path); break;
        case SHL_CLEANUP_CHILD: rc = stop_child(slots[i].shmid); break;
        default: rc = shmctl(slots[i].shmid, IPC_RMID, NULL); break;
        }
        if (rc != 0)
            failures++;
        atomic_store(&slots[i].state, SLOT_FREE);
    }
    errno = saved;
    return failures;
}

static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NHANDLED (sizeof handled / sizeof handled[0])

static void on_signal(int sig)
{
    shl_cleanup_run();
    signal(sig, SIG_DFL);
    raise(sig);
}

int shl_cleanup_on_signals(struct shl_error *err)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < NHANDLED; i++)
        if (sigaction(handled[i], &sa, NULL) != 0)
            return shl_fail(err, "sigaction", errno, "%s", strsignal(handled[i]));
    return 0;
}

void shl_cleanup_hold(sigset_t *saved)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NHANDLED; i++)
        sigaddset(&set, handled[i]);
    pthread_sigmask(SIG_BLOCK, &set, saved);
}

void shl_cleanup_release(const sigset_t *saved)
{
    pthread_sigmask(SIG_SETMASK, saved, NULL);
}
