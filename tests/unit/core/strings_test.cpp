#include "fleetk8s/core/strings.h"

#include <catch2/catch.hpp>

using namespace fleetk8s;

TEST_CASE("trim strips C whitespace at both ends and nothing inside", "[core][strings]") {
  CHECK(trim("  a b \t\r\n") == "a b");
  CHECK(trim("\v\fx\f\v") == "x");
  CHECK(trim(" \t\n") == "");
  CHECK(trim("") == "");
  CHECK(trim("\xa0x\xa0") == "\xa0x\xa0");  // not ASCII whitespace: kept
  CHECK(trim_view("  keep  ").data()[0] == 'k');
}

TEST_CASE("to_lower changes A-Z only", "[core][strings]") {
  CHECK(to_lower("RSA-SHA2-256 Host") == "rsa-sha2-256 host");
  CHECK(to_lower("\xc3\x89t\xc3\xa9") == "\xc3\x89t\xc3\xa9");  // UTF-8 bytes untouched
}

TEST_CASE("split_trimmed keeps empty parts", "[core][strings]") {
  CHECK(split_trimmed("a, b ,c", ',') == std::vector<std::string>{"a", "b", "c"});
  CHECK(split_trimmed("a,,b,", ',') == std::vector<std::string>{"a", "", "b", ""});
  CHECK(split_trimmed("", ',') == std::vector<std::string>{""});
}

TEST_CASE("shell_quote makes one word of anything", "[core][strings]") {
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("$(id);`x`\n*") == "'$(id);`x`\n*'");
}
