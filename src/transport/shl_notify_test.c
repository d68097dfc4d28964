/* The adaptive strategy between two threads. In C, because shl_notify.h's inline fast path
 * uses C11 atomics, which C++17 cannot include. Each check prints both sides on failure. */
#include "src/transport/shl_notify.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static int failures;

#define CHECK(cond, fmt, ...)                                                         \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: %s failed: " fmt "\n", __FILE__, __LINE__, #cond, \
                    __VA_ARGS__);                                                     \
            failures++;                                                               \
        }                                                                             \
    } while (0)

struct thread_use {
    long voluntary_switches;
    long long cpu_ns;
};

static struct thread_use this_thread(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return (struct thread_use){ru.ru_nvcsw,
                               ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
                                   ((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL};
}

struct exchange {
    struct shl_notify n;
    struct shl_notify_signal sig;
    _Atomic uint32_t word;
    _Atomic uint32_t taken;
    long budget_ns;
    uint32_t messages;
    struct thread_use used;
    int failed;
};

static int never_gone(void *arg)
{
    (void)arg;
    return 0;
}

static void *waiter(void *arg)
{
    struct exchange *x = arg;
    struct shl_notify_wait w = {
        .timeout_ms = 5000, .spin_budget_ns = x->budget_ns, .peer_gone = never_gone};
    struct thread_use before = this_thread();
    for (uint32_t seen = 0; seen < x->messages;) {
        struct shl_error err = {0};
        if (shl_notify_wait_moved(&x->n, &x->word, seen, NULL, &seen, &w, &err) != 0) {
            x->failed = 1;
            break;
        }
        atomic_store_explicit(&x->taken, seen, memory_order_release);
    }
    struct thread_use after = this_thread();
    x->used = (struct thread_use){after.voluntary_switches - before.voluntary_switches,
                                  after.cpu_ns - before.cpu_ns};
    return NULL;
}

/* The poster pauses gap_us before each post, then waits for the post to be taken, as a
 * peer waiting for a reply would. Returns what waiting cost the waiter thread. */
static struct thread_use wait_for_posts(enum shl_notify_kind kind, long budget_ns,
                                        uint32_t messages, int gap_us)
{
    static struct exchange x;
    x = (struct exchange){.budget_ns = budget_ns, .messages = messages};
    struct shl_error err = {0};
    if (shl_notify_init(&x.n, kind, &x.sig, &err) != 0) {
        failures++;
        return x.used;
    }
    atomic_init(&x.word, 0);
    atomic_init(&x.taken, 0);
    pthread_t t;
    pthread_create(&t, NULL, waiter, &x);
    for (uint32_t i = 1; i <= messages && !x.failed; i++) {
        if (gap_us > 0) {
            struct timespec pause = {0, gap_us * 1000L};
            nanosleep(&pause, NULL);
        }
        shl_notify_post(&x.n, &x.word, i);
        while (atomic_load_explicit(&x.taken, memory_order_acquire) < i && !x.failed)
            ;
    }
    pthread_join(t, NULL);
    CHECK(!x.failed, "%s", "a wait failed");
    shl_notify_release(&x.n);
    return x.used;
}

/* A peer that posts its last message and closes in the window between the waiter's last
 * look at the word and its look at the peer: the callback stands for that moment. */
struct closing_peer {
    _Atomic uint32_t *word;
    uint32_t last;
};

static int posts_then_closes(void *arg)
{
    struct closing_peer *p = arg;
    atomic_store_explicit(p->word, p->last, memory_order_release);
    return 1;
}

/* Every strategy takes a message sent just before its peer closed, and fails with EPIPE
 * only when nothing came. */
static void last_message_before_close_arrives(void)
{
    for (int k = SHL_NOTIFY_FIRST; k < (int)SHL_NOTIFY_COUNT; k++) {
        enum shl_notify_kind kind = (enum shl_notify_kind)k;
        struct shl_notify n;
        struct shl_notify_signal sig;
        struct shl_error err = {0};
        if (shl_notify_init(&n, kind, &sig, &err) != 0) {
            CHECK(0, "%s: %s", shl_notify_name(kind), err.detail);
            continue;
        }
        _Atomic uint32_t word;
        atomic_init(&word, 0);
        struct closing_peer peer = {&word, 1};
        struct shl_notify_wait w = {.timeout_ms = 5000,
                                    .spin_budget_ns = 1000,
                                    .peer_gone = posts_then_closes,
                                    .arg = &peer};
        uint32_t now = 0;
        int rc = shl_notify_wait_moved(&n, &word, 0, NULL, &now, &w, &err);
        CHECK(rc == 0 && now == 1, "%s: rc %d, word %u, %s", shl_notify_name(kind), rc, now,
              err.detail);
        peer.last = 1; /* closes with nothing more sent: the word stays */
        err = (struct shl_error){0};
        rc = shl_notify_wait_moved(&n, &word, 1, NULL, &now, &w, &err);
        CHECK(rc == -1 && err.errnum == EPIPE, "%s: rc %d, errno %d", shl_notify_name(kind), rc,
              err.errnum);
        shl_notify_release(&n);
    }
}

struct delayed_post {
    struct shl_notify *n;
    _Atomic uint32_t *word;
    uint32_t value;
    long delay_us;
};

static void *post_later(void *arg)
{
    struct delayed_post *p = arg;
    struct timespec pause = {p->delay_us / 1000000, (p->delay_us % 1000000) * 1000L};
    nanosleep(&pause, NULL);
    shl_notify_post(p->n, p->word, p->value);
    return NULL;
}

/* One adaptive wait on n for a post that comes delay_us later. Returns the waiter's sleeps
 * (voluntary context switches) during the wait. */
static long wait_for_one(struct shl_notify *n, _Atomic uint32_t *word, uint32_t seen,
                         long budget_ns, long delay_us)
{
    struct delayed_post p = {n, word, seen + 1, delay_us};
    struct shl_notify_wait w = {
        .timeout_ms = 5000, .spin_budget_ns = budget_ns, .peer_gone = never_gone};
    struct shl_error err = {0};
    uint32_t now = 0;
    pthread_t t;
    pthread_create(&t, NULL, post_later, &p);
    struct thread_use before = this_thread();
    int rc = shl_notify_wait_moved(n, word, seen, NULL, &now, &w, &err);
    struct thread_use after = this_thread();
    pthread_join(t, NULL);
    CHECK(rc == 0 && now == seen + 1, "rc %d, word %u, %s", rc, now, err.detail);
    return after.voluntary_switches - before.voluntary_switches;
}

/* Back-to-back traffic that fell into sleeping must get out again: a wait that slept
 * briefly makes the next one spin as long as it slept, so that a message coming within that
 * time finds the waiter spinning. A long sleep leaves the next wait its budget. The margins
 * are tens to hundreds of milliseconds, so that a loaded machine cannot turn one case into
 * another. */
static void brief_sleep_lengthens_the_next_spin(void)
{
    const long budget_ns = 2000 * 1000; /* brief: up to 64 budgets, 128 ms */
    struct shl_notify n;
    struct shl_notify_signal sig;
    struct shl_error err = {0};
    if (shl_notify_init(&n, SHL_NOTIFY_ADAPTIVE, &sig, &err) != 0) {
        CHECK(0, "%s", err.detail);
        return;
    }
    _Atomic uint32_t word;
    atomic_init(&word, 0);
    /* A post 15 ms away: the waiter spins 2 ms, then sleeps briefly, and its next wait will
     * spin as long as it slept. */
    long sleeps = wait_for_one(&n, &word, 0, budget_ns, 15 * 1000);
    CHECK(sleeps == 0 || (n.spin_after_nap_ns > 0 &&
                          n.spin_after_nap_ns <= SHL_NOTIFY_BRIEF_SLEEP_BUDGETS * budget_ns),
          "%ld sleeps, next spin %ld ns", sleeps, n.spin_after_nap_ns);
    /* A next spin of 300 ms catches a post 30 ms away without sleeping, and only once. */
    n.spin_after_nap_ns = 300L * 1000 * 1000;
    sleeps = wait_for_one(&n, &word, 1, budget_ns, 30 * 1000);
    CHECK(sleeps == 0 && n.spin_after_nap_ns == 0, "%ld sleeps, next spin %ld ns", sleeps,
          n.spin_after_nap_ns);
    /* The budget alone sleeps through a post 400 ms away (over 64 budgets), and leaves the
     * next wait its budget. */
    sleeps = wait_for_one(&n, &word, 2, budget_ns, 400 * 1000);
    CHECK(sleeps >= 1 && n.spin_after_nap_ns == 0, "%ld sleeps, next spin %ld ns", sleeps,
          n.spin_after_nap_ns);
    shl_notify_release(&n);
}

int main(void)
{
    last_message_before_close_arrives();
    brief_sleep_lengthens_the_next_spin();

    enum shl_notify_kind kind;
    CHECK(shl_notify_parse("adaptive", &kind) == 0 && kind == SHL_NOTIFY_ADAPTIVE, "%d", kind);

    /* A peer that answers within the budget: the waiter never reaches the futex, so it
     * never sleeps (each sleep is a voluntary context switch). */
    uint32_t messages = 2000;
    struct thread_use busy = wait_for_posts(SHL_NOTIFY_ADAPTIVE, 20L * 1000 * 1000, messages, 0);
    CHECK(busy.voluntary_switches < messages / 10, "%ld sleeps in %u messages",
          busy.voluntary_switches, messages);

    /* A peer that pauses 2 ms: the waiter spins its 20 us budget, then sleeps, so a message
     * costs it about a budget of CPU, not the whole pause. */
    messages = 50;
    struct thread_use idle = wait_for_posts(SHL_NOTIFY_ADAPTIVE, 20L * 1000, messages, 2000);
    CHECK(idle.voluntary_switches >= messages / 2, "%ld sleeps in %u messages",
          idle.voluntary_switches, messages);
    CHECK(idle.cpu_ns / messages < 500 * 1000, "%lld ns of CPU per message",
          idle.cpu_ns / messages);
    /* The same pause under spin burns it all: the test can tell the two apart. */
    struct thread_use spun = wait_for_posts(SHL_NOTIFY_SPIN, 0, 10, 2000);
    CHECK(spun.cpu_ns / 10 > idle.cpu_ns / messages, "spin %lld against adaptive %lld ns",
          spun.cpu_ns / 10, idle.cpu_ns / messages);

    /* The budget: an eighth of a futex round trip, at least 16 floors. */
    CHECK(shl_notify_spin_budget_ns(100, 80000) == 10000, "%ld",
          shl_notify_spin_budget_ns(100, 80000));
    CHECK(shl_notify_spin_budget_ns(500, 40000) == 8000, "%ld",
          shl_notify_spin_budget_ns(500, 40000));
    CHECK(shl_notify_spin_budget_ns(0, 0) == SHL_NOTIFY_SPIN_BUDGET_DEFAULT_NS, "%ld",
          shl_notify_spin_budget_ns(0, 0));
    CHECK(shl_notify_spin_budget_ns(0, 8000) == 1000, "%ld", shl_notify_spin_budget_ns(0, 8000));

    if (failures == 0)
        printf("adaptive strategy: every check held\n");
    return failures ? 1 : 0;
}
