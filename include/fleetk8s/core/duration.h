// Durations as admins write them on command lines: "90" (seconds), "30s",
// "10m", "1h30m", "2d" (units s, m/min, h, d; several parts add up).
#pragma once

#include <chrono>
#include <string_view>

#include "fleetk8s/core/result.h"

namespace fleetk8s {

// At most a year (366d). Errors (kInvalidInput): "expected a duration such as
// 30s, 10m or 1h30m, at most 366d, got "x"".
Result<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace fleetk8s
