// Python's int() and float() on strings, which Jinja's int and float
// filters rely on.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fleetk8s::tmpl::detail {

// int(text, base): surrounding whitespace, a sign, '_' between digits and
// (for base 0 or the matching base) 0x / 0o / 0b prefixes. nullopt when
// Python raises ValueError or the value exceeds 64 bits.
std::optional<std::int64_t> parse_py_int(std::string_view text, int base = 10);

// float(text): also "inf", "nan", "1_000.5"; nullopt on ValueError.
std::optional<double> parse_py_float(std::string_view text);

}  // namespace fleetk8s::tmpl::detail
