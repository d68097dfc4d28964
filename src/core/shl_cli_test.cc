#include "src/core/shl_cli.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

enum { SIZE, REUSE, HELP };

const shl_cli_option kOptions[] = {
    {"--size", nullptr, SIZE, true, "BYTES", "how big\nin bytes"},
    {"--reuse", "--again", REUSE, false, nullptr, "open what exists"},
    {"--help", "-h", HELP, false, nullptr, nullptr},
};

struct Parsed {
    std::vector<shl_cli_kind> kinds;
    std::vector<std::string> values;
};

Parsed Parse(std::vector<std::string> args, bool prefixes = false)
{
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(&a[0]);
    shl_cli cli;
    shl_cli_init(&cli, kOptions, 3, 0, static_cast<int>(argv.size()), argv.data());
    cli.prefixes = prefixes;
    Parsed p;
    shl_cli_item item;
    while (shl_cli_next(&cli, &item) != SHL_CLI_END) {
        p.kinds.push_back(item.kind);
        p.values.push_back(item.value != nullptr ? item.value : item.arg);
    }
    return p;
}

TEST(Cli, ValueSeparateOrAfterEquals)
{
    Parsed p = Parse({"--size", "4K", "--size=1M", "file", "--again", "-h"});
    ASSERT_EQ(p.kinds.size(), 5u);
    EXPECT_EQ(p.kinds[0], SHL_CLI_OPTION);
    EXPECT_EQ(p.values[0], "4K");
    EXPECT_EQ(p.values[1], "1M");
    EXPECT_EQ(p.kinds[2], SHL_CLI_POSITIONAL);
    EXPECT_EQ(p.values[2], "file");
    EXPECT_EQ(p.kinds[3], SHL_CLI_OPTION);
    EXPECT_EQ(p.kinds[4], SHL_CLI_OPTION);
}

TEST(Cli, ClassifiesMistakes)
{
    Parsed p = Parse({"--bogus", "--reuse=1", "-", "--", "--size", "--size"});
    ASSERT_EQ(p.kinds.size(), 5u);
    EXPECT_EQ(p.kinds[0], SHL_CLI_UNKNOWN);
    EXPECT_EQ(p.kinds[1], SHL_CLI_UNEXPECTED_VALUE);
    EXPECT_EQ(p.kinds[2], SHL_CLI_POSITIONAL);
    EXPECT_EQ(p.kinds[3], SHL_CLI_POSITIONAL) << "after --, everything is an argument";
    EXPECT_EQ(p.kinds[4], SHL_CLI_POSITIONAL);
    EXPECT_EQ(p.values[3], "--size");
    EXPECT_EQ(Parse({"--size"}).kinds[0], SHL_CLI_MISSING_VALUE);
    EXPECT_EQ(Parse({"--siz", "1"}).kinds[0], SHL_CLI_UNKNOWN);
}

TEST(Cli, UniquePrefixesOnlyWhenAsked)
{
    Parsed p = Parse({"--siz", "1", "--re"}, true);
    ASSERT_EQ(p.kinds.size(), 2u);
    EXPECT_EQ(p.kinds[0], SHL_CLI_OPTION);
    EXPECT_EQ(p.values[0], "1");
    EXPECT_EQ(p.kinds[1], SHL_CLI_OPTION);
    EXPECT_EQ(Parse({"--"}, true).kinds.size(), 0u);
}

TEST(Cli, HelpFromTheTable)
{
    char buf[256];
    size_t n = shl_cli_help(kOptions, 3, 16, buf, sizeof buf);
    EXPECT_EQ(std::string(buf), "  --size BYTES  how big\n"
                                "                in bytes\n"
                                "  --reuse       open what exists\n");
    EXPECT_EQ(n, std::string(buf).size());
    char small[8];
    EXPECT_EQ(shl_cli_help(kOptions, 3, 16, small, sizeof small), n);
    EXPECT_EQ(std::string(small), "  --siz");
}

std::string Path(const char *path)
{
    shl_error err{};
    char *full = shl_cli_path(path, &err);
    std::string text = full != nullptr ? full : "(null)";
    free(full);
    return text;
}

TEST(Cli, PathsAreTheCallersFolder)
{
    setenv("BUILD_WORKING_DIRECTORY", "/home/me", 1);
    EXPECT_EQ(Path("out/x"), "/home/me/out/x");
    EXPECT_EQ(Path("/abs"), "/abs");
    std::string longer(5000, 'a');
    EXPECT_EQ(Path(longer.c_str()), "/home/me/" + longer) << "no limit of its own";
    unsetenv("BUILD_WORKING_DIRECTORY");
    EXPECT_EQ(Path("rel"), "rel");
}

} // namespace
