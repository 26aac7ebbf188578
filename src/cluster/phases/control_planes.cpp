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
#include "fleetk8s/yaml/node.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

// 100: not a control plane of the cluster (yet); else "apiserver=ID" (empty
// when none runs).
constexpr const char* kApiServerScript = R"sh([ -e /etc/kubernetes/manifests/kube-apiserver.yaml ] || exit 100
echo "apiserver=$(crictl ps --name '^kube-apiserver$' --state running -q 2>/dev/null | head -n 1)"
)sh";

// etcd's members, then "---", then the health of every member's endpoint.
constexpr const char* kEtcdScript = ETCDCTL_IN_POD
    R"(etcdctl member list -w json || exit 4
echo
echo ---
etcdctl endpoint health --cluster -w json 2>/dev/null
exit 0
)";

struct Member {
  std::string id_hex, name, client_url;
  bool healthy = false;
  std::string error;  // why not healthy
};

Value parse_json(const std::string& text, const std::string& what) {
  auto parsed = yaml::parse(text, what);
  return parsed ? yaml::to_value(*parsed) : Value();
}

// The members' IDs in their order, in hex as etcdctl's table and `member
// remove` take them. Read from the text: they are uint64 JSON numbers, past
// what a double holds exactly.
std::vector<std::string> member_ids(const std::string& json) {
  std::vector<std::string> ids;
  size_t at = json.find("\"members\"");
  while (at != std::string::npos && (at = json.find("\"ID\":", at)) != std::string::npos) {
    at += 5;
    const size_t end = json.find_first_not_of("0123456789", at);
    try {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%llx", std::stoull(json.substr(at, end - at)));
      ids.emplace_back(buf);
    } catch (...) {
      ids.emplace_back("?");
    }
  }
  return ids;
}

std::vector<Member> parse_members(const std::string& out) {
  const size_t split = out.find("\n---\n");
  const Value list = parse_json(out.substr(0, split), "etcdctl member list");
  const Value health = split == std::string::npos ? Value() : parse_json(out.substr(split + 5), "endpoint health");
  std::vector<Member> members;
  const Value* arr = list.find("members");
  if (!arr || !arr->is_array()) return members;
  const auto ids = member_ids(out.substr(0, split));
  for (const auto& m : arr->as_array()) {
    Member member;
    if (members.size() < ids.size()) member.id_hex = ids[members.size()];
    if (const Value* name = m.find("name")) member.name = name->to_display();
    if (const Value* urls = m.find("clientURLs"); urls && urls->is_array() && !urls->as_array().empty())
      member.client_url = urls->as_array().front().to_display();
    member.error = "no health reported";
    if (health.is_array())
      for (const auto& h : health.as_array()) {
        const Value* ep = h.find("endpoint");
        if (!ep || ep->to_display() != member.client_url) continue;
        const Value* ok = h.find("health");
        member.healthy = ok && ok->is_bool() && ok->as_bool();
        const Value* err = h.find("error");
        member.error = err ? err->to_display() : "";
      }
    members.push_back(std::move(member));
  }
  return members;
}

std::string node_name(const ClusterRun& run, const std::string& host) {
  for (const auto& [h, name] : run.state.node_names)
    if (h == host) return name;
  return host;
}

ssh::Task<void> inspect(ClusterRun& run) {
  auto& problems = run.state.problems;
  std::vector<std::string> members_cp, running;  // control planes that are members; those running their API server
  for (const auto& cp : run.roles.control_planes) {
    if (run.engine.host_down(cp)) continue;
    auto r = co_await run.as_root(cp, kApiServerScript, kQueryTimeout);
    if (!r) {
      problems.push_back(cp + ": " + r.error().message());
      continue;
    }
    if (r->exit_signal.empty() && r->exit_status == 100) continue;  // not a member yet: `up` joins it (drift)
    members_cp.push_back(cp);
    if (trim(r->out) == "apiserver=") problems.push_back(cp + ": its API server is not running (no running kube-apiserver container)");
    else running.push_back(cp);
  }
  if (members_cp.empty()) co_return;  // no cluster yet

  auto r = co_await run.as_root(run.first_cp(), kEtcdScript, kQueryTimeout);
  if (!r || !r->success()) {
    const std::string why = !r ? r.error().message() : trim(r->err.empty() ? r->out : r->err);
    problems.push_back(run.first_cp() + ": etcd could not be asked: " + why.substr(0, why.find('\n')));
    co_return;
  }
  const auto members = parse_members(r->out);
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
    auto m = std::find_if(members.begin(), members.end(), [&](const Member& x) { return x.name == node || x.name == cp; });
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
