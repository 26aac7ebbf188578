// Parse errors: precise messages at the column inside the string, added to
// the origin's column; unknown filters, tests and functions at parse time.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("errors: unknown filters and tests fail at parse time", "[template][errors]") {
  // Parsing alone fails, without any scope.
  auto t = tmpl::Template::parse("{{ kube_version | dfault('1.27') }}", kOrigin);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message() == "x.yml:14:27: unknown filter 'dfault' (did you mean 'default'?)");
  CHECK(eval_error("x | nosuchfilter") == "x.yml:14:13: unknown filter 'nosuchfilter'");
  CHECK(eval_error("x is definedd") == "x.yml:14:14: unknown test 'definedd' (did you mean 'defined'?)");
  CHECK(eval_error("lst | map('uper') | list") == "x.yml:14:19: unknown filter 'uper' (did you mean 'upper'?)");
  CHECK(eval_error("lst | select('od')") == "x.yml:14:22: unknown test 'od' (did you mean 'odd'?)");
  CHECK(eval_error("users | selectattr('admin', 'equalt', 1)") ==
        "x.yml:14:37: unknown test 'equalt' (did you mean 'equalto'?)");
  // Fully qualified builtin names work.
  CHECK(eval("s | ansible.builtin.upper") == Value("HELLO"));
  CHECK(eval("kube_version is ansible.builtin.version('1.0', '>')") == Value(true));
}

TEST_CASE("errors: argument mistakes fail at parse time", "[template][errors]") {
  CHECK(eval_error("s | replace('l')") == "x.yml:14:13: filter 'replace' is missing its required argument 'new'");
  CHECK(eval_error("s | upper(1)") == "x.yml:14:13: filter 'upper' takes at most 0 arguments, got 1");
  CHECK(eval_error("lst | join(sep=',')") == "x.yml:14:15: filter 'join' got an unexpected keyword argument 'sep'");
  CHECK(eval_error("lst | join(',', d=',')") == "x.yml:14:15: filter 'join' got multiple values for argument 'd'");
  CHECK(eval_error("lst | join(d=',', 'x')") == "x.yml:14:27: positional argument follows keyword argument");
  CHECK(eval_error("n is divisibleby") == "x.yml:14:14: test 'divisibleby' is missing its required argument 'num'");
}

TEST_CASE("errors: syntax errors name what was expected and what was found", "[template][errors]") {
  CHECK(eval_error("s | default('x'") == "x.yml:14:24: expected ')' after arguments, got 'end of expression'");
  CHECK(eval_error("[1, 2") == "x.yml:14:14: expected ',' or ']', got 'end of expression'");
  CHECK(eval_error("{'a' 1}") == "x.yml:14:14: expected ':' after a dict key, got '1'");
  CHECK(eval_error("1 +") == "x.yml:14:12: unexpected 'end of expression'");
  CHECK(eval_error("1 2") == "x.yml:14:11: unexpected '2' after the expression");
  CHECK(eval_error("a.") == "x.yml:14:11: expected an attribute name after '.', got 'end of expression'");
  CHECK(eval_error("x |") == "x.yml:14:12: expected a name, got 'end of expression'");
  CHECK(eval_error("x is") == "x.yml:14:13: expected a name, got 'end of expression'");
  CHECK(eval_error("") == "x.yml:14:9: empty expression");
  CHECK(eval_error("(1)(2)") == "x.yml:14:12: only functions and methods can be called");
  CHECK(eval_error("x is defined is string") == "x.yml:14:22: tests cannot be chained with 'is'");
}

TEST_CASE("errors: template syntax errors", "[template][errors]") {
  CHECK(render_error("a {{ }}") == "x.yml:14:14: expected an expression, got 'end of expression'");
  CHECK(render_error("{{ 1 + }}") == "x.yml:14:16: unexpected 'end of expression'");
  CHECK(render_error("{{ 'a' 'b' c }}") == "x.yml:14:20: unexpected 'c' after the expression");
  CHECK(render_error("{{ x") == "x.yml:14:13: unexpected end of template, expected '}}'");
  CHECK(render_error("{% if t %}") == "x.yml:14:9: 'if' block is not closed: expected '{% endif %}'");
  CHECK(render_error("{% for x in lst %}") == "x.yml:14:9: 'for' block is not closed: expected '{% endfor %}'");
  CHECK(render_error("{% endif %}") == "x.yml:14:12: unexpected 'endif' tag");
  CHECK(render_error("{% if t %}{% endfor %}") == "x.yml:14:22: unexpected 'endfor' tag");
  CHECK(render_error("{% if %}{% endif %}") == "x.yml:14:15: unexpected 'end of statement'");
  CHECK(render_error("{% for in lst %}{% endfor %}") == "x.yml:14:16: expected a variable name, got 'in'");
  CHECK(render_error("{% for x lst %}{% endfor %}") == "x.yml:14:18: expected 'in', got 'lst'");
  CHECK(render_error("{% endfor x %}") == "x.yml:14:12: unexpected 'endfor' tag");
  CHECK(render_error("{% if t %}{% else x %}{% endif %}") == "x.yml:14:27: unexpected 'x' after the expression");
  CHECK(render_error("{% include 'x.j2' %}") == "x.yml:14:12: the 'include' tag is not supported");
  CHECK(render_error("{% frobnicate %}") == "x.yml:14:12: unknown tag 'frobnicate'");
  CHECK(render_error("{% %}") == "x.yml:14:12: expected a tag name, got 'end of statement'");
  CHECK(render_error("{# open") == "x.yml:14:9: unclosed comment: missing '#}'");
  CHECK(render_error("{% raw %}x") == "x.yml:14:9: 'raw' block is not closed: expected '{% endraw %}'");
}

TEST_CASE("errors: positions on later lines count from column 1", "[template][errors]") {
  CHECK(render_error("first\nsecond {{ x | nope }}") == "x.yml:15:15: unknown filter 'nope'");
  CHECK(render_error("a\nb\n{% if t %}") == "x.yml:16:1: 'if' block is not closed: expected '{% endif %}'");
  // Unknown origin: "<template>", line and column from 1.
  auto t = tmpl::Template::parse("{{ x | nope }}", {});
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message() == "<template>:1:8: unknown filter 'nope'");
}

TEST_CASE("errors: runtime type errors name the filter", "[template][errors]") {
  CHECK(eval_error("n | dict2items") == "x.yml:14:13: filter 'dict2items': requires a dictionary, got int instead");
  CHECK(eval_error("n | join") == "x.yml:14:13: filter 'join': 'int' object is not iterable");
  CHECK(eval_error("n | length") == "x.yml:14:13: filter 'length': object of type 'int' has no len()");
  CHECK(eval_error("s | combine({})") == "x.yml:14:13: filter 'combine': expected dictionaries, got str");
  CHECK(eval_error("[1, 'a'] | sort") ==
        "x.yml:14:20: filter 'sort': '<' not supported between instances of 'str' and 'int'");
  CHECK(eval_error("s | round") == "x.yml:14:13: filter 'round': type str doesn't define __round__ method");
  CHECK(eval_error("'{' | from_json") ==
        "x.yml:14:15: filter 'from_json': Expecting property name enclosed in double quotes at char 1");
}

TEST_CASE("errors: nesting is bounded", "[template][errors]") {
  std::string deep(300, '(');
  CHECK(eval_error(deep + "1" + std::string(300, ')')).find("expression nested too deeply") != std::string::npos);
  std::string blocks;
  for (int i = 0; i < 150; ++i) blocks += "{% if t %}";
  CHECK(render_error(blocks).find("blocks nested too deeply") != std::string::npos);
}
