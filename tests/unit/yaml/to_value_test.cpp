#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include "fleetk8s/yaml/node.h"

using fleetk8s::Value;

namespace {

// Parses "k: TEXT" and converts the value of k.
Value scalar_value(const std::string& text) {
  auto r = fleetk8s::yaml::parse("k: " + text + "\n", "t.yml");
  REQUIRE(r.ok());
  Value v = fleetk8s::yaml::to_value(*r);
  REQUIRE(v.find("k") != nullptr);
  return *v.find("k");
}

}  // namespace

TEST_CASE("YAML 1.1 booleans as PyYAML resolves them", "[yaml][typing]") {
  for (const char* t : {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
    INFO(t);
    CHECK(scalar_value(t) == Value(true));
  }
  for (const char* f : {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
    INFO(f);
    CHECK(scalar_value(f) == Value(false));
  }
  // Mixed case and single letters are strings in PyYAML.
  for (const char* s : {"yEs", "oFF", "tRUE", "y", "n"}) {
    INFO(s);
    CHECK(scalar_value(s) == Value(s));
  }
}

TEST_CASE("YAML 1.1 nulls", "[yaml][typing]") {
  CHECK(scalar_value("") == Value());
  CHECK(scalar_value("~") == Value());
  CHECK(scalar_value("null") == Value());
  CHECK(scalar_value("Null") == Value());
  CHECK(scalar_value("NULL") == Value());
  CHECK(scalar_value("nUll") == Value("nUll"));
}

TEST_CASE("YAML 1.1 integers", "[yaml][typing]") {
  CHECK(scalar_value("42") == Value(42));
  CHECK(scalar_value("-17") == Value(-17));
  CHECK(scalar_value("+12") == Value(12));
  CHECK(scalar_value("0") == Value(0));
  CHECK(scalar_value("1_000") == Value(1000));
  CHECK(scalar_value("0x1F") == Value(31));
  CHECK(scalar_value("-0x1F") == Value(-31));
  CHECK(scalar_value("0b101") == Value(5));
  CHECK(scalar_value("017") == Value(15));  // YAML 1.1 octal
  CHECK(scalar_value("1:20") == Value(80));  // sexagesimal
  CHECK(scalar_value("190:20:30") == Value(685230));
  CHECK(scalar_value("-1:20") == Value(-80));
  CHECK(scalar_value("-9223372036854775808") == Value(INT64_MIN));
  CHECK(scalar_value("0_") == Value(0));
  CHECK(scalar_value("08") == Value("08"));  // not octal, not decimal
  CHECK(scalar_value("0o17") == Value("0o17"));  // YAML 1.2 only
  CHECK(scalar_value("99999999999999999999") == Value("99999999999999999999"));
  // Sexagesimal past 64 bits stays text, as a too-long decimal does (the
  // fuzzer's case: 1555555555555555555 * 60 overflowed).
  CHECK(scalar_value("1555555555555555555:1") == Value("1555555555555555555:1"));
  CHECK(scalar_value("-1555555555555555555:1") == Value("-1555555555555555555:1"));
  CHECK(scalar_value("153722867280912930:7") == Value(INT64_MAX));
  CHECK(scalar_value("153722867280912930:8") == Value("153722867280912930:8"));
  CHECK(scalar_value("-153722867280912930:8") == Value(INT64_MIN));
}

TEST_CASE("YAML 1.1 floats", "[yaml][typing]") {
  CHECK(scalar_value("1.5") == Value(1.5));
  CHECK(scalar_value("1.0e+3") == Value(1000.0));
  CHECK(scalar_value(".5") == Value(0.5));
  CHECK(scalar_value("5.") == Value(5.0));
  CHECK(scalar_value("1_000.5") == Value(1000.5));
  CHECK(scalar_value("1:20.5") == Value(80.5));
  CHECK(scalar_value("1e3") == Value("1e3"));  // needs a dot in YAML 1.1
  CHECK(scalar_value("1.0e3") == Value("1.0e3"));  // exponent needs a sign
  CHECK(scalar_value("1.2.3") == Value("1.2.3"));
  Value inf = scalar_value("-.Inf");
  REQUIRE(inf.is_double());
  CHECK(std::isinf(inf.as_double()));
  CHECK(inf.as_double() < 0);
  Value nan = scalar_value(".nan");
  REQUIRE(nan.is_double());
  CHECK(std::isnan(nan.as_double()));
}

TEST_CASE("quoted scalars and other text stay strings", "[yaml][typing]") {
  CHECK(scalar_value("'yes'") == Value("yes"));
  CHECK(scalar_value("\"42\"") == Value("42"));
  CHECK(scalar_value("'~'") == Value("~"));
  CHECK(scalar_value("''") == Value(""));
  CHECK(scalar_value("10.244.0.0/16") == Value("10.244.0.0/16"));
  CHECK(scalar_value("v1.29.3") == Value("v1.29.3"));
  CHECK(scalar_value("2001-12-14") == Value("2001-12-14"));  // dates kept as text
}

TEST_CASE("explicit tags override implicit typing", "[yaml][typing]") {
  CHECK(scalar_value("!!str yes") == Value("yes"));
  CHECK(scalar_value("!!str 1") == Value("1"));
  CHECK(scalar_value("!!int '3'") == Value(3));
  CHECK(scalar_value("!!float '1.5'") == Value(1.5));
  CHECK(scalar_value("!!bool 'yes'") == Value(true));
  CHECK(scalar_value("!unsafe '{{ x }}'") == Value("{{ x }}"));
}

TEST_CASE("collections convert recursively, keys as JSON prints them", "[yaml][typing]") {
  auto r = fleetk8s::yaml::parse("a: [1, two, {b: no}]\n1: x\nyes: y\n~: z\n", "t.yml");
  REQUIRE(r.ok());
  Value v = fleetk8s::yaml::to_value(*r);
  Value::Object inner{{"b", Value(false)}};
  CHECK(*v.find("a") == Value(Value::Array{Value(1), Value("two"), Value(inner)}));
  CHECK(*v.find("1") == Value("x"));
  CHECK(*v.find("true") == Value("y"));
  CHECK(*v.find("null") == Value("z"));
}

TEST_CASE("merge keys: explicit keys win, earlier merged maps win", "[yaml][typing]") {
  auto r = fleetk8s::yaml::parse(
      "base: &base {a: 1, b: 1}\n"
      "more: &more {b: 2, c: 2}\n"
      "one:\n  <<: *base\n  a: 9\n"
      "two:\n  <<: [*base, *more]\n",
      "t.yml");
  REQUIRE(r.ok());
  Value v = fleetk8s::yaml::to_value(*r);
  CHECK(*v.find("one") == Value(Value::Object{{"a", Value(9)}, {"b", Value(1)}}));
  CHECK(*v.find("two") == Value(Value::Object{{"a", Value(1)}, {"b", Value(1)}, {"c", Value(2)}}));
}

TEST_CASE("a plain scalar of any length converts without overflowing the stack") {
  const std::string digits(200000, '7');
  Value v = scalar_value(digits);
  REQUIRE(v.is_string());
  CHECK(v.as_string().size() == digits.size());
  CHECK(scalar_value("1.5e+3").as_double() == 1500.0);
}
