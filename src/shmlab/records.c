#include "src/shmlab/records.h"

#include <string.h>

/* The name arrays may be full (no NUL), so they are printed with a bound, never with a
 * bare %s as the tutorial's System V reader does. */
#define NAME_ARG(rec) (int)strnlen((rec).name, sizeof(rec).name), (rec).name

/* Records are copied out with memcpy: another program wrote them into memory this one
 * only sees as bytes. */
static void fill_mmap(void *mem)
{
    struct tut_student4 s[5];
    memset(s, 0, sizeof s);
    for (int i = 0; i < 5; i++) {
        s[i].name[0] = (char)('a' + i);
        s[i].age = 20 + i;
    }
    memcpy(mem, s, sizeof s);
}

static void print_mmap(const void *mem, FILE *out)
{
    struct tut_student4 s[5];
    memcpy(s, mem, sizeof s);
    for (int i = 0; i < 5; i++)
        fprintf(out, "name = %.*s, age = %d\n", NAME_ARG(s[i]), s[i].age);
}

static void fill_sysv(void *mem)
{
    struct tut_student4 s;
    memcpy(s.name, "barr", sizeof s.name); /* exactly 4 bytes: no room for a NUL */
    s.age = 20;
    memcpy(mem, &s, sizeof s);
}

static void print_sysv(const void *mem, FILE *out)
{
    struct tut_student4 s;
    memcpy(&s, mem, sizeof s);
    fprintf(out, "name:%.*s, age:%d\n", NAME_ARG(s), s.age);
}

static void fill_posix(void *mem)
{
    struct tut_student32 s;
    memset(&s, 0, sizeof s);
    strcpy(s.name, "test");
    s.age = 29;
    memcpy(mem, &s, sizeof s);
}

static void print_posix(const void *mem, FILE *out)
{
    struct tut_student32 s;
    memcpy(&s, mem, sizeof s);
    fprintf(out, "name:%.*s, age:%d\n", NAME_ARG(s), s.age);
}

static const struct records table[] = {
    {SHL_MECH_FILE, 5 * sizeof(struct tut_student4), NULL, fill_mmap, print_mmap},
    {SHL_MECH_SYSV, sizeof(struct tut_student4), "1234", fill_sysv, print_sysv},
    {SHL_MECH_POSIX, sizeof(struct tut_student32), "/xyz", fill_posix, print_posix},
};

const struct records *records_for(enum shl_mech mech)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].mech == mech)
            return &table[i];
    return NULL;
}
