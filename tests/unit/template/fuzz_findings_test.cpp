// What fuzzing the template engine found (tests/fuzz/template_fuzz.cpp):
// each case crashed, tripped a sanitizer or ran out of memory before its
// fix, and must now give an error or a value.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("fuzz: printf-style widths and precisions are bounded", "[template][fuzz]") {
  // Overflowed an int (UBSan), or padded to gigabytes.
  CHECK(eval_error("'%(k)444444444444444444444s' % d") == "x.yml:14:38: width too big");
  CHECK(eval_error("'%999999999s' % s") == "x.yml:14:23: width too big");
  CHECK(eval_error("'%.999999999f' % pi") == "x.yml:14:24: width too big");
  CHECK(eval_error("'%*s' % (99999999999, s)") == "x.yml:14:15: width too big");
  CHECK(eval("'%5s|%-3d|%.2f' % (s, n, pi)") == Value("hello|5  |3.14"));
}

TEST_CASE("fuzz: indexes with more digits than fit are out of range", "[template][fuzz]") {
  // std::stoul threw std::out_of_range, which nothing caught.
  CHECK(eval_error("'{99999999999999999999999}'.format(1)").find(
            "Replacement index 99999999999999999999999 out of range") != std::string::npos);
  CHECK(eval_error("s | regex_replace('(l)', '\\\\g<99999999999999999999999>')").find("unknown group name") !=
        std::string::npos);
}

TEST_CASE("fuzz: what a count or width builds is bounded", "[template][fuzz]") {
  // Each threw std::length_error or std::bad_alloc, or exhausted memory.
  CHECK(eval_error("s * 1000000000000").find("repeated string too long (more than 16777216 bytes)") !=
        std::string::npos);
  CHECK(eval_error("lst * 1000000000").find("repeated list too long (more than 1000000 items)") != std::string::npos);
  CHECK(eval_error("s | indent(1000000000000)").find("width too big") != std::string::npos);
  CHECK(eval_error("range(10000000000)").find("range too big") != std::string::npos);
  // Stepping past INT64_MAX was signed overflow.
  CHECK(eval("range(0, 9223372036854775807, 5000000000000000000) | list") ==
        Value(Value::Array{Value(0), Value(5000000000000000000)}));
  CHECK(eval("range(0, -9223372036854775807, -5000000000000000000) | list") ==
        Value(Value::Array{Value(0), Value(-5000000000000000000)}));
  CHECK(eval("'-' * 3 ~ ([1] * 2)") == Value("---[1, 1]"));
}
