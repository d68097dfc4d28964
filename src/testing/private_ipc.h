// Test support: run a test binary in its own IPC namespace with its own /dev/shm (a small
// tmpfs), so that it can use the tutorial's fixed identifiers or run `shmlab clean`
// without ever touching an object of another test on the machine. Needs root; when it
// cannot be had, IsolationFailure() says why and the tests skip.
#ifndef SHMLAB_TESTING_PRIVATE_IPC_H
#define SHMLAB_TESTING_PRIVATE_IPC_H

#include <string>

namespace shltest {

// Empty when the namespace is in place; otherwise the reason it is not.
const std::string &IsolationFailure();

} // namespace shltest

#define SHLTEST_REQUIRE_PRIVATE_IPC()                                          \
    do {                                                                       \
        if (!shltest::IsolationFailure().empty())                              \
            GTEST_SKIP() << "needs a private IPC and mount namespace (root): " \
                         << shltest::IsolationFailure();                       \
    } while (0)

#endif
