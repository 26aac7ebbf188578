// The run as one self-contained HTML page (`--report FILE.html`): run
// metadata, the recap table with counts per host, and a timeline of hosts x
// tasks coloured by status (hover: task, host, duration, status), readable
// with hundreds of hosts. No external asset: inline CSS, a small inline
// script for filtering, nothing fetched.
#pragma once

#include <string>

#include "fleetk8s/report/run_record.h"

namespace fleetk8s::report {

// The page, secrets masked.
std::string html_report(const RunRecord& record);

// `text` with &, <, >, " and ' escaped.
std::string html_escape(const std::string& text);

}  // namespace fleetk8s::report
