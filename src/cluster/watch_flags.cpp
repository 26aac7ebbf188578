#include "fleetk8s/cluster/watch_flags.h"

#include "fleetk8s/core/duration.h"

namespace fleetk8s::cluster {

Result<std::chrono::seconds> parse_watch_every(const std::string& text) {
  auto every = parse_duration(text);
  if (!every || every->count() < 1)
    return Error(ErrorKind::kInvalidInput,
                 "--every " + text + ": expected the watch's cycle, a duration of 1s or more (30s, 5m)");
  return *every;
}

Result<std::chrono::seconds> parse_full_check_every(const std::string& text, std::chrono::seconds every,
                                                    const std::string& every_text) {
  auto full = parse_duration(text);
  if (!full || *full < every)
    return Error(ErrorKind::kInvalidInput, "--full-check-every " + text +
                                               ": expected a duration no shorter than --every " + every_text +
                                               " (equal: every cycle in full)");
  return *full;
}

}  // namespace fleetk8s::cluster
