// What `fleetk8s schedule status` says about the last run: a few lines
// read from the run folder's summary.json (docs/report-schema.json). Reads
// what it finds and skips what it does not, so a summary of another
// schema version still gives what can be given.
#pragma once

#include <string>
#include <vector>

#include "fleetk8s/core/value.h"

namespace fleetk8s::schedule {

// For example:
//   "up exited 3 (failed) at 2026-11-26T04:30:43.120Z after 41.2s"
//   "hosts: 4: 2 ok, 1 changed, 1 failed, 0 unreachable, 0 not run"
//   "worker02 failed in \"Swap off now\": swapoff: Operation not permitted"
// An empty list when `summary` is not an object.
std::vector<std::string> describe_last_run(const Value& summary);

}  // namespace fleetk8s::schedule
