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

TEST_CASE("fuzz: regular expressions cannot overflow std::regex", "[template][fuzz]") {
  // Back references with many digits overflowed a long inside std::regex.
  CHECK(eval_error("s | regex_replace('a\\\\9222222222222222222222', 'x')").find("invalid group reference 92") !=
        std::string::npos);
  CHECK(eval("s | regex_replace('(l)\\\\1', 'L')") == Value("heLo"));
  CHECK(eval_error("'a1' | regex_search('(a)\\\\11')").find("invalid group reference 11") != std::string::npos);
  CHECK(eval("'S' | regex_search('\\\\123')") == Value("S"));                  // octal, as in Python
  // Repetitions multiply into automaton states.
  CHECK(eval_error("s | regex_search('(((a{100}){100}){100})')").find("repetition counts too large") !=
        std::string::npos);
  CHECK(eval_error("s | regex_search('a{99999999999999999999999}')").find("repetition counts too large") !=
        std::string::npos);
  CHECK(eval("'abc123' | regex_search('[a-z]{1,3}\\\\d{3}')") == Value("abc123"));
}

TEST_CASE("fuzz: long texts do not overflow the regex matcher's stack", "[template][fuzz]") {
  // The matcher recursed once per character and crashed at about 50 KB.
  std::string out(1'000'000, 'x');
  out += "end";
  tmpl::MapScope scope(Value::Object{{"out", Value(out)}});
  CHECK(eval("out | regex_search('x*')", scope).as_string().size() == 1'000'000);
  CHECK(eval("out | regex_replace('(x|y)+', 'z')", scope) == Value("zend"));
  CHECK(eval("out is search('x*end')", scope) == Value(true));
  CHECK(eval("out is regex('(x)*end', match_type='fullmatch')", scope) == Value(true));
  CHECK(eval("out | regex_findall('e(n)d')", scope) == Value(Value::Array{Value("n")}));
  tmpl::MapScope huge(Value::Object{{"out", Value(std::string(5'000'000, 'x'))}});
  CHECK(eval_error("out | regex_search('x')", huge).find("text too long for regular expressions") != std::string::npos);
}

TEST_CASE("fuzz: repeated quantifiers are refused as in Python", "[template][fuzz]") {
  // 'd**...*' took std::regex exponential time.
  CHECK(eval_error("s | regex_findall('d" + std::string(100, '*') + "x')").find("multiple repeat at position 2") !=
        std::string::npos);
  CHECK(eval_error("s | regex_search('l{2}+')").find("multiple repeat") != std::string::npos);
  CHECK(eval_error("s | regex_search('l*?" "?')").find("multiple repeat") != std::string::npos);
  CHECK(eval("s | regex_search('l+?')") == Value("l"));
  CHECK(eval("s | regex_search('l{1,2}?o')") == Value("llo"));
  CHECK(eval("'a*b' | regex_search('[*+?]+')") == Value("*"));
}
