/* The checking macros themselves: each case below breaks its check on purpose, and the test
 * passes only if the runner reports that case with the verdict and the words expected (both
 * values of an equality, errno names rather than numbers, a '%' in a condition verbatim).
 * These cases live in this binary only, never in the checker. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_runner.h"

CF_CASE(selftest, eq_prints_both_values, "CF_EXPECT_EQ prints both operands", "cf_case.h")
{
    int three = 3;
    CF_EXPECT_EQ(three, 4);
}

CF_CASE(selftest, eq_minus_one_is_not_size_max, "-1 never equals SIZE_MAX", "cf_case.h")
{
    CF_EXPECT_EQ(-1, SIZE_MAX);
}

CF_CASE(selftest, eq_mixed_types_equal, "equal values of different types are equal", "cf_case.h")
{
    CF_EXPECT_EQ((off_t)4096, 4096u);
    CF_EXPECT_EQ((unsigned char)200, 200L);
}

CF_CASE(selftest, assert_eq_ends_case, "CF_ASSERT_EQ ends the case", "cf_case.h")
{
    CF_ASSERT_EQ(1, 2);
    CF_FAIL("still running after CF_ASSERT_EQ");
}

CF_CASE(selftest, percent_in_condition, "a '%' in a condition is not a format", "cf_case.h")
{
    int seven = 7;
    CF_EXPECT(seven % 3 == 0, "%d is not a multiple of %d", seven, 3);
}

CF_CASE(selftest, fail_wrong_errno_named, "a wrong errno is named", "cf_case.h")
{
    CF_EXP_FAIL(close(-1), EINVAL);
}

CF_CASE(selftest, fail_arr_lists_all, "every accepted errno is listed", "cf_case.h")
{
    CF_EXP_FAIL_ARR(close(-1), EINVAL, ENOENT, EOVERFLOW);
}

CF_CASE(selftest, fail_arr_accepts_any, "any listed errno is accepted", "cf_case.h")
{
    CF_EXP_FAIL_ARR(close(-1), EINVAL, EBADF);
    CF_EXP_MAP_FAIL_ARR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EBADF,
                        EINVAL);
    CF_EXPECT_EQ(errno, EINVAL);
}

CF_CASE(selftest, fail_on_success, "a call that succeeds is reported", "cf_case.h")
{
    CF_EXP_FAIL_ARR(getpid(), EPERM, EACCES);
}

CF_CASE(selftest, fd_yields_and_ends, "CF_EXP_FD yields the descriptor, or ends the case",
        "cf_case.h")
{
    int fd = CF_EXP_FD(dup(0));
    CF_EXPECT(fd >= 0, "got %d", fd);
    close(fd);
    CF_EXP_FD(open("/nonexistent/shmlab", O_RDONLY));
    CF_FAIL("still running after a failed CF_EXP_FD");
}

CF_CASE(selftest, ptr_yields_and_ends, "CF_EXP_PTR yields the pointer, or ends the case",
        "cf_case.h")
{
    long page = sysconf(_SC_PAGESIZE);
    char *p = CF_EXP_PTR(
        mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    p[0] = 1;
    munmap(p, page);
    CF_EXP_PTR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    CF_FAIL("still running after a failed CF_EXP_PTR");
}

struct expectation {
    const char *id;
    enum cf_verdict verdict;
    const char *words[3]; /* each must be in the reason; NULL ends */
    const char *absent;   /* must not be in the reason, or NULL */
};

static const struct expectation expected[] = {
    {"selftest.eq_prints_both_values", CF_FAIL, {"three == 4", "three is 3", "4 is 4"}, NULL},
    {"selftest.eq_minus_one_is_not_size_max", CF_FAIL, {"-1 is -1", "0x"}, NULL},
    {"selftest.eq_mixed_types_equal", CF_PASS, {NULL}, NULL},
    {"selftest.assert_eq_ends_case", CF_FAIL, {"1 is 1"}, "still running"},
    {"selftest.percent_in_condition",
     CF_FAIL,
     {"seven % 3 == 0", "7 is not a multiple of 3"},
     NULL},
    {"selftest.fail_wrong_errno_named",
     CF_FAIL,
     {"failed with EBADF", "expected EINVAL"},
     "errno 9"},
    {"selftest.fail_arr_lists_all", CF_FAIL, {"EINVAL, ENOENT or EOVERFLOW"}, NULL},
    {"selftest.fail_arr_accepts_any", CF_PASS, {NULL}, NULL},
    {"selftest.fail_on_success", CF_FAIL, {"getpid() returned", "EPERM or EACCES"}, NULL},
    {"selftest.fd_yields_and_ends",
     CF_FAIL,
     {"open(\"/nonexistent/shmlab\"", "ENOENT"},
     "still running"},
    {"selftest.ptr_yields_and_ends", CF_FAIL, {"EINVAL"}, "still running"},
};

int main(void)
{
    int failures = 0, seen = 0;
    for (const struct cf_case *c = cf_cases(); c != NULL; c = c->next) {
        const struct expectation *e = NULL;
        for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
            if (strcmp(expected[i].id, c->id) == 0)
                e = &expected[i];
        if (e == NULL) {
            printf("FAIL %s: no expectation written for it\n", c->id);
            failures++;
            continue;
        }
        seen++;
        struct cf_result r;
        if (cf_run(c, &r) != 0) {
            printf("FAIL %s: the runner could not run it\n", c->id);
            failures++;
            continue;
        }
        int ok = r.verdict == e->verdict;
        for (size_t w = 0; w < 3 && e->words[w] != NULL; w++)
            ok = ok && strstr(r.reason, e->words[w]) != NULL;
        if (e->absent != NULL && strstr(r.reason, e->absent) != NULL)
            ok = 0;
        printf("%s %s: %s: %s\n", ok ? "ok  " : "FAIL", c->id, cf_verdict_name(r.verdict),
               r.reason);
        failures += !ok;
    }
    if (seen != (int)(sizeof expected / sizeof expected[0])) {
        printf("FAIL only %d of %zu expected cases are registered\n", seen,
               sizeof expected / sizeof expected[0]);
        failures++;
    }
    return failures == 0 ? 0 : 1;
}
