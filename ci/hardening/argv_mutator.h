// Random mutations of valid command lines, for bounded fuzz tests of option parsers that
// run as ordinary tests: deterministic for a seed (printed, and SHMLAB_FUZZ_SEED repeats
// one), a fixed number of rounds (SHMLAB_FUZZ_ITERATIONS overrides it).
#ifndef SHMLAB_CI_HARDENING_ARGV_MUTATOR_H
#define SHMLAB_CI_HARDENING_ARGV_MUTATOR_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace hardening {

using Argv = std::vector<std::string>;

class ArgvMutator {
  public:
    // `valid`: command lines the parser accepts (without argv[0]); `words`: tokens worth
    // splicing in (option names, list elements, numbers at the edges of ranges).
    ArgvMutator(std::vector<Argv> valid, std::vector<std::string> words, uint32_t seed);

    // A valid command line with one to four mutations.
    Argv Next();

  private:
    std::string MutateBytes(std::string s);
    std::vector<Argv> valid_;
    std::vector<std::string> words_;
    std::mt19937 rng_;
};

// The seed from SHMLAB_FUZZ_SEED, else a fixed one; printed either way.
uint32_t SeedFromEnv(uint32_t fixed);

// The iteration count from SHMLAB_FUZZ_ITERATIONS, else `fixed`.
long IterationsFromEnv(long fixed);

// The command line as a shell would show it, for a failure message.
std::string Show(const Argv &argv);

} // namespace hardening

#endif
