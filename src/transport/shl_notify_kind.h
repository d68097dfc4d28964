/* The notification strategies of a shared-memory ring, as a type and their names, apart
 * from the strategies themselves (shl_notify.h) so that the channel interface and the
 * benchmark can name a strategy without the ring's atomics. */
#ifndef SHMLAB_SHL_NOTIFY_KIND_H
#define SHMLAB_SHL_NOTIFY_KIND_H

#ifdef __cplusplus
extern "C" {
#endif

/* Every strategy, once: X(ENUM_SUFFIX, "name", spins), in the order the benchmark runs them;
 * `spins` is 1 where a waiter may spin instead of sleeping (adaptive spins within its budget,
 * so under back-to-back traffic it never sleeps). The enum, the names and every place that
 * lists the strategies follow from this list. */
#define SHL_NOTIFY_KINDS(X)  \
    X(SPIN, "spin", 1)       \
    X(FUTEX, "futex", 0)     \
    X(SEM, "sem", 0)         \
    X(EVENTFD, "eventfd", 0) \
    X(ADAPTIVE, "adaptive", 1)

enum shl_notify_kind {
    SHL_NOTIFY_NONE, /* no strategy named: a kernel transport, or a ring's default */
#define SHL_NOTIFY_ENUM(id, name, spins) SHL_NOTIFY_##id,
    SHL_NOTIFY_KINDS(SHL_NOTIFY_ENUM)
#undef SHL_NOTIFY_ENUM
};

/* One past the last strategy: the size of a table indexed by kind. */
#define SHL_NOTIFY_PLUS_ONE(id, name, spins) +1
enum { SHL_NOTIFY_COUNT = SHL_NOTIFY_NONE + 1 SHL_NOTIFY_KINDS(SHL_NOTIFY_PLUS_ONE) };
#undef SHL_NOTIFY_PLUS_ONE

/* The first strategy and the end of the range, for loops over all of them. */
#define SHL_NOTIFY_FIRST (SHL_NOTIFY_NONE + 1)
/* What a ring uses when no strategy is named: the first blocking one. */
#define SHL_NOTIFY_DEFAULT SHL_NOTIFY_FUTEX

/* name -> kind; -1 for an unknown name (NULL included). */
int shl_notify_parse(const char *name, enum shl_notify_kind *kind);
/* kind -> name; "" for SHL_NOTIFY_NONE or anything out of range. */
const char *shl_notify_name(enum shl_notify_kind kind);
/* Whether a waiter of this strategy may spin instead of sleeping (0 for SHL_NOTIFY_NONE):
 * what a comparison of sleeping strategies, with a pipe's wake-up say, leaves out. */
int shl_notify_spins(enum shl_notify_kind kind);

#ifdef __cplusplus
}
#endif

#endif
