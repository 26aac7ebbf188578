// The part of Python's ast.literal_eval() that Ansible's INI parser relies
// on to type values: `a=1` is an int, `b=True` a bool, `c=yes` stays text.
#pragma once

#include <optional>
#include <string_view>

#include "fleetk8s/core/value.h"

namespace fleetk8s::inventory {

// Evaluates a Python literal: int (incl. 0x/0o/0b, _), float, str/bytes
// (all quote styles, prefixes and escapes, adjacent ones joined), True,
// False, None, list, tuple (as an array), dict (keys as JSON prints them),
// unary +/- on numbers, trailing "# comment". nullopt when Python would
// raise ValueError or SyntaxError, or for what JSON cannot hold (complex,
// set, ints beyond 64 bits), so the caller keeps the text.
std::optional<Value> python_literal(std::string_view text);

}  // namespace fleetk8s::inventory
