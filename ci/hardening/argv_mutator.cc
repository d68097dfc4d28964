#include "ci/hardening/argv_mutator.h"

#include <cstdio>
#include <cstdlib>

namespace hardening {

ArgvMutator::ArgvMutator(std::vector<Argv> valid, std::vector<std::string> words, uint32_t seed)
    : valid_(std::move(valid)), words_(std::move(words)), rng_(seed)
{
}

std::string ArgvMutator::MutateBytes(std::string s)
{
    static const char alphabet[] = ",=-0123456789KMkmx.:/ \t\xff";
    size_t at = s.empty() ? 0 : rng_() % (s.size() + 1);
    switch (rng_() % 5) {
    case 0:
        if (!s.empty())
            s[at % s.size()] = alphabet[rng_() % (sizeof alphabet - 1)];
        break;
    case 1: s.insert(at, 1, alphabet[rng_() % (sizeof alphabet - 1)]); break;
    case 2:
        if (at < s.size())
            s.erase(at, 1);
        break;
    case 3: s.insert(at, words_[rng_() % words_.size()]); break;
    default:
        // Long values: lists and names near and past every fixed buffer.
        s += "," + std::string(rng_() % 700, "8xK,"[rng_() % 4]);
    }
    return s;
}

Argv ArgvMutator::Next()
{
    Argv a = valid_[rng_() % valid_.size()];
    for (int m = 1 + (int)(rng_() % 4); m > 0; m--) {
        size_t at = a.empty() ? 0 : rng_() % a.size();
        switch (rng_() % 6) {
        case 0:
            if (!a.empty())
                a.erase(a.begin() + (long)at);
            break;
        case 1:
            if (!a.empty())
                a.push_back(a[at]);
            break;
        case 2:
            a.insert(a.begin() + (long)(a.empty() ? 0 : at), words_[rng_() % words_.size()]);
            break;
        case 3:
            if (a.size() >= 2)
                std::swap(a[at], a[rng_() % a.size()]);
            break;
        case 4:
            if (at + 1 < a.size()) { // "--opt VALUE" as "--opt=VALUE"
                a[at] += "=" + a[at + 1];
                a.erase(a.begin() + (long)at + 1);
            }
            break;
        default:
            if (!a.empty())
                a[at] = MutateBytes(a[at]);
        }
    }
    return a;
}

uint32_t SeedFromEnv(uint32_t fixed)
{
    const char *env = getenv("SHMLAB_FUZZ_SEED");
    uint32_t seed = env != nullptr ? (uint32_t)strtoul(env, nullptr, 0) : fixed;
    printf("seed %u (SHMLAB_FUZZ_SEED=%u repeats this run)\n", seed, seed);
    return seed;
}

long IterationsFromEnv(long fixed)
{
    const char *env = getenv("SHMLAB_FUZZ_ITERATIONS");
    return env != nullptr ? atol(env) : fixed;
}

std::string Show(const Argv &argv)
{
    std::string out;
    for (const std::string &a : argv)
        out += " '" + a + "'";
    return out;
}

} // namespace hardening
