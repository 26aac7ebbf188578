// String filters (expected values checked against ansible-core 2.14).
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("filters: case", "[template][filters]") {
  CHECK(eval("'Hello World' | lower") == Value("hello world"));
  CHECK(eval("'abc' | upper") == Value("ABC"));
  CHECK(eval("'hELLO wORLD' | capitalize") == Value("Hello world"));
  CHECK(eval("'hello-world foo(bar' | title") == Value("Hello-World Foo(Bar"));
  CHECK(eval("42 | upper") == Value("42"));  // str() first
}

TEST_CASE("filters: trim", "[template][filters]") {
  CHECK(eval("'  x y \\n' | trim") == Value("x y"));
  CHECK(eval("'xxhixx' | trim('x')") == Value("hi"));
  CHECK(eval("'' | trim") == Value(""));
}

TEST_CASE("filters: replace", "[template][filters]") {
  CHECK(eval("'a.b.c' | replace('.', '-')") == Value("a-b-c"));
  CHECK(eval("'aaa' | replace('a', 'b', 2)") == Value("bba"));
  CHECK(eval("'abc' | replace('', '-')") == Value("-a-b-c-"));
  CHECK(eval("n | replace(5, 6)") == Value("6"));
}

TEST_CASE("filters: split, as Python's str.split", "[template][filters]") {
  CHECK(eval("'a,b,,c' | split(',')") == lit("['a', 'b', '', 'c']"));
  CHECK(eval("'  a  b c ' | split") == lit("['a', 'b', 'c']"));
  CHECK(eval("'a b c' | split(' ', 1)") == lit("['a', 'b c']"));
  CHECK(eval("'  a b  c ' | split(none, 1)") == lit("['a', 'b  c ']"));
  CHECK(eval("'' | split(',')") == lit("['']"));
  CHECK(eval("'' | split") == lit("[]"));
  CHECK(eval_error("s | split('')") == "x.yml:14:13: filter 'split': empty separator");
}

TEST_CASE("filters: join", "[template][filters]") {
  CHECK(eval("lst | join") == Value("abc"));
  CHECK(eval("lst | join(', ')") == Value("a, b, c"));
  CHECK(eval("[1, 'a', none, true] | join('-')") == Value("1-a-None-True"));
  CHECK(eval("users | join(', ', attribute='name')") == Value("alice, bob"));
  CHECK(eval("d | join(',')") == Value("k,n"));
  CHECK(eval("'abc' | join('.')") == Value("a.b.c"));
}

TEST_CASE("filters: string", "[template][filters]") {
  CHECK(eval("42 | string") == Value("42"));
  CHECK(eval("none | string") == Value("None"));
  CHECK(eval("lst | string") == Value("['a', 'b', 'c']"));
  CHECK(eval("t | string") == Value("True"));
}

TEST_CASE("filters: indent", "[template][filters]") {
  CHECK(eval("'x\\ny\\n\\nz' | indent(2)") == Value("x\n  y\n\n  z"));
  CHECK(eval("'x\\ny' | indent(4, true)") == Value("    x\n    y"));
  CHECK(eval("'a\\n\\nb' | indent(2, blank=true)") == Value("a\n  \n  b"));
  CHECK(eval("'a\\nb' | indent('> ')") == Value("a\n> b"));
}

TEST_CASE("filters: format", "[template][filters]") {
  CHECK(eval("'%s=%05.1f' | format('pi', 3.14159)") == Value("pi=003.1"));
  CHECK(eval("'%-5s|' | format('ab')") == Value("ab   |"));
  CHECK(eval("'%x %o %X %#x %+d' | format(255, 8, 255, 255, 3)") == Value("ff 10 FF 0xff +3"));
  CHECK(eval("'%r' | format('a')") == Value("'a'"));
  CHECK(eval_error("'%s %s' | format(1)") == "x.yml:14:19: filter 'format': not enough arguments for format string");
}

TEST_CASE("filters: quote, as shlex.quote", "[template][filters]") {
  CHECK(eval("'abc' | quote") == Value("abc"));
  CHECK(eval("'/etc/a-b_c.conf' | quote") == Value("/etc/a-b_c.conf"));
  CHECK(eval("'' | quote") == Value("''"));
  CHECK(eval("'a b' | quote") == Value("'a b'"));
  CHECK(eval("\"it's\" | quote") == Value("'it'\"'\"'s'"));
  CHECK(eval("none | quote") == Value("''"));
  CHECK(eval("'$(rm -rf /)' | quote") == Value("'$(rm -rf /)'"));
}
