// What run, up, check and reset share: the reporting flags, the reporters
// they feed (the terminal's progress or Ansible-style text, the run folder,
// the --report files), and the playbook engine on one io_context over SSH
// with Ctrl-C wired to it.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/report/fanout_reporter.h"
#include "fleetk8s/report/run_folder.h"
#include "fleetk8s/report/run_record.h"

namespace fleetk8s::cli {

struct ReportFlags {
  std::string run_dir;               // --run-dir: where run folders go (default report::default_runs_dir())
  std::vector<std::string> reports;  // --report FILE.json|FILE.html (repeatable)
  bool no_progress = false;          // --no-progress: plain lines even on a terminal
  int keep_runs = 50;                // --keep-runs: run folders kept
};

// Registers --run-dir, --report, --no-progress and --keep-runs on `cmd`.
void add_report_flags(CLI::App& cmd, ReportFlags& flags);

// The reporters of one command: feed the engine reporter(), call begin()
// once the input is known good (before that nothing is written: bad input
// leaves no run folder and no report), then finish() with the exit status.
class Reporting {
 public:
  // `info.command`, `info.inventory` (and `info.playbook` for run) set by
  // the caller; the command line is read from /proc/self/cmdline. `hosts`:
  // the hosts of the run, in inventory order.
  Reporting(const ReportFlags& flags, int verbosity, report::RunInfo info, std::vector<std::string> hosts);
  ~Reporting();

  report::PlaybookReporter& reporter() { return fanout_; }

  // Creates the run folder (a warning when it cannot be written) and lets
  // finish() write the reports.
  void begin();

  // After begin(): writes the run folder's summary (and `last`), then the
  // --report files. Returns `exit_code`, or 1 when it was 0 and a --report
  // file could not be written (said on stderr).
  int finish(int exit_code);

 private:
  const ReportFlags& flags_;
  bool begun_ = false;
  report::RunRecord record_;
  std::unique_ptr<report::PlaybookReporter> terminal_, recorder_;
  std::unique_ptr<report::RunFolder> folder_;
  report::FanoutReporter fanout_;
};

// Runs `body` on a PlaybookEngine over SSH: one io_context, Ctrl-C and
// SIGTERM stop the engine, every connection is closed at the end, then the
// recap goes to `reporter`. `prepare` runs first, before any host is
// contacted (compile the playbook). Returns the body's exit status, or the
// error of `prepare` or `body` (bad input found before anything ran; no
// recap then), or an error naming `ulimit -n` when the open-files limit
// cannot hold a session to every target (open_files.h).
Result<int> run_engine(const inventory::Inventory& inventory, std::vector<orchestrator::ExecTarget> targets,
                       orchestrator::RunOptions options, report::PlaybookReporter& reporter,
                       const std::function<Result<void>(orchestrator::PlaybookEngine&)>& prepare,
                       const std::function<ssh::Task<Result<int>>(orchestrator::PlaybookEngine&)>& body);

}  // namespace fleetk8s::cli
