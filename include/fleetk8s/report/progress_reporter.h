// Live progress on a terminal: two status lines at the bottom, redrawn in
// place with ANSI escapes (the phase, the task, a bar, counts of the task's
// hosts ok/changed/failed/unreachable/pending, elapsed time), refreshed at
// least once a second. Failures, unreachable hosts, messages and the recap
// are printed as ordinary lines above it (with their TASK banner), so
// nothing is lost when the bar moves on; -v prints every result line too.
#pragma once

#include <cstdio>
#include <memory>

#include "fleetk8s/report/playbook_report.h"

namespace fleetk8s::report {

// True when `out` is a terminal that can redraw: isatty and TERM is set and
// not "dumb".
bool can_redraw(std::FILE* out);

// What the status shows.
struct ProgressLine {
  std::string phase, task;  // "[2/7] Prepare every host", "Install CRI-O"
  int targets = 0;          // the task's hosts
  int ok = 0, changed = 0, failed = 0, unreachable = 0, skipped = 0;  // of them, done so far
  double elapsed = 0;       // seconds since the command started
};

// The status as two lines joined by '\n', each at most `width` columns:
// the phase and task, then "|bar| done/targets ok N changed N failed N
// unreachable N pending N mm:ss" (the bar left out when narrow). `color`:
// ANSI colours; `unicode`: block characters for the bar.
std::string format_progress(const ProgressLine& line, int width, bool unicode, bool color);

// Writes to `out` (a terminal). The reporter runs a ticker thread that
// redraws every second until recap() or destruction.
std::unique_ptr<PlaybookReporter> make_progress_reporter(std::FILE* out, int verbosity);

}  // namespace fleetk8s::report
