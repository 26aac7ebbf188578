#include "fleetk8s/report/event_buffer.h"

namespace fleetk8s::report {

namespace {
// Set while a buffer replays (the engine and its reporters run on one thread).
thread_local std::chrono::system_clock::time_point replaying{};
}  // namespace

std::chrono::system_clock::time_point event_time() {
  return replaying != std::chrono::system_clock::time_point{} ? replaying : std::chrono::system_clock::now();
}

void EventBuffer::keep(std::function<void(PlaybookReporter&)> event) {
  events_.emplace_back(std::chrono::system_clock::now(), std::move(event));
}

void EventBuffer::replay(PlaybookReporter& to) const {
  for (const auto& [at, e] : events_) {
    replaying = at;
    e(to);
  }
  replaying = {};
}

void EventBuffer::play_start(const std::string& name) {
  keep([name](PlaybookReporter& r) { r.play_start(name); });
}

void EventBuffer::task_start(const std::string& kind, const std::string& name) {
  keep([kind, name](PlaybookReporter& r) { r.task_start(kind, name); });
}

void EventBuffer::task_result(const TaskResultEvent& event) {
  keep([event](PlaybookReporter& r) { r.task_result(event); });
}

void EventBuffer::message(const std::string& text) {
  keep([text](PlaybookReporter& r) { r.message(text); });
}

void EventBuffer::recap(const std::vector<std::pair<std::string, HostStats>>& stats) {
  keep([stats](PlaybookReporter& r) { r.recap(stats); });
}

void EventBuffer::phase(int n, int total, const std::string& title) {
  keep([n, total, title](PlaybookReporter& r) { r.phase(n, total, title); });
}

void EventBuffer::task_hosts(const std::vector<std::string>& hosts) {
  keep([hosts](PlaybookReporter& r) { r.task_hosts(hosts); });
}

void EventBuffer::host_task_start(const std::string& host) {
  keep([host](PlaybookReporter& r) { r.host_task_start(host); });
}

void EventBuffer::milestone(const std::string& host, const std::string& what) {
  keep([host, what](PlaybookReporter& r) { r.milestone(host, what); });
}

}  // namespace fleetk8s::report
