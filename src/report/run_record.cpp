#include "fleetk8s/report/event_buffer.h"
#include "fleetk8s/report/run_record.h"

#include <algorithm>

#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

namespace {

// Higher is worse: the status a loop's items merge into.
int severity(TaskStatus s, bool ignored) {
  switch (s) {
    case TaskStatus::kSkipped: return 0;
    case TaskStatus::kOk: return 1;
    case TaskStatus::kChanged: return 2;
    case TaskStatus::kFailed: return ignored ? 3 : 4;
    case TaskStatus::kUnreachable: return 5;
  }
  return 0;
}

// Masked before it is displayed (a dict as JSON would escape a secret past
// the mask) and before it is cut (half a secret is no longer found).
std::string message_of(const Value& result) {
  const Value* msg = result.find("msg");
  if (!msg || msg->is_null()) return "";
  std::string text = mask_value(*msg).to_display();
  if (text.size() > 500) text = text.substr(0, 500) + "...";
  return text;
}

class RunRecorder final : public PlaybookReporter {
 public:
  explicit RunRecorder(RunRecord& r) : r_(r) {
    if (r_.start == Clock::time_point{}) r_.start = event_time();
  }

  void play_start(const std::string& name) override { play_ = name; }

  void task_start(const std::string& kind, const std::string& name) override {
    TaskRecord t;
    t.play = play_;
    t.kind = kind;
    t.name = mask_secrets(name);
    t.phase = r_.phases.empty() ? 0 : r_.phases.back().number;
    t.start = event_time();
    t.end = t.start;
    r_.tasks.push_back(std::move(t));
  }

  void task_result(const TaskResultEvent& e) override {
    if (e.retries_left >= 0 || r_.tasks.empty()) return;
    add_host(e.host);
    TaskRecord& t = r_.tasks.back();
    const Clock::time_point end = e.end == Clock::time_point{} ? event_time() : e.end;
    const Clock::time_point start = e.start == Clock::time_point{} ? end : e.start;
    auto [it, fresh] = t.hosts.try_emplace(e.host);
    TaskCell& c = it->second;
    if (fresh || severity(e.status, e.ignored) > severity(c.status, c.ignored)) {
      c.status = e.status;
      c.ignored = e.ignored;
      if (e.status == TaskStatus::kFailed || e.status == TaskStatus::kUnreachable) c.msg = message_of(e.result);
    }
    if (fresh || start < c.start) c.start = start;
    if (fresh || end > c.end) c.end = end;
    if (e.is_item) ++c.items;
    if (e.rc && (!c.rc || *c.rc == 0)) c.rc = e.rc;
    // The task's span is its hosts' (the banner's time until the first).
    t.start = t.hosts.size() == 1 && fresh ? start : std::min(t.start, start);
    t.end = t.hosts.size() == 1 && fresh ? end : std::max(t.end, end);
  }

  void message(const std::string&) override {}

  void recap(const std::vector<std::pair<std::string, HostStats>>& stats) override {
    r_.stats = stats;
    for (const auto& [host, s] : stats) add_host(host);
    r_.end = event_time();
  }

  void milestone(const std::string& host, const std::string& what) override {
    r_.milestones.push_back(Milestone{host, what, event_time()});
  }
  void phase(int n, int total, const std::string& title) override {
    r_.phases.push_back(PhaseRecord{n, total, title, event_time()});
  }

  void task_hosts(const std::vector<std::string>& hosts) override {
    for (const auto& h : hosts) add_host(h);
  }

 private:
  void add_host(const std::string& host) {
    if (std::find(r_.hosts.begin(), r_.hosts.end(), host) == r_.hosts.end()) r_.hosts.push_back(host);
  }

  RunRecord& r_;
  std::string play_;
};

}  // namespace

std::string status_name(TaskStatus status, bool ignored) {
  switch (status) {
    case TaskStatus::kOk: return "ok";
    case TaskStatus::kChanged: return "changed";
    case TaskStatus::kFailed: return ignored ? "ignored" : "failed";
    case TaskStatus::kSkipped: return "skipped";
    case TaskStatus::kUnreachable: return "unreachable";
  }
  return "ok";
}

std::string host_outcome(const RunRecord& record, const std::string& host) {
  for (const auto& [name, s] : record.stats) {
    if (name != host) continue;
    if (s.unreachable > 0) return "unreachable";
    if (s.failed > 0) return "failed";
    if (s.changed > 0) return "changed";
    return "ok";
  }
  return "not run";
}

const TaskRecord* first_failure(const RunRecord& record, const std::string& host) {
  for (const auto& t : record.tasks) {
    auto it = t.hosts.find(host);
    if (it == t.hosts.end()) continue;
    const auto& c = it->second;
    if (c.status == TaskStatus::kUnreachable || (c.status == TaskStatus::kFailed && !c.ignored)) return &t;
  }
  return nullptr;
}

std::unique_ptr<PlaybookReporter> make_run_recorder(RunRecord& record) {
  return std::make_unique<RunRecorder>(record);
}

}  // namespace fleetk8s::report
