#include "py_number.h"
#include "fleetk8s/core/strings.h"

#include <cctype>
#include <cstdlib>
#include <limits>
#include <string>

namespace fleetk8s::tmpl::detail {
namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Digits with single '_' separators (not leading or trailing); false if malformed.
bool clean_digits(std::string_view s, std::string& out) {
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (s[i + 1] == '_') return false;
      continue;
    }
    out += s[i];
  }
  return true;
}

}  // namespace

std::optional<std::int64_t> parse_py_int(std::string_view text, int base) {
  std::string_view s = trim_view(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.size() > 1 && s[0] == '0') {
    char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
    int prefixed = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
    if (prefixed && (base == 0 || base == prefixed)) {
      base = prefixed;
      s.remove_prefix(2);
      if (!s.empty() && s[0] == '_') s.remove_prefix(1);
    }
  }
  if (base == 0) {
    // No prefix: decimal, and a leading zero is only allowed for zero itself.
    base = 10;
    if (s.size() > 1 && s[0] == '0' && s.find_first_not_of("0_") != std::string_view::npos) return std::nullopt;
  }
  std::string digits;
  if (!clean_digits(s, digits)) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    int d = digit_value(c);
    if (d >= base) return std::nullopt;
    if (value > (std::numeric_limits<std::uint64_t>::max() - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) {
      return std::nullopt;
    }
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (value > limit + (negative ? 1 : 0)) return std::nullopt;
  if (negative) return value == limit + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(value);
  return static_cast<std::int64_t>(value);
}

std::optional<double> parse_py_float(std::string_view text) {
  std::string_view s = trim_view(text);
  std::string lowered;
  for (char c : s) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view body = lowered;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (body == "inf" || body == "infinity" || body == "nan") {
    return std::strtod(lowered.c_str(), nullptr);
  }
  // Only digits, one '.', an exponent and '_' between digits.
  std::string clean;
  for (size_t i = 0; i < lowered.size(); ++i) {
    char c = lowered[i];
    if (c == '_') {
      bool between = i > 0 && i + 1 < lowered.size() && std::isdigit(static_cast<unsigned char>(lowered[i - 1])) &&
                     std::isdigit(static_cast<unsigned char>(lowered[i + 1]));
      if (!between) return std::nullopt;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'e' && c != '+' && c != '-') return std::nullopt;
    clean += c;
  }
  if (clean.empty() || clean.find_first_of("0123456789") == std::string::npos) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  return d;
}

}  // namespace fleetk8s::tmpl::detail
