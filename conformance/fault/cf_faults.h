/* The faults the injection library (libshmlab_fault.so) can introduce, one documented rule
 * broken per fault, and the conformance cases that must catch each one. The table in
 * cf_faults.c is the single list: the library selects from it, fault_test runs it. */
#ifndef SHMLAB_CF_FAULTS_H
#define SHMLAB_CF_FAULTS_H

#include <stddef.h>

enum cf_fault_id {
    CF_FAULT_NONE = -1,
    CF_FAULT_UNKNOWN = -2, /* SHMLAB_FAULT names no fault in the table */
    CF_FAULT_MMAP_LEN_ZERO_SUCCEEDS = 0,
    CF_FAULT_MMAP_CLOSED_FD_EPERM,
    CF_FAULT_MMAP_SHARED_AS_PRIVATE,
    CF_FAULT_MMAP_PRIVATE_AS_SHARED,
    CF_FAULT_MMAP_NO_SIGBUS_PAST_EOF,
    CF_FAULT_MMAP_RDONLY_FD_SHARED_WRITE,
    CF_FAULT_MUNMAP_UNALIGNED_SUCCEEDS,
    CF_FAULT_MSYNC_SYNC_ASYNC_ACCEPTED,
    CF_FAULT_MSYNC_ZERO_LEN_FAILS,
    CF_FAULT_MMAP_POPULATE_IGNORED,
    CF_FAULT_MREMAP_GROW_IN_PLACE_SUCCEEDS,
    CF_FAULT_MREMAP_GROWN_PAGES_LOSE_FILE,
    CF_FAULT_MREMAP_LOSES_FILE_TIE,
    CF_FAULT_SHARED_ANON_IS_PRIVATE,
    CF_FAULT_MADVISE_DONTNEED_NOOP,
    CF_FAULT_MADVISE_DONTFORK_IGNORED,
    CF_FAULT_SHMGET_IGNORES_EXCL,
    CF_FAULT_SHMAT_RND_ROUNDS_UP,
    CF_FAULT_SHMAT_UNALIGNED_ACCEPTED,
    CF_FAULT_SHMAT_IGNORES_RDONLY,
    CF_FAULT_SHMDT_NOT_ATTACHED_SUCCEEDS,
    CF_FAULT_SHMCTL_NATTCH_OFF_BY_ONE,
    CF_FAULT_SHM_OPEN_IGNORES_EXCL,
    CF_FAULT_SHM_OPEN_MISSING_EACCES,
    CF_FAULT_SHM_OPEN_IGNORES_UMASK,
    CF_FAULT_SHM_OPEN_DROPS_TRUNC,
    CF_FAULT_SHM_OPEN_NO_CLOEXEC,
    CF_FAULT_SHM_UNLINK_MISSING_SUCCEEDS,
    CF_FAULT_SHM_FTRUNCATE_IGNORED,
    CF_FAULT_SHM_FSTAT_SIZE_OFF,
    CF_FAULT_FCNTL_ADD_SEALS_IGNORED,
    CF_FAULT_FCNTL_GET_SEALS_DROPS_SEAL_SEAL,
    CF_FAULT_MEMFD_IGNORES_CLOEXEC,
    CF_FAULT_MPROTECT_EACCES_SUCCEEDS,
    CF_FAULT_SHMCTL_RMID_DESTROYS_ATTACHED,
    CF_FAULT_SHM_STAT_WRONG_KEY,
    CF_FAULT_SHM_INFO_USED_IDS_OFF,
    CF_FAULT_COUNT
};

struct cf_fault_spec {
    const char *name;      /* the value of SHMLAB_FAULT that selects it */
    const char *mechanism; /* "mmap", "sysv", "posix" or "memfd" */
    const char *breaks;    /* the rule the fault violates */
    const char *caught_by; /* checker --filter globs: the cases that must report FAIL */
};

extern const struct cf_fault_spec cf_faults[CF_FAULT_COUNT];

/* The fault named by `name` (SHMLAB_FAULT): CF_FAULT_NONE for NULL or "",
 * CF_FAULT_UNKNOWN for a name not in the table. */
enum cf_fault_id cf_fault_lookup(const char *name);

#endif
