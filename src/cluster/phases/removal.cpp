// The changing half of `fleetk8s remove`, after its plan and under the run
// lock: drain the nodes that leave (reachable ones with a Node), take the
// control planes that leave out of every node-local endpoint (endpoint.yml),
// kubeadm reset on them (reset.yml: it stops the kubelet, and removes a
// control plane's own etcd member), remove the etcd members still there
// (a dead control plane's), then delete their Node objects. A drain that fails uncordons the node and stops the removal
// before anything else changes; an unreachable node (--force) only loses
// its Node, and the message says what stays on the host.
#include <algorithm>

#include "fleetk8s/core/strings.h"
#include "drain.h"
#include "etcd.h"
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
                  failure_text(r));
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

Phase update_endpoints() {
  Phase p;
  p.title = "Take the control planes that leave out of the node-local endpoints";
  p.hosts = "every node that stays (endpoint.yml: haproxy)";
  p.reads = "who leaves (plan), node_local_api, api_servers";
  p.changes = true;
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    const auto& extra = run.engine.options().extra_vars;
    auto it = extra.find("node_local_api");
    if (it == extra.end() || !it->second.is_bool() || !it->second.as_bool()) return "no node-local endpoints";
    for (const auto& l : run.state.leaving)
      if (l.control_plane) return std::nullopt;
    return "no control plane leaves";
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    auto leaves = [&](const std::string& h) {
      return std::any_of(run.state.leaving.begin(), run.state.leaving.end(),
                         [&](const ClusterState::Leaving& l) { return l.host == h; });
    };
    Value::Array servers;
    const auto& extra = run.engine.options().extra_vars;
    if (auto it = extra.find("api_servers"); it != extra.end() && it->second.is_array())
      for (const auto& s : it->second.as_array())
        if (const Value* name = s.find("name"); name && !leaves(name->to_display())) servers.push_back(s);
    run.engine.set_extra_var("api_servers", Value(std::move(servers)));
    std::vector<std::string> staying, away;
    for (const auto& h : run.state.hosts) {
      if (leaves(h)) continue;
      (run.engine.host_down(h) ? away : staying).push_back(h);
    }
    auto r = co_await run.playbook("endpoint.yml", staying);
    if (!r) co_return after(run, r);
    for (const auto& h : staying)
      if (run.engine.host_down(h)) away.push_back(h);
    if (!away.empty())
      run.message("fleetk8s: the node-local endpoints of " + join(away, ", ") + " could not be updated (unreachable or "
                  "failed): they still list the control planes that leave, which fail their health checks once gone; "
                  "the next `fleetk8s up` rewrites them");
    co_return Outcome::next();
  };
  return p;
}

Phase remove_members() {
  Phase p;
  p.title = "Remove the etcd members left behind";
  p.hosts = "the first control plane (etcdctl in its etcd pod)";
  p.reads = "who leaves (plan: their etcd members)";
  p.changes = true;
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    for (const auto& l : run.state.leaving)
      if (!l.etcd_id.empty()) return std::nullopt;
    return "no etcd member leaves";
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    auto members = co_await etcd_members(run, run.first_cp());
    if (!members) {
      run.message("fleetk8s: " + members.error().message());
      co_return Outcome::end(kClusterHostsFailed);
    }
    for (const auto& l : run.state.leaving) {
      if (l.etcd_id.empty()) continue;
      const bool still = std::any_of(members->begin(), members->end(),
                                     [&](const EtcdMember& m) { return m.id_hex == l.etcd_id; });
      if (!still) {
        run.message(l.host + ": its etcd member " + l.etcd_id + " is gone (kubeadm reset removed it)");
        continue;
      }
      auto removed = co_await remove_etcd_member(run, run.first_cp(), l.etcd_id);
      if (!removed) {
        run.message("fleetk8s: " + l.host + ": " + removed.error().message() + "; its Node stays");
        co_return Outcome::end(kClusterHostsFailed);
      }
      run.message(l.host + ": etcd member " + l.etcd_id + " removed");
      run.milestone(l.host, "etcd member removed");
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
