// Binds every registered conformance case to a GoogleTest test, so that `bazel test`
// reports each case by name (suite = mechanism) and writes JUnit XML. The case itself runs
// in its own process through the C runner; this file only translates the verdict.
#include <gtest/gtest.h>

#include <string>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_runner.h"

namespace {

class ConformanceCase : public testing::Test {
  public:
    explicit ConformanceCase(const cf_case *c) : case_(c)
    {
    }

    void TestBody() override
    {
        RecordProperty("rule", case_->rule);
        RecordProperty("source", case_->source);
        cf_result result;
        ASSERT_EQ(cf_run(case_, &result), 0) << "the runner could not start the case";
        if (result.info[0] != '\0')
            RecordProperty("platform", result.info);
        switch (result.verdict) {
        case CF_PASS: break;
        case CF_SKIP: GTEST_SKIP() << result.reason;
        case CF_FAIL:
            ADD_FAILURE() << case_->rule << " [" << case_->source << "]\n  " << result.reason;
            break;
        case CF_BROKEN:
            ADD_FAILURE() << "could not check: " << case_->rule << "\n  " << result.reason;
            break;
        }
    }

  private:
    const cf_case *case_;
};

} // namespace

int main(int argc, char **argv)
{
    testing::InitGoogleTest(&argc, argv);
    for (const cf_case *c = cf_cases(); c != nullptr; c = c->next) {
        std::string id = c->id;
        std::string name = id.substr(id.find('.') + 1);
        testing::RegisterTest(c->mechanism, name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [c]() -> testing::Test * { return new ConformanceCase(c); });
    }
    return RUN_ALL_TESTS();
}
