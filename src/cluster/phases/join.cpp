// Join every node that is not a member yet (join.yml, with the join data as
// extra variables), join_parallel of them running `kubeadm join` at once
// (the task's throttle): the API server takes every join's discovery, client
// certificate and node registration. In check mode there is no join data (no
// token is created): placeholders stand in for it.
#include <algorithm>

#include "phases.h"

namespace fleetk8s::cluster::phases {

Phase join_nodes() {
  Phase p;
  p.title = "Join the other nodes, join_parallel at a time";
  p.hosts = "the nodes that are no member yet";
  p.reads = "the hosts that have to join (init), the join data, join_parallel";
  p.changes = true;
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (run.state.joining.empty()) return "nothing to join";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    if (run.check())
      for (const char* k : {"join_endpoint", "join_token", "join_ca_hash", "join_certificate_key"})
        run.engine.set_extra_var(k, "(check mode)");
    const long n = static_cast<long>(run.state.joining.size());
    const long parallel = setting_number(run, "join_parallel", 50), forks = run.engine.options().forks;
    const long at_once = std::min({parallel, forks, n});
    if (!run.check())
      run.message("joining " + std::to_string(n) + (n == 1 ? " node" : " nodes") +
                  (at_once < n ? ", " + std::to_string(at_once) + " at a time (" +
                                     (parallel <= forks ? "join_parallel" : "--forks") + ")"
                               : ""));
    co_return after(run, co_await run.playbook("join.yml", run.state.joining));
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
