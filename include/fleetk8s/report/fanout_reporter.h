// One engine event to several reporters (the terminal, the run folder, the
// report recorder), in the order they were added.
#pragma once

#include <vector>

#include "fleetk8s/report/playbook_report.h"

namespace fleetk8s::report {

class FanoutReporter final : public PlaybookReporter {
 public:
  // `r` is borrowed and must outlive this reporter.
  void add(PlaybookReporter& r) { targets_.push_back(&r); }

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
  std::vector<PlaybookReporter*> targets_;
};

}  // namespace fleetk8s::report
