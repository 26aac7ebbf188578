// Join every node that is not a member yet, all at once (join.yml, with the
// join data as extra variables). In check mode there is no join data (no
// token is created): placeholders stand in for it.
#include "phases.h"

namespace fleetk8s::cluster::phases {

Phase join_nodes() {
  Phase p;
  p.title = "Join the other nodes, all at once";
  p.hosts = "the nodes that are no member yet";
  p.reads = "the hosts that have to join (init), the join data";
  p.changes = true;
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (run.state.joining.empty()) return "nothing to join";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    if (run.check())
      for (const char* k : {"join_endpoint", "join_token", "join_ca_hash", "join_certificate_key"})
        run.engine.set_extra_var(k, "(check mode)");
    co_return after(run, co_await run.playbook("join.yml", run.state.joining));
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
