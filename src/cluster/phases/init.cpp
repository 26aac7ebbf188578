// Initialise the first control plane (control-plane.yml: kubeadm init when
// it has no admin.conf, the pod network), then find the hosts that still
// have to join: those without /etc/kubernetes/kubelet.conf (prepare.yml
// registers kubelet_conf). Only when the first control plane is one of the
// run's hosts.
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

std::vector<std::string> not_members(const ClusterRun& run) {
  std::vector<std::string> out;
  for (const auto& h : run.state.hosts) {
    if (h == run.first_cp() || run.engine.host_down(h)) continue;
    const Value* stat = run.registered_value(h, "kubelet_conf", "stat");
    const Value* exists = stat ? stat->find("exists") : nullptr;
    if (!exists || !exists->is_bool() || !exists->as_bool()) out.push_back(h);
  }
  return out;
}

}  // namespace

Phase init() {
  Phase p;
  p.title = "Initialise the first control plane";
  p.hosts = "the first control plane";
  p.reads = "kubelet_conf of every host (prepare)";
  p.produces = "kubeadm_init (registered), ca_cert_hash; the hosts that have to join";
  p.changes = true;
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    // (a watch cycle that found the first control plane unchanged leaves it out)
    if (!run.among_hosts(run.first_cp())) {
      run.state.joining = not_members(run);
      co_return Outcome::next();
    }
    std::vector<std::string> cp{run.first_cp()};  // (GCC 12: no braced temporaries in a co_await's arguments)
    auto r = co_await run.playbook("control-plane.yml", std::move(cp));
    if (!r) co_return after(run, r);
    if (run.control_plane_down("initialised")) co_return Outcome::end(orchestrator::kClusterControlPlane);
    run.state.joining = not_members(run);
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
