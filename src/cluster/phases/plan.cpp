// Plan the upgrade, changing nothing: the API server's version (the first
// control plane's kube-apiserver manifest), the releases each minor's
// repository offers (dnf --repofrompath: the hosts' own repository file is
// not touched), the steps (one minor at a time), the order and batches,
// and what blocks: nodes not Ready, version skew, pods a drain could not
// evict (kubectl drain --dry-run=server on every node at once, which asks
// the API server, PodDisruptionBudgets included).
#include <algorithm>
#include <map>

#include "fleetk8s/cluster/upgrade_plan.h"
#include "fleetk8s/core/strings.h"
#include "fleetk8s/orchestrator/node_readiness.h"
#include "drain.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;


const char* const kApiServerVersion =
    "sed -n 's/.*image: .*kube-apiserver:v\\([0-9][0-9.]*\\).*/\\1/p' "
    "/etc/kubernetes/manifests/kube-apiserver.yaml 2>/dev/null | head -n 1\n";

// Arguments: MINOR URL pairs. Prints "MINOR VERSION-RELEASE" per kubeadm
// build each repository offers.
const char* const kListReleases =
    "while [ $# -ge 2 ]; do\n"
    "  dnf -q list --showduplicates kubeadm --repofrompath=\"fk-$1,$2\" --repo=\"fk-$1\" 2>/dev/null |\n"
    "    while read -r name evr repo; do case $name in kubeadm.*) printf '%s %s\\n' \"$1\" \"$evr\";; esac; done\n"
    "  shift 2\n"
    "done\n";

// Per node: "NAME<TAB>UNSCHEDULABLE<TAB>RELEASE", RELEASE the value of the
// annotation the rollout puts on a node it drains (empty when none).
const char* const kDrainedNodes =
    "export KUBECONFIG=/etc/kubernetes/admin.conf\n"
    "kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.unschedulable}{\"\\t\"}"
    "{.metadata.annotations.fleetk8s\\.io/upgrade-drained}{\"\\n\"}{end}'\n";

std::string setting(const ClusterRun& run, const std::string& key) {
  const auto& extra = run.engine.options().extra_vars;
  auto it = extra.find(key);
  return it == extra.end() ? "" : it->second.to_display();
}

std::string replace_minor(std::string url, const std::string& minor) {
  for (size_t at; (at = url.find("{minor}")) != std::string::npos;) url.replace(at, 7, minor);
  return url;
}

