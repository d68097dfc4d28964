/* The conformance case model, after LTP's tst_test.h and the kernel's kselftest_harness.h.
 *
 * A case is data (which mechanism, which rule, where the rule is written) plus a small body:
 *
 *   CF_CASE(mmap, len_zero_einval,
 *           "mmap() with a length of 0 fails with EINVAL",
 *           "POSIX.1-2017 mmap(), ERRORS")
 *   {
 *       int fd = SAFE_TMPFILE(4096, NULL);
 *       CF_EXP_MAP_FAIL(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
 *   }
 *
 * Every case runs in a child process of its own (see cf_runner.h), so a body may crash,
 * expect a signal, or exit anywhere. Inside a body:
 *   CF_EXPECT / CF_ASSERT        a rule holds (EXPECT goes on, ASSERT ends the case)
 *   CF_EXPECT_EQ / CF_ASSERT_EQ  two integers are equal; a failure prints both values
 *   CF_EXP_FAIL(call, ERRNO)     an int call returns -1 with that errno
 *   CF_EXP_FAIL_ARR(call, E1, E2...)      ... with any one of several errnos
 *   CF_EXP_MAP_FAIL(call, ERRNO) a pointer call (mmap, shmat) returns (void *)-1, that errno
 *   CF_EXP_MAP_FAIL_ARR(call, E1, E2...)  ... with any one of several errnos
 *   CF_EXP_PASS(call)            an int call does not return -1
 *   CF_EXP_FD(call)              an int call succeeds; yields its result (a descriptor, an
 *                                id) so the case goes on with it, or ends the case
 *   CF_EXP_PTR(call)             a pointer call does not return (void *)-1; yields it, or
 *                                ends the case
 * Failures name errnos symbolically (EINVAL) and print each call as it is written. After a
 * CF_EXP_FAIL* that held, errno is still the one the call set.
 *   CF_EXPECT_SIGNAL(SIG, stmt)  stmt, run in a forked child, dies of SIG
 *   CF_SKIP(...)                 the case cannot run here; the reason is reported
 *   SAFE_*(...)                  set-up steps (cf_safe.h); their failure means "set-up
 *                                broke", never "rule violated"
 *   CF_AS_OTHER_USER(stmts)      stmts run as a second user; cf_privilege_over_other_user()
 *                                and cf_private_namespaces(CLONE_NEWIPC...) give what a case
 *                                needs whoever runs it, or skip it (cf_userns.h)
 * Cases call libc themselves, never shmlab's library, so that an interposed implementation
 * (LD_PRELOAD) is what gets checked. */
#ifndef SHMLAB_CF_CASE_H
#define SHMLAB_CF_CASE_H

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cf_case {
    const char *id;        /* "<mechanism>.<name>", unique */
    const char *mechanism; /* "mmap", "sysv", "posix" or "memfd" */
    const char *rule;      /* the behaviour checked, one sentence */
    const char *source;    /* where the rule is written: POSIX section or man page */
    int expect_signal;     /* 0, or the signal the whole body must die of */
    void (*body)(void);
    const struct cf_case *next; /* registry order: sorted by id */
};

/* Adds a case to the registry; called by CF_CASE before main. */
void cf_register(struct cf_case *c);

/* The registered cases, sorted by id. */
const struct cf_case *cf_cases(void);

