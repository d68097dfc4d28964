#include "src/testing/private_ipc.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>

namespace shltest {
namespace {

std::string failure = "not set up yet";

// Set up before any test and before any thread exists (unshare needs a single thread).
class PrivateIpc : public ::testing::Environment {
  public:
    void SetUp() override
    {
        failure.clear();
        if (unshare(CLONE_NEWNS | CLONE_NEWIPC) != 0)
            failure = std::string("unshare: ") + strerror(errno);
        else if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
                 mount("shmlab-test", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
                       "size=1m,mode=1777") != 0)
            failure = std::string("mount: ") + strerror(errno);
    }
};

const auto *env = ::testing::AddGlobalTestEnvironment(new PrivateIpc);

} // namespace

const std::string &IsolationFailure()
{
    return failure;
}

} // namespace shltest
