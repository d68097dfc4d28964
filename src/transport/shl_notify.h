/* How the side waiting on a shared-memory ring learns that the other side moved a word:
 * the consumer waits for a slot's sequence word (a message arrived), the producer for the
 * consumer's count (a slot came free). The watched word belongs to the ring and is passed
 * in; what this module keeps in shared memory is a doorbell per waiter (shl_notify_signal),
 * on a cache line of its own that only the waiter writes, and only when it is about to
 * sleep: on the hot path the poster merely reads it, so the line stays cached on both
 * sides and a message moves no extra line.
 *
 * Strategies (listed once in SHL_NOTIFY_KINDS, chosen per channel):
 *   spin    busy-polls the word; the clock and the peer are checked only every
 *           SHL_NOTIFY_SPIN_CHECK polls, so the hot loop makes no call. The poster only
 *           stores (release): no system call on either side, one core burnt.
 *   futex   FUTEX_WAIT on the watched word itself; the waiter raises the doorbell's
 *           `waiting` flag first and the poster calls FUTEX_WAKE only when the flag is up,
 *           so a busy peer pays no system call.
 *   sem     the same flag protocol around a process-shared POSIX semaphore (sem_post,
 *           sem_clockwait on CLOCK_MONOTONIC).
 *   eventfd the same flag protocol around an eventfd per doorbell (write to wake, poll +
 *           read to sleep); the eventfds are made before fork and inherited.
 *   adaptive spins like `spin` for a bounded budget (shl_notify_wait.spin_budget_ns), then
 *           sleeps like `futex`. The flag goes up only once the budget is spent, so a peer
 *           that answers within it makes no system call on either side, and an idle one
 *           costs one budget of CPU per message instead of a core. A wait that slept only
 *           briefly (at most SHL_NOTIFY_BRIEF_SLEEP_BUDGETS budgets) makes the next wait
 *           spin as long as that sleep: back-to-back traffic that fell into sleeping (a
 *           hiccup longer than the budget, after which each side's answer comes a wake-up
 *           later, longer than the other's budget, for good) is caught spinning again on
 *           the next message, while a peer idle for longer pays only the budget.
 *
 * A blocking waiter sleeps at most SHL_NOTIFY_SLICE_MS at a time, then looks at the
 * peer: a peer killed while this side sleeps cannot wake it, so it is noticed within a
 * slice. The flag protocol needs sequentially consistent ordering between "word stored"
 * and "flag read" on the poster's side (and the reverse on the waiter's): without it a
 * wake-up could be lost. */
#ifndef SHMLAB_SHL_NOTIFY_H
#define SHMLAB_SHL_NOTIFY_H

#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>

#include "src/core/shl_cache_line.h"
#include "src/core/shl_error.h"
#include "src/transport/shl_notify_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SHL_NOTIFY_SPIN_CHECK 4096
#define SHL_NOTIFY_SLICE_MS 100

/* What it takes to wake one waiter. Lives in shared memory on a cache line of its own,
 * written only by the waiter (when it goes to sleep) and read by the poster. */
struct shl_notify_signal {
    _Alignas(SHL_CACHE_LINE) _Atomic uint32_t waiting; /* the waiter is asleep, or about to be */
    sem_t sem;                                         /* SHL_NOTIFY_SEM only */
};

/* The process-local half of a signal and what a waiter needs to give up. */
struct shl_notify {
    enum shl_notify_kind kind;
    struct shl_notify_signal *sig;
    int efd;                /* SHL_NOTIFY_EVENTFD only, else -1 */
    long spin_after_nap_ns; /* adaptive: the next wait's spin, after one that slept briefly */
};

/* How brief a sleep must be, in budgets, to make the next wait spin as long as it lasted:
 * with the calibrated budget (an eighth of a futex round trip) that is eight round trips,
 * enough for the two wake-ups of a round trip that fell into sleeping on a host slow to wake
 * its vCPUs (a third of the CPU stolen here at times), and far below the pauses of a peer
 * that is idle, whose waits keep their budget. */
#define SHL_NOTIFY_BRIEF_SLEEP_BUDGETS 64

/* Without a calibrated budget, `adaptive` spins this long: a few cache-line round trips on a
 * far core pair, well under what a futex sleep and wake-up cost. */
#define SHL_NOTIFY_SPIN_BUDGET_DEFAULT_NS 5000

/* A budget from what this machine measured: an eighth of a futex wake-up round trip (an idle
 * peer pays about a quarter more CPU per message than futex does, whose cost is about half
 * that round trip; and a peer held up by a scheduling hiccup shorter than the budget is
 * still caught spinning, so back-to-back traffic does not fall into sleeping on both
 * sides), and at least 16 round trips at the line-per-direction floor; the default when
 * neither was measured. */
long shl_notify_spin_budget_ns(double floor_ns, double futex_roundtrip_ns);

struct shl_notify_wait {
    int timeout_ms;
    long spin_budget_ns;         /* adaptive: spinning before sleeping; 0 for the default */
    int (*peer_gone)(void *arg); /* nonzero when the peer closed or died */
    void *arg;
};

/* In the creating process, before fork: sets up sig (zeroed) for `kind`. */
int shl_notify_init(struct shl_notify *n, enum shl_notify_kind kind, struct shl_notify_signal *sig,
                    struct shl_error *err);
/* Releases what init made (the eventfd; a semaphore needs nothing on Linux). */
void shl_notify_release(struct shl_notify *n);

/* The slow halves of the two calls below, out of line. */
int shl_notify_wait_slow(struct shl_notify *n, _Atomic uint32_t *word, uint32_t seen,
                         const void *then, uint32_t *now, const struct shl_notify_wait *w,
                         struct shl_error *err);
void shl_notify_post_blocking(const struct shl_notify *n, _Atomic uint32_t *word, uint32_t value);

/* Waits until *word (in shared memory) differs from `seen` and returns its new value in
 * *now (acquire: what the poster wrote before storing it is visible). `then`, if not NULL,
 * is another line the caller reads as soon as the word moves: a spinning waiter keeps
 * prefetching it, so that its transfer overlaps the word's instead of following it.
 * Fails with ETIMEDOUT after w->timeout_ms, EPIPE once w->peer_gone says so. Inline, so
 * that a word that already moved costs one load and no call. */
static inline int shl_notify_wait_moved(struct shl_notify *n, _Atomic uint32_t *word, uint32_t seen,
                                        const void *then, uint32_t *now,
                                        const struct shl_notify_wait *w, struct shl_error *err)
{
    uint32_t v = atomic_load_explicit(word, memory_order_acquire);
    if (v != seen) {
        *now = v;
        return 0;
    }
    return shl_notify_wait_slow(n, word, seen, then, now, w, err);
}

/* Stores value into *word (release) and wakes the waiter if it sleeps. Inline, so that
 * `spin` posts with one store and no call. */
static inline void shl_notify_post(const struct shl_notify *n, _Atomic uint32_t *word,
                                   uint32_t value)
{
    if (n->kind == SHL_NOTIFY_SPIN)
        atomic_store_explicit(word, value, memory_order_release);
    else
        shl_notify_post_blocking(n, word, value);
}

/* Wakes the waiter whatever the flag says (on close, so it notices at once); `word` is
 * the one it would be sleeping on. */
void shl_notify_wake(const struct shl_notify *n, _Atomic uint32_t *word);

#ifdef __cplusplus
}
#endif

#endif
