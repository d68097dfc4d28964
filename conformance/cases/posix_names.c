/* Which names shm_open() and shm_unlink() accept. POSIX fixes only names of the form "/x"
 * (one leading slash, no other) up to NAME_MAX; everything else is implementation-defined,
 * and glibc and musl differ there. These cases accept every answer a rule permits, report
 * the libc and the answer seen, and fail on an answer that no rule allows: above all a
 * refused-looking name that quietly opens something. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* Which libc answers, for the report: glibc says so through confstr; musl has no such name. */
static void report_libc(void)
{
    char version[64] = "";
#ifdef _CS_GNU_LIBC_VERSION
    if (confstr(_CS_GNU_LIBC_VERSION, version, sizeof version) == 0)
        version[0] = '\0';
#endif
    cf_info("libc: %s", version[0] ? version : "not glibc (musl or another)");
}

/* A unique name padded with 'x' to `len` characters after the leading slash. */
static char *padded_name(size_t len)
{
    char base[CF_NAME_MAX];
    cf_unique_name(base);
    char *name = malloc(len + 2);
    if (name == NULL)
        CF_BROKEN("malloc failed");
    size_t have = strlen(base);
    memcpy(name, base, have < len + 1 ? have : len + 1);
    if (have < len + 1)
        memset(name + have, 'x', len + 1 - have);
    name[len + 1] = '\0';
    return name;
}

/* shm_open(name, O_RDWR|O_CREAT|O_EXCL) must fail with one of `allowed` (0-terminated). */
static void expect_refused(const char *name, const char *shown, const int *allowed)
{
    cf_track_posix(name);
    errno = 0;
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    int err = errno;
    if (fd >= 0) {
        struct stat st;
        int is_dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
        CF_FAIL("shm_open(\"%s\") succeeded%s", shown, is_dir ? " with a directory" : "");
        close(fd);
        return;
    }
    int ok = 0;
    for (const int *a = allowed; *a != 0; a++)
        ok |= err == *a;
    if (ok)
        cf_info("\"%s\": %s", shown, cf_errno_name(err));
    else
        CF_FAIL("shm_open(\"%s\") failed with %s, which no rule gives for this name", shown,
                cf_errno_name(err));
}

CF_CASE(posix, name_name_max_component_accepted,
        "a name of one slash and NAME_MAX characters can be created",
        "POSIX.1-2017 shm_open(), DESCRIPTION (name construction, pathname rules); XBD 3.271")
{
    cf_info("NAME_MAX=%d", NAME_MAX);
    char *name = padded_name(NAME_MAX);
    cf_track_posix(name);
    CF_EXP_PASS(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
    free(name);
}

CF_CASE(posix, name_component_over_name_max_refused,
        "a name longer than NAME_MAX after its slash is refused with ENAMETOOLONG, or EINVAL "
        "(not supported for this name)",
        "POSIX.1-2017 shm_open(), ERRORS (ENAMETOOLONG may fail; EINVAL); shm_open(3)")
{
    report_libc();
    char *name = padded_name(NAME_MAX + 1);
    expect_refused(name, "/<NAME_MAX+1 chars>", (const int[]){ENAMETOOLONG, EINVAL, 0});
    free(name);
}

CF_CASE(posix, name_over_path_max_refused,
        "a 4101-character name is refused: glibc says EINVAL, musl ENAMETOOLONG, both "
        "permitted",
        "POSIX.1-2017 shm_open(), ERRORS (ENAMETOOLONG may fail; EINVAL); shm_open(3)")
{
    report_libc();
    char *name = padded_name(4100);
    expect_refused(name, "/<4100 chars>", (const int[]){ENAMETOOLONG, EINVAL, 0});
    free(name);
}

CF_CASE(posix, name_slash_only_refused,
        "the name \"/\" (no characters after the slash) is refused with EINVAL or ENOENT",
        "POSIX.1-2017 shm_open(), ERRORS (EINVAL: not supported for this name); shm_open(3)")
{
    report_libc();
    expect_refused("/", "/", (const int[]){EINVAL, ENOENT, 0});
}

CF_CASE(posix, name_empty_refused, "the empty name is refused with EINVAL or ENOENT",
        "POSIX.1-2017 shm_open(), ERRORS (EINVAL); XBD 4.13 (empty pathname: ENOENT)")
{
    report_libc();
    expect_refused("", "", (const int[]){EINVAL, ENOENT, 0});
}

CF_CASE(posix, name_inner_slash_refused,
        "a name with a slash after its first character (\"/a/b\") is refused with EINVAL or "
        "ENOENT by glibc and musl",
        "POSIX.1-2017 shm_open() (other slashes implementation-defined); shm_open(3) (name "
        "has no further slashes)")
{
    report_libc();
    char base[CF_NAME_MAX], name[2 * CF_NAME_MAX];
    cf_unique_name(base);
    /* A unique first component: no directory of that name can exist by accident. */
    snprintf(name, sizeof name, "%s/b", base);
    expect_refused(name, "/<unique>/b", (const int[]){EINVAL, ENOENT, 0});
}

CF_CASE(posix, name_dot_components_refused,
        "\".\", \"/.\" and \"/..\" with O_CREAT|O_EXCL never create or open anything: glibc "
        "says EEXIST, musl EINVAL",
        "POSIX.1-2017 shm_open() (name interpretation implementation-defined; EEXIST, EINVAL)")
{
    report_libc();
    static const int allowed[] = {EEXIST, EINVAL, EISDIR, ENOENT, 0};
    expect_refused(".", ".", allowed);
    expect_refused("/.", "/.", allowed);
    expect_refused("/..", "/..", allowed);
}

CF_CASE(posix, name_without_slash_consistent,
        "a name without a leading slash is either refused with EINVAL or names an object "
        "that shm_unlink() of the same name removes",
        "POSIX.1-2017 shm_open() (no leading slash: implementation-defined), shm_unlink()")
{
    report_libc();
    char base[CF_NAME_MAX];
    cf_unique_name(base);
    const char *name = base + 1;
    cf_track_posix(name);
    cf_track_posix(base);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        CF_EXPECT(errno == EINVAL, "refused with %s", cf_errno_name(errno));
        cf_info("no leading slash: refused with %s", cf_errno_name(errno));
        return;
    }
    cf_info("no leading slash: accepted");
    CF_EXP_PASS(shm_open(name, O_RDWR, 0));
    CF_EXP_PASS(shm_unlink(name));
    CF_EXP_FAIL(shm_open(name, O_RDWR, 0), ENOENT);
}

CF_CASE(posix, name_unlink_invalid_names_refused,
        "shm_unlink() of \"/\", \"\" and a name over NAME_MAX fails (EINVAL, ENOENT or "
        "ENAMETOOLONG) and removes nothing",
        "POSIX.1-2017 shm_unlink(), ERRORS; shm_open(3)")
{
    report_libc();
    char *name = padded_name(NAME_MAX + 1);
    const char *names[] = {"/", "", name};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        errno = 0;
        int ret = shm_unlink(names[i]);
        int err = errno;
        int ok = ret == -1 && (err == EINVAL || err == ENOENT || err == ENAMETOOLONG);
        CF_EXPECT(ok, "shm_unlink of name %zu returned %d with %s", i, ret, cf_errno_name(err));
    }
    free(name);
}
