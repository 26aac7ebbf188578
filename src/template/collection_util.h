// Set-like helpers over lists with Python equality (1 == 1.0 == True), for
// unique, union, intersect, difference and friends.
#pragma once

#include <string>

#include "fleetk8s/core/value.h"

namespace fleetk8s::tmpl::detail {

// A string that is equal for two values exactly when Python's == says they
// are (within Value's types); `ignore_case` lower-cases top-level strings.
std::string canonical_key(const Value& v, bool ignore_case = false);

// Items of `items` with later duplicates removed, in order.
Value::Array unique_items(const Value::Array& items, bool ignore_case = false);

}  // namespace fleetk8s::tmpl::detail
