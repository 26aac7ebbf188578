// The watch's two intervals, as `fleetk8s watch` and `fleetk8s schedule
// install --watch` take them: one default, one parse and one message each,
// so the service a schedule writes accepts exactly what `watch` accepts.
#pragma once

#include <chrono>
#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::cluster {

// --every when not given: from the start of one cycle to the next.
inline constexpr const char* kDefaultWatchEveryText = "30s";
// --full-check-every when not given: as a duration, and as the user would
// write it (help texts, the watch's first line).
inline constexpr std::chrono::seconds kDefaultFullCheckEvery{10 * 60};
inline constexpr const char* kDefaultFullCheckEveryText = "10m";

// --every TEXT: a duration of 1s or more. Errors (kInvalidInput) name the
// flag and what was expected.
Result<std::chrono::seconds> parse_watch_every(const std::string& text);

// --full-check-every TEXT for a watch whose cycle is `every` (as the user
// wrote it: `every_text`): a duration no shorter than the cycle (equal:
// every host in full every cycle). Errors (kInvalidInput) name the flag.
Result<std::chrono::seconds> parse_full_check_every(const std::string& text, std::chrono::seconds every,
                                                    const std::string& every_text);

}  // namespace fleetk8s::cluster
