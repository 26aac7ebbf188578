#include <catch2/catch.hpp>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

using fleetk8s::Error;
using fleetk8s::ErrorKind;
using fleetk8s::Result;
using fleetk8s::Value;

TEST_CASE("Value serialises to compact and pretty JSON with sorted keys") {
  Value v;
  v["b"] = Value::Array{1, "two", true, nullptr, 2.5};
  v["a"] = "quote\" back\\ nl\n ctl\x01";
  CHECK(v.to_json() == R"({"a":"quote\" back\\ nl\n ctl\u0001","b":[1,"two",true,null,2.5]})");
  CHECK(v.to_json(2) == "{\n  \"a\": \"quote\\\" back\\\\ nl\\n ctl\\u0001\",\n  \"b\": [\n    1,\n    \"two\",\n"
                        "    true,\n    null,\n    2.5\n  ]\n}");
  CHECK(Value(Value::Object{}).to_json(4) == "{}");
  // Floats as json.dumps writes them, not with 17 digits (0.10000000000000001).
  CHECK(Value(Value::Array{0.1, 1.0, 1e300}).to_json() == "[0.1,1.0,1e+300]");
}

TEST_CASE("Value display follows Ansible's template rendering") {
  CHECK(Value("x").to_display() == "x");
  CHECK(Value(true).to_display() == "True");
  CHECK(Value(3).to_display() == "3");
  CHECK(Value(Value::Array{1, "a"}).to_display() == R"([1,"a"])");
}

TEST_CASE("Value find and equality") {
  Value v;
  v["k"] = 1;
  REQUIRE(v.find("k") != nullptr);
  CHECK(*v.find("k") == Value(1));
  CHECK(v.find("missing") == nullptr);
  CHECK(Value(1).find("k") == nullptr);
}

TEST_CASE("whole_number reads an int or a string of digits, nothing else", "[value][whole_number]") {
  using fleetk8s::whole_number;
  CHECK(whole_number(Value(0)) == 0L);
  CHECK(whole_number(Value(50)) == 50L);
  CHECK(whole_number(Value("50")) == 50L);
  CHECK(whole_number(Value("007")) == 7L);
  CHECK(whole_number(Value("999999999")) == 999999999L);
  for (const Value& bad : {Value(-1), Value("-1"), Value("+5"), Value(" 5"), Value("5 "), Value("5;reboot"),
                           Value(""), Value("1000000000"), Value("1e3"), Value(2.0), Value(true), Value(nullptr),
                           Value(Value::Array{1}), Value("{{ n }}")}) {
    INFO(bad.to_json());
    CHECK_FALSE(whole_number(bad).has_value());
  }
}

TEST_CASE("Result carries a value or an error with context") {
  Result<int> ok = 5;
  REQUIRE(ok.ok());
  CHECK(*ok == 5);
  Result<int> bad = Error(ErrorKind::kAuth, "denied");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().context("web1").message() == "web1: denied");
  CHECK(bad.error().context("web1").kind() == ErrorKind::kAuth);
  CHECK(fleetk8s::is_unreachable(ErrorKind::kAuth));
  CHECK_FALSE(fleetk8s::is_unreachable(ErrorKind::kCommandTimeout));
}
