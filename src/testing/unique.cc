#include "src/testing/unique.h"

#include <stdlib.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/core/shl_name.h"

namespace shltest {

std::string UniqueName()
{
    char name[SHL_NAME_LEN];
    if (shl_name_posix(name, sizeof name, nullptr) != 0)
        abort();
    return name;
}

key_t UniqueKey()
{
    key_t key;
    if (shl_name_key(&key, nullptr) != 0)
        abort();
    return key;
}

std::string TempPath()
{
    const char *dir = getenv("TEST_TMPDIR");
    return std::string(dir != nullptr ? dir : "/tmp") + UniqueName();
}

pid_t DeadPid()
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid < 0 || waitpid(pid, nullptr, 0) != pid)
        abort();
    return pid;
}

bool PosixExists(const std::string &name)
{
    return FileExists("/dev/shm" + name);
}

bool SysvExists(key_t key)
{
    return shmget(key, 0, 0) >= 0;
}

bool FileExists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

} // namespace shltest
