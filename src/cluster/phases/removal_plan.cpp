// Plan a removal, changing nothing: reach each node that leaves (its name,
// whether kubeadm joined it, whether it is a control plane), ask the API
// server which Nodes exist and etcd which members, and find what would
// stop a drain (the server-side dry run). A node already gone (no Node,
// not joined, no etcd member) is said and skipped, so a second `remove` is
// a no-op; an unreachable node needs --force (then only its Node object and
// etcd member go); blockers stop the command (exit 5) unless --force; so
// does a removal that would leave etcd without its quorum, always. When
// the first control plane leaves (or is unreachable), another stands in.
#include <algorithm>
#include <set>

#include "fleetk8s/core/strings.h"
#include "drain.h"
#include "etcd.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;


// The host's node name, whether kubeadm joined it, and whether as a control plane.
const char* const kWhoAmI =
    "uname -n; if [ -e /etc/kubernetes/kubelet.conf ]; then echo member; else echo none; fi\n"
    "if [ -e /etc/kubernetes/manifests/kube-apiserver.yaml ]; then echo control-plane; else echo worker; fi\n";

// etcd's quorum after the members of `leaving` go; "" when it holds, else why not.
std::string quorum_after(const std::vector<EtcdMember>& members, const std::vector<ClusterState::Leaving>& leaving,
                         std::string* keeps) {
  size_t total = 0, healthy = 0;
  for (const auto& m : members) {
    const bool goes = std::any_of(leaving.begin(), leaving.end(),
                                  [&](const ClusterState::Leaving& l) { return !l.etcd_id.empty() && l.etcd_id == m.id_hex; });
    if (goes) continue;
    ++total;
    healthy += m.healthy ? 1 : 0;
  }
  const size_t quorum = total / 2 + 1;
  *keeps = "etcd keeps " + std::to_string(total) + " member" + (total == 1 ? "" : "s") + " (" +
           std::to_string(healthy) + " healthy; quorum " + std::to_string(quorum) + ")";
  if (total == 0) return "no etcd member would be left";
  if (healthy < quorum) return "etcd would be left without its quorum: " + *keeps;
  return "";
}

const char* const kNodeNames = "export KUBECONFIG=/etc/kubernetes/admin.conf\nkubectl get nodes -o name\n";

