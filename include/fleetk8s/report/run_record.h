// What a run did, recorded from the engine's events for the reports: the
// JSON summary (json_report.h), the HTML page (html_report.h) and the run
// folder's summary.json. Knows nothing of SSH or the terminal.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fleetk8s/report/playbook_report.h"

namespace fleetk8s::report {

using Clock = std::chrono::system_clock;

// About the command, filled by the command line.
struct RunInfo {
  std::string command;            // "run", "up", "check", "reset"
  std::vector<std::string> argv;  // the command line (secrets masked when written)
  std::string inventory;
  std::string playbook;           // `run` only
  bool check = false;             // check mode: nothing changed on the hosts
  std::string run_dir;            // the run folder, when one is written
};

// One host's result for one task; loop items merged (worst status wins,
// start of the first item, end of the last).
struct TaskCell {
  TaskStatus status = TaskStatus::kOk;
  bool ignored = false;  // failed, but ignore_errors said go on
  int items = 0;         // loop items reported (0: no loop)
  std::optional<int> rc;
  Clock::time_point start{}, end{};
  std::string msg;  // the result's msg, when it failed or was unreachable
};

struct TaskRecord {
  std::string play, kind, name;  // kind: "TASK", "RUNNING HANDLER"
  int phase = 0;                 // the phase it ran in (0: none)
  Clock::time_point start{}, end{};
  std::map<std::string, TaskCell> hosts;
};

struct PhaseRecord {
  int number = 0, total = 0;
  std::string title;
  Clock::time_point start{};
};

// One step of a node's story (PlaybookReporter::milestone).
struct Milestone {
  std::string host, what;
  Clock::time_point at{};
};

struct RunRecord {
  RunInfo info;
  Clock::time_point start{}, end{};
  int exit_code = -1;  // -1 while running
  std::vector<std::string> hosts;  // every host of the run, in inventory order
  std::vector<TaskRecord> tasks;   // in the order they started
  std::vector<PhaseRecord> phases;
  std::vector<Milestone> milestones;  // in the order they happened
  std::vector<std::pair<std::string, HostStats>> stats;  // the PLAY RECAP counts
};

// A host's outcome over the whole run, from its recap counts: "unreachable",
// "failed", "changed", "ok", or "not run" when it has no counts.
std::string host_outcome(const RunRecord& record, const std::string& host);

// The first task `host` failed in (not ignored), or nullptr.
const TaskRecord* first_failure(const RunRecord& record, const std::string& host);

// "ok", "changed", "failed", "skipped", "unreachable" ("ignored" for an
// ignored failure).
std::string status_name(TaskStatus status, bool ignored = false);

// A reporter that fills `record` (which must outlive it). `record.hosts`
// may be preset; hosts seen in results are added.
std::unique_ptr<PlaybookReporter> make_run_recorder(RunRecord& record);

}  // namespace fleetk8s::report
