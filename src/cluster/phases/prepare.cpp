// Prepare every host for kubeadm (prepare.yml): SELinux, swap, kernel
// modules, sysctls, firewall, CRI-O, kubelet/kubeadm/kubectl.
#include "phases.h"

namespace fleetk8s::cluster::phases {

Phase prepare() {
  Phase p;
  p.title = "Prepare every host (SELinux, swap, modules, sysctls, CRI-O, kubelet)";
  p.hosts = "every host";
  p.reads = "facts";
  p.produces = "kubelet_conf (registered: whether the host is a member already)";
  p.changes = true;
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    auto r = co_await run.playbook("prepare.yml", run.state.hosts);
    if (!r) co_return after(run, r);
    if (run.control_plane_down("prepared")) co_return Outcome::end(orchestrator::kClusterControlPlane);
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
