// The run folder: every run of run/up/check/reset leaves one, so an admin
// can read afterwards what happened on each host, and monitoring finds the
// newest summary in a stable place.
//
//   <runs>/<YYYYmmddTHHMMSS>-<command>-<pid>/   (UTC)
//     command.txt      the command line, secrets masked
//     events.jsonl     one JSON object per line: play, task, result (one per
//                      task per host, or per loop item), retry, phase,
//                      message, recap
//     hosts/<host>.log every task's full output for that host
//     summary.json     the JSON report (json_report.h), written at the end
//   <runs>/last               symlink to the newest run folder
//   <runs>/last-summary.json  a copy of its summary.json
//
// Everything written goes through mask_secrets()/mask_value() before it is
// encoded. Nobody else may read it: directories are created 0700, files
// 0600 (private_file.h). A folder that cannot be written is a warning
// (log_warn), never a failed run: the writer then stops writing.
#pragma once

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/report/playbook_report.h"

namespace fleetk8s::report {

// $XDG_STATE_HOME/fleetk8s/runs, else $HOME/.local/state/fleetk8s/runs
// (each only when absolute), else for root /var/lib/fleetk8s/runs, else ""
// (never a shared directory such as /tmp). System timers set
// XDG_STATE_HOME=/var/lib.
std::string default_runs_dir();

// Where etcd snapshots of cluster CLUSTER go on this machine:
// $XDG_STATE_HOME/fleetk8s/backups/CLUSTER (~/.local/state/... when unset;
// /var/lib/fleetk8s/backups/CLUSTER for root without a HOME), or "".
std::string default_backups_dir(const std::string& cluster);

// Output longer than this is trimmed in events.jsonl (head and tail kept);
// the host logs keep it whole.
inline constexpr size_t kEventOutputLimit = 4096;

// `text` cut to at most about `limit` bytes: its head and tail around
// "[... N bytes trimmed ...]", cut on UTF-8 character boundaries.
std::string trim_output(const std::string& text, size_t limit = kEventOutputLimit);

class RunFolder final : public PlaybookReporter {
 public:
  // Creates the folder for a `command` run under `runs_dir` (made 0700
  // when missing) with hosts/ and command.txt. Errors: kIo naming the
  // path; kInvalidInput when `runs_dir` is "" (no default_runs_dir()).
  static Result<std::unique_ptr<RunFolder>> create(const std::string& runs_dir, const std::string& command,
                                                   const std::vector<std::string>& argv);
  ~RunFolder() override;
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;

  const std::string& path() const { return path_; }

  // Writes summary.json (`summary_json` is masked already, as
  // json_report() returns it), points <runs>/last at this folder, refreshes
  // <runs>/last-summary.json and removes all but the newest `keep` run
  // folders (keep <= 0: none removed). Problems are warnings.
  void finish(const std::string& summary_json, int keep);

  // PlaybookReporter: appends to events.jsonl and the host logs.
  void play_start(const std::string& name) override;
  void task_start(const std::string& kind, const std::string& name) override;
  void task_result(const TaskResultEvent& e) override;
  void message(const std::string& text) override;
  void recap(const std::vector<std::pair<std::string, HostStats>>& stats) override;
  void phase(int n, int total, const std::string& title) override;
  void milestone(const std::string& host, const std::string& what) override;

 private:
  RunFolder(std::string runs_dir, std::string path) : runs_dir_(std::move(runs_dir)), path_(std::move(path)) {}
  void event(Value::Object fields);
  void host_log(const std::string& host, const std::string& text);
  void warn(const std::string& what);

  std::string runs_dir_, path_;
  std::FILE* events_ = nullptr;
  std::map<std::string, std::FILE*> host_logs_;
  bool broken_ = false;  // a write failed: warned once, writing stopped
  std::string play_, task_, kind_;
  int task_index_ = -1, phase_ = 0;
};

}  // namespace fleetk8s::report
