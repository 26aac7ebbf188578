#include "fleetk8s/core/duration.h"

#include <cctype>
#include <string>

namespace fleetk8s {

namespace {

// A year (366d): a deadline that far from now still fits in nanoseconds many
// times over; 999999999d would not.
constexpr long long kMaxSeconds = 366LL * 86400;

// Seconds per unit, or 0 for an unknown unit.
long long unit_seconds(std::string_view unit) {
  if (unit == "s" || unit == "sec") return 1;
  if (unit == "m" || unit == "min") return 60;
  if (unit == "h") return 3600;
  if (unit == "d") return 86400;
  return 0;
}

}  // namespace

Result<std::chrono::seconds> parse_duration(std::string_view text) {
  const auto bad = [&] {
    return Error(ErrorKind::kInvalidInput,
                 "expected a duration such as 30s, 10m or 1h30m, at most 366d, got \"" + std::string(text) + "\"");
  };
  if (text.empty()) return bad();
  long long total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t digits = i;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == i || digits - i > 9) return bad();
    const long long n = std::stoll(std::string(text.substr(i, digits - i)));
    size_t end = digits;
    while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
    const std::string_view unit = text.substr(digits, end - digits);
    if (unit.empty()) {
      if (i != 0 || end != text.size() || n > kMaxSeconds) return bad();  // a bare number is the whole text
      return std::chrono::seconds(n);
    }
    const long long per = unit_seconds(unit);
    if (per == 0) return bad();
    total += n * per;  // at most 10^9 * 86400 on at most kMaxSeconds: no overflow
    if (total > kMaxSeconds) return bad();
    i = end;
  }
  return std::chrono::seconds(total);
}

}  // namespace fleetk8s
