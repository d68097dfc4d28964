// NOT from the tutorial: section 3.2 has a writer and no reader. This is the reader the
// tutorial would have shown, written in its style (same includes, struct and ERR_EXIT,
// fixed name "/xyz") but without its bugs, so that shmlab's POSIX writer can be checked
// against a program that knows only the tutorial's layout.
#include "common.h"
#include <sys/mman.h>
#include <sys/stat.h> /* For mode constants */
#include <fcntl.h>    /* For O_* constants */

struct student {
    char name[32];
    int age;
};

int main()
{
    int shmid = shm_open("/xyz", O_RDONLY, 0);
    if (shmid == -1)
        ERR_EXIT("shm_open failed");

    struct stat buf;
    if (fstat(shmid, &buf) == -1)
        ERR_EXIT("fstat failed");
    if (buf.st_size < (off_t)sizeof(student)) {
        fprintf(stderr, "object too small\n");
        exit(EXIT_FAILURE);
    }

    student *p = (student *)mmap(NULL, sizeof(student), PROT_READ, MAP_SHARED, shmid, 0);
    if (p == MAP_FAILED)
        ERR_EXIT("mmap failed");

    printf("name:%.32s, age:%d\n", p->name, p->age);

    munmap(p, sizeof(student));
    close(shmid);
    return 0;
}
