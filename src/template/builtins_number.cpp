// Number filters: int, float, abs, round, and Ansible's bool.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "builtin_util.h"
#include "fleetk8s/core/number.h"
#include "py_number.h"

namespace fleetk8s::tmpl::detail {
namespace {

// Python's round(n, digits) for an int and digits < 0: exact, ties to even.
__int128 round_int(std::int64_t n, std::int64_t digits) {
  if (digits < -19) return 0;  // |n| < 2^63 < 10^20 / 2: every int rounds to 0
  __int128 unit = 1;
  for (std::int64_t i = 0; i < -digits; ++i) unit *= 10;
  __int128 q = n / unit, r = n % unit;  // truncated: r has n's sign
  const __int128 twice = 2 * (r < 0 ? -r : r);
  if (twice > unit || (twice == unit && q % 2 != 0)) q += n < 0 ? -1 : 1;
  return q * unit;
}

std::string int128_text(__int128 v) {
  const bool negative = v < 0;
  std::string out;
  do {
    const int digit = static_cast<int>(v % 10);
    out.insert(out.begin(), static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    v /= 10;
  } while (v != 0);
  return negative ? "-" + out : out;
}

// Jinja's int: int(value, base), then int(float(value)), then the default.
Result<Operand> to_int(Call& c) {
  const Value& v = c.input.value();
  auto base = int_arg(c, 1, 10);
  if (!base) return base.error();
  std::optional<std::int64_t> n;
  if (v.is_int()) n = v.as_int();
  else if (v.is_bool()) n = v.as_bool() ? 1 : 0;
  else if (v.is_double()) n = truncate_to_int64(v.as_double());
  else if (v.is_string()) {
    n = parse_py_int(v.as_string(), static_cast<int>(*base));
    if (!n) {
      if (auto d = parse_py_float(v.as_string())) n = truncate_to_int64(*d);
    }
  }
  if (n) return own(Value(*n));
  if (c.arg(0)) return std::move(*c.args[0]);
  return own(Value(std::int64_t{0}));
}

Result<Operand> to_float(Call& c) {
  const Value& v = c.input.value();
  std::optional<double> d;
  if (v.is_number()) d = v.as_double();
  else if (v.is_bool()) d = v.as_bool() ? 1.0 : 0.0;
  else if (v.is_string()) d = parse_py_float(v.as_string());
  if (d) return own(Value(*d));
  if (c.arg(0)) return std::move(*c.args[0]);
  return own(Value(0.0));
}

Result<Operand> absolute(Call& c) {
  const Value& v = c.input.value();
  if (v.is_bool()) return own(Value(std::int64_t{v.as_bool() ? 1 : 0}));
  if (v.is_int()) {
    if (v.as_int() == std::numeric_limits<std::int64_t>::min()) return c.fail("integer overflow");
    return own(Value(v.as_int() < 0 ? -v.as_int() : v.as_int()));
  }
  if (v.is_double()) return own(Value(std::fabs(v.as_double())));
  return c.fail(std::string("bad operand type for abs(): '") + py_type_name(v) + "'");
}

// Python's round(x, n) for floats: correctly rounded, ties to even. printf
// rounds the exact binary value the same way.
double py_round(double x, std::int64_t digits) {
  if (!std::isfinite(x)) return x;
  if (digits >= 0) {
    if (digits > 300) return x;
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(digits), x);
    return std::strtod(buf, nullptr);
  }
  double scale = std::pow(10.0, static_cast<double>(-digits));
  return std::nearbyint(x / scale) * scale;
}

Result<Operand> round(Call& c) {
  const Value& v = c.input.value();
  auto precision = int_arg(c, 0, 0);
  if (!precision) return precision.error();
  auto method = string_arg(c, 1, "common");
  if (!method) return method.error();
  if (*method != "common" && *method != "ceil" && *method != "floor") {
    return c.fail("method must be common, ceil or floor");
  }
  if (!v.is_number() && !v.is_bool()) {
    return c.fail(std::string("type ") + py_type_name(v) + " doesn't define __round__ method");
  }
  if (*method == "common") {
    if (v.is_double()) return own(Value(py_round(v.as_double(), *precision)));
    std::int64_t n = v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int();
    if (*precision >= 0) return own(Value(n));
    const __int128 rounded = round_int(n, *precision);
    if (rounded < INT64_MIN || rounded > INT64_MAX) return c.fail(int128_text(rounded) + " does not fit in 64 bits");
    return own(Value(static_cast<std::int64_t>(rounded)));
  }
  double scale = std::pow(10.0, static_cast<double>(*precision));
  double x = (v.is_bool() ? (v.as_bool() ? 1.0 : 0.0) : v.as_double()) * scale;
  return own(Value((*method == "ceil" ? std::ceil(x) : std::floor(x)) / scale));
}

// Ansible's bool: None and bools unchanged; 'yes', 'on', '1', 'true' (any
// case) and 1 are True; everything else False.
Result<Operand> to_bool(Call& c) {
  const Value& v = c.input.value();
  if (v.is_null() || v.is_bool()) return std::move(c.input);
  if (v.is_string()) {
    std::string s = ascii_lower(v.as_string());
    return own(Value(s == "yes" || s == "on" || s == "1" || s == "true"));
  }
  if (v.is_number()) return own(Value(v.as_double() == 1.0));
  return own(Value(false));
}

}  // namespace

void register_number_filters(Registry& r) {
  r.push_back({"int", {{"default", "base"}}, to_int});
  r.push_back({"float", {{"default"}}, to_float});
  r.push_back({"abs", {}, absolute});
  r.push_back({"round", {{"precision", "method"}}, round});
  r.push_back({"bool", {}, to_bool});
}

}  // namespace fleetk8s::tmpl::detail
