#include "fleetk8s/report/fanout_reporter.h"

namespace fleetk8s::report {

void FanoutReporter::play_start(const std::string& name) {
  for (auto* r : targets_) r->play_start(name);
}
void FanoutReporter::task_start(const std::string& kind, const std::string& name) {
  for (auto* r : targets_) r->task_start(kind, name);
}
void FanoutReporter::task_result(const TaskResultEvent& event) {
  for (auto* r : targets_) r->task_result(event);
}
void FanoutReporter::message(const std::string& text) {
  for (auto* r : targets_) r->message(text);
}
void FanoutReporter::recap(const std::vector<std::pair<std::string, HostStats>>& stats) {
  for (auto* r : targets_) r->recap(stats);
}
void FanoutReporter::phase(int n, int total, const std::string& title) {
  for (auto* r : targets_) r->phase(n, total, title);
}
void FanoutReporter::task_hosts(const std::vector<std::string>& hosts) {
  for (auto* r : targets_) r->task_hosts(hosts);
}
void FanoutReporter::host_task_start(const std::string& host) {
  for (auto* r : targets_) r->host_task_start(host);
}

void FanoutReporter::milestone(const std::string& host, const std::string& what) {
  for (auto* r : targets_) r->milestone(host, what);
}

}  // namespace fleetk8s::report
