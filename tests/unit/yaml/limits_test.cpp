// Hostile YAML must give an error, never exhaust memory, the stack or the
// CPU: alias expansion ("billion laughs"), nesting and duplicate-key checks
// are bounded.
#include <catch2/catch.hpp>

#include <string>

#include "fleetk8s/yaml/node.h"

using fleetk8s::ErrorKind;
using fleetk8s::yaml::parse;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string parse_error(const std::string& text) {
  auto r = parse(text, "t.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  return r.error().message();
}

// Nine levels, each aliasing the one before nine times: 9^9 copies.
std::string billion_laughs() {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + repeat(prev + ", ", 8) + prev + "]\n";
  }
  return text;
}

}  // namespace

TEST_CASE("limits: aliases may not expand without bound", "[yaml][limits]") {
  CHECK(parse_error(billion_laughs()) == "t.yml:6:5: aliases expand to more than 1000000 nodes");
  // The same shape, smaller, is fine.
  auto small = parse("a: &a [x, y]\nb: &b [*a, *a, *a]\nc: [*b, *b]\n", "t.yml");
  REQUIRE(small.ok());
  CHECK(small->get("c")->items()[1].items()[2].items()[1].scalar() == "y");
}

TEST_CASE("limits: nesting is bounded", "[yaml][limits]") {
  CHECK(parse_error(repeat("[", 100000)).find("nested deeper than 256 levels") != std::string::npos);
  CHECK(parse_error(repeat("{a: ", 100000)).find("nested deeper than 256 levels") != std::string::npos);
  std::string block;
  for (int i = 0; i < 1000; ++i) block += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  CHECK(parse_error(block).find("nested deeper than 256 levels") != std::string::npos);
  auto ok = parse(repeat("[", 250) + repeat("]", 250), "t.yml");
  CHECK(ok.ok());
}

TEST_CASE("limits: many keys are checked for duplicates in linear time", "[yaml][limits]") {
  std::string text = "{";
  for (int i = 0; i < 200000; ++i) text += "k" + std::to_string(i) + ": 1, ";
  auto r = parse(text + "k7: 2}", "t.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("duplicate key \"k7\"") != std::string::npos);
}
