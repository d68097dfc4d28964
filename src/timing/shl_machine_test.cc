#include "src/timing/shl_machine.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace {

// A fake /proc and /sys under a temporary folder, removed when the test ends.
class FakeRoot : public ::testing::Test {
  protected:
    void SetUp() override
    {
        char tmpl[] = "/tmp/shl_machineXXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        root_ = tmpl;
    }
    void TearDown() override
    {
        std::string cmd = "rm -rf '" + root_ + "'";
        ASSERT_EQ(system(cmd.c_str()), 0);
    }
    void Write(const std::string &rel, const std::string &text)
    {
        std::string path = root_ + rel;
        std::string cmd = "mkdir -p \"$(dirname '" + path + "')\"";
        ASSERT_EQ(system(cmd.c_str()), 0);
        FILE *f = fopen(path.c_str(), "w");
        ASSERT_NE(f, nullptr);
        fputs(text.c_str(), f);
        fclose(f);
    }
    void Cpu(int cpu, int core, const char *siblings, const char *governor)
    {
        std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu);
        Write(dir + "/topology/core_id", std::to_string(core) + "\n");
        Write(dir + "/topology/physical_package_id", "0\n");
        Write(dir + "/topology/thread_siblings_list", std::string(siblings) + "\n");
        Write(dir + "/node0/cpulist", "0-3\n");
        if (governor != nullptr)
            Write(dir + "/cpufreq/scaling_governor", std::string(governor) + "\n");
    }
    std::string root_;
};

