// Plan a removal, changing nothing: reach each node that leaves (its name,
// whether kubeadm joined it), ask the API server which Nodes exist, and
// find what would stop a drain (the server-side dry run). A node already
// gone (no Node, not joined) is said and skipped, so a second `remove` is
// a no-op; an unreachable node needs --force (then only its Node object
// goes); blockers stop the command (exit 5) unless --force.
#include <set>

#include "fleetk8s/core/strings.h"
#include "drain.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;


// The host's node name and whether kubeadm joined it.
const char* const kWhoAmI = "uname -n; if [ -e /etc/kubernetes/kubelet.conf ]; then echo member; else echo none; fi\n";

const char* const kNodeNames = "export KUBECONFIG=/etc/kubernetes/admin.conf\nkubectl get nodes -o name\n";

ssh::Task<Outcome> plan(ClusterRun& run, const std::vector<std::string>& hosts) {
  const std::string& cp = run.first_cp();
  auto names = co_await run.as_root(cp, kNodeNames, kQueryTimeout);
  if (!names || !names->success()) {
    run.message("fleetk8s: cannot list the cluster's nodes on " + cp + ": " +
                (names ? trim(names->err) : names.error().message()));
    co_return Outcome::end(names || !is_unreachable(names.error().kind()) ? kClusterControlPlane : kClusterUnreachable);
  }
  std::set<std::string> nodes;
  for (const auto& line : split_trimmed(names->out, '\n'))
    if (line.rfind("node/", 0) == 0) nodes.insert(line.substr(5));

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
    }
    l.node_object = nodes.count(l.node) > 0;
    if (!l.node_object && !l.member) {
      lines.push_back(h + ": already removed (no Node " + l.node + (l.reachable ? ", not joined" : ", unreachable") +
                      "): nothing to do");
      continue;
    }
    if (!l.reachable) {
      unreachable.push_back(h);
      lines.push_back(h + ": unreachable" + std::string(run.options.force ? "" : " (needs --force)") +
                      ": delete the Node " + l.node + " only; no drain, no kubeadm reset");
    } else {
      lines.push_back(h + ": " + std::string(l.node_object ? "drain, " : "") + (l.member ? "kubeadm reset, " : "") +
                      (l.node_object ? "delete the Node " + l.node : "(no Node left)"));
      if (l.node_object) drained.push_back(l.node);
    }
    run.state.leaving.push_back(l);
  }
  std::string text = "removal plan:";
  for (const auto& line : lines) text += "\n  " + line;
  run.message(text);
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
