// Test support: names, keys and paths no other test on the machine can be using, and
// checks that an object is gone. Other engineers run tests here at the same time, so a
// test only ever removes what it made under one of these.
#ifndef SHMLAB_TESTING_UNIQUE_H
#define SHMLAB_TESTING_UNIQUE_H

#include <sys/types.h>

#include <string>

namespace shltest {

std::string UniqueName(); // "/shmlab-<pid>-<hex>"
key_t UniqueKey();        // a tagged random key
std::string TempPath();   // $TEST_TMPDIR/shmlab-<pid>-<hex>, not created
pid_t DeadPid();          // the pid of a child that has exited and been reaped

bool PosixExists(const std::string &name);
bool SysvExists(key_t key);
bool FileExists(const std::string &path);

} // namespace shltest

#endif
