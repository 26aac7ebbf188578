// check's verdict: every host and task that would change (recorded by
// report::make_change_recorder while the phases ran in check mode, and the
// certificates due), then the problems the phases found (certificates
// expired, an API server down, an etcd member missing: exit 3).
#include "fleetk8s/core/strings.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

Phase drift() {
  Phase p;
  p.title = "Report the drift";
  p.hosts = "none (what the phases before found)";
  p.reads = "the changes the check-mode phases recorded";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    using namespace orchestrator;
    const bool drifted = run.changes && !run.changes->empty();
    if (drifted) {
      std::string text = "\ndrift: " + std::to_string(run.changes->size()) + " task(s) would change:";
      for (const auto& [host, task] : *run.changes) text += "\n  " + host + ": " + task;
      run.message(text);
    }
    if (!run.state.problems.empty())
      run.message("fleetk8s check: " + join(run.state.problems, "\nfleetk8s check: "));
    if (int code = run.hosts_verdict(); code != kClusterOk) {
      run.message("fleetk8s check: some hosts failed or were unreachable (see above)");
      co_return Outcome::end(run.state.problems.empty() ? code : kClusterHostsFailed);
    }
    if (!run.state.problems.empty()) co_return Outcome::end(kClusterHostsFailed);
    if (!drifted) {
      run.message("\nconverged: nothing would change");
      co_return Outcome::end(kClusterOk);
    }
    co_return Outcome::end(kClusterDrift);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
