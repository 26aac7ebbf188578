// How values come out: a lone {{ expression }} keeps its type; inside a
// larger string values print as Python's str() (Ansible's output).
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("output: a lone expression keeps its native type", "[template][output]") {
  CHECK(render("{{ lst }}") == eval("lst"));
  CHECK(render("{{ d }}") == eval("d"));
  CHECK(render("{{ n }}") == Value(5));
  CHECK(render("{{ pi }}") == Value(3.14));
  CHECK(render("{{ t }}") == Value(true));
  CHECK(render("{{ none }}") == Value());
  CHECK(render("{{ '42' }}") == Value("42"));  // strings that look like numbers stay strings
  CHECK(render("{{ 'true' }}") == Value("true"));
  CHECK(render("{{ n + 1 }}") == Value(6));
  CHECK(render("{{- n -}}") == Value(5));
}

TEST_CASE("output: anything more makes a string", "[template][output]") {
  CHECK(render(" {{ n }}") == Value(" 5"));
  CHECK(render("{{ n }}{{ n }}") == Value("55"));
  CHECK(render("{{ n }}\n") == Value("5\n"));
  CHECK(render("{% if t %}{{ lst }}{% endif %}") == Value("['a', 'b', 'c']"));
  CHECK(render("plain text") == Value("plain text"));
  CHECK(render("") == Value(""));
}

TEST_CASE("output: Python str() of values inside strings", "[template][output]") {
  CHECK(text("x{{ t }} {{ f }}") == "xTrue False");
  CHECK(text("x{{ lst }}") == "x['a', 'b', 'c']");
  CHECK(text("x{{ d }}") == "x{'k': 1, 'n': {'x': 2}}");
  CHECK(text("x{{ [1, 'a', none, true, 1.5, {'x': []}] }}") == "x[1, 'a', None, True, 1.5, {'x': []}]");
  CHECK(text("x{{ [\"it's\", 'q\"'] }}") == "x[\"it's\", 'q\"']");
  // In {{ }} of playbook strings backslashes are literal, and repr doubles them.
  CHECK(text("x{{ ['a\\b'] }}") == "x['a\\\\b']");
  tmpl::TemplateOptions file;
  file.escape_backslashes = false;
  CHECK(text("x{{ ['both\\'\"', 'tab\\tnl\\n'] }}", vars(), file) == "x['both\\'\"', 'tab\\tnl\\n']");
  CHECK(text("x{{ ['\xC3\xA9'] }}") == "x['\xC3\xA9']");
}

TEST_CASE("output: None prints as nothing at the top level only", "[template][output]") {
  CHECK(text("x{{ none }}y") == "xy");
  CHECK(text("x{{ [none] }}") == "x[None]");
  CHECK(text("x{{ none | string }}") == "xNone");
  CHECK(text("x{{ none ~ '' }}") == "xNone");
}

TEST_CASE("output: floats print as Python's repr", "[template][output]") {
  CHECK(text("x{{ 1.0 }}") == "x1.0");
  CHECK(text("x{{ 0.1 + 0.2 }}") == "x0.30000000000000004");
  CHECK(text("x{{ 1e20 }}") == "x1e+20");
  CHECK(text("x{{ 1e16 }}") == "x1e+16");
  CHECK(text("x{{ 1e15 }}") == "x1000000000000000.0");
  CHECK(text("x{{ 0.0001 }}") == "x0.0001");
  CHECK(text("x{{ 0.00001 }}") == "x1e-05");
  CHECK(text("x{{ 123456789012345678.0 }}") == "x1.2345678901234568e+17");
  CHECK(text("x{{ -0.0 }}") == "x-0.0");
  CHECK(text("x{{ 1.5e300 * 1e300 }}") == "xinf");
  CHECK(text("x{{ 10 / 4 }}") == "x2.5");
}
