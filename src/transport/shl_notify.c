#include "src/transport/shl_notify.h"

#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int shl_notify_init(struct shl_notify *n, enum shl_notify_kind kind, struct shl_notify_signal *sig,
                    struct shl_error *err)
{
    n->kind = kind;
    n->sig = sig;
    n->efd = -1;
    n->spin_after_nap_ns = 0;
    atomic_init(&sig->waiting, 0);
    if (kind == SHL_NOTIFY_SEM && sem_init(&sig->sem, 1, 0) != 0)
        return shl_fail(err, "sem_init", errno, "process-shared");
    if (kind == SHL_NOTIFY_EVENTFD) {
        n->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (n->efd < 0)
            return shl_fail(err, "eventfd", errno, NULL);
    }
    return 0;
}

void shl_notify_release(struct shl_notify *n)
{
    if (n->efd >= 0)
        close(n->efd);
    n->efd = -1;
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* -1 (with the reason) when a wait gives up, 1 when the word moved after all, 0 to keep
 * waiting. A peer may post its last message and close between the waiter's last look at
 * the word and its look at the peer: the close is stored after the message (release) and
 * read here with acquire, so one more look at the word finds what was sent before it. */
static int give_up(const struct shl_notify_wait *w, _Atomic uint32_t *word, uint32_t seen,
                   uint32_t *now, long long deadline, struct shl_error *err)
{
    if (w->peer_gone(w->arg)) {
        uint32_t v = atomic_load_explicit(word, memory_order_acquire);
        if (v != seen) {
            *now = v;
            return 1;
        }
        return shl_fail(err, "shl_notify_wait", EPIPE, "peer closed or died");
    }
    if (now_ns() >= deadline)
        return shl_fail(err, "shl_notify_wait", ETIMEDOUT, "no progress in %d ms", w->timeout_ms);
    return 0;
}

/* Polls the word up to `polls` times; 1 when it moved. */
static inline int poll_word(_Atomic uint32_t *word, uint32_t seen, const void *then, uint32_t *now,
                            int polls)
{
    for (int i = 0; i < polls; i++) {
        uint32_t v = atomic_load_explicit(word, memory_order_acquire);
        if (v != seen) {
            *now = v;
            return 1;
        }
        if (then != NULL)
            __builtin_prefetch(then, 0, 3);
        cpu_relax();
    }
    return 0;
}

static int spin_until_moved(_Atomic uint32_t *word, uint32_t seen, const void *then, uint32_t *now,
                            const struct shl_notify_wait *w, struct shl_error *err)
{
    long long deadline = 0; /* read the clock only once a check is due */
    int gave_up;
    for (;;) {
        if (poll_word(word, seen, then, now, SHL_NOTIFY_SPIN_CHECK))
            return 0;
        if (deadline == 0)
            deadline = now_ns() + w->timeout_ms * 1000000LL;
        else if ((gave_up = give_up(w, word, seen, now, deadline, err)) != 0)
            return gave_up > 0 ? 0 : -1;
    }
}

/* Spins for the budget; 1 when the word moved within it. The clock is read every few dozen
 * polls, so the budget is kept to within a fraction of a microsecond. */
static int spin_within_budget(_Atomic uint32_t *word, uint32_t seen, const void *then,
                              uint32_t *now, long budget_ns)
{
    enum { polls_per_clock_read = 32 };
    long long end = now_ns() + budget_ns;
    do {
        if (poll_word(word, seen, then, now, polls_per_clock_read))
            return 1;
    } while (now_ns() < end);
    return 0;
}

long shl_notify_spin_budget_ns(double floor_ns, double futex_roundtrip_ns)
{
    enum { rounds = 16, futex_share = 8 };
    if (!(floor_ns > 0) && !(futex_roundtrip_ns > 0))
        return SHL_NOTIFY_SPIN_BUDGET_DEFAULT_NS;
    double budget = futex_roundtrip_ns > 0 ? futex_roundtrip_ns / futex_share
                                           : SHL_NOTIFY_SPIN_BUDGET_DEFAULT_NS;
    if (floor_ns > 0 && budget < rounds * floor_ns)
        budget = rounds * floor_ns;
    return budget < 1 ? 1 : (long)budget;
}

/* Sleeps until woken, the slice ends, or (futex) the word is no longer `seen`. */
static int sleep_slice(const struct shl_notify *n, _Atomic uint32_t *word, uint32_t seen,
                       long long slice_ns, struct shl_error *err)
{
    struct timespec rel = {slice_ns / 1000000000LL, slice_ns % 1000000000LL};
    switch (n->kind) {
    case SHL_NOTIFY_FUTEX:
    case SHL_NOTIFY_ADAPTIVE:
        if (syscall(SYS_futex, word, FUTEX_WAIT, seen, &rel, NULL, 0) != 0 && errno != EAGAIN &&
            errno != ETIMEDOUT && errno != EINTR)
            return shl_fail(err, "futex", errno, "FUTEX_WAIT");
        return 0;
    case SHL_NOTIFY_SEM: {
        struct timespec abs;
        clock_gettime(CLOCK_MONOTONIC, &abs);
        abs.tv_sec += rel.tv_sec;
        abs.tv_nsec += rel.tv_nsec;
        if (abs.tv_nsec >= 1000000000L) {
            abs.tv_sec++;
            abs.tv_nsec -= 1000000000L;
        }
        if (sem_clockwait(&n->sig->sem, CLOCK_MONOTONIC, &abs) != 0 && errno != ETIMEDOUT &&
            errno != EINTR)
            return shl_fail(err, "sem_clockwait", errno, NULL);
        return 0;
    }
    case SHL_NOTIFY_EVENTFD: {
        struct pollfd p = {.fd = n->efd, .events = POLLIN};
        int ms = (int)((slice_ns + 999999) / 1000000);
        int ready = poll(&p, 1, ms);
        if (ready < 0 && errno != EINTR)
            return shl_fail(err, "poll", errno, "eventfd");
        uint64_t count;
        if (ready > 0 && read(n->efd, &count, sizeof count) < 0 && errno != EAGAIN)
            return shl_fail(err, "read", errno, "eventfd");
        return 0;
    }
    default: return shl_fail(err, "shl_notify_wait", EINVAL, "not a blocking strategy");
    }
}

static int block_until_moved(const struct shl_notify *n, _Atomic uint32_t *word, uint32_t seen,
                             uint32_t *now, const struct shl_notify_wait *w, struct shl_error *err)
{
    long long deadline = now_ns() + w->timeout_ms * 1000000LL;
    for (;;) {
        /* The flag goes up before the word is read again (both seq_cst), pairing with
         * post(): either the poster sees the flag, or this read sees the new value. */
        atomic_store_explicit(&n->sig->waiting, 1, memory_order_seq_cst);
        uint32_t v = atomic_load_explicit(word, memory_order_seq_cst);
        if (v != seen) {
            atomic_store_explicit(&n->sig->waiting, 0, memory_order_relaxed);
            *now = v;
            return 0;
        }
        long long left = deadline - now_ns();
        long long slice = SHL_NOTIFY_SLICE_MS * 1000000LL;
        int rc = sleep_slice(n, word, seen, left > 0 && left < slice ? left : slice, err);
        atomic_store_explicit(&n->sig->waiting, 0, memory_order_relaxed);
        if (rc != 0)
            return -1;
        v = atomic_load_explicit(word, memory_order_acquire);
        if (v != seen) {
            *now = v;
            return 0;
        }
        int gave_up = give_up(w, word, seen, now, deadline, err);
        if (gave_up != 0)
            return gave_up > 0 ? 0 : -1;
    }
}

/* Spins for the budget, or for as long as the last wait's brief sleep lasted, then sleeps. */
static int adaptive_wait(struct shl_notify *n, _Atomic uint32_t *word, uint32_t seen,
                         const void *then, uint32_t *now, const struct shl_notify_wait *w,
                         struct shl_error *err)
{
    long budget = w->spin_budget_ns > 0 ? w->spin_budget_ns : SHL_NOTIFY_SPIN_BUDGET_DEFAULT_NS;
    long spin = n->spin_after_nap_ns > budget ? n->spin_after_nap_ns : budget;
    n->spin_after_nap_ns = 0;
    if (spin_within_budget(word, seen, then, now, spin))
        return 0;
    long long asleep = now_ns();
    if (block_until_moved(n, word, seen, now, w, err) != 0)
        return -1;
    long long slept = now_ns() - asleep;
    if (slept <= (long long)SHL_NOTIFY_BRIEF_SLEEP_BUDGETS * budget)
        n->spin_after_nap_ns = (long)slept;
    return 0;
}

int shl_notify_wait_slow(struct shl_notify *n, _Atomic uint32_t *word, uint32_t seen,
                         const void *then, uint32_t *now, const struct shl_notify_wait *w,
                         struct shl_error *err)
{
    if (n->kind == SHL_NOTIFY_SPIN)
        return spin_until_moved(word, seen, then, now, w, err);
    if (n->kind == SHL_NOTIFY_ADAPTIVE)
        return adaptive_wait(n, word, seen, then, now, w, err);
    return block_until_moved(n, word, seen, now, w, err);
}

void shl_notify_wake(const struct shl_notify *n, _Atomic uint32_t *word)
{
    switch (n->kind) {
    case SHL_NOTIFY_FUTEX:
    case SHL_NOTIFY_ADAPTIVE: syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0); break;
    case SHL_NOTIFY_SEM: sem_post(&n->sig->sem); break;
    case SHL_NOTIFY_EVENTFD: {
        uint64_t one = 1;
        /* A failure can only be EAGAIN, a counter already high: the waiter wakes anyway. */
        ssize_t ignored = write(n->efd, &one, sizeof one);
        (void)ignored;
        break;
    }
    default: break;
    }
}

void shl_notify_post_blocking(const struct shl_notify *n, _Atomic uint32_t *word, uint32_t value)
{
    atomic_store_explicit(word, value, memory_order_seq_cst);
    if (atomic_load_explicit(&n->sig->waiting, memory_order_seq_cst))
        shl_notify_wake(n, word);
}