#define CF_CASE_SIGNAL(mech, name, sig, rule_, source_)                              \
    static void cf_body_##mech##_##name(void);                                       \
    static struct cf_case cf_case_##mech##_##name = {                                \
        #mech "." #name, #mech, rule_, source_, sig, cf_body_##mech##_##name, NULL}; \
    __attribute__((constructor)) static void cf_register_##mech##_##name(void)       \
    {                                                                                \
        cf_register(&cf_case_##mech##_##name);                                       \
    }                                                                                \
    static void cf_body_##mech##_##name(void)

#define CF_CASE(mech, name, rule_, source_) CF_CASE_SIGNAL(mech, name, 0, rule_, source_)

/* ---- reporting from inside a body (any process of the case may call these) ---- */

void cf_fail_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cf_end_failed(void) __attribute__((noreturn));
void cf_skip_at(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void cf_broken_at(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
/* A platform fact the verdict depends on (page size, SHMLBA, filesystem), for the report. */
void cf_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CF_FAIL(...) cf_fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CF_SKIP(...) cf_skip_at(__FILE__, __LINE__, __VA_ARGS__)
#define CF_BROKEN(...) cf_broken_at(__FILE__, __LINE__, __VA_ARGS__)

/* The condition's text is passed as an argument, not pasted into the format, so a
 * condition may contain '%' (addr % SHMLBA == 0). The message is a format and its values. */
void cf_expect_failed(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define CF_EXPECT(cond, ...)                                          \
    do {                                                              \
        if (!(cond))                                                  \
            cf_expect_failed(__FILE__, __LINE__, #cond, __VA_ARGS__); \
    } while (0)

#define CF_ASSERT(cond, ...)                                          \
    do {                                                              \
        if (!(cond)) {                                                \
            cf_expect_failed(__FILE__, __LINE__, #cond, __VA_ARGS__); \
            cf_end_failed();                                          \
        }                                                             \
    } while (0)

/* An integer as the equality checks see it: its bits and whether its type is signed, so
 * that values of any two integer types compare by value (-1 never equals SIZE_MAX). */
#define CF_IS_SIGNED_(x) ((__typeof__(x))-1 < (__typeof__(x))1)
int cf_int_equal(int a_signed, uintmax_t a, int b_signed, uintmax_t b);
void cf_expect_eq_failed(const char *file, int line, const char *a_text, const char *b_text,
                         int a_signed, uintmax_t a, int b_signed, uintmax_t b);

/* Each operand is evaluated once, and its text is an argument, never a format. */
#define CF_EQ_CHECK_(a, b, on_failure)                                                       \
    do {                                                                                     \
        __typeof__(a) cf_a_ = (a);                                                           \
        __typeof__(b) cf_b_ = (b);                                                           \
        int cf_as_ = CF_IS_SIGNED_(cf_a_), cf_bs_ = CF_IS_SIGNED_(cf_b_);                    \
        uintmax_t cf_av_ = cf_as_ ? (uintmax_t)(intmax_t)cf_a_ : (uintmax_t)cf_a_;           \
        uintmax_t cf_bv_ = cf_bs_ ? (uintmax_t)(intmax_t)cf_b_ : (uintmax_t)cf_b_;           \
        if (!cf_int_equal(cf_as_, cf_av_, cf_bs_, cf_bv_)) {                                 \
            cf_expect_eq_failed(__FILE__, __LINE__, #a, #b, cf_as_, cf_av_, cf_bs_, cf_bv_); \
            on_failure;                                                                      \
        }                                                                                    \
    } while (0)

#define CF_EXPECT_EQ(a, b) CF_EQ_CHECK_(a, b, (void)0)
#define CF_ASSERT_EQ(a, b) CF_EQ_CHECK_(a, b, cf_end_failed())

/* `want` holds `n_want` errnos, any of which is the expected one. */
void cf_check_fail(long ret, int err, const int *want, size_t n_want, const char *call,
                   const char *file, int line);
void cf_check_map_fail(void *ret, int err, const int *want, size_t n_want, const char *call,
                       const char *file, int line);
void cf_check_pass(long ret, int err, const char *call, const char *file, int line);
/* Like cf_check_pass, but a failure ends the case: what follows needs the result. */
void cf_require_pass(long ret, int err, const char *call, const char *file, int line);
void cf_require_map_pass(void *ret, int err, const char *call, const char *file, int line);

#define CF_ERRNOS_(...) ((const int[]){__VA_ARGS__})
#define CF_N_ERRNOS_(...) (sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

#define CF_EXP_FAIL_ARR(call, ...)                                                                 \
    do {                                                                                           \
        errno = 0;                                                                                 \
        long cf_ret_ = (long)(call);                                                               \
        int cf_err_ = errno;                                                                       \
        cf_check_fail(cf_ret_, cf_err_, CF_ERRNOS_(__VA_ARGS__), CF_N_ERRNOS_(__VA_ARGS__), #call, \
                      __FILE__, __LINE__);                                                         \
    } while (0)

#define CF_EXP_MAP_FAIL_ARR(call, ...)                                                          \
    do {                                                                                        \
        errno = 0;                                                                              \
        void *cf_ret_ = (void *)(call);                                                         \
        int cf_err_ = errno;                                                                    \
        cf_check_map_fail(cf_ret_, cf_err_, CF_ERRNOS_(__VA_ARGS__), CF_N_ERRNOS_(__VA_ARGS__), \
                          #call, __FILE__, __LINE__);                                           \
    } while (0)

#define CF_EXP_FAIL(call, want) CF_EXP_FAIL_ARR(call, want)
#define CF_EXP_MAP_FAIL(call, want) CF_EXP_MAP_FAIL_ARR(call, want)

#define CF_EXP_PASS(call)                                         \
    do {                                                          \
        errno = 0;                                                \
        long cf_ret_ = (long)(call);                              \
        cf_check_pass(cf_ret_, errno, #call, __FILE__, __LINE__); \
    } while (0)

/* int fd = CF_EXP_FD(open(path, O_RDONLY)); */
#define CF_EXP_FD(call)                                                                \
    __extension__({                                                                    \
        errno = 0;                                                                     \
        long cf_ret_ = (long)(call);                                                   \
        cf_require_pass(cf_ret_ < 0 ? -1 : cf_ret_, errno, #call, __FILE__, __LINE__); \
        (int)cf_ret_;                                                                  \
    })

/* char *p = CF_EXP_PTR(mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0)); */
#define CF_EXP_PTR(call)                                                        \
    __extension__({                                                             \
        errno = 0;                                                              \
        __typeof__(call) cf_ptr_ = (call);                                      \
        cf_require_map_pass((void *)cf_ptr_, errno, #call, __FILE__, __LINE__); \
        cf_ptr_;                                                                \
    })

/* Forks; the child runs `stmt` and exits 0; the parent expects it to die of `sig`. */
pid_t cf_fork_at(const char *file, int line);
void cf_expect_died_of(pid_t pid, int sig, const char *what, const char *file, int line);
#define CF_EXPECT_SIGNAL(sig, ...)                                         \
    do {                                                                   \
        pid_t cf_pid_ = cf_fork_at(__FILE__, __LINE__);                    \
        if (cf_pid_ == 0) {                                                \
            __VA_ARGS__;                                                   \
            _exit(0);                                                      \
        }                                                                  \
        cf_expect_died_of(cf_pid_, sig, #__VA_ARGS__, __FILE__, __LINE__); \
    } while (0)

/* Forks a helper process of the case (its failures are the case's failures). */
#define CF_FORK() cf_fork_at(__FILE__, __LINE__)
/* Waits for a helper made by CF_FORK and expects it to have exited with status 0. */
void cf_reap_at(pid_t pid, const char *file, int line);
#define CF_REAP(pid) cf_reap_at(pid, __FILE__, __LINE__)

#ifdef __cplusplus
}
#endif

#endif
