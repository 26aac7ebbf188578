// check: are the control planes whole? Each reachable control plane that is
// a member (its API server's manifest) must run its API server, and have an
// etcd member that is healthy; an etcd member no control plane of the
// inventory owns is a problem too (a control plane deleted without removing
// its member breaks quorum on the next join: kubernetes #100677). etcd is
// asked once, on the run's first control plane (member list, and endpoint
// health of the whole cluster, inside its etcd static pod). Findings go to
// ClusterState::problems (check exits 3); the line "control planes: ..."
// says where etcd stands.
#include <algorithm>
#include <cstdio>
#include <set>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/orchestrator/parallel.h"
#include "etcd.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

// 100: not a control plane of the cluster (yet); else "apiserver=ID" (empty
// when none runs).
constexpr const char* kApiServerScript = R"sh([ -e /etc/kubernetes/manifests/kube-apiserver.yaml ] || exit 100
echo "apiserver=$(crictl ps --name '^kube-apiserver$' --state running -q 2>/dev/null | head -n 1)"
)sh";

std::string node_name(const ClusterRun& run, const std::string& host) {
  for (const auto& [h, name] : run.state.node_names)
    if (h == host) return name;
  return host;
}

ssh::Task<void> inspect(ClusterRun& run) {
  auto& problems = run.state.problems;
  // Every control plane's API server and etcd's members, asked at once.
  const auto& cps = run.roles.control_planes;
  std::vector<std::optional<Result<CommandResult>>> answers(cps.size());
  std::optional<Result<std::vector<EtcdMember>>> asked;
  co_await parallel_for(cps.size() + 1, static_cast<int>(cps.size() + 1), [&](size_t i) -> ssh::Task<void> {
    if (i == cps.size()) asked = co_await etcd_members(run, run.first_cp());
    else if (!run.engine.host_down(cps[i])) answers[i] = co_await run.as_root(cps[i], kApiServerScript, kQueryTimeout);
  });
  std::vector<std::string> members_cp, running;  // control planes that are members; those running their API server
  for (size_t i = 0; i < cps.size(); ++i) {
    if (!answers[i]) continue;  // down: said by the phases before
    const auto& r = *answers[i];
    if (!r) {
      problems.push_back(cps[i] + ": " + r.error().message());
      continue;
    }
    if (r->exit_signal.empty() && r->exit_status == 100) continue;  // not a member yet: `up` joins it (drift)
    members_cp.push_back(cps[i]);
    if (trim(r->out) == "apiserver=") problems.push_back(cps[i] + ": its API server is not running (no running kube-apiserver container)");
    else running.push_back(cps[i]);
  }
  if (members_cp.empty()) co_return;  // no cluster yet

  if (!*asked) {
    problems.push_back(run.first_cp() + ": " + asked->error().message());
    co_return;
  }
  const auto& members = **asked;
  size_t healthy = 0;
  std::vector<std::string> names;
  for (const auto& m : members) {
    healthy += m.healthy ? 1 : 0;
    names.push_back(m.name.empty() ? m.id_hex + " (not started)" : m.name);
  }
  const size_t quorum = members.size() / 2 + 1;
  run.message("control planes: API servers running on " + (running.empty() ? "none" : join(running, ", ")) +
              "; etcd members " + join(names, ", ") + ": " + std::to_string(healthy) + " of " +
              std::to_string(members.size()) + " healthy (quorum " + std::to_string(quorum) + ")");

  std::set<std::string> owned;
  for (const auto& cp : run.roles.control_planes) {
    const std::string node = node_name(run, cp);
    owned.insert(node);
    owned.insert(cp);
    auto m = std::find_if(members.begin(), members.end(), [&](const EtcdMember& x) { return x.name == node || x.name == cp; });
    const bool is_member_cp = std::find(members_cp.begin(), members_cp.end(), cp) != members_cp.end();
    if (m == members.end()) {
      if (is_member_cp) problems.push_back(cp + ": no etcd member (etcd's members: " + join(names, ", ") + ")");
      continue;
    }
    if (!m->healthy)
      problems.push_back(cp + ": its etcd member " + m->name + " (" + m->id_hex + ", " + m->client_url +
                         ") is unhealthy" + (m->error.empty() ? "" : ": " + m->error));
  }
  for (const auto& m : members)
    if (!m.name.empty() && !owned.count(m.name))
      problems.push_back("etcd member " + m.name + " (" + m.id_hex + ", " + m.client_url +
                         ") belongs to no control plane of the inventory: a control plane taken away without "
                         "removing its member breaks quorum on the next join; remove it with `fleetk8s remove "
                         "INVENTORY NODE --force` while the host is still listed (fleetk8s_state=absent), or "
                         "etcdctl member remove " + m.id_hex);
  if (healthy < quorum)
    problems.push_back("etcd has no quorum: " + std::to_string(healthy) + " of " + std::to_string(members.size()) +
                       " members healthy, " + std::to_string(quorum) + " needed");
}

}  // namespace

Phase control_plane_health() {
  Phase p;
  p.title = "Check the control planes (API servers, etcd members)";
  p.hosts = "the control planes (crictl ps; etcdctl on the first)";
  p.produces = "problems: an API server not running, an etcd member missing, unhealthy or left behind";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    co_await inspect(run);
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
