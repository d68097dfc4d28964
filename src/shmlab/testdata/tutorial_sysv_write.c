/* The tutorial's section 2.5 writer, verbatim (comments translated), bugs included. */
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
    shmid = shmget(1234, sizeof(STU), IPC_CREAT | 0666);
    if (shmid == -1)
        ERR_EXIT("shmget faile");

    STU *p;
    p = (STU *)shmat(shmid, NULL, SHM_RND); // map the segment into the address space
    if (p == (void *)-1)
        ERR_EXIT("shmat failed");

    strcpy(p->name, "barr"); // operate on the shared memory directly
    p->age = 20;

    shmdt(p); // detach

    return 0;
}
