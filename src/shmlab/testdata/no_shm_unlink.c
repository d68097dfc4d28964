/* Test-only interposer (LD_PRELOAD): makes shm_unlink succeed without unlinking. The
 * tutorial's POSIX writer unlinks its object right after writing it, so no reader can ever
 * open it; with this preloaded, the object survives and shmlab's reader can show that it
 * understands the tutorial's layout. */
#include <sys/mman.h>

int shm_unlink(const char *name)
{
    (void)name;
    return 0;
}
