// The machine-readable summary of a run (`--report FILE.json`, the run
// folder's summary.json): per host and per task, for monitoring. Its shape
// is docs/report-schema.json (JSON Schema 2020-12); kReportSchemaVersion
// changes whenever a field changes meaning or goes away.
#pragma once

#include <string>

#include "fleetk8s/report/run_record.h"

namespace fleetk8s::report {

inline constexpr int kReportSchemaVersion = 1;

// The summary as pretty-printed JSON, secrets masked.
std::string json_report(const RunRecord& record);

// "2026-11-26T04:05:06.123Z" (UTC, milliseconds).
std::string iso_time(Clock::time_point t);

}  // namespace fleetk8s::report
