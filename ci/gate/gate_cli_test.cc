// The gate as CI uses it: files in, a table and an exit status out. Each run goes through
// shl_gate_cli() in-process, on the fixture (ci/gate/testdata, in the schema of bench/RESULTS.md) or on a copy
// of it changed the way a regression would change a real run.
#include "ci/gate/shl_gate_cli.h"

#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace {

const char kResults[] = "ci/gate/testdata/results.json";
const char kBaseline[] = "ci/gate/testdata/baseline.json";

std::string ReadAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string Capture(FILE *file)
{
    std::string text;
    rewind(file);
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, file)) > 0)
        text.append(buf, got);
    fclose(file);
    return text;
}

size_t Lines(const std::string &text)
{
    size_t count = 0;
    for (char c : text)
        count += c == '\n';
    return count;
}

struct GateRun {
    int status;
    std::string out;
    std::string err;
};

GateRun Gate(std::vector<std::string> args)
{
    args.insert(args.begin(), "gate");
    std::vector<char *> argv;
    for (auto &arg : args)
        argv.push_back(&arg[0]);
    argv.push_back(nullptr);
    FILE *out = tmpfile(), *err = tmpfile();
    EXPECT_NE(out, nullptr);
    EXPECT_NE(err, nullptr);
    int status = shl_gate_cli(static_cast<int>(args.size()), argv.data(), out, err);
    return {status, Capture(out), Capture(err)};
}

class GateCli : public ::testing::Test {
  protected:
    void SetUp() override
    {
        const char *tmp = getenv("TEST_TMPDIR");
        dir_ = std::string(tmp != nullptr ? tmp : "/tmp") + "/gate_cli_test." +
               std::to_string(getpid()) + "." +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
        ASSERT_EQ(mkdir(dir_.c_str(), 0700), 0) << dir_;
    }
    void TearDown() override
    {
        for (const auto &path : made_)
            unlink(path.c_str());
        rmdir(dir_.c_str());
    }

    std::string Write(const std::string &name, const std::string &text)
    {
        std::string path = dir_ + "/" + name;
        std::ofstream(path, std::ios::binary) << text;
        made_.push_back(path);
        return path;
    }

    // The fixture with `change` applied to each row; rows for which it returns false are
    // dropped.
    std::string Transformed(const std::string &name, const std::function<bool(cJSON *)> &change)
    {
        std::string text = ReadAll(kResults);
        cJSON *root = cJSON_Parse(text.c_str());
        EXPECT_NE(root, nullptr);
        cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "results");
        for (cJSON *row = rows->child; row != nullptr;) {
            cJSON *next = row->next;
            if (!change(row))
                cJSON_Delete(cJSON_DetachItemViaPointer(rows, row));
            row = next;
        }
        char *printed = cJSON_Print(root);
        std::string path = Write(name, printed);
        cJSON_free(printed);
        cJSON_Delete(root);
        return path;
    }

    std::string dir_;
    std::vector<std::string> made_;
};

std::string Field(const cJSON *row, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(row, key);
    return cJSON_IsString(item) ? item->valuestring : "";
}

bool IsShm(const cJSON *row)
{
    std::string transport = Field(row, "transport");
    return transport == "mmap" || transport == "sysv" || transport == "posix";
}

// Multiplies every statistic of a row that is a time, divides every rate: `factor` slower.
// The driver's ratio of a shared-memory row to the floor or memcpy moves with its p50.
void Slow(cJSON *row, double factor)
{
    bool bandwidth = Field(row, "unit") == "MB/s";
    for (const char *stat :
         {"min", "p50", "p90", "p99", "p999", "max", "mean", "stddev", "ratio"}) {
        cJSON *item = cJSON_GetObjectItemCaseSensitive(row, stat);
        if (cJSON_IsNumber(item))
            cJSON_SetNumberValue(item, bandwidth ? item->valuedouble / factor
                                                 : item->valuedouble * factor);
    }
}

