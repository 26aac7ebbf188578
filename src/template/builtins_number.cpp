// Number filters: int, float, abs, round, and Ansible's bool.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "builtin_util.h"
#include "py_number.h"

namespace fleetk8s::tmpl::detail {
namespace {

std::optional<std::int64_t> float_to_int(double d) {
  if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return std::nullopt;
  return static_cast<std::int64_t>(std::trunc(d));
}

// Jinja's int: int(value, base), then int(float(value)), then the default.
Result<Operand> to_int(Call& c) {
  const Value& v = c.input.value();
  auto base = int_arg(c, 1, 10);
  if (!base) return base.error();
  std::optional<std::int64_t> n;
  if (v.is_int()) n = v.as_int();
  else if (v.is_bool()) n = v.as_bool() ? 1 : 0;
  else if (v.is_double()) n = float_to_int(v.as_double());
  else if (v.is_string()) {
    n = parse_py_int(v.as_string(), static_cast<int>(*base));
    if (!n) {
      if (auto d = parse_py_float(v.as_string())) n = float_to_int(*d);
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
    return own(Value(static_cast<std::int64_t>(py_round(static_cast<double>(n), *precision))));
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
