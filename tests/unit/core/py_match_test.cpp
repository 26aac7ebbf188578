// PrefixMatcher: re.match's yes/no answer, checked against what Python 3.11
// answers (python3 -c 'import re; print(bool(re.match(P, T)))'), and its
// time on patterns that make backtracking engines run for ever.
#include <catch2/catch.hpp>


#include "fleetk8s/core/py_match.h"

using fleetk8s::pyre::PrefixMatcher;

namespace {

bool match(const std::string& pattern, const std::string& text) {
  auto m = PrefixMatcher::compile(pattern);
  REQUIRE(m.ok());
  return m->matches(text);
}

std::string refusal(const std::string& pattern) {
  auto m = PrefixMatcher::compile(pattern);
  REQUIRE_FALSE(m.ok());
  return m.error().message();
}

}  // namespace

TEST_CASE("PrefixMatcher answers as Python's re.match", "[core][py_match]") {
  struct Case {
    const char* pattern;
    const char* text;
    bool python;
  };
  const Case cases[] = {
      {"web", "web1", true},         {"web$", "web", true},
      {"web$", "web\n", true},       {"web$", "web1", false},
      {"eb", "web", false},          {"(web|db)\\d", "db2", true},
      {"a{2,3}b", "aab", true},      {"a{2,3}b", "ab", false},
      {"a{2,3}b", "aaaab", false},   {"(ab)*c", "ababc", true},
      {"(ab)*c", "abac", false},     {"\\bweb\\b", "web-1", true},
      {"web\\B", "web1", true},      {"web\\B", "web-", false},
      {"[^0-9]+$", "web", true},     {"[^0-9]+$", "web1", false},
      {"w.b", "w\nb", false},        {"x?", "anything", true},
      {"\\Aw\\Z", "w", true},        {"\\Aw\\Z", "w\n", false},
      {"(w*)*(w*)*eb", "web", true}, {"\xc3\xa9", "\xc3\xa9", true},
      {"(?:a|b|)c", "c", true},      {"(a|ab)(c|bcd)(d*)", "abcd", true},
      {"a+?b", "aab", true},
  };
  for (const auto& c : cases) {
    INFO(c.pattern << " on " << c.text);
    CHECK(match(c.pattern, c.text) == c.python);
  }
}

TEST_CASE("PrefixMatcher refuses with Python's messages and says what it cannot do", "[core][py_match]") {
  CHECK(refusal("w**") == "multiple repeat at position 2");
  CHECK(refusal("web(") == "missing ), unterminated subpattern at position 3");
  CHECK(refusal("(a)\\1") == "backreferences are not supported here");
  CHECK(refusal("(?=a)") == "lookahead assertions (?=...) and (?!...) are not supported at position 0");
  CHECK(refusal("(a{999}){999}") ==
        "the pattern is too large (more than 50000 steps once its repeats are counted out)");
}

TEST_CASE("PrefixMatcher takes linear time where backtracking takes exponential", "[core][py_match]") {
  // Each pattern takes Python (and std::regex) far beyond any test's
  // patience on these texts; here both run in microseconds. A broken
  // matcher makes this test run for ever, not fail: ctest's timeout stops it.
  std::string nested;
  for (int i = 0; i < 40; ++i) nested += "(w*)*";
  CHECK(match(nested + "eb", "web"));
  CHECK_FALSE(match(nested + "q", std::string(5000, 'w')));
  CHECK_FALSE(match("(a|a)*b", std::string(5000, 'a')));
  CHECK_FALSE(match("(a*)*$", std::string(5000, 'a') + "!"));
}
