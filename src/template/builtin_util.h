// Helpers shared by the builtin implementations (builtins_*.cpp): typed
// access to arguments with messages that name the builtin, and Python-style
// iteration.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "builtins.h"
#include "fleetk8s/core/result.h"
#include "python_repr.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {

inline Operand own(Value v) { return Operand::own(std::move(v)); }

// "expected a list, got int"
Error wrong_type(const Call& call, const char* wanted, const Value& got);

// The i-th argument as a string (required to be one when given), or `fallback`.
Result<std::string> string_arg(const Call& call, size_t i, std::string fallback = "");
// The i-th argument as an integer (bools and integral floats accepted), or `fallback`.
Result<std::int64_t> int_arg(const Call& call, size_t i, std::int64_t fallback);
// The truthiness of the i-th argument, or `fallback`.
bool bool_arg(const Call& call, size_t i, bool fallback = false);

// What a Python for loop sees: a list's items, a dict's keys, a string's
// characters. Borrows the list when the value is one.
class Iteration {
 public:
  const Value::Array& items() const { return borrowed_ ? *borrowed_ : owned_; }

 private:
  friend Result<Iteration> iterate(const Value& v);
  const Value::Array* borrowed_ = nullptr;
  Value::Array owned_;
};

// Errors "'int' object is not iterable" for other types.
Result<Iteration> iterate(const Value& v);

// Lower-cases ASCII letters (Python's str.lower for ASCII text).
std::string ascii_lower(std::string s);
std::string ascii_upper(std::string s);

}  // namespace fleetk8s::tmpl::detail
