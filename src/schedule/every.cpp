#include "fleetk8s/core/strings.h"
#include "fleetk8s/schedule/every.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "fleetk8s/core/duration.h"

namespace fleetk8s::schedule {

namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

Error expected(std::string_view text) {
  return Error(ErrorKind::kInvalidInput,
               "--every " + std::string(text) +
                   ": expected a time span (30m, 1h, 2h30m, 15min) or a systemd calendar expression "
                   "(hourly, *:0/15, Mon..Fri 02:00)");
}

// systemd's shorthands for calendar events (systemd.time(7)).
bool is_calendar_shorthand(const std::string& word) {
  static constexpr std::array kWords = {"minutely", "hourly",    "daily",        "weekly",  "monthly",
                                        "yearly",   "quarterly", "semiannually", "annually"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

bool starts_with_weekday(const std::string& lowered) {
  static constexpr std::array kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  return std::any_of(kDays.begin(), kDays.end(), [&](const char* d) { return lowered.rfind(d, 0) == 0; });
}

// Digits, letters and spaces only, starting with a digit: meant as a span
// ("2h 30min" as systemctl prints spans is taken too).
bool looks_like_span(std::string_view text) {
  return !text.empty() && is_digit(text.front()) &&
         std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || is_alpha(c) || c == ' '; });
}

bool looks_like_calendar(std::string_view text) {
  const std::string l = to_lower(text);
  if (is_calendar_shorthand(l)) return true;
  const bool charset = std::all_of(l.begin(), l.end(), [](char c) {
    return is_digit(c) || is_alpha(c) || std::string_view(" :*/-.,~+_").find(c) != std::string_view::npos;
  });
  if (!charset) return false;
  return l.find_first_of(":*-") != std::string::npos || starts_with_weekday(l);
}

}  // namespace

std::string format_span(std::chrono::seconds span) {
  long long s = span.count();
  if (s <= 0) return "0";
  static constexpr std::array<std::pair<long long, const char*>, 4> kUnits = {
      {{86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}}};
  std::string out;
  for (const auto& [per, name] : kUnits) {
    if (s < per) continue;
    if (!out.empty()) out += ' ';
    out += std::to_string(s / per) + name;
    s %= per;
  }
  return out;
}

std::string Every::text() const { return kind == Kind::kInterval ? format_span(interval) : calendar; }

Result<Every> parse_every(std::string_view raw) {
  const std::string_view text = trim_view(raw);
  if (text.empty()) return expected(raw);
  if (std::all_of(text.begin(), text.end(), is_digit))
    return Error(ErrorKind::kInvalidInput, "--every " + std::string(text) + ": give a unit: " + std::string(text) +
                                               "m for minutes, " + std::string(text) + "h for hours");
  Every every;
  if (looks_like_span(text)) {
    std::string compact;
    for (char c : text)
      if (c != ' ') compact += c;
    auto span = parse_duration(compact);
    if (!span) return expected(text);
    if (*span < kMinInterval)
      return Error(ErrorKind::kInvalidInput, "--every " + std::string(text) +
                                                 ": runs more often than once a minute are refused (a run over a "
                                                 "fleet takes longer than that); use 1m or more");
    every.kind = Every::Kind::kInterval;
    every.interval = *span;
    return every;
  }
  if (!looks_like_calendar(text)) return expected(text);
  every.kind = Every::Kind::kCalendar;
  every.calendar = std::string(text);
  return every;
}

}  // namespace fleetk8s::schedule
