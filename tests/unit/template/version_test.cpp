// Ansible's version comparison: the `version` test (and filter form).
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("version: loose comparison by default", "[template][version]") {
  CHECK(eval("kube_version is version('1.27', '>=')") == Value(true));
  CHECK(eval("'1.27.3' is version('1.27.3', 'eq')") == Value(true));
  CHECK(eval("'1.27.3' is version('1.27.3')") == Value(true));  // eq by default
  CHECK(eval("'1.9' is version('1.10', '<')") == Value(true));  // numeric, not lexical
  CHECK(eval("'1.10' is version('1.9', 'gt')") == Value(true));
  CHECK(eval("'1.2' is version('1.2.0', '<')") == Value(true));  // shorter is older
  CHECK(eval("'1.2-rc1' is version('1.2-rc2', 'lt')") == Value(true));
  CHECK(eval("'2.0' is version('1.0', '!=')") == Value(true));
  CHECK(eval("'2.0' is not version('1.0', '<=')") == Value(true));
  CHECK(eval("3 is version('2', '>')") == Value(true));
}

TEST_CASE("version: every operator spelling", "[template][version]") {
  const char* older[] = {"<", "lt", "<=", "le", "!=", "<>", "ne"};
  for (const char* op : older) {
    CHECK(eval(std::string("'1.0' is version('2.0', '") + op + "')") == Value(true));
  }
  const char* newer[] = {">", "gt", ">=", "ge"};
  for (const char* op : newer) {
    CHECK(eval(std::string("'3.0' is version('2.0', '") + op + "')") == Value(true));
  }
  const char* same[] = {"==", "=", "eq", ">=", "<="};
  for (const char* op : same) {
    CHECK(eval(std::string("'2.0' is version('2.0', '") + op + "')") == Value(true));
  }
  CHECK(eval_error("'1' is version('2', 'bigger')").find("Invalid operator type (bigger)") != std::string::npos);
}

TEST_CASE("version: strict and semver schemes", "[template][version]") {
  CHECK(eval("'1.0a1' is version('1.0', '<', strict=true)") == Value(true));
  CHECK(eval("'1.0b2' is version('1.0a9', '>', version_type='strict')") == Value(true));
  CHECK(eval("'1.2.3' is version('1.2.3-rc1', '>', version_type='semver')") == Value(true));
  CHECK(eval("'1.0.0-alpha.1' is version('1.0.0-alpha.beta', '<', version_type='semver')") == Value(true));
  CHECK(eval("'1.0.0+build1' is version('1.0.0', '==', version_type='semantic')") == Value(true));
  CHECK(eval_error("'1.2.3.4' is version('1.0', strict=true)") ==
        "x.yml:14:22: test 'version': Version comparison failed: invalid version number '1.2.3.4'");
  CHECK(eval_error("'1.2' is version('1.0', version_type='semver')") ==
        "x.yml:14:18: test 'version': Version comparison failed: invalid semantic version '1.2'");
}

TEST_CASE("version: mixed numbers and words fail as in Ansible", "[template][version]") {
  CHECK(eval_error("'1.27.3' is version('v1.27', '>=')") ==
        "x.yml:14:21: test 'version': Version comparison failed: '<' not supported between instances of 'int' and "
        "'str'");
  CHECK(eval_error("'' is version('1.0')") == "x.yml:14:15: test 'version': Input version value cannot be empty");
}

TEST_CASE("version: filter form and the old name", "[template][version]") {
  CHECK(eval("'1.27' | version('1.26', 'gt')") == Value(true));
  CHECK(eval("'2.0' is version_compare('1.0', '>')") == Value(true));
  CHECK(eval("'2.0' | version_compare('3.0', '>')") == Value(false));
}