ssh::Task<Outcome> plan(ClusterRun& run) {
  const std::string& cp = run.first_cp();
  auto unreachable = [&](const Error& e) {
    run.message("fleetk8s: " + cp + ": " + e.message());
    return Outcome::end(is_unreachable(e.kind()) ? kClusterUnreachable : kClusterControlPlane);
  };
  // The control plane's version.
  auto api = co_await run.as_root(cp, kApiServerVersion, kQueryTimeout);
  if (!api) co_return unreachable(api.error());
  const auto current = KubeVersion::parse(trim(api->out));
  if (!current) {
    run.message("fleetk8s: " + cp + " runs no control plane (no kube-apiserver in /etc/kubernetes/manifests): "
                "fleetk8s up builds the cluster first");
    co_return Outcome::end(kClusterControlPlane);
  }
  const std::string target_text = run.options.upgrade_to.empty() ? setting(run, "kubernetes_version") : run.options.upgrade_to;
  const auto target = KubeVersion::parse(target_text);
  if (!target) {
    run.message("fleetk8s: --to " + target_text + ": expected a Kubernetes minor (1.34) or release (1.34.2)");
    co_return Outcome::end(kClusterBadInput);
  }
  // What the repositories offer, minor by minor.
  std::vector<std::string> pairs;
  int oldest_minor = current->minor;
  for (const auto& [host, version] : run.state.kubelet_versions)
    if (auto v = KubeVersion::parse(version); v && v->major == current->major) oldest_minor = std::min(oldest_minor, v->minor);
  for (int m = oldest_minor; m <= std::max(current->minor, target->minor); ++m) {
    const std::string minor = std::to_string(current->major) + "." + std::to_string(m);
    pairs.push_back(minor);
    pairs.push_back(replace_minor(setting(run, "kubernetes_repo_url"), minor));
  }
  auto listed = co_await run.as_root(cp, kListReleases, pairs, kQueryTimeout);
  if (!listed) co_return unreachable(listed.error());
  AvailablePatches available;
  for (const auto& line : split_trimmed(listed->out, '\n')) {
    const auto words = split_trimmed(line, ' ');
    if (words.size() != 2) continue;
    if (auto v = KubeVersion::parse(words[1]); v && v->minor_str() == words[0] && v->patch >= 0)
      available[words[0]].push_back(v->patch);
  }
  // Where the rollout starts: the oldest of the API server and the kubelets
  // (an interrupted upgrade left some nodes behind: it goes on from there).
  KubeVersion start = *current;
  std::string behind;
  for (const auto& [host, version] : run.state.kubelet_versions)
    if (auto v = KubeVersion::parse(version); v && !v->at_least(*current)) {
      if (!v->at_least(start)) start = *v;
      behind += (behind.empty() ? "" : ", ") + host + " " + v->str();
    }
  auto steps = upgrade_steps(start, target_text, available);
  if (!steps) {
    run.message("fleetk8s: " + steps.error().message());
    co_return Outcome::end(kClusterBadInput);
  }
  const auto size = batch_size(run.options.max_unavailable, run.roles.workers.size());
  if (!size) {
    run.message("fleetk8s: " + size.error().message());
    co_return Outcome::end(kClusterBadInput);
  }

  std::vector<std::string> blockers;
  // Every node Ready.
  std::vector<std::string> nodes;
  for (const auto& [host, node] : run.state.node_names) nodes.push_back(node);
  auto ready = co_await run.as_root(cp, kNodeReadinessCommand, kQueryTimeout);
  if (!ready) co_return unreachable(ready.error());
  const auto progress = readiness_progress(nodes, parse_node_readiness(ready->out));
  for (const auto& w : progress.waiting) blockers.push_back("not Ready: " + w);
  for (const auto& h : run.state.hosts)
    if (run.engine.host_down(h)) blockers.push_back("unreachable: " + h);
  // Nodes an interrupted upgrade left cordoned.
  auto drained = co_await run.as_root(cp, kDrainedNodes, kQueryTimeout);
  if (!drained) co_return unreachable(drained.error());
  std::map<std::string, std::string> left_cordoned;
  for (const auto& line : split_trimmed(drained->out, '\n')) {
    const auto cols = split_trimmed(line, '\t');
    if (cols.size() < 3 || cols[2].empty()) continue;
    if (std::find(nodes.begin(), nodes.end(), cols[0]) == nodes.end()) continue;  // not in this run
    if (auto v = KubeVersion::parse(cols[2])) left_cordoned[cols[0]] = v->str();
  }
  // Version skew, as it stands now.
  std::vector<std::pair<std::string, KubeVersion>> kubelets;
  for (const auto& [host, version] : run.state.kubelet_versions)
    if (auto v = KubeVersion::parse(version)) kubelets.emplace_back(host, *v);
  for (const auto& p : skew_problems({{cp, *current}}, kubelets)) blockers.push_back("version skew: " + p);
  // From 1.35 the kubelet refuses cgroup v1 (KEP-5573): RHEL 8 boots v1.
  if (!steps->empty() && steps->back().minor >= 35)
    for (const auto& h : run.state.hosts) {
      const std::string fs_type = run.registered(h, "cgroup_fs");
      if (!run.engine.host_down(h) && fs_type != "cgroup2fs")
        blockers.push_back("cgroup v1: " + h + " (/sys/fs/cgroup is " + (fs_type.empty() ? "unknown" : fs_type) +
                           "): the kubelet of Kubernetes 1.35 and later refuses to start on it; boot it with cgroup v2 "
                           "(RHEL 8: grubby --update-kernel=ALL --args=systemd.unified_cgroup_hierarchy=1, reboot)");
    }
  // Drains that would not finish (none with --no-drain).
  if (!steps->empty() && !run.options.no_drain) {
    auto drains = co_await drain_blockers(run, nodes);
    if (!drains) co_return unreachable(drains.error());
    for (const auto& b : *drains) blockers.push_back("drain: " + b);
  }

  // The plan.
  std::string text = "upgrade plan: the cluster runs " + current->str() + " (the API server on " + cp + ")" +
                     (behind.empty() ? "" : "; still behind it: " + behind + " (an upgrade did not finish)") +
                     "; target " + target->str();
  for (const auto& [node, release] : left_cordoned)
    text += "\n  " + node + ": left cordoned by an interrupted upgrade (drained for " + release +
            "): uncordoned once it runs that release and is Ready";
  if (steps->empty()) {
    run.message(text + (left_cordoned.empty() ? ": nothing to upgrade" : ""));
  } else {
    const auto batches = worker_batches(run.roles.workers, *size);
    std::string workers;
    for (const auto& b : batches) {
      workers += " [";
      for (size_t i = 0; i < b.size(); ++i) workers += (i ? " " : "") + b[i];
      workers += "]";
    }
    KubeVersion from = start;
    for (size_t s = 0; s < steps->size(); ++s) {
      const auto& to = (*steps)[s];
      text += "\n  step " + std::to_string(s + 1) + " of " + std::to_string(steps->size()) + ": " + from.str() + " -> " +
              to.str() + " (the Kubernetes " + to.minor_str() + " repository)";
      text += "\n    1. " + cp + ": kubeadm " + to.str() + ", kubeadm upgrade apply v" + to.str() +
              ", drain, kubelet and kubectl " + to.str() + ", restart the kubelet, Ready, uncordon";
      int n = 2;
      for (size_t c = 1; c < run.roles.control_planes.size(); ++c)
        text += "\n    " + std::to_string(n++) + ". " + run.roles.control_planes[c] +
                ": the same with kubeadm upgrade node";
      if (!batches.empty())
        text += "\n    " + std::to_string(n) + ". workers " + std::to_string(*size) + " at a time (--max-unavailable " +
                run.options.max_unavailable + "):" + workers +
                ": kubeadm upgrade node, drain, kubelet and kubectl, restart, Ready, uncordon, evicted pods running again";
      from = to;
    }
    run.message(text);
  }
  if (blockers.empty()) {
    run.message("blockers: none");
  } else {
    const bool ignored = run.options.ignore_blockers && !run.options.plan_only;
    std::string b = "blockers (" + std::to_string(blockers.size()) + "): " +
                    (ignored ? "ignored (--ignore-blockers): the rollout goes on, and stops at the first node that fails"
                             : "nothing may change until they are gone (or --ignore-blockers)");
    for (const auto& line : blockers) b += "\n  " + line;
    run.message(b);
    if (!ignored) co_return Outcome::end(kClusterPreflight);
  }
  run.state.upgrade_steps = *steps;
  run.state.control_plane_version = *current;
  run.state.left_cordoned = left_cordoned;
  if (run.options.plan_only || (steps->empty() && left_cordoned.empty())) co_return Outcome::end(kClusterOk);
  co_return Outcome::next();
}

}  // namespace

Phase plan_upgrade() {
  Phase p;
  p.title = "Plan the upgrade";
  p.hosts = "the first control plane (kubeadm, dnf, kubectl; read-only)";
  p.reads = "node names, kubelet versions (connect); --to or kubernetes_version, --max-unavailable";
  p.produces = "the steps, the order and batches, the blockers";
  p.run = plan;
  return p;
}

}  // namespace fleetk8s::cluster::phases
