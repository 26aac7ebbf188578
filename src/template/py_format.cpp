// Python's printf-style string formatting ("%s-%03d" % (a, b)).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "python_repr.h"
#include "utf8.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {
namespace {

struct Spec {
  bool left = false, zero = false, plus = false, space = false, alternate = false;
  int width = -1, precision = -1;
  char type = 's';
};

Error format_error(const std::string& message) { return Error(ErrorKind::kInvalidInput, message); }

std::string pad(std::string body, const Spec& spec, bool numeric) {
  auto width = static_cast<size_t>(spec.width < 0 ? 0 : spec.width);
  size_t length = utf8_length(body);
  if (length >= width) return body;
  size_t fill = width - length;
  if (spec.left) return body + std::string(fill, ' ');
  if (spec.zero && numeric) {
    size_t sign = 0;
    if (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) sign = 1;
    if (body.size() > sign + 1 && body[sign] == '0' && (body[sign + 1] == 'x' || body[sign + 1] == 'X' ||
                                                        body[sign + 1] == 'o')) {
      sign += 2;
    }
    return body.substr(0, sign) + std::string(fill, '0') + body.substr(sign);
  }
  return std::string(fill, ' ') + body;
}

std::string sign_prefix(bool negative, const Spec& spec) {
  return negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
}

// Python's int(d) in decimal, exact at any size: glibc prints a double's exact value.
Result<std::string> float_integer_digits(double d, bool& negative) {
  if (std::isnan(d)) return format_error("cannot convert float NaN to integer");
  if (std::isinf(d)) return format_error("cannot convert float infinity to integer");
  const double t = std::trunc(d);
  negative = t < 0;
  char buf[400];  // DBL_MAX has 309 digits
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(t));
  return std::string(buf);
}

Result<std::string> format_integer(const Value& v, const Spec& spec) {
  const bool decimal = spec.type == 'd' || spec.type == 'i' || spec.type == 'u';
  bool negative = false;
  std::string digits;
  if (v.is_double() && decimal) {
    auto d = float_integer_digits(v.as_double(), negative);
    if (!d.ok()) return d.error();
    digits = std::move(*d);
  } else if (v.is_bool() || v.is_int()) {
    const std::int64_t n = v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int();
    negative = n < 0;
    auto magnitude = negative ? static_cast<std::uint64_t>(-(n + 1)) + 1 : static_cast<std::uint64_t>(n);
    char buf[32];
    const char* fmt = spec.type == 'o' ? "%llo" : spec.type == 'x' ? "%llx" : spec.type == 'X' ? "%llX" : "%llu";
    std::snprintf(buf, sizeof buf, fmt, static_cast<unsigned long long>(magnitude));
    digits = buf;
  } else {
    const char* need = decimal ? "a real number" : "an integer";
    return format_error(std::string("%") + spec.type + " format: " + need + " is required, not " + py_type_name(v));
  }
  if (spec.precision > 0 && digits.size() < static_cast<size_t>(spec.precision)) {
    digits.insert(0, static_cast<size_t>(spec.precision) - digits.size(), '0');
  }
  std::string prefix;
  if (spec.alternate && spec.type == 'o') prefix = "0o";
  if (spec.alternate && spec.type == 'x') prefix = "0x";
  if (spec.alternate && spec.type == 'X') prefix = "0X";
  return pad(sign_prefix(negative, spec) + prefix + digits, spec, true);
}

Result<std::string> format_float(const Value& v, const Spec& spec) {
  if (!v.is_number() && !v.is_bool()) {
    return format_error(std::string("must be real number, not ") + py_type_name(v));
  }
  double d = v.is_bool() ? (v.as_bool() ? 1.0 : 0.0) : v.as_double();
  std::string fmt = "%";
  if (spec.alternate) fmt += '#';
  fmt += '.' + std::to_string(spec.precision < 0 ? 6 : spec.precision) + spec.type;
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt.c_str(), std::fabs(d));
  std::string body = buf;
  if (std::isinf(d)) body = spec.type >= 'a' ? "inf" : "INF";
  if (std::isnan(d)) body = spec.type >= 'a' ? "nan" : "NAN";
  return pad(sign_prefix(std::signbit(d) && !std::isnan(d), spec) + body, spec, !std::isinf(d) && !std::isnan(d));
}

