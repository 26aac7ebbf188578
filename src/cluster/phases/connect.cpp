// Connect to every host, gather facts, check the prerequisites each host
// must meet (preflight.yml), then the clashes between hosts (preflight.h).
// Errors stop `up` before anything changed (exit 5) unless --skip-preflight;
// warnings are printed and the run goes on. Unreachable hosts sit the run
// out; an unreachable first control plane ends it, unless another control
// plane that is a member of the cluster can stand in for it. Last, the Kubernetes
// version the hosts run against kubernetes_version: up never upgrades.
#include <algorithm>
#include <set>

#include "fleetk8s/cluster/versions.h"
#include "fleetk8s/orchestrator/preflight.h"
#include "fleetk8s/core/strings.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

int verdict(ClusterRun& run) {
  std::vector<PreflightHost> reached;
  for (const auto& h : run.state.hosts)
    if (!run.engine.host_down(h)) reached.push_back({h, run.engine.host_gathered(h), run.engine.host_facts(h)});
  const PreflightSummary s = summarize(preflight_findings(reached));
  if (s.lines.empty()) {
    run.message("preflight: every host meets the prerequisites");
    return kClusterOk;
  }
  auto counted = [](int n, const std::string& what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
  std::string text = "preflight: " + (s.errors ? counted(s.errors, "error") + (s.warnings ? ", " : "") : "") +
                     (s.warnings ? counted(s.warnings, "warning") : "");
  for (const auto& l : s.lines) text += "\n  " + l;
  if (s.errors == 0) {
    run.message(text + "\nno errors: going on");
    return kClusterOk;
  }
  if (run.options.skip_preflight || run.check()) {
    run.message(text + (run.check() ? "" : "\n(--skip-preflight: going on)"));
    return kClusterOk;
  }
  run.message(text + "\nnothing was changed; fix the errors or run again with --skip-preflight");
  return kClusterPreflight;
}

// The run's hosts' entries are replaced; a watch cycle's seeds of the hosts
// it does not check in full stay.
void note_hosts(ClusterRun& run) {
  const std::set<std::string> hosts(run.state.hosts.begin(), run.state.hosts.end());
  auto in_run = [&](const auto& entry) { return hosts.count(entry.first) > 0; };
  std::erase_if(run.state.node_names, in_run);
  std::erase_if(run.state.kubelet_versions, in_run);
  for (const auto& h : run.state.hosts) {
    if (run.engine.host_down(h)) continue;
    const auto* g = run.engine.host_gathered(h);
    auto it = g ? g->find("ansible_nodename") : Value::Object::const_iterator{};
    run.state.node_names.emplace_back(h, g && it != g->end() ? it->second.to_display() : h);
    const bool installed = run.registered(h, "kubelet_installed", "rc") == "0";
    run.state.kubelet_versions.emplace_back(h, installed ? run.registered(h, "kubelet_installed") : "");
  }
}

// up and check never change the Kubernetes version of a running cluster
// (versions.h): a kubernetes_version other than the one every host runs is
// pinned back to it for this run, and hosts that disagree stop up. check
// lists each such host as drift.
int versions(ClusterRun& run) {
  const Value* wanted = nullptr;
  const auto& extra = run.engine.options().extra_vars;
  if (auto it = extra.find("kubernetes_version"); it != extra.end()) wanted = &it->second;
  if (!wanted || run.options.command == "upgrade") return kClusterOk;  // upgrade compares for itself
  const VersionVerdict v = compare_versions(wanted->to_display(), run.state.kubelet_versions);
  if (v.kind == VersionVerdict::Kind::kAgree) return kClusterOk;
  if (run.check() && run.changes)
    for (const auto& [host, version] : v.differing)
      run.changes->emplace_back(host, "Kubernetes " + version + " (kubernetes_version is " + wanted->to_display() + ")");
  if (v.kind == VersionVerdict::Kind::kMixed) {
    run.message("fleetk8s: " + v.message);
    return run.check() ? kClusterOk : kClusterPreflight;
  }
  run.message("fleetk8s: " + v.message);
  run.engine.set_extra_var("kubernetes_version", v.running);
  return kClusterOk;
}

}  // namespace

