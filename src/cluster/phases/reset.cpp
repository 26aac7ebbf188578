// Tear Kubernetes down on the chosen hosts (reset.yml: kubeadm reset, CNI
// and iptables state, packages' state).
#include "phases.h"

namespace fleetk8s::cluster::phases {

Phase reset(std::vector<std::string> hosts) {
  Phase p;
  p.title = "Reset Kubernetes on " + std::to_string(hosts.size()) + " host" + (hosts.size() == 1 ? "" : "s");
  p.hosts = "the hosts chosen (--limit)";
  p.changes = true;
  p.run = [hosts = std::move(hosts)](ClusterRun& run) -> ssh::Task<Outcome> {
    co_return after(run, co_await run.playbook("reset.yml", hosts));
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
