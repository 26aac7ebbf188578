#include "fleetk8s/core/number.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace fleetk8s {

std::optional<std::int64_t> truncate_to_int64(double d) {
  // -2^63 is exact in a double; 2^63 is the first value past int64's maximum.
  constexpr double kLow = -9223372036854775808.0, kHigh = 9223372036854775808.0;
  if (!std::isfinite(d)) return std::nullopt;
  const double t = std::trunc(d);
  if (t < kLow || t >= kHigh) return std::nullopt;
  return static_cast<std::int64_t>(t);
}

std::optional<std::int64_t> whole_int64(double d) {
  if (!std::isfinite(d) || d != std::trunc(d)) return std::nullopt;
  return truncate_to_int64(d);
}

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  // Python switches to exponent notation outside 1e-4 <= |d| < 1e16.
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string s(buf, sci.ptr);
  auto e = s.find('e');
  int exponent = std::atoi(s.c_str() + e + 1);
  if (d != 0 && (exponent < -4 || exponent >= 16)) return s;
  auto fixed = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  std::string out(buf, fixed.ptr);
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

}  // namespace fleetk8s
