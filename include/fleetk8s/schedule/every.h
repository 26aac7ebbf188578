// How often a scheduled run starts, as `fleetk8s schedule install --every`
// takes it: a time span ("30m", "1h", "2h30m", "15min") for a run every
// so often, or a systemd calendar expression ("hourly", "*:0/15",
// "Mon..Fri 02:00") for runs at wall-clock times. Pure text: no systemd.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "fleetk8s/core/result.h"

namespace fleetk8s::schedule {

struct Every {
  enum class Kind { kInterval, kCalendar };
  Kind kind = Kind::kInterval;
  std::chrono::seconds interval{0};  // kInterval: at least one minute
  std::string calendar;              // kCalendar: the expression as given (trimmed)

  // For humans and the timer's Description: "30min", "2h 30min", "hourly".
  std::string text() const;
};

// The shortest interval accepted: runs over a fleet take longer than that.
inline constexpr std::chrono::seconds kMinInterval{60};

// Parses --every. A span uses the units of core/duration.h (s, m/min, h, d);
// a bare number is refused (seconds or minutes?). Anything else must look
// like a calendar expression: a systemd shorthand (minutely, hourly, daily,
// weekly, monthly, yearly, quarterly, semiannually, annually), or a text of
// weekday names, digits and `*:/-.,~` that has a time (`:`) or a date (`-`)
// or a `*`. The calendar grammar itself is systemd's to judge
// (`systemd-analyze calendar`); this only keeps typos of spans out.
// Errors (kInvalidInput) say what was expected:
//   "--every 30x: expected a time span (30m, 1h, 2h30m, 15min) or a systemd calendar expression (hourly, *:0/15, Mon..Fri 02:00)"
Result<Every> parse_every(std::string_view text);

// A span in systemd's own notation, largest units first: 5400s -> "1h 30min",
// 90s -> "1min 30s", 0s -> "0".
std::string format_span(std::chrono::seconds span);

}  // namespace fleetk8s::schedule
