// The tutorial's programs and shmlab, writer and reader in both directions, per mechanism.
// The tutorial's programs hard-code key 1234 and "/xyz", so these tests run in a private
// IPC namespace with a private /dev/shm (as root): nobody else's objects under those
// identifiers can be touched, and whatever a failed test leaves dies with the namespace.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/shm.h>
#include <unistd.h>

#include <string>

#include "src/testing/private_ipc.h"
#include "src/testing/run.h"
#include "src/testing/unique.h"

namespace {

using shltest::Exec;
using shltest::Runfile;

class Interop : public ::testing::Test {
  protected:
    void SetUp() override
    {
        SHLTEST_REQUIRE_PRIVATE_IPC();
        shmlab_ = Runfile("src/shmlab");
        file_ = shltest::TempPath();
    }
    void TearDown() override
    {
        unlink(file_.c_str());
    }
    static std::string Tutorial(const std::string &prog)
    {
        return Runfile("src/tutorial_" + prog);
    }
    std::string shmlab_, file_;
};

constexpr char kFiveRecords[] = "name = a, age = 20\nname = b, age = 21\nname = c, age = 22\n"
                                "name = d, age = 23\nname = e, age = 24\n";

TEST_F(Interop, MmapTutorialWriterShmlabReader)
{
    auto w = Exec({Tutorial("mmap_write"), file_});
    ASSERT_EQ(0, w.status) << w.err;
    EXPECT_EQ("initialize over\r\nexit\r\n", w.out);
    auto r = Exec({shmlab_, "read", "mmap", file_});
    ASSERT_EQ(0, r.status) << r.err;
    EXPECT_EQ(kFiveRecords, r.out);
}

TEST_F(Interop, MmapShmlabWriterTutorialReader)
{
    auto w = Exec({shmlab_, "write", "mmap", file_});
    ASSERT_EQ(0, w.status) << w.err;
    auto r = Exec({Tutorial("mmap_read"), file_});
    ASSERT_EQ(0, r.status) << r.err;
    EXPECT_EQ("name = a, age = 20\r\nname = b, age = 21\r\nname = c, age = 22\r\n"
              "name = d, age = 23\r\nname = e, age = 24\r\nexit\r\n",
              r.out);
}

TEST_F(Interop, SysvTutorialWriterShmlabReader)
{
    auto w = Exec({Tutorial("sysv_write")});
    ASSERT_EQ(0, w.status) << w.err;
    auto r = Exec({shmlab_, "read", "sysv", "--remove"});
    ASSERT_EQ(0, r.status) << r.err;
    EXPECT_EQ("name:barr, age:20\n", r.out);
    EXPECT_FALSE(shltest::SysvExists(1234));
}

TEST_F(Interop, SysvShmlabWriterTutorialReader)
{
    auto w = Exec({shmlab_, "write", "sysv"});
    ASSERT_EQ(0, w.status) << w.err;
    auto r = Exec({Tutorial("sysv_read")});
    ASSERT_EQ(0, r.status) << r.err;
    // The tutorial's reader prints the 4-byte name with %s, which runs on into `age`
    // (20 = '\x14', then a 0 byte): its own bug, which shmlab's reader does not have.
    EXPECT_EQ(std::string("name:barr\x14, age:20"), r.out);
    EXPECT_FALSE(shltest::SysvExists(1234)); // the tutorial's reader removes the segment
}

// The tutorial's POSIX writer unlinks "/xyz" before it exits, so no reader, shmlab's or
// anyone's, can ever open what it wrote: shmlab says so (exit 1, no such object).
TEST_F(Interop, PosixTutorialWriterLeavesNothingToRead)
{
    auto w = Exec({Tutorial("posix_write")});
    ASSERT_EQ(0, w.status) << w.err;
    EXPECT_EQ(0u, w.out.find("size=36, mode="));
    auto r = Exec({shmlab_, "read", "posix"});
    EXPECT_EQ(1, r.status);
    EXPECT_NE(std::string::npos, r.err.find("shm_open(/xyz): No such file or directory"));
    EXPECT_EQ(1, shltest::Lines(r.err));
}

// With its shm_unlink interposed to do nothing, the tutorial's writer leaves its object,
// and shmlab's reader reads the tutorial's layout from it.
TEST_F(Interop, PosixTutorialWriterShmlabReaderWithUnlinkSuppressed)
{
    auto w = Exec({Tutorial("posix_write")},
                  {"LD_PRELOAD=" + Runfile("src/no_shm_unlink.so"),
                   // An ASan-built writer insists on its runtime being first to load.
                   "ASAN_OPTIONS=verify_asan_link_order=0"});
    ASSERT_EQ(0, w.status) << w.err;
    auto r = Exec({shmlab_, "read", "posix", "--unlink"});
    ASSERT_EQ(0, r.status) << r.err;
    EXPECT_EQ("name:test, age:29\n", r.out);
    EXPECT_FALSE(shltest::PosixExists("/xyz"));
}

// The tutorial has no POSIX reader; this one is written in its style (testdata says so).
TEST_F(Interop, PosixShmlabWriterTutorialStyleReader)
{
    auto w = Exec({shmlab_, "write", "posix"});
    ASSERT_EQ(0, w.status) << w.err;
    auto r = Exec({Runfile("src/posix_read_tutorial_style")});
    ASSERT_EQ(0, r.status) << r.err;
    EXPECT_EQ("name:test, age:29\n", r.out);
    ASSERT_EQ(0, Exec({shmlab_, "remove", "posix"}).status);
    EXPECT_FALSE(shltest::PosixExists("/xyz"));
}

// shmlab refuses the tutorial's world-writable leftovers unless told to reuse them.
TEST_F(Interop, ShmlabRefusesExistingTutorialObjectsWithoutReuse)
{
    ASSERT_EQ(0, Exec({Tutorial("sysv_write")}).status);
    auto w = Exec({shmlab_, "write", "sysv"});
    EXPECT_EQ(1, w.status);
    EXPECT_NE(std::string::npos, w.err.find("already exists (pass --reuse"));
    EXPECT_EQ(0, Exec({shmlab_, "write", "sysv", "--reuse"}).status);
    EXPECT_EQ(0, Exec({shmlab_, "remove", "sysv"}).status);
}

} // namespace
