// Hostile templates must fail with an error, never exhaust the stack: deep
// nesting and long chains are refused past 200 levels (where Python's own
// parser, and so Jinja, gives up too); ordinary lengths still work.
#include "template_test_util.h"

#include <string>

using namespace tmpl_test;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

bool too_deep(const std::string& message) {
  return message.find("nested too deeply") != std::string::npos;
}

}  // namespace

TEST_CASE("limits: recursion in the grammar is bounded", "[template][limits]") {
  CHECK(too_deep(eval_error(repeat("not ", 100000) + "t")));
  CHECK(too_deep(eval_error(repeat("n if t else ", 100000) + "n")));
  CHECK(too_deep(eval_error(repeat("-", 100000) + "1")));
  CHECK(too_deep(eval_error(repeat("[", 100000))));
  CHECK(too_deep(eval_error(repeat("{'a': ", 100000))));
  CHECK(too_deep(eval_error(repeat("(", 100000))));
  CHECK(too_deep(eval_error(repeat("lst[", 100000))));
  CHECK(too_deep(eval_error(repeat("range(", 100000))));
  CHECK(too_deep(eval_error(repeat("n is divisibleby (", 100000))));
  CHECK(too_deep(render_error("{{ " + repeat("not ", 100000) + "t }}")));
  CHECK(too_deep(render_error(repeat("{% for x in lst %}", 100000))));
  CHECK(too_deep(render_error(repeat("{% set x %}", 100000))));
}

TEST_CASE("limits: long chains are bounded", "[template][limits]") {
  CHECK(too_deep(eval_error("n" + repeat(" + n", 100000))));
  CHECK(too_deep(eval_error("s" + repeat(" ~ s", 100000))));
  CHECK(too_deep(eval_error("n" + repeat(" * 1", 100000))));
  CHECK(too_deep(eval_error("n" + repeat(" ** 1", 100000))));
  CHECK(too_deep(eval_error("t" + repeat(" and t", 100000))));
  CHECK(too_deep(eval_error("f" + repeat(" or f", 100000))));
  CHECK(too_deep(eval_error("n" + repeat(" if t", 100000))));
  CHECK(too_deep(eval_error("s" + repeat(" | upper", 100000))));
  CHECK(eval_error("n" + repeat(" is number", 100000)).find("tests cannot be chained") != std::string::npos);
  CHECK(too_deep(eval_error("n" + repeat(" is number or n", 100000))));
  CHECK(too_deep(eval_error("d" + repeat(".k", 100000))));
  CHECK(too_deep(eval_error("lst" + repeat("[0]", 100000))));
  CHECK(too_deep(eval_error("s" + repeat(".strip()", 100000))));
  // Chains inside brackets inside chains: the tree's height counts, not
  // each chain alone.
  std::string nested = "n";
  for (int i = 0; i < 100; ++i) nested = "(" + nested + repeat(" + n", 100) + ")";
  CHECK(too_deep(eval_error(nested)));
}

TEST_CASE("limits: the error names the place", "[template][limits]") {
  CHECK(eval_error(repeat("not ", 1000) + "t") ==
        "x.yml:14:813: expression nested too deeply (more than 200 levels)");
}

TEST_CASE("limits: ordinary nesting and chains still work", "[template][limits]") {
  CHECK(eval("n" + repeat(" + 1", 150)) == Value(155));
  CHECK(eval(repeat("not ", 150) + "t") == Value(true));
  CHECK(eval(repeat("(", 150) + "n" + repeat(")", 150)) == Value(5));
  CHECK(eval("s" + repeat(" | upper", 150)) == Value("HELLO"));
  CHECK(eval(repeat("f if f else ", 150) + "n") == Value(5));
  CHECK(eval("[" + repeat("n, ", 10000) + "n] | length") == Value(10001));
  CHECK(text(repeat("{% if t %}", 50) + "x" + repeat("{% endif %}", 50)) == "x");
}