Result<std::string> format_one(const Value& v, const Spec& spec) {
  switch (spec.type) {
    case 's':
    case 'r':
    case 'a': {
      std::string s = spec.type == 's' ? py_str(v) : py_repr(v);
      if (spec.precision >= 0) {
        auto chars = utf8_chars(s);
        if (chars.size() > static_cast<size_t>(spec.precision)) {
          std::string cut;
          for (int i = 0; i < spec.precision; ++i) cut += chars[static_cast<size_t>(i)];
          s = std::move(cut);
        }
      }
      return pad(std::move(s), spec, false);
    }
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
      return format_integer(v, spec);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
      return format_float(v, spec);
    case 'c': {
      std::string s;
      if (v.is_int() && v.as_int() >= 0 && v.as_int() <= 0x10FFFF) {
        append_utf8(s, static_cast<std::uint32_t>(v.as_int()));
      } else if (v.is_string() && utf8_length(v.as_string()) == 1) {
        s = v.as_string();
      } else {
        return format_error("%c requires int or char");
      }
      return pad(std::move(s), spec, false);
    }
  }
  return format_error(std::string("unsupported format character '") + spec.type + "'");
}

}  // namespace

Result<std::string> py_format(const std::string& fmt, const std::vector<const Value*>& args,
                              const Value* mapping) {
  std::string out;
  size_t next_arg = 0;
  auto take_arg = [&]() -> const Value* { return next_arg < args.size() ? args[next_arg++] : nullptr; };
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (++i >= fmt.size()) return format_error("incomplete format");
    if (fmt[i] == '%') {
      out += '%';
      continue;
    }
    const Value* value = nullptr;
    if (fmt[i] == '(') {
      size_t close = fmt.find(')', i);
      if (close == std::string::npos) return format_error("incomplete format key");
      if (!mapping || !mapping->is_object()) return format_error("format requires a mapping");
      std::string key = fmt.substr(i + 1, close - i - 1);
      value = mapping->find(key);
      if (!value) return format_error("format key '" + key + "' is not in the mapping");
      i = close + 1;
    }
    Spec spec;
    for (; i < fmt.size(); ++i) {
      char c = fmt[i];
      if (c == '-') spec.left = true;
      else if (c == '0') spec.zero = true;
      else if (c == '+') spec.plus = true;
      else if (c == ' ') spec.space = true;
      else if (c == '#') spec.alternate = true;
      else break;
    }
    // Python refuses widths beyond a C int ("width too big"); we stop far
    // lower, as '%999999999s' would pad to a gigabyte.
    constexpr std::int64_t kMaxField = 1'000'000;
    auto number = [&](int& field) -> Result<void> {
      if (i < fmt.size() && fmt[i] == '*') {
        const Value* n = take_arg();
        if (!n || !n->is_int()) return format_error("* wants int");
        if (n->as_int() > kMaxField || n->as_int() < -kMaxField) return format_error("width too big");
        field = static_cast<int>(n->as_int());
        ++i;
        return {};
      }
      if (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
        field = 0;
        while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
          field = field * 10 + (fmt[i++] - '0');
          if (field > kMaxField) return format_error("width too big");
        }
      }
      return {};
    };
    if (auto r = number(spec.width); !r) return r.error();
    if (spec.width < -1) {
      spec.left = true;
      spec.width = -spec.width;
    }
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      spec.precision = 0;
      if (auto r = number(spec.precision); !r) return r.error();
    }
    while (i < fmt.size() && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L')) ++i;
    if (i >= fmt.size()) return format_error("incomplete format");
    spec.type = fmt[i];
    if (!value) value = take_arg();
    if (!value) return format_error("not enough arguments for format string");
    auto piece = format_one(*value, spec);
    if (!piece) return piece.error();
    out += *piece;
  }
  if (next_arg < args.size() && !mapping) return format_error("not all arguments converted during string formatting");
  return out;
}

}  // namespace fleetk8s::tmpl::detail
