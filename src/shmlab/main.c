/* shmlab: the tutorial's writers and readers done right, and the tools around them. Only
 * this file decides what a person sees and with which exit status. */
#include <stdio.h>
#include <string.h>

#include "src/core/shl_cleanup.h"
#include "src/shmlab/cli.h"
#include "src/shmlab/workers.h"

#define OBJECT_HELP                                                                       \
    "The object: mmap FILE (a path); sysv --key K (default 1234, decimal or 0x hex) or\n" \
    "--ftok PATH [--proj N] (default 1); posix --name /N (default /xyz).\n"

static const struct command commands[] = {
    {"write", OPT_KEY | OPT_NAME | OPT_MODE | OPT_SIZE | OPT_REUSE | OPT_HOLD, MECH_AND_OBJECT,
     "write {mmap FILE | sysv [--key K] | posix [--name /N]} [--mode M] [--size B] [--reuse] [--hold]",
     "Creates the object and stores the tutorial's records in it: mmap five\n"
     "{char name[4]; int age;} a/20 .. e/24; sysv one \"barr\"/20; posix one\n"
     "{char name[32]; int age;} \"test\"/29. The object is left for a reader.\n\n" OBJECT_HELP
     "  --mode M   permission bits in octal (default 0600)\n"
     "  --size B   object size in bytes (K, M, G suffixes), at least the records' size\n"
     "  --reuse    overwrite an existing object instead of refusing it\n"
     "  --hold     stay until SIGINT/SIGTERM, then remove the object\n",
     worker_write},
    {"read", OPT_KEY | OPT_NAME | OPT_REMOVE, MECH_AND_OBJECT,
     "read {mmap FILE | sysv [--key K] | posix [--name /N]} [--remove]",
     "Prints the records a writer (shmlab's or the tutorial's) stored, one line each.\n\n" OBJECT_HELP
     "  --remove   remove the object after reading it (--unlink is the same)\n",
     worker_read},
    {"info", OPT_KEY | OPT_NAME, MECH_AND_OBJECT,
     "info {mmap FILE | sysv [--key K] | posix [--name /N]}",
     "Prints what fstat (mmap, posix) or shmctl IPC_STAT (sysv) says about the object.\n\n" OBJECT_HELP,
     worker_info},
    {"remove", OPT_KEY | OPT_NAME, MECH_AND_OBJECT, "remove {sysv [--key K] | posix [--name /N]}",
     "Removes the object (shmctl IPC_RMID or shm_unlink) without reading it.\n\n" OBJECT_HELP,
     worker_remove},
    {"lifecycle", OPT_MODE | OPT_SIZE, MEMORY_ONLY,
     "lifecycle {mmap|sysv|posix|memfd|anon} --size BYTES [--mode M]",
     "The set-up cost of one object, for timing with hyperfine: creates an object under\n"
     "an unpredictable shmlab name or key, maps it, writes every page, unmaps it and\n"
     "removes it. anon is the memory of the anon ring, which has no name: one\n"
     "MAP_SHARED|MAP_ANONYMOUS mapping, every page written, unmapped (no --mode).\n"
     "Prints nothing; leaves nothing behind, even when interrupted.\n",
     worker_lifecycle},
    {"clean", OPT_DRY, NO_MECH, "clean [--dry-run]",
     "Removes what shmlab left behind: POSIX objects /dev/shm/shmlab-<pid>-*, POSIX\n"
     "message queues /dev/mqueue/shmlab-<pid>-* (where an mqueue file system is mounted),\n"
     "files and FIFOs $TMPDIR/shmlab-<pid>-*, zeromq-ipc socket folders\n"
     "$TMPDIR/shmlab-<pid>-XXXXXX (0700, holding nothing but their socket), and System V\n"
     "segments and message queues with a shmlab key (0x53......), owned by you, whose\n"
     "creating process is gone (a segment: with nothing attached; a queue records no\n"
     "creator: its last sender and receiver, stamped as its maker at creation, must both\n"
     "be gone). Objects of live processes, of other users and with other names are left\n"
     "alone.\n\n"
     "  --dry-run  only list what would be removed\n",
     worker_clean},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(void)
{
    FILE *out = stdout;
    fprintf(out, "usage: shmlab COMMAND [ARGS] (shmlab COMMAND --help for each)\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  shmlab %s\n", commands[i].synopsis);
    fprintf(out, "\nExit status: 0 success, 1 failure at run time, 2 usage error.\n"
                 "Objects are created with mode 0600 and never over an existing one unless\n"
                 "--reuse is given.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_say(NULL, EXIT_USAGE, "missing command (see shmlab --help)");
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0)
        return usage(), 0;
    const struct command *cmd = NULL;
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0)
            cmd = &commands[i];
    if (cmd == NULL)
        return cli_say(NULL, EXIT_USAGE, "unknown command '%s' (see shmlab --help)", name);

    struct opts o;
    int done;
    int rc = cli_parse(cmd, argc - 1, argv + 1, &o, &done);
    if (rc != 0 || done)
        return rc;
    struct shl_error err;
    if (shl_cleanup_on_signals(&err) != 0)
        return cli_fail(&o, &err);
    rc = cmd->run(&o);
    /* Whatever a failure path could not remove goes now. */
    shl_cleanup_run();
    return rc;
}
