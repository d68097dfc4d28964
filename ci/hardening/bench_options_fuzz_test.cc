// The benchmark driver's option parser fed mutations of valid command lines (a bounded,
// deterministic fuzz run as an ordinary test; ASan and UBSan catch what a wrong length or
// number does): every result is either a one-line message or options within their ranges.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ci/hardening/argv_mutator.h"

extern "C" {
#include "bench/bench_options.h"
}

namespace {

// Why a successful parse is wrong, or "" when it is within every range the usage states.
std::string Invalid(const bench_options &o)
{
    if (o.n_sizes > BENCH_MAX_SIZES || o.n_transports > BENCH_MAX_TRANSPORTS)
        return "too many sizes or transports";
    for (size_t i = 0; i < o.n_sizes; i++)
        if (o.sizes[i] < BENCH_MIN_SIZE || o.sizes[i] > BENCH_MAX_SIZE || o.sizes[i] % 8 != 0)
            return "size " + std::to_string(o.sizes[i]) + " out of range";
    for (size_t i = 0; i < o.n_transports; i++)
        if (o.transports[i][0] == '\0' || strlen(o.transports[i]) >= BENCH_NAME_LEN)
            return "transport name empty or too long";
    bool pinned = o.cpu_a >= 0 || o.cpu_b >= 0;
    if (pinned &&
        (o.cpu_a < 0 || o.cpu_b < 0 || o.cpu_a > 1023 || o.cpu_b > 1023 || o.cpu_a == o.cpu_b))
        return "cpus " + std::to_string(o.cpu_a) + "," + std::to_string(o.cpu_b);
    if (o.timeout_ms < 100 || o.timeout_ms > 600000)
        return "timeout " + std::to_string(o.timeout_ms);
    if (o.benchmarks == 0 || (o.benchmarks & ~(unsigned)BENCH_ALL) != 0)
        return "benchmarks bits";
    if (o.out_dir != nullptr && o.out_dir[0] == '\0')
        return "empty --out";
    return "";
}

} // namespace

int main()
{
    uint32_t seed = hardening::SeedFromEnv(0x5eed0001);
    long iterations = hardening::IterationsFromEnv(100000);
    hardening::ArgvMutator mutator(
        {
            {"--quick", "--sizes", "8,64,4K,1M", "--cpus", "0,1"},
            {"--full", "--transports", "pipe,posix,sysv", "--benchmarks", "latency,floor"},
            {"--sizes=64M", "--timeout-ms", "600000", "--out", "x", "--no-plots"},
            {"--benchmarks=setup,crosscheck,wakeup,throughput", "--timeout-ms=100"},
            {"--help"},
            {},
        },
        {"--quick",
         "--full",
         "--sizes",
         "--cpus",
         "--out",
         "--transports",
         "--benchmarks",
         "--timeout-ms",
         "--no-plots",
         "--help",
         "-h",
         "=",
         ",",
         "8",
         "64M",
         "65536K",
         "67108872",
         "1023",
         "1024",
         "-1",
         "0",
         "99",
         "600001",
         "18446744073709551615",
         "latency",
         "unix-stream",
         "a-name-of-exactly-24-chars",
         ""},
        seed);
    int accepted = 0;
    for (long it = 0; it < iterations; it++) {
        hardening::Argv args = mutator.Next();
        std::vector<char *> argv = {const_cast<char *>("bench")};
        for (std::string &a : args)
            argv.push_back(&a[0]);
        argv.push_back(nullptr);
        bench_options opts;
        char msg[256];
        memset(msg, 0x55, sizeof msg); // a message must be written, terminated, one line
        int rc = bench_options_parse((int)argv.size() - 1, argv.data(), &opts, msg, sizeof msg);
        std::string why;
        if (rc == 0) {
            why = Invalid(opts);
            accepted++;
        } else if (rc != -1) {
            why = "returned " + std::to_string(rc);
        } else if (memchr(msg, '\0', sizeof msg) == nullptr || msg[0] == '\0' ||
                   strchr(msg, '\n') != nullptr) {
            why = "no one-line message";
        }
        if (!why.empty()) {
            printf("FAIL after %ld rounds: bench%s: %s\n", it, hardening::Show(args).c_str(),
                   why.c_str());
            return 1;
        }
    }
    printf("%ld mutated command lines, %d accepted, every one within range\n", iterations,
           accepted);
    // Mutations that never reach a valid parse prove nothing about the accepting paths.
    return accepted > 0 && accepted < iterations ? 0 : 1;
}
