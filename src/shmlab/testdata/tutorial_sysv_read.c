/* The tutorial's section 2.5 reader, verbatim (comments translated), bugs included; the
 * includes, macro and struct are the writer's, which the tutorial does not repeat. */
#include <unistd.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define ERR_EXIT(m)         \
    do {                    \
        perror(m);          \
        exit(EXIT_FAILURE); \
    } while (0)

typedef struct student {
    char name[4];
    int age;
} STU;

int main(int argc, char *argv[])
{
    int shmid;
    shmid = shmget(1234, sizeof(STU), 0); // 0 is enough to open
    if (shmid == -1)
        ERR_EXIT("shmget faile");

    STU *p;
    p = (STU *)shmat(shmid, NULL, SHM_RND); // map the segment into the address space
    if (p == (void *)-1)
        ERR_EXIT("shmat failed");

    // read the values in the memory
    printf("name:%s, age:%d", p->name, p->age);

    shmdt(p);                      // detach
    shmctl(shmid, IPC_RMID, NULL); // remove the segment

    return 0;
}
