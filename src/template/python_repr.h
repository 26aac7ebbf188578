// Python's str() and repr() of Values, which is how Jinja prints values
// inside a larger string: True, None, 1.0, ['a', 'b'], {'k': 1}.
#pragma once

#include <string>

#include "fleetk8s/core/value.h"

namespace fleetk8s::tmpl::detail {

// str(): strings as they are, everything else as repr().
std::string py_str(const Value& v);

// repr(): strings quoted as Python quotes them ('it', "it's").
std::string py_repr(const Value& v);

// repr() of a float: shortest round-trip digits, "1.0", "1e+20", "inf".
std::string py_float_repr(double d);

// Python's type name of a value: NoneType, bool, int, float, str, list, dict.
const char* py_type_name(const Value& v);

}  // namespace fleetk8s::tmpl::detail
