#include "conformance/fault/cf_faults.h"

#include <string.h>

/* Every file and shm fault applies only to shmlab's own objects (files and shm names starting
 * with "shmlab-"), so that a preloaded shell or test runner keeps working; the faults of
 * anonymous memory, mremap, madvise and msync apply to the whole process. See
 * cf_fault_preload.c for how each one is made. */
const struct cf_fault_spec cf_faults[CF_FAULT_COUNT] = {
    [CF_FAULT_MMAP_LEN_ZERO_SUCCEEDS] = {"mmap_len_zero_succeeds", "mmap",
                                         "mmap() with a length of 0 fails with EINVAL",
                                         "mmap.len_zero_einval"},
    [CF_FAULT_MMAP_CLOSED_FD_EPERM] =
        {"mmap_closed_fd_eperm", "mmap",
         "mmap() of a closed descriptor fails with EBADF (the fault says EPERM)",
         "mmap.bad_fd_ebadf"},
    [CF_FAULT_MMAP_SHARED_AS_PRIVATE] =
        {"mmap_shared_as_private", "mmap",
         "MAP_SHARED stores reach the file (the fault maps MAP_PRIVATE instead)",
         "mmap.shared_store_visible_to_read"},
    [CF_FAULT_MMAP_PRIVATE_AS_SHARED] =
        {"mmap_private_as_shared", "mmap",
         "MAP_PRIVATE stores never reach the file (the fault maps MAP_SHARED instead)",
         "mmap.private_store_not_in_file,mmap.private_store_not_seen_by_other_mappings"},
    [CF_FAULT_MMAP_NO_SIGBUS_PAST_EOF] =
        {"mmap_no_sigbus_past_eof", "mmap",
         "touching a whole page past end of file raises SIGBUS (the fault backs it with zeros)",
         "mmap.whole_page_past_eof_sigbus"},
    [CF_FAULT_MMAP_RDONLY_FD_SHARED_WRITE] =
        {"mmap_rdonly_fd_shared_write", "mmap",
         "PROT_WRITE with MAP_SHARED on an O_RDONLY descriptor fails with EACCES",
         "mmap.rdonly_fd_shared_write_eacces"},
    [CF_FAULT_MUNMAP_UNALIGNED_SUCCEEDS] =
        {"munmap_unaligned_succeeds", "mmap",
         "munmap() of an address that is not page aligned fails with EINVAL",
         "mmap.munmap_unaligned_einval"},
    [CF_FAULT_MSYNC_SYNC_ASYNC_ACCEPTED] =
        {"msync_sync_async_accepted", "mmap",
         "msync() with both MS_SYNC and MS_ASYNC fails with EINVAL",
         "mmap.msync_sync_and_async_einval"},
    [CF_FAULT_MSYNC_ZERO_LEN_FAILS] =
        {"msync_zero_len_fails", "mmap",
         "msync() of zero bytes succeeds (the fault fails it with ENOMEM)",
         "mmap.msync_zero_length_unmapped_succeeds"},
    [CF_FAULT_MMAP_POPULATE_IGNORED] =
        {"mmap_populate_ignored", "mmap",
         "MAP_POPULATE makes the pages resident before mmap() returns (the fault drops it)",
         "mmap.populate_anon_pages_resident"},
    [CF_FAULT_MREMAP_GROW_IN_PLACE_SUCCEEDS] =
        {"mremap_grow_in_place_succeeds", "mmap",
         "mremap() without MREMAP_MAYMOVE fails with ENOMEM where it cannot grow in place "
         "(the fault moves the mapping instead)",
         "mmap.mremap_grow_in_place_blocked_enomem"},
    [CF_FAULT_MREMAP_GROWN_PAGES_LOSE_FILE] =
        {"mremap_grown_pages_lose_file", "mmap",
         "pages mremap() adds to a file mapping show the file at their offsets (the fault "
         "backs them with anonymous zeros)",
         "mmap.mremap_grow_in_place_when_room,mmap.mremap_maymove_grow_keeps_data_and_offsets,"
         "mmap.mremap_grow_past_eof_sigbus"},
    [CF_FAULT_MREMAP_LOSES_FILE_TIE] =
        {"mremap_loses_file_tie", "mmap",
         "a shared file mapping moved by mremap() is still the file (the fault turns its first "
         "page into a private anonymous copy)",
         "mmap.mremap_moved_mapping_keeps_file_tie"},
    [CF_FAULT_SHARED_ANON_IS_PRIVATE] =
        {"shared_anon_is_private", "mmap",
         "MAP_SHARED|MAP_ANONYMOUS memory is shared across fork() (the fault maps it private)",
         "mmap.shared_anon_shared_across_fork"},
    [CF_FAULT_MADVISE_DONTNEED_NOOP] =
        {"madvise_dontneed_noop", "mmap",
         "MADV_DONTNEED drops private pages: file pages are read again, anonymous ones are "
         "zero (the fault does nothing and succeeds)",
         "mmap.madv_dontneed_private_file_page_refetched,"
         "mmap.madv_dontneed_private_anon_zero_filled"},
    [CF_FAULT_MADVISE_DONTFORK_IGNORED] =
        {"madvise_dontfork_ignored", "mmap",
         "a page given MADV_DONTFORK is not mapped in a fork()ed child (the fault does nothing "
         "and succeeds)",
         "mmap.madv_dontfork_page_absent_in_child"},
    [CF_FAULT_SHMGET_IGNORES_EXCL] =
        {"shmget_ignores_excl", "sysv",
         "shmget() with IPC_CREAT|IPC_EXCL on an existing key fails with EEXIST",
         "sysv.shmget_excl_existing_eexist"},
    [CF_FAULT_SHMAT_RND_ROUNDS_UP] =
        {"shmat_rnd_rounds_up", "sysv",
         "shmat() with SHM_RND rounds the address down to a multiple of SHMLBA",
         "sysv.shmat_rnd_rounds_down_to_shmlba"},
    [CF_FAULT_SHMAT_UNALIGNED_ACCEPTED] =
        {"shmat_unaligned_accepted", "sysv",
         "shmat() at an address not aligned to SHMLBA, without SHM_RND, fails with EINVAL",
         "sysv.shmat_unaligned_without_rnd_einval"},
    [CF_FAULT_SHMAT_IGNORES_RDONLY] =
        {"shmat_ignores_rdonly", "sysv",
         "a store into a segment attached with SHM_RDONLY raises SIGSEGV", "sysv.shmat_rdonly_*"},
    [CF_FAULT_SHMDT_NOT_ATTACHED_SUCCEEDS] =
        {"shmdt_not_attached_succeeds", "sysv",
         "shmdt() of an address where no segment is attached (or twice) fails with EINVAL",
         "sysv.shmdt_not_attached_einval,sysv.shmdt_twice_einval"},
    [CF_FAULT_SHMCTL_NATTCH_OFF_BY_ONE] =
        {"shmctl_nattch_off_by_one", "sysv",
         "IPC_STAT's shm_nattch is the number of current attaches (the fault adds one)",
         "sysv.stat_nattch_*"},
    [CF_FAULT_SHM_OPEN_IGNORES_EXCL] =
        {"shm_open_ignores_excl", "posix",
         "shm_open() with O_CREAT|O_EXCL on an existing name fails with EEXIST",
         "posix.open_excl_existing_eexist"},
    [CF_FAULT_SHM_OPEN_MISSING_EACCES] =
        {"shm_open_missing_eacces", "posix",
         "shm_open() of a missing name without O_CREAT fails with ENOENT (the fault: EACCES)",
         "posix.open_missing_enoent"},
    [CF_FAULT_SHM_OPEN_IGNORES_UMASK] =
        {"shm_open_ignores_umask", "posix",
         "a new object's permission bits are mode & ~umask (the fault applies mode alone)",
         "posix.create_size_zero_and_mode_umask"},
    [CF_FAULT_SHM_OPEN_DROPS_TRUNC] =
        {"shm_open_drops_trunc", "posix",
         "shm_open() with O_TRUNC truncates an existing object to size 0",
         "posix.open_trunc_empties_keeps_mode_owner"},
    [CF_FAULT_SHM_OPEN_NO_CLOEXEC] =
        {"shm_open_no_cloexec", "posix", "the descriptor shm_open() returns has FD_CLOEXEC set",
         "posix.open_lowest_free_fd_cloexec,posix.open_fd_closed_on_exec"},
    [CF_FAULT_SHM_UNLINK_MISSING_SUCCEEDS] =
        {"shm_unlink_missing_succeeds", "posix",
         "shm_unlink() of a name that does not exist fails with ENOENT",
         "posix.unlink_missing_enoent,posix.unlink_twice_enoent"},
    [CF_FAULT_SHM_FTRUNCATE_IGNORED] =
        {"shm_ftruncate_ignored", "posix",
         "ftruncate() sets the size of a shared memory object (the fault does nothing)",
         "posix.truncate_sets_size,posix.truncate_size_seen_by_other_descriptor"},
    [CF_FAULT_SHM_FSTAT_SIZE_OFF] =
        {"shm_fstat_size_off", "posix",
         "fstat() of a shared memory object reports its size (the fault adds a page)",
         "posix.create_size_zero_and_mode_umask"},
    [CF_FAULT_FCNTL_ADD_SEALS_IGNORED] =
        {"fcntl_add_seals_ignored", "memfd",
         "F_ADD_SEALS adds the seals, or fails (the fault reports success and adds nothing)",
         "memfd.seal_*_operations,memfd.no_sealing_add_seals_eperm,memfd.seals_shared_by_*"},
    [CF_FAULT_FCNTL_GET_SEALS_DROPS_SEAL_SEAL] =
        {"fcntl_get_seals_drops_seal_seal", "memfd",
         "F_GET_SEALS of a memfd made without MFD_ALLOW_SEALING reports F_SEAL_SEAL (the fault "
         "clears it)",
         "memfd.no_sealing_reports_seal_seal,memfd.seal_seal_blocks_further_seals"},
    [CF_FAULT_MEMFD_IGNORES_CLOEXEC] =
        {"memfd_ignores_cloexec", "memfd",
         "memfd_create(MFD_CLOEXEC) sets FD_CLOEXEC on the new descriptor",
         "memfd.cloexec_flag_sets_fd_cloexec"},
    [CF_FAULT_MPROTECT_EACCES_SUCCEEDS] =
        {"mprotect_eacces_succeeds", "sysv",
         "mprotect(PROT_WRITE) of a mapping that may never be written (SHM_RDONLY, "
         "F_SEAL_FUTURE_WRITE) fails with EACCES",
         "sysv.mprotect_rdonly_attach_write_eacces,memfd.future_write_rdonly_mapping_*"},
    [CF_FAULT_SHMCTL_RMID_DESTROYS_ATTACHED] =
        {"shmctl_rmid_destroys_attached", "sysv",
         "a segment removed with IPC_RMID while attached lives until the last detach (the "
         "fault makes it vanish at once: IPC_STAT and shmat of its id fail with EINVAL)",
         "sysv.rmid_repeated_keeps_attached_segment,sysv.rmid_usable_until_last_detach"},
    [CF_FAULT_SHM_STAT_WRONG_KEY] =
        {"shm_stat_wrong_key", "sysv",
         "IPC_STAT's shm_perm.__key is the key the segment was created with (the fault "
         "reports IPC_PRIVATE)",
         "sysv.stat_perm_key_is_creating_key"},
    [CF_FAULT_SHM_INFO_USED_IDS_OFF] =
        {"shm_info_used_ids_off", "sysv",
         "SHM_INFO's used_ids is the number of segments /proc/sysvipc/shm lists (the fault "
         "adds one)",
         "sysv.info_shm_stat_agrees_with_proc,sysv.info_shm_stat_any_agrees_with_proc"},
};

enum cf_fault_id cf_fault_lookup(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return CF_FAULT_NONE;
    for (int i = 0; i < CF_FAULT_COUNT; i++)
        if (strcmp(name, cf_faults[i].name) == 0)
            return (enum cf_fault_id)i;
    return CF_FAULT_UNKNOWN;
}
