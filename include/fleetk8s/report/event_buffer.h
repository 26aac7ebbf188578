// A reporter that keeps the events it is given, to pass them on later:
// `fleetk8s watch` decides after a cycle whether it deserves a run folder
// (it found something new), then replays the cycle into one.
#pragma once

#include <chrono>
#include <functional>
#include <utility>
#include <vector>

#include "fleetk8s/report/playbook_report.h"

namespace fleetk8s::report {

// When the event being reported happened: now, except while an EventBuffer
// replays its events (then the time each was first reported). The run
// folder and the run record stamp events with it.
std::chrono::system_clock::time_point event_time();

class EventBuffer final : public PlaybookReporter {
 public:
  // Passes every event kept so far to `to`, in order, each with the time
  // it was first reported (event_time()). The buffer keeps them.
  void replay(PlaybookReporter& to) const;
  void clear() { events_.clear(); }

  void play_start(const std::string& name) override;
  void task_start(const std::string& kind, const std::string& name) override;
  void task_result(const TaskResultEvent& event) override;
  void message(const std::string& text) override;
  void recap(const std::vector<std::pair<std::string, HostStats>>& stats) override;
  void phase(int n, int total, const std::string& title) override;
  void task_hosts(const std::vector<std::string>& hosts) override;
  void host_task_start(const std::string& host) override;
  void milestone(const std::string& host, const std::string& what) override;

 private:
  void keep(std::function<void(PlaybookReporter&)> event);
  std::vector<std::pair<std::chrono::system_clock::time_point, std::function<void(PlaybookReporter&)>>> events_;
};

}  // namespace fleetk8s::report
