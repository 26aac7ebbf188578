// JSON as Python's json module writes and reads it: ", " and ": "
// separators, non-ASCII escaped as \uXXXX, floats as repr() (1.0), and
// NaN / Infinity accepted on input.
#pragma once

#include <string>
#include <string_view>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::tmpl::detail {

struct JsonStyle {
  int indent = -1;           // < 0: one line
  bool ensure_ascii = true;  // escape non-ASCII characters
  const char* item_separator = nullptr;  // default ", " (one line) or "," (indented)
  const char* key_separator = ": ";
};

// json.dumps(v, ...). Keys come out sorted (Value objects are sorted).
std::string json_dumps(const Value& v, const JsonStyle& style = {});

// json.loads(text).
Result<Value> json_loads(std::string_view text);

}  // namespace fleetk8s::tmpl::detail