TEST_F(FakeRoot, ReadsTopologyGovernorTurboAndKernelSettings)
{
    Cpu(0, 0, "0,2", "performance");
    Cpu(2, 0, "0,2", "performance");
    Cpu(1, 1, "1,3", "powersave");
    Write("/sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
    Write("/sys/devices/system/cpu/isolated", "\n");
    Write("/proc/cmdline", "quiet nohz_full=1-3 isolcpus=1-3 ro\n");
    Write("/sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n");
    Write("/proc/loadavg", "0.50 1.25 2.00 1/100 42\n");
    Write("/proc/cpuinfo", "processor : 0\nflags : fpu hypervisor tsc\n");
    Write("/sys/class/dmi/id/sys_vendor", "QEMU\n");

    shl_machine m;
    shl_error err = {};
    ASSERT_EQ(shl_machine_collect(root_.c_str(), 0, 2, &m, &err), 0);
    EXPECT_EQ(m.smt_siblings, 1); // 2 is in cpu0's thread_siblings_list
    EXPECT_EQ(m.a.core, 0);
    EXPECT_EQ(m.b.core, 0);
    EXPECT_EQ(m.a.package, 0);
    EXPECT_EQ(m.a.node, 0);
    EXPECT_STREQ(m.a.governor, "performance");
    EXPECT_EQ(m.turbo, 0);
    EXPECT_STREQ(m.isolcpus, "");     // the sysfs file wins: it says what is in force
    EXPECT_STREQ(m.nohz_full, "1-3"); // no sysfs file: from the command line
    EXPECT_STREQ(m.clocksource, "tsc");
    EXPECT_DOUBLE_EQ(m.loadavg[1], 1.25);
    EXPECT_EQ(m.hypervisor, 1);
    EXPECT_NE(std::string(m.hypervisor_detail).find("cpuinfo hypervisor flag"), std::string::npos);
    EXPECT_NE(std::string(m.hypervisor_detail).find("dmi QEMU"), std::string::npos);

    ASSERT_EQ(shl_machine_collect(root_.c_str(), 0, 1, &m, &err), 0);
    EXPECT_EQ(m.smt_siblings, 0);
    EXPECT_STREQ(m.b.governor, "powersave");
}

TEST_F(FakeRoot, WhatIsNotVisibleStaysUnknown)
{
    Write("/proc/cpuinfo", "processor : 0\nflags : fpu hypervisorx\n");
    Write("/sys/class/dmi/id/sys_vendor", "Dell Inc.\n");
    shl_machine m;
    shl_error err = {};
    ASSERT_EQ(shl_machine_collect(root_.c_str(), 0, 1, &m, &err), 0);
    EXPECT_EQ(m.smt_siblings, -1);
    EXPECT_EQ(m.turbo, -1);
    EXPECT_EQ(m.a.core, -1);
    EXPECT_EQ(m.a.node, -1);
    EXPECT_STREQ(m.a.governor, "");
    EXPECT_EQ(m.loadavg[0], -1);
    EXPECT_EQ(m.hypervisor, 0); // a dmi vendor alone proves nothing
    EXPECT_STREQ(m.clocksource, "");
}

TEST_F(FakeRoot, StealAndBusySharesFromProcStat)
{
    Write("/proc/stat", "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 10 0 5 80 5 0 0 0 0 0\n"
                        "cpu1 90 0 45 720 45 0 0 0 0 0\nintr 1\n");
    shl_cpu_times before, after, cpu1;
    shl_error err = {};
    ASSERT_EQ(shl_cpu_times_read(root_.c_str(), -1, &before, &err), 0);
    EXPECT_EQ(before.busy, 150u);
    EXPECT_EQ(before.idle, 850u);
    ASSERT_EQ(shl_cpu_times_read(root_.c_str(), 1, &cpu1, &err), 0);
    EXPECT_EQ(cpu1.busy, 135u);
    Write("/proc/stat", "cpu  130 0 60 850 50 0 0 10 0 0\n");
    ASSERT_EQ(shl_cpu_times_read(root_.c_str(), -1, &after, &err), 0);
    // 100 ticks passed: 40 busy, 50 idle, 10 stolen.
    EXPECT_DOUBLE_EQ(shl_cpu_times_steal(&before, &after), 0.10);
    EXPECT_DOUBLE_EQ(shl_cpu_times_busy(&before, &after), 0.40);
    EXPECT_TRUE(std::isnan(shl_cpu_times_steal(&after, &after)));
    EXPECT_EQ(shl_cpu_times_read(root_.c_str(), 7, &after, &err), -1);
    EXPECT_EQ(err.errnum, ENOENT);
}

TEST(Machine, ThisMachineIsReadable)
{
    shl_machine m;
    shl_error err = {};
    ASSERT_EQ(shl_machine_collect("", 0, -1, &m, &err), 0);
    EXPECT_GE(m.loadavg[0], 0);
    shl_cpu_times t;
    ASSERT_EQ(shl_cpu_times_read("", -1, &t, &err), 0);
    EXPECT_GT(t.busy + t.idle, 0u);
    long vol = -1, invol = -1;
    ASSERT_EQ(shl_context_switches(&vol, &invol, &err), 0);
    EXPECT_GE(vol, 0);
    EXPECT_GE(invol, 0);
}

TEST(Machine, CpuinfoFlagsAreWholeWords)
{
    EXPECT_TRUE(shl_flag_listed("flags : a constant_tsc b\n", "constant_tsc"));
    EXPECT_TRUE(shl_flag_listed("flags : a constant_tsc\n", "constant_tsc"));
    EXPECT_FALSE(shl_flag_listed("flags : a constant_tscx b\n", "constant_tsc"));
    EXPECT_FALSE(shl_flag_listed("flags : xconstant_tsc\n", "constant_tsc"));
}

TEST(Machine, FloorMoveIsSymmetric)
{
    EXPECT_DOUBLE_EQ(shl_floor_move(100, 150), 0.5);
    EXPECT_DOUBLE_EQ(shl_floor_move(150, 100), 0.5);
    EXPECT_TRUE(std::isnan(shl_floor_move(0, 100)));
}

TEST(Machine, NoiseWarningsNameWhatWasNoisy)
{
    char lines[4][200];
    shl_noise quiet = {0.001, {0.02, 0.03}, {0, 1}, 0, 0};
    EXPECT_EQ(shl_noise_warnings(&quiet, lines, 4), 0u);
    shl_noise noisy = {0.05, {0.5, 0.0}, {0, 1}, 3, 0.8};
    ASSERT_EQ(shl_noise_warnings(&noisy, lines, 4), 3u);
    EXPECT_NE(std::string(lines[0]).find("stole 5.0%"), std::string::npos) << lines[0];
    EXPECT_NE(std::string(lines[1]).find("CPU 0 was 50% busy"), std::string::npos) << lines[1];
    EXPECT_NE(std::string(lines[2]).find("80% within 3 configurations"), std::string::npos)
        << lines[2];
    shl_noise unknown = {NAN, {NAN, NAN}, {0, 1}, 0, 0};
    EXPECT_EQ(shl_noise_warnings(&unknown, lines, 4), 0u);
    EXPECT_EQ(shl_noise_warnings(&noisy, lines, 1), 3u); // counted even when cut
}

} // namespace
