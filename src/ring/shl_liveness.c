#include "src/ring/shl_liveness.h"

#include <errno.h>

int shl_liveness_init(struct shl_liveness *l, struct shl_peer *me, struct shl_error *err)
{
    me->shared = l;
    me->side = -1;
    me->gone = 0;
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);
    if (rc == 0)
        rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if (rc == 0)
        rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    for (int s = 0; s < 2 && rc == 0; s++) {
        rc = pthread_mutex_init(&l->side[s].alive, &attr);
        atomic_init(&l->side[s].joined, 0);
        atomic_init(&l->side[s].closed, 0);
    }
    pthread_mutexattr_destroy(&attr);
    if (rc != 0)
        return shl_fail(err, "pthread_mutex_init", rc, "robust, process-shared");
    return 0;
}

int shl_liveness_join(struct shl_peer *me, int side, struct shl_error *err)
{
    if (me->side >= 0)
        return shl_fail(err, "shl_ring_join", EALREADY, "side %c", me->side ? 'B' : 'A');
    struct shl_liveness_side *mine = &me->shared->side[side];
    int rc = pthread_mutex_lock(&mine->alive);
    if (rc != 0)
        return shl_fail(err, "pthread_mutex_lock", rc, "side %c liveness", side ? 'B' : 'A');
    me->side = side;
    atomic_store_explicit(&mine->joined, 1, memory_order_release);
    return 0;
}

int shl_liveness_peer_gone(void *peer)
{
    struct shl_peer *me = peer;
    if (me->gone)
        return 1;
    struct shl_liveness_side *other = &me->shared->side[1 - me->side];
    if (!atomic_load_explicit(&other->joined, memory_order_acquire))
        return 0; /* not there yet: only the timeout can tell */
    if (atomic_load_explicit(&other->closed, memory_order_acquire)) {
        me->gone = 1;
        return 1;
    }
    int rc = pthread_mutex_trylock(&other->alive);
    if (rc == EBUSY)
        return 0;
    /* EOWNERDEAD: it died holding the mutex (now ours, released again and left
     * unrecoverable); 0: it let go without closing; anything else: cannot be alive. */
    if (rc == 0 || rc == EOWNERDEAD)
        pthread_mutex_unlock(&other->alive);
    me->gone = 1;
    return 1;
}

void shl_liveness_close(struct shl_peer *me)
{
    if (me->side >= 0)
        atomic_store_explicit(&me->shared->side[me->side].closed, 1, memory_order_release);
}

void shl_liveness_leave(struct shl_peer *me)
{
    if (me->side >= 0)
        pthread_mutex_unlock(&me->shared->side[me->side].alive);
}
