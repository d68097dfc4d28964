#include "conformance/harness/cf_names.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>

#define NAME(x) \
    case x: return #x

const char *cf_errno_name(int err)
{
    switch (err) {
    case 0:
        return "no error";
        NAME(EPERM);
        NAME(ENOENT);
        NAME(ESRCH);
        NAME(EINTR);
        NAME(EIO);
        NAME(ENXIO);
        NAME(E2BIG);
        NAME(EBADF);
        NAME(ECHILD);
        NAME(EAGAIN);
        NAME(ENOMEM);
        NAME(EACCES);
        NAME(EFAULT);
        NAME(EBUSY);
        NAME(EEXIST);
        NAME(EXDEV);
        NAME(ENODEV);
        NAME(ENOTDIR);
        NAME(EISDIR);
        NAME(EINVAL);
        NAME(ENFILE);
        NAME(EMFILE);
        NAME(ETXTBSY);
        NAME(EFBIG);
        NAME(ENOSPC);
        NAME(ESPIPE);
        NAME(EROFS);
        NAME(EPIPE);
        NAME(ERANGE);
        NAME(ENAMETOOLONG);
        NAME(ENOSYS);
        NAME(EIDRM);
        NAME(EOVERFLOW);
        NAME(EOPNOTSUPP);
        NAME(ETIMEDOUT);
        NAME(ELOOP);
        NAME(EDOM);
        NAME(ENOTTY);
        NAME(EMLINK);
        NAME(ENOTEMPTY);
        NAME(ENOLCK);
        NAME(ENOEXEC);
        NAME(ENOTBLK);
        NAME(ENOTSOCK);
        NAME(ECANCELED);
        NAME(EBADFD);
        NAME(EHWPOISON);
        NAME(EDEADLK);
        NAME(ENOSR);
    default: {
        static _Thread_local char buf[24];
        snprintf(buf, sizeof buf, "errno %d", err);
        return buf;
    }
    }
}

const char *cf_signal_name(int sig)
{
    switch (sig) {
        NAME(SIGHUP);
        NAME(SIGINT);
        NAME(SIGQUIT);
        NAME(SIGILL);
        NAME(SIGTRAP);
        NAME(SIGABRT);
        NAME(SIGBUS);
        NAME(SIGFPE);
        NAME(SIGKILL);
        NAME(SIGUSR1);
        NAME(SIGSEGV);
        NAME(SIGUSR2);
        NAME(SIGPIPE);
        NAME(SIGALRM);
        NAME(SIGTERM);
        NAME(SIGCHLD);
        NAME(SIGXFSZ);
        NAME(SIGSYS);
    default: {
        static _Thread_local char buf[24];
        snprintf(buf, sizeof buf, "signal %d", sig);
        return buf;
    }
    }
}
