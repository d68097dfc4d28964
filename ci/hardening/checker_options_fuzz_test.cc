// The conformance checker's command line fed mutations of valid ones, each run as the real
// program (its parser lives in its main): every run ends by itself with 0, or with 1 or 2
// and one line on stderr, never a signal. `--list` stays in every command line, so that no
// case is run; --output values are kept inside the test's folder.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "ci/hardening/argv_mutator.h"
#include "src/testing/run.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: checker_options_fuzz_test CHECKER\n");
        return 2;
    }
    std::string checker = argv[1];
    if (checker[0] != '/') {
        char *cwd = getcwd(nullptr, 0);
        checker = std::string(cwd != nullptr ? cwd : ".") + "/" + checker;
        free(cwd);
    }
    const char *dir = getenv("TEST_TMPDIR");
    if (dir == nullptr || chdir(dir) != 0) {
        fprintf(stderr, "checker_options_fuzz_test: needs TEST_TMPDIR (run it with bazel test)\n");
        return 2;
    }
    uint32_t seed = hardening::SeedFromEnv(0x5eed0002);
    long iterations = hardening::IterationsFromEnv(300);
    hardening::ArgvMutator mutator(
        {
            {"--filter", "posix.open_*,sysv.shmat_*", "--format", "json"},
            {"--filter=mmap.*", "--filter", "sysv.*", "--format=markdown", "--output", "r.md"},
            {"--format", "text", "--output=out.txt"},
            {"--help"},
        },
        {"--filter", "--format", "--output", "--list", "--help", "json", "junit", "text",
         "markdown", "*", "[", "[!", "\\", "posix.*", ",", "=", ""},
        seed);
    int counts[3] = {0, 0, 0};
    for (long it = 0; it < iterations; it++) {
        hardening::Argv args = mutator.Next();
        // The report must stay in this folder: no absolute or parent paths for --output.
        for (std::string &a : args)
            for (char &c : a)
                if (c == '/')
                    c = '_';
        args.insert(args.begin(), "--list");
        args.insert(args.begin(), checker);
        shltest::Result r = shltest::Exec(args, {}, 10);
        std::string why;
        if (r.timed_out)
            why = "no end within 10 s";
        else if (r.signal != 0)
            why = "killed by signal " + std::to_string(r.signal);
        else if (r.status < 0 || r.status > 2)
            why = "exit status " + std::to_string(r.status);
        else if (r.status != 0 && shltest::Lines(r.err) != 1)
            why = std::to_string(shltest::Lines(r.err)) + " lines on stderr";
        if (!why.empty()) {
            printf("FAIL after %ld runs: checker%s: %s\n%s", it,
                   hardening::Show(args).c_str() + checker.size() + 3, why.c_str(), r.err.c_str());
            return 1;
        }
        counts[r.status]++;
    }
    printf("%ld mutated command lines: %d exit 0, %d exit 1, %d exit 2\n", iterations, counts[0],
           counts[1], counts[2]);
    return counts[0] > 0 && counts[2] > 0 ? 0 : 1;
}
