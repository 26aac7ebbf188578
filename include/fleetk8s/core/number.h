// Doubles to integers without undefined behaviour. A plain static_cast of a
// double outside the target's range (or of NaN, or an infinity) is undefined
// in C++; these say "no integer" instead, so callers can report bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fleetk8s {

// Python's int(d), truncation towards zero, when the result fits in int64;
// nothing for NaN, infinities and values past int64.
std::optional<std::int64_t> truncate_to_int64(double d);

// d itself when it is a whole number that fits in int64 (1.0 is 1; 1.5 is nothing).
std::optional<std::int64_t> whole_int64(double d);

// Python's repr() of a float, which json.dumps also writes: the shortest digits
// that read back the same, "1.0", "0.1", "1e+300", "1e-05", "nan", "inf".
std::string python_float_repr(double d);

}  // namespace fleetk8s
