// What a playbook run tells the user, as events: the engine calls a
// PlaybookReporter and never prints itself (ninja's Status). The text
// reporter prints Ansible's default output so admins read it at a glance,
// and its PLAY RECAP lines are byte-for-byte Ansible's (scripts grep them).
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fleetk8s/core/value.h"

namespace fleetk8s::report {

enum class TaskStatus { kOk, kChanged, kFailed, kSkipped, kUnreachable };

// Per-host counts, as in Ansible's PLAY RECAP.
struct HostStats {
  int ok = 0, changed = 0, unreachable = 0, failed = 0, skipped = 0, rescued = 0, ignored = 0;
  // Not Ansible's: the connection attempts after the first that the host
  // needed (or that failed before it was called unreachable). Not part of
  // the recap line; format_connect_retries() says it after the lines.
  int connect_retries = 0;
};

// One host's result for one task (or one loop item of it).
struct TaskResultEvent {
  std::string host;
  TaskStatus status = TaskStatus::kOk;
  bool ignored = false;     // failed, but ignore_errors said go on
  bool is_item = false;     // one item of a loop; `item_label` names it
  std::string item_label;
  // The result as Ansible shows it after "=>": already masked for no_log.
  Value result;
  bool always_show = false;  // debug: shown without -v, indented
  std::string diff;          // unified diff (--diff)
  int retries_left = -1;     // >= 0: an `until` attempt that failed
  // When the host began and finished this task (or loop item); the epoch
  // when unknown (retry notices, results made up by the play runner).
  std::chrono::system_clock::time_point start{}, end{};
  std::optional<int> rc;     // the exit status of the command the module ran, if any
};

class PlaybookReporter {
 public:
  virtual ~PlaybookReporter() = default;
  virtual void play_start(const std::string& name) = 0;
  // `kind`: "TASK", "RUNNING HANDLER" (Ansible's banners).
  virtual void task_start(const std::string& kind, const std::string& name) = 0;
  virtual void task_result(const TaskResultEvent& event) = 0;
  // A line outside any host result ("skipping: no hosts matched",
  // "NO MORE HOSTS LEFT", warnings).
  virtual void message(const std::string& text) = 0;
  virtual void recap(const std::vector<std::pair<std::string, HostStats>>& stats) = 0;

  // Optional events (default: nothing, or plain text) for the live
  // progress and the run reports.
  // A phase of a multi-phase command (`fleetk8s up`): by default the line
  // "\n== [n/total] title" through message().
  virtual void phase(int n, int total, const std::string& title);
  // The hosts the task announced by the last task_start() runs on.
  virtual void task_hosts(const std::vector<std::string>& hosts) { (void)hosts; }
  // `host` begins the current task (after waiting for a fork slot).
  virtual void host_task_start(const std::string& host) { (void)host; }
  // A step of one node's story outside any task, for the reports' per-node
  // timeline: `upgrade` says "drained", "upgraded to 1.34.1", "Ready",
  // "uncordoned" as each happens.
  virtual void milestone(const std::string& host, const std::string& what) {
    (void)host;
    (void)what;
  }
};

// `e` with its result, item label and diff masked (secrets.h): what a
// reporter formats or encodes, never the raw event.
TaskResultEvent mask_event(const TaskResultEvent& e);

// Ansible's default callback, written to `out`. `verbosity` >= 1 shows
// every result's data (-v); >= 2 (-vv) also each command with its exit
// status, duration and output lines.
std::unique_ptr<PlaybookReporter> make_text_reporter(std::FILE* out, int verbosity);

// A reporter that passes everything to `inner` and records, in `changes`,
// each (host, task name) that changed or would change (check mode's drift).
// Both must outlive it.
std::unique_ptr<PlaybookReporter> make_change_recorder(PlaybookReporter& inner,
                                                      std::vector<std::pair<std::string, std::string>>& changes);

// "cp1                        : ok=3    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   "
std::string format_recap_line(const std::string& host, const HostStats& s);

// The line after a recap's lines when some host needed connection retries:
// "connect retries: web3 1, web9 2 (2 hosts, 3 retries)", in the given order;
// empty when no host did.
std::string format_connect_retries(const std::vector<std::pair<std::string, int>>& retries);

// Ansible's banner: "TASK [name] " padded with '*' to 80 columns.
std::string banner(const std::string& text);

// JSON as Ansible prints results: 4-space indent when `pretty` (debug,
// -vvv), else one line with Python's separators. Keys sorted.
std::string result_json(const Value& v, bool pretty);

}  // namespace fleetk8s::report
