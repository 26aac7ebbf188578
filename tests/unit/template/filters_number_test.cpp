// Number and logic filters (expected values checked against ansible-core 2.14).
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("filters: int", "[template][filters]") {
  CHECK(eval("'42' | int") == Value(42));
  CHECK(eval("' 12 ' | int") == Value(12));
  CHECK(eval("'-7' | int") == Value(-7));
  CHECK(eval("'42.7' | int") == Value(42));
  CHECK(eval("'1e3' | int") == Value(1000));
  CHECK(eval("3.9 | int") == Value(3));
  CHECK(eval("-3.9 | int") == Value(-3));
  CHECK(eval("true | int") == Value(1));
  CHECK(eval("'1_000' | int") == Value(1000));
  CHECK(eval("'x' | int") == Value(0));
  CHECK(eval("'x' | int(7)") == Value(7));
  CHECK(eval("none | int") == Value(0));
  CHECK(eval("lst | int") == Value(0));
  CHECK(eval("'0x1A' | int(base=16)") == Value(26));
  CHECK(eval("'1A' | int(base=16)") == Value(26));
  CHECK(eval("'0b101' | int(0, 2)") == Value(5));
  CHECK(eval("'0o17' | int(base=0)") == Value(15));
  CHECK(eval("'99999999999999999999' | int") == Value(0));  // beyond 64 bits: the default
}

TEST_CASE("filters: float", "[template][filters]") {
  CHECK(eval("'1.5' | float") == Value(1.5));
  CHECK(eval("' 2 ' | float") == Value(2.0));
  CHECK(eval("'1e3' | float") == Value(1000.0));
  CHECK(eval("3 | float") == Value(3.0));
  CHECK(eval("'x' | float") == Value(0.0));
  CHECK(eval("'x' | float(1.5)") == Value(1.5));
  CHECK(eval("'inf' | float | string") == Value("inf"));
}

TEST_CASE("filters: abs and round", "[template][filters]") {
  CHECK(eval("-3 | abs") == Value(3));
  CHECK(eval("-2.5 | abs") == Value(2.5));
  CHECK(eval("3 | round") == Value(3));  // ints stay ints
  CHECK(eval("2.5 | round") == Value(2.0));  // ties to even, as Python
  CHECK(eval("3.5 | round") == Value(4.0));
  CHECK(eval("2.675 | round(2)") == Value(2.67));  // the binary value is below the tie
  CHECK(eval("1234 | round(-2)") == Value(1200));
  // An int rounds exactly, ties to even, as Python's round(int, -k).
  CHECK(eval("1250 | round(-2)") == Value(1200));
  CHECK(eval("1350 | round(-2)") == Value(1400));
  CHECK(eval("-1250 | round(-2)") == Value(-1200));
  CHECK(eval("5 | round(-25)") == Value(0));
  CHECK(eval("9000000000000000511 | round(-1)") == Value(9000000000000000510));  // not through a double
  CHECK(eval("(-9223372036854775807 - 1) | round(-18)") == Value(-9000000000000000000));
  CHECK(eval_error("9223372036854775807 | round(-1)") ==
        "x.yml:14:31: filter 'round': 9223372036854775810 does not fit in 64 bits");
  CHECK(eval("2.1 | round(0, 'ceil')") == Value(3.0));
  CHECK(eval("2.9 | round(0, 'floor')") == Value(2.0));
  CHECK(eval("2.25 | round(1, 'floor')") == Value(2.2));
  CHECK(eval_error("2 | round(0, 'up')") == "x.yml:14:13: filter 'round': method must be common, ceil or floor");
}

TEST_CASE("filters: bool, Ansible's", "[template][filters]") {
  for (const char* yes : {"'yes'", "'on'", "'1'", "'true'", "'TRUE'", "'Yes'", "1", "1.0", "true"}) {
    CHECK(eval(std::string(yes) + " | bool") == Value(true));
  }
  for (const char* no : {"'no'", "'off'", "'0'", "'false'", "''", "'y'", "2", "0", "false", "lst"}) {
    CHECK(eval(std::string(no) + " | bool") == Value(false));
  }
  CHECK(eval("none | bool") == Value());
}

TEST_CASE("filters: ternary", "[template][filters]") {
  CHECK(eval("t | ternary('y', 'n')") == Value("y"));
  CHECK(eval("zero | ternary('y', 'n')") == Value("n"));
  CHECK(eval("none | ternary('y', 'n')") == Value("n"));
  CHECK(eval("none | ternary('y', 'n', 'null')") == Value("null"));
  CHECK(eval("t | ternary('y', missing)") == Value("y"));  // the other branch may be undefined
  CHECK(eval_error("missing | ternary(1, 2)") == "x.yml:14:19: 'missing' is undefined");
}

TEST_CASE("filters: type_debug", "[template][filters]") {
  CHECK(eval("s | type_debug") == Value("str"));
  CHECK(eval("n | type_debug") == Value("int"));
  CHECK(eval("pi | type_debug") == Value("float"));
  CHECK(eval("t | type_debug") == Value("bool"));
  CHECK(eval("none | type_debug") == Value("NoneType"));
  CHECK(eval("lst | type_debug") == Value("list"));
  CHECK(eval("d | type_debug") == Value("dict"));
}
