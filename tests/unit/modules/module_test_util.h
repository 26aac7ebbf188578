// Helpers shared by the modules' unit tests: build arguments, get a
// module's script (the test fails when it is refused) or its refusal (the
// test fails when it is accepted, or refused for another reason than bad
// input).
#pragma once

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <utility>

#include "fleetk8s/modules/module.h"

namespace fleetk8s::modules::testing {

inline Value::Object args(std::initializer_list<std::pair<const std::string, Value>> kv) { return Value::Object(kv); }

inline std::string script(const char* module, const Value::Object& a, RunMode mode = {}) {
  auto s = find_module(module)->script(a, mode);
  INFO(module << ": " << (s.ok() ? "" : s.error().message()));
  REQUIRE(s.ok());
  return *s;
}

inline std::string error(const char* module, const Value::Object& a) {
  auto s = find_module(module)->script(a, {});
  INFO(module << " accepted it");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind() == ErrorKind::kInvalidInput);
  return s.error().message();
}

}  // namespace fleetk8s::modules::testing
