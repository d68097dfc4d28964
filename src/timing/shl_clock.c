#include "src/timing/shl_clock.h"

#include <errno.h>
#include <sys/resource.h>
#include <time.h>

int shl_clock_resolution_ns(int64_t *resolution_ns, struct shl_error *err)
{
    struct timespec ts;
    if (clock_getres(SHL_CLOCK_ID, &ts) != 0)
        return shl_fail(err, "clock_getres", errno, "%s", SHL_CLOCK_NAME);
    *resolution_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    return 0;
}

int shl_sleep_until_ns(int64_t deadline_ns, struct shl_error *err)
{
    struct timespec ts = {
        .tv_sec = deadline_ns / 1000000000,
        .tv_nsec = deadline_ns % 1000000000,
    };
    /* EINTR is returned, not retried: a signal the driver handles (SIGINT) must end the
     * wait so that the run can stop and clean up. */
    int rc = clock_nanosleep(SHL_CLOCK_ID, TIMER_ABSTIME, &ts, NULL);
    if (rc != 0)
        return shl_fail(err, "clock_nanosleep", rc, "TIMER_ABSTIME");
    return 0;
}

int shl_process_cpu_ns(int64_t *cpu_ns, struct shl_error *err)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return shl_fail(err, "getrusage", errno, "RUSAGE_SELF");
    *cpu_ns = ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
              ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
    return 0;
}