ssh::Task<Outcome> plan(ClusterRun& run, const std::vector<std::string>& hosts) {
  // The first control plane runs the removal unless it leaves or is down.
  const bool first_leaves = std::find(hosts.begin(), hosts.end(), run.first_cp()) != hosts.end();
  Result<CommandResult> names = Error(ErrorKind::kGeneric, run.first_cp() + " leaves");
  if (!first_leaves) names = co_await run.as_root(run.first_cp(), kNodeNames, kQueryTimeout);
  const bool first_down = !names && is_unreachable(names.error().kind());
  if (first_leaves || first_down) {
    std::vector<std::string> leaving = hosts;
    const bool standing_in = co_await stand_in_for_first_cp(run, std::move(leaving));
    if (standing_in) names = co_await run.as_root(run.first_cp(), kNodeNames, kQueryTimeout);
    else if (first_leaves) {
      run.message("fleetk8s: " + run.first_cp() + " leaves and no other control plane of the cluster is reachable "
                  "to run the removal; nothing was changed");
      co_return Outcome::end(kClusterUnreachable);
    }
  }
  const std::string& cp = run.first_cp();
  if (!names || !names->success()) {
    run.message("fleetk8s: cannot list the cluster's nodes on " + cp + ": " +
                (names ? trim(names->err) : names.error().message()));
    co_return Outcome::end(names || !is_unreachable(names.error().kind()) ? kClusterControlPlane : kClusterUnreachable);
  }
  std::set<std::string> nodes;
  for (const auto& line : split_trimmed(names->out, '\n'))
    if (line.rfind("node/", 0) == 0) nodes.insert(line.substr(5));
  co_await endpoint_in_use(run);
  auto members = co_await etcd_members(run, cp);
  if (!members) {
    run.message("fleetk8s: " + members.error().message() + "; nothing was changed");
    co_return Outcome::end(is_unreachable(members.error().kind()) ? kClusterUnreachable : kClusterControlPlane);
  }

  std::vector<std::string> lines, unreachable, drained;
  for (const auto& h : hosts) {
    ClusterState::Leaving l;
    l.host = h;
    l.node = h;
    auto who = co_await run.as_root(h, kWhoAmI, kQueryTimeout);
    if (who && who->success()) {
      const auto words = split_trimmed(trim(who->out), '\n');
      l.reachable = true;
      if (!words.empty() && !words[0].empty()) l.node = words[0];
      l.member = words.size() > 1 && words[1] == "member";
      l.control_plane = words.size() > 2 && words[2] == "control-plane";
    }
    l.node_object = nodes.count(l.node) > 0;
    for (const auto& m : *members)
      if (!m.name.empty() && (m.name == l.node || m.name == h)) {
        l.etcd_id = m.id_hex;
        l.control_plane = true;
      }
    if (!l.node_object && !l.member && l.etcd_id.empty()) {
      lines.push_back(h + ": already removed (no Node " + l.node + (l.reachable ? ", not joined" : ", unreachable") +
                      ", no etcd member): nothing to do");
      continue;
    }
    const std::string member = l.etcd_id.empty() ? "" : "etcd member " + l.etcd_id + " removed, ";
    if (!l.reachable) {
      unreachable.push_back(h);
      lines.push_back(h + ": unreachable" + std::string(run.options.force ? "" : " (needs --force)") + ": " + member +
                      "delete the Node " + l.node + " only; no drain, no kubeadm reset");
    } else {
      lines.push_back(h + ": " + std::string(l.node_object ? "drain, " : "") +
                      (l.control_plane ? "its API server out of the node-local endpoints, " : "") +
                      (l.member ? "kubeadm reset, " : "") + member +
                      (l.node_object ? "delete the Node " + l.node : "(no Node left)"));
      if (l.node_object) drained.push_back(l.node);
    }
    run.state.leaving.push_back(l);
  }
  std::string keeps;
  const std::string broken = quorum_after(*members, run.state.leaving, &keeps);
  const bool members_leave = std::any_of(run.state.leaving.begin(), run.state.leaving.end(),
                                         [](const ClusterState::Leaving& l) { return !l.etcd_id.empty(); });
  if (members_leave) lines.push_back(keeps);
  std::string text = "removal plan:";
  for (const auto& line : lines) text += "\n  " + line;
  run.message(text);
  if (members_leave && !broken.empty()) {
    run.message("fleetk8s: " + broken + ": nothing was changed (bring the unhealthy members back first, or remove "
                "the dead ones before the healthy ones)");
    co_return Outcome::end(kClusterPreflight);
  }
  if (!unreachable.empty() && !run.options.force) {
    run.message("fleetk8s: unreachable: " + join(unreachable, ", ") +
                ": nothing was changed (--force removes their Node objects anyway; what runs on them stays)");
    co_return Outcome::end(kClusterUnreachable);
  }
  std::vector<std::string> blockers;
  if (!drained.empty()) {
    auto found = co_await drain_blockers(run, drained);
    if (!found) co_return Outcome::end(run.fail(found.error()));
    blockers = *found;
  }
  if (!blockers.empty()) {
    std::string b = "blockers (" + std::to_string(blockers.size()) + "): " +
                    (run.options.force ? "ignored (--force): a drain that fails still stops the removal"
                                       : "nothing may change until they are gone (or --force)");
    for (const auto& line : blockers) b += "\n  drain: " + line;
    run.message(b);
    if (!run.options.force) co_return Outcome::end(kClusterPreflight);
  }
  if (run.state.leaving.empty()) co_return Outcome::end(kClusterOk);
  co_return Outcome::next();
}

}  // namespace

Phase plan_removal(std::vector<std::string> hosts) {
  Phase p;
  p.title = "Plan the removal";
  p.hosts = "the first control plane and the nodes that leave (read-only)";
  p.reads = "the nodes named on the command line";
  p.produces = "who leaves, reachable or not, joined or not; the drain's blockers";
  p.run = [hosts = std::move(hosts)](ClusterRun& run) -> ssh::Task<Outcome> { co_return co_await plan(run, hosts); };
  return p;
}

}  // namespace fleetk8s::cluster::phases
