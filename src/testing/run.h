// Test support: run a program (the real shmlab binary, the tutorial's programs) as a
// separate process and collect what it printed and how it ended.
#ifndef SHMLAB_TESTING_RUN_H
#define SHMLAB_TESTING_RUN_H

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace shltest {

struct Result {
    int status = -1; // exit status, or -1 when killed by a signal
    int signal = 0;  // the signal that ended it, or 0
    bool timed_out = false;
    int pid = 0; // the child's process id, to look for objects it left
    std::string out, err;
};

// The path of a program built by Bazel and listed in the test's `data`, e.g. "src/shmlab".
std::string Runfile(const std::string &path);

// Runs argv[0] with argv, no stdin, and `env` ("NAME=value") added to the environment;
// kills it after `timeout_s` seconds.
Result Exec(const std::vector<std::string> &argv, const std::vector<std::string> &env = {},
            int timeout_s = 20);

// Forks a child that runs `setup` and then waits for signals forever; returns its pid once
// setup succeeded, or -1 (the child gone) if it failed. For tests of what a signal does.
pid_t ForkReady(const std::function<bool()> &setup);

// Starts argv and returns its pid once it has printed something on stdout (e.g. shmlab
// write --hold's "wrote ..." line, printed once the object exists); -1 if it never does.
pid_t StartUntilOutput(const std::vector<std::string> &argv);

// Runs `body` in a child whose RLIMIT_FSIZE is `limit` bytes (SIGXFSZ ignored), so that a
// test of an oversized object gets EFBIG from ftruncate/fallocate instead of filling RAM
// on an unbounded tmpfs or memfd. True when body returned true.
bool WithFileSizeLimit(off_t limit, const std::function<bool()> &body);

// The number of lines in s (a final line without '\n' counts).
int Lines(const std::string &s);

} // namespace shltest

#endif
