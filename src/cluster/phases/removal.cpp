// The changing half of `fleetk8s remove`, after its plan and under the run
// lock: drain the nodes that leave (reachable ones with a Node), kubeadm
// reset on them (reset.yml: it stops the kubelet), then delete their Node
// objects. A drain that fails uncordons the node and stops the removal
// before anything else changes; an unreachable node (--force) only loses
// its Node, and the message says what stays on the host.
#include <algorithm>

#include "fleetk8s/core/strings.h"
#include "drain.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;


const char* const kDeleteNodes =
    "export KUBECONFIG=/etc/kubernetes/admin.conf\n"
    "kubectl delete node --ignore-not-found -- \"$@\"\n";

std::vector<std::string> leaving_nodes(const ClusterRun& run, bool reachable_only) {
  std::vector<std::string> nodes;
  for (const auto& l : run.state.leaving)
    if (l.node_object && (l.reachable || !reachable_only)) nodes.push_back(l.node);
  return nodes;
}

}  // namespace

Phase drain_leaving() {
  Phase p;
  p.title = "Drain the nodes that leave";
  p.hosts = "the first control plane (kubectl drain)";
  p.reads = "who leaves (plan)";
  p.changes = true;
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (leaving_nodes(run, true).empty()) return "nothing to drain";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    const auto nodes = leaving_nodes(run, true);
    auto r = co_await drain(run, nodes, run.options.drain_timeout, "");
    if (!r || !r->success()) {
      run.message("fleetk8s: the drain of " + join(nodes, ", ") + " failed:\n" +
                  (r ? trim(r->err.empty() ? r->out : r->err) : r.error().message()));
      auto back = co_await uncordon(run, nodes);
      if (back && back->success())
        run.message("fleetk8s: " + join(nodes, ", ") + " uncordoned again; nothing else changed");
      else
        run.message("fleetk8s: could not uncordon " + join(nodes, ", ") + " again (" +
                    (back ? trim(back->out) : back.error().message()) + "): uncordon them by hand");
      co_return Outcome::end(r ? kClusterHostsFailed : run.fail(r.error()));
    }
    for (const auto& l : run.state.leaving)
      if (l.node_object && l.reachable) run.milestone(l.host, "drained");
    co_return Outcome::next();
  };
  return p;
}

Phase reset_leaving() {
  Phase p;
  p.title = "Reset Kubernetes on the nodes that leave";
  p.hosts = "the nodes that leave, reachable and joined";
  p.reads = "who leaves (plan)";
  p.changes = true;
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    for (const auto& l : run.state.leaving)
      if (l.reachable && l.member) return std::nullopt;
    return "no reachable node to reset";
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    std::vector<std::string> hosts;
    for (const auto& l : run.state.leaving)
      if (l.reachable && l.member) hosts.push_back(l.host);
    auto r = co_await run.playbook("reset.yml", hosts);
    if (!r) co_return after(run, r);
    for (const auto& h : hosts) {
      if (run.engine.host_down(h)) {
        run.message("fleetk8s: kubeadm reset failed on " + h + " (see above): its Node stays; nothing else changed");
        co_return Outcome::end(kClusterHostsFailed);
      }
      run.milestone(h, "kubeadm reset");
    }
    co_return Outcome::next();
  };
  return p;
}

Phase delete_nodes() {
  Phase p;
  p.title = "Delete the Node objects";
  p.hosts = "the first control plane (kubectl delete node)";
  p.reads = "who leaves (plan)";
  p.changes = true;
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    const auto nodes = leaving_nodes(run, false);
    if (!nodes.empty()) {
      auto r = co_await run.as_root(run.first_cp(), kDeleteNodes, nodes, kQueryTimeout);
      if (!r || !r->success()) {
        run.message("fleetk8s: could not delete the Node objects " + join(nodes, ", ") + ": " +
                    (r ? trim(r->err) : r.error().message()));
        co_return Outcome::end(r ? kClusterHostsFailed : run.fail(r.error()));
      }
    }
    for (const auto& l : run.state.leaving) {
      if (l.node_object) run.milestone(l.host, "Node deleted");
      if (l.reachable)
        run.message(l.host + ": removed (" + (l.node_object ? "drained, " : "") + (l.member ? "kubeadm reset, " : "") +
                    (l.node_object ? "Node deleted" : "no Node") + ")");
      else
        run.message(l.host + ": its Node is deleted; the host was unreachable, so what ran there stays (the kubelet, "
                             "CRI-O's containers, /etc/kubernetes, CNI configuration and iptables rules): if it comes "
                             "back, `fleetk8s reset INVENTORY --limit " + l.host + "` clears it");
      if (std::find(run.roles.absent.begin(), run.roles.absent.end(), l.host) == run.roles.absent.end())
        run.message(l.host + ": still in the inventory: remove it, or mark it fleetk8s_state=absent, or the next "
                             "`fleetk8s up` joins it again");
    }
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
