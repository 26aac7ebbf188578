// shlex_split against Python's shlex.split (expected values from Python 3).
#include <catch2/catch.hpp>

#include "fleetk8s/core/shlex.h"

using namespace fleetk8s;
using Words = std::vector<std::string>;

namespace {
Words split(std::string_view s, ShlexComments c = ShlexComments::kKeep) {
  auto r = shlex_split(s, c);
  INFO(std::string(s) << ": " << (r.ok() ? "" : r.error().message()));
  REQUIRE(r.ok());
  return *r;
}
}  // namespace

TEST_CASE("shlex: shell operators and expansions are ordinary characters", "[shlex]") {
  CHECK(split("echo hi; touch /tmp/x") == Words{"echo", "hi;", "touch", "/tmp/x"});
  CHECK(split("a|b && c > d < e * `f` $(g)") == Words{"a|b", "&&", "c", ">", "d", "<", "e", "*", "`f`", "$(g)"});
  CHECK(split(R"x(\$HOME "$(x)" `y`)x") == Words{"$HOME", "$(x)", "`y`"});
}

TEST_CASE("shlex: quotes and escapes as Python's POSIX mode", "[shlex]") {
  CHECK(split(R"(a"b\"c\\d\e"f)") == Words{R"(ab"c\d\ef)"});
  CHECK(split("a '' b") == Words{"a", "", "b"});
  CHECK(split("'it''s' \"x y\"") == Words{"its", "x y"});
  CHECK(split("a\\\nb") == Words{"a\nb"});
  CHECK(split("printf %s\\n") == Words{"printf", "%sn"});
  CHECK(split("  \t\n ").empty());
}

TEST_CASE("shlex: '#' is a comment only when asked, and only to the end of its line", "[shlex]") {
  CHECK(split("x#y # z") == Words{"x#y", "#", "z"});
  CHECK(split("x#y # z", ShlexComments::kStrip) == Words{"x"});
  CHECK(split("a # b\nc", ShlexComments::kStrip) == Words{"a", "c"});
  CHECK(split("'#' \"#\"", ShlexComments::kStrip) == Words{"#", "#"});
}

TEST_CASE("shlex: Python's errors", "[shlex]") {
  for (const char* bad : {"\"abc", "'abc", "abc\\"}) {
    auto r = shlex_split(bad, ShlexComments::kKeep);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  }
  CHECK(shlex_split("\"abc", ShlexComments::kKeep).error().message() == "No closing quotation");
  CHECK(shlex_split("abc\\", ShlexComments::kKeep).error().message() == "No escaped character");
}
