/* A second user and private namespaces, for whoever runs the checker.
 *
 * A case asks for what it needs; the harness provides it the way this caller can:
 *   root            setuid() in a helper / unshare() directly;
 *   any other user  a user namespace: for a second user, one that maps the caller's own ids
 *                   and the first ids of its /etc/subuid and /etc/subgid ranges (through
 *                   newuidmap and newgidmap, Debian's uidmap package), each to itself; for
 *                   a private IPC or mount namespace, one where the caller is uid 0 and
 *                   alone (as `unshare -Ur`);
 *   neither         the case is skipped, saying which step was refused.
 * The second user's ids are mapped to themselves, so every process of a case sees the same
 * numbers, and the IPC namespace stays the host's unless asked: a capability inside the user
 * namespace never counts for the host's System V objects. */
#ifndef SHMLAB_CF_USERNS_H
#define SHMLAB_CF_USERNS_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The second user's ids as the host sees them: nobody:nogroup (65534) for root, otherwise
 * the first id of the caller's subordinate ranges (65534 where it has none; such a caller
 * cannot become it, and cf_become_other_user says so). */
uid_t cf_other_uid(void);
gid_t cf_other_gid(void);
#define CF_OTHER_UID cf_other_uid()
#define CF_OTHER_GID cf_other_gid()

/* Turns the calling process, a helper made by CF_FORK(), into CF_OTHER_UID:CF_OTHER_GID with
 * no supplementary groups and no capabilities. Skips the case, with the refused step, where
 * that is impossible here. */
void cf_become_other_user(void);

/* Gives the calling process the privilege to hand its objects to the other user (fchown,
 * seteuid to it) and to override file permissions on both users' files. Root has it; anyone
 * else gets it in a user namespace that maps both users. Skips the case where neither works.
 * System V objects are the host's, where this grants nothing. */
void cf_privilege_over_other_user(void);

/* Moves the calling process into new namespaces of `clone_flags` (CLONE_NEWIPC, CLONE_NEWNS),
 * inside a user namespace of its own, as its uid 0, when it is not privileged. Skips the case,
 * naming the refused step, where neither works. */
void cf_private_namespaces(int clone_flags);

/* cf_become_other_user for the runner, which must not end a case: 0, or -1 with the reason. */
int cf_try_become_other_user(char *why, size_t len);

/* Runs the statements in a helper process as the other user (cf_become_other_user) and
 * waits for it; the helper's failures and skip are the case's. */
#define CF_AS_OTHER_USER(...)        \
    do {                             \
        pid_t cf_other_ = CF_FORK(); \
        if (cf_other_ == 0) {        \
            cf_become_other_user();  \
            __VA_ARGS__;             \
            _exit(0);                \
        }                            \
        CF_REAP(cf_other_);          \
    } while (0)

/* Runs the statements as a user without privilege: directly when the caller is not root,
 * otherwise as the other user (CF_AS_OTHER_USER). For rules about what an owner's own mode
 * bits deny, which root's capabilities would override. */
#define CF_AS_UNPRIVILEGED(...)            \
    do {                                   \
        if (geteuid() != 0) {              \
            __VA_ARGS__;                   \
        } else {                           \
            CF_AS_OTHER_USER(__VA_ARGS__); \
        }                                  \
    } while (0)

/* Runs the statements in a helper process moved into new namespaces of `clone_flags`
 * (cf_private_namespaces) and waits for it; what the helper creates there goes with it. */
#define CF_IN_PRIVATE_NAMESPACES(clone_flags, ...) \
    do {                                           \
        pid_t cf_ns_helper_ = CF_FORK();           \
        if (cf_ns_helper_ == 0) {                  \
            cf_private_namespaces(clone_flags);    \
            __VA_ARGS__;                           \
            _exit(0);                              \
        }                                          \
        CF_REAP(cf_ns_helper_);                    \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif
