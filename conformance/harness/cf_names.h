/* Symbolic errno and signal names ("EINVAL", "SIGBUS") for reports. glibc's
 * strerrorname_np() and sigabbrev_np() do not exist in musl, and the checker builds there. */
#ifndef SHMLAB_CF_NAMES_H
#define SHMLAB_CF_NAMES_H

#ifdef __cplusplus
extern "C" {
#endif

const char *cf_errno_name(int err);
const char *cf_signal_name(int sig);

#ifdef __cplusplus
}
#endif

#endif
