#include <catch2/catch.hpp>

#include <utility>

#include "fleetk8s/template/scope.h"

using fleetk8s::Value;
using fleetk8s::tmpl::MapScope;

TEST_CASE("scope: MapScope owns or borrows its variables", "[template][scope]") {
  MapScope owned(Value::Object{{"a", Value(1)}});
  REQUIRE(owned.lookup("a") != nullptr);
  CHECK(*owned.lookup("a") == Value(1));
  CHECK(owned.lookup("b") == nullptr);

  Value::Object vars{{"b", Value("x")}};
  auto borrowed = MapScope::borrowing(vars);
  REQUIRE(borrowed.lookup("b") != nullptr);
  CHECK(borrowed.lookup("b") == &vars.at("b"));  // no copy
}

TEST_CASE("scope: lookups fall back to the parent", "[template][scope]") {
  MapScope globals(Value::Object{{"a", Value(1)}, {"b", Value(2)}});
  MapScope host(Value::Object{{"b", Value(20)}}, &globals);
  CHECK(*host.lookup("a") == Value(1));
  CHECK(*host.lookup("b") == Value(20));  // the child shadows the parent
  CHECK(host.lookup("c") == nullptr);
}

TEST_CASE("scope: a moved MapScope still finds its variables", "[template][scope]") {
  MapScope first(Value::Object{{"a", Value(1)}});
  MapScope second(std::move(first));
  REQUIRE(second.lookup("a") != nullptr);
  CHECK(*second.lookup("a") == Value(1));
}