TEST_F(GateCli, UnchangedRunPasses)
{
    GateRun run = Gate({"--baseline", kBaseline, "--results", kResults});
    EXPECT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("gate: PASS"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("FAIL "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("latency posix/spin 64 B p50 / pipe"), std::string::npos) << run.out;
    EXPECT_EQ(run.err, "");
}

TEST_F(GateCli, SharedMemoryThreeTimesSlowerFails)
{
    std::string slow = Transformed("slow.json", [](cJSON *row) {
        if (IsShm(row) && Field(row, "benchmark") != "setup")
            Slow(row, 3.0);
        return true;
    });
    GateRun run = Gate({"--baseline", kBaseline, "--results", slow});
    EXPECT_EQ(run.status, 1) << run.out;
    EXPECT_NE(run.out.find("gate: FAIL"), std::string::npos) << run.out;
    for (const char *figure :
         {"latency mmap/spin 64 B p50 / pipe", "latency sysv/futex 4 KiB p50 / pipe",
          "latency posix/futex 64 B p50 / pipe"})
        EXPECT_NE(run.out.find(std::string("  FAIL    ") + figure), std::string::npos)
            << figure << "\n"
            << run.out;
    // Too few samples in quick mode to fail on, but shown.
    EXPECT_NE(run.out.find("  WARN    throughput posix/spin 1 MiB ratio to memcpy"),
              std::string::npos)
        << run.out;
}

TEST_F(GateCli, KernelTransportSlowerFailsItsOwnRatio)
{
    std::string slow = Transformed("tcp.json", [](cJSON *row) {
        if (Field(row, "transport") == "tcp")
            Slow(row, 3.0);
        return true;
    });
    GateRun run = Gate({"--baseline", kBaseline, "--results", slow});
    EXPECT_EQ(run.status, 1) << run.out;
    EXPECT_NE(run.out.find("FAIL    latency tcp 64 B p50 / pipe"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("FAIL    latency mmap"), std::string::npos) << run.out;
}

TEST_F(GateCli, NoiseWithinToleranceStillPasses)
{
    // Everything 40% slower and shared memory a further 1.5x: ratios move, within 2.5x.
    std::string noisy = Transformed("noisy.json", [](cJSON *row) {
        Slow(row, 1.4);
        if (IsShm(row))
            Slow(row, 1.5);
        return true;
    });
    GateRun run = Gate({"--baseline", kBaseline, "--results", noisy});
    EXPECT_EQ(run.status, 0) << run.out;
}

TEST_F(GateCli, OneDisturbedRunOfTwoIsOutvoted)
{
    std::string slow = Transformed("slow.json", [](cJSON *row) {
        if (IsShm(row))
            Slow(row, 3.0);
        return true;
    });
    GateRun run = Gate({"--baseline", kBaseline, "--results", slow, "--results", kResults});
    EXPECT_EQ(run.status, 0) << run.out;
    EXPECT_NE(run.out.find("run 2: "), std::string::npos) << run.out;
    run = Gate({"--baseline", kBaseline, "--results", slow, "--results", slow});
    EXPECT_EQ(run.status, 1) << run.out;
}

TEST_F(GateCli, MissingMechanismFailsAndIsNamed)
{
    std::string partial = Transformed("nosysv.json",
                                      [](cJSON *row) { return Field(row, "transport") != "sysv"; });
    GateRun run = Gate({"--baseline", kBaseline, "--results", partial});
    EXPECT_EQ(run.status, 1) << run.out;
    EXPECT_NE(run.out.find("MISSING latency sysv/spin 64 B p50 / pipe: missing: no latency rows "
                           "for transport sysv"),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("gate: FAIL"), std::string::npos) << run.out;
}

TEST_F(GateCli, MissingSizeAndMetricAreNamed)
{
    std::string partial = Transformed("holes.json", [](cJSON *row) {
        if (Field(row, "transport") == "fifo" && Field(row, "benchmark") == "latency")
            cJSON_DeleteItemFromObjectCaseSensitive(row, "p50");
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(row, "size");
        return !(Field(row, "transport") == "pipe" && Field(row, "benchmark") == "latency" &&
                 size->valuedouble == 4096);
    });
    GateRun run = Gate({"--baseline", kBaseline, "--results", partial});
    EXPECT_EQ(run.status, 1) << run.out;
    EXPECT_NE(run.out.find("no latency row for pipe at size 4 KiB"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("metric 'p50' missing in latency fifo 64 B p50"), std::string::npos)
        << run.out;
}

TEST_F(GateCli, MalformedResultsExitTwoWithOneLine)
{
    std::string text = ReadAll(kResults);
    std::string broken = Write("broken.json", text.substr(0, text.size() / 2));
    GateRun run = Gate({"--baseline", kBaseline, "--results", broken});
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(Lines(run.err), 1u) << run.err;
    EXPECT_NE(run.err.find("not JSON"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(broken), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
}

TEST_F(GateCli, MalformedInputsExitTwo)
{
    const char *bad_results[] = {
        "",
        "[]",
        "{\"context\": {}}",
        "{\"results\": [{\"benchmark\": \"latency\"}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"p50\": \"fast\"}]}",
        "{\"results\": [{\"benchmark\": \"latency\", \"transport\": \"pipe\", \"size\": -1}]}",
        "{\"results\": [7]}",
    };
    for (const char *text : bad_results) {
        GateRun run = Gate({"--baseline", kBaseline, "--results", Write("bad.json", text)});
        EXPECT_EQ(run.status, 2) << text;
        EXPECT_EQ(Lines(run.err), 1u) << text << ": " << run.err;
    }
    const char *bad_baselines[] = {
        "{",
        "{\"format\": \"something-else\", \"ratios\": []}",
        "{\"format\": \"shmlab-gate-baseline/1\", \"ratios\": []}",
        "{\"format\": \"shmlab-gate-baseline/1\", \"ratios\": [{\"of\": 1}]}",
    };
    for (const char *text : bad_baselines) {
        GateRun run = Gate({"--baseline", Write("badbase.json", text), "--results", kResults});
        EXPECT_EQ(run.status, 2) << text;
        EXPECT_EQ(Lines(run.err), 1u) << text << ": " << run.err;
    }
}

TEST_F(GateCli, UnreadableFilesExitTwo)
{
    GateRun run = Gate({"--baseline", kBaseline, "--results", dir_ + "/absent.json"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("cannot read results"), std::string::npos) << run.err;
    run = Gate({"--baseline", dir_ + "/absent.json", "--results", kResults});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("cannot read baseline"), std::string::npos) << run.err;
    run = Gate({"--baseline", kBaseline, "--results", dir_});
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(Lines(run.err), 1u) << run.err;
    EXPECT_NE(run.err.find("not a regular file"), std::string::npos) << run.err;
    // A FIFO nobody writes to is refused at once, not waited on.
    std::string fifo = dir_ + "/fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    made_.push_back(fifo);
    run = Gate({"--baseline", kBaseline, "--results", fifo});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("not a regular file"), std::string::npos) << run.err;
    run = Gate({"--baseline", kBaseline, "--results", "/dev/zero"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("not a regular file"), std::string::npos) << run.err;
}

TEST_F(GateCli, BadOptionsExitTwoWithOneLine)
{
    const std::vector<std::vector<std::string>> bad = {
        {},
        {"--bogus"},
        {"--baseline"},
        {"--results", kResults},
        {"--baseline", kBaseline},
        {"--baseline", "", "--results", kResults},
        {"--baseline", kBaseline, "--results", kResults, "extra"},
        {"--baseline", kBaseline, "--results", kResults, "--tolerance", "2"},
        {"--update-baseline", "--baseline", kBaseline, "--results", kResults, "--tolerance", "0.5"},
        {"--update-baseline", "--baseline", kBaseline, "--results", kResults, "--tolerance", "x"},
        {"--update-baseline", "--baseline", kBaseline, "--results", kResults, "--tolerance=inf"},
        {"--update-baseline", "--baseline", kBaseline, "--results", kResults, "--tolerance"},
        {"--baselines", kBaseline, "--results", kResults},
    };
    for (const auto &args : bad) {
        GateRun run = Gate(args);
        std::string shown;
        for (const auto &arg : args)
            shown += arg + " ";
        EXPECT_EQ(run.status, 2) << shown;
        EXPECT_EQ(Lines(run.err), 1u) << shown << ": " << run.err;
        EXPECT_EQ(run.err.rfind("gate: ", 0), 0u) << run.err;
        EXPECT_EQ(run.out, "") << shown;
    }
}

TEST_F(GateCli, HelpPrintsUsage)
{
    GateRun run = Gate({"--help"});
    EXPECT_EQ(run.status, 0);
    EXPECT_NE(run.out.find("usage: gate"), std::string::npos);
}

TEST_F(GateCli, UpdateBaselineWritesOneThatPasses)
{
    std::string made = dir_ + "/made.json";
    made_.push_back(made);
    GateRun run = Gate({"--update-baseline", "--baseline", made, "--results", kResults});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.out.find("0 kept"), std::string::npos) << run.out;
    EXPECT_TRUE(ReadAll(made) == ReadAll(kBaseline))
        << "ci/gate/testdata/baseline.json is stale: remake it with --update-baseline";
    run = Gate({"--baseline", made, "--results", kResults});
    EXPECT_EQ(run.status, 0) << run.out;
}

TEST_F(GateCli, UpdateBaselineKeepsOrSetsTolerances)
{
    std::string text = ReadAll(kBaseline);
    const std::string from = "\"tolerance\":2.5", to = "\"tolerance\":7";
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, from.size(), to);
    std::string edited = Write("edited.json", text);

    GateRun run = Gate({"--update-baseline", "--baseline", edited, "--results", kResults});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(ReadAll(edited).find(to), std::string::npos) << "the edited tolerance was lost";

    run = Gate(
        {"--update-baseline", "--baseline", edited, "--results", kResults, "--tolerance", "1.75"});
    ASSERT_EQ(run.status, 0) << run.err;
    std::string updated = ReadAll(edited);
    EXPECT_EQ(updated.find(to), std::string::npos);
    EXPECT_EQ(updated.find(from), std::string::npos);
    EXPECT_NE(updated.find("\"tolerance\":1.75"), std::string::npos);
}

TEST_F(GateCli, UpdateBaselineRefusesABrokenRun)
{
    std::string broken = Transformed("broken-run.json", [](cJSON *row) {
        if (IsShm(row))
            Slow(row, 100.0);
        return true;
    });
    std::string baseline = Write("keep.json", ReadAll(kBaseline));
    GateRun run = Gate({"--update-baseline", "--baseline", baseline, "--results", broken});
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("hard invariant"), std::string::npos) << run.err;
    EXPECT_EQ(ReadAll(baseline), ReadAll(kBaseline));
}

} // namespace