ssh::Task<bool> stand_in_for_first_cp(ClusterRun& run, std::vector<std::string> leaving) {
  const std::string first = run.first_cp();
  for (const auto& cp : run.roles.control_planes) {
    if (cp == first || run.engine.host_down(cp)) continue;
    if (std::find(leaving.begin(), leaving.end(), cp) != leaving.end()) continue;
    auto r = co_await run.as_root(
        cp, "test -e /etc/kubernetes/admin.conf && test -e /etc/kubernetes/manifests/kube-apiserver.yaml\n",
        kQueryTimeout);
    if (!r || !r->success()) continue;
    run.state.first_control_plane = cp;
    if (auto it = run.options.control_plane_api.find(cp); it != run.options.control_plane_api.end())
      run.state.api_endpoint = it->second;
    const bool gone = std::find(leaving.begin(), leaving.end(), first) != leaving.end();
    run.message("fleetk8s: the first control plane " + first + (gone ? " leaves" : " is unreachable") + ": " + cp +
                ", a control plane of the cluster, stands in for it (runs kubectl and kubeadm, holds the run lock)");
    co_return true;
  }
  co_return false;
}

ssh::Task<void> endpoint_in_use(ClusterRun& run) {
  auto r = co_await run.as_root(run.first_cp(),
                                "[ -e /etc/kubernetes/admin.conf ] || exit 0\n"
                                "sed -n 's/^ *server: *//p' /etc/kubernetes/admin.conf | head -n 1\n",
                                kQueryTimeout);
  if (!r || !r->success()) co_return;
  std::string server = trim(r->out);
  if (server.rfind("https://", 0) == 0) server = server.substr(8);
  if (server.empty()) co_return;  // no cluster yet: the inventory's choice stands
  const auto& extra = run.engine.options().extra_vars;
  auto it = extra.find("node_local_api");
  const bool chosen = it != extra.end() && it->second.is_bool() && it->second.as_bool();
  const bool in_use = server == kNodeLocalApi;
  if (in_use == chosen) co_return;
  run.engine.set_extra_var("node_local_api", in_use);
  run.engine.set_extra_var("api_endpoint", in_use ? std::string(kNodeLocalApi) : server);
  if (!in_use)
    run.message("fleetk8s: the cluster's API endpoint is " + server +
                ", chosen when it was created with one control plane (kubeadm cannot change it): control planes "
                "join, but every node reaches the API there only; no node-local endpoint");
}

Phase reach_control_plane() {
  Phase p;
  p.title = "Reach the first control plane";
  p.hosts = "the first control plane (another one of the cluster when it is down)";
  p.produces = "the control plane the run uses";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    auto r = co_await run.as_root(run.first_cp(), "true\n", kQueryTimeout);
    if (r || !is_unreachable(r.error().kind())) co_return Outcome::next();
    run.message("fleetk8s: " + run.first_cp() + ": " + r.error().message());
    std::vector<std::string> none;  // (GCC 12: no braced temporaries in a co_await's arguments)
    const bool standing_in = co_await stand_in_for_first_cp(run, std::move(none));
    co_return standing_in ? Outcome::next() : Outcome::end(kClusterUnreachable);
  };
  return p;
}

Phase connect() {
  Phase p;
  p.title = "Connect to every host, gather facts, check prerequisites";
  p.hosts = "every host";
  p.produces = "facts, node names, kubelet versions, the preflight verdict; kubernetes_version pinned to the running one";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    for (const auto& h : run.roles.absent)
      run.message(h + ": fleetk8s_state=absent: left out of the cluster (not prepared, joined or checked)");
    auto r = co_await run.playbook("preflight.yml", run.state.hosts);
    if (!r) co_return Outcome::end(run.fail(r.error()));
    note_hosts(run);
    if (int stop = verdict(run); stop != kClusterOk) co_return Outcome::end(stop);
    if (run.engine.host_down(run.first_cp())) {
      std::vector<std::string> none;  // (GCC 12: no braced temporaries in a co_await's arguments)
      const bool standing_in = co_await stand_in_for_first_cp(run, std::move(none));
      if (!standing_in && run.control_plane_down("reached")) co_return Outcome::end(kClusterControlPlane);
    }
    co_await endpoint_in_use(run);
    if (int stop = versions(run); stop != kClusterOk) co_return Outcome::end(stop);
    co_return Outcome::next();
  };
  return p;
}

std::string failure_text(const CommandResult& r) { return trim(r.err.empty() ? r.out : r.err); }

std::string failure_text(const Result<CommandResult>& r) { return r ? failure_text(*r) : r.error().message(); }

Outcome after(ClusterRun& run, const Result<void>& r) {
  return r ? Outcome::next() : Outcome::end(run.fail(r.error()));
}

}  // namespace fleetk8s::cluster::phases
