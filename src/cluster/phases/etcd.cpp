// etcd's members and their health, and removing one (etcd.h).
#include "etcd.h"

#include <cstdio>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::cluster::phases {

namespace {

// etcd's members, then "---", then the health of every member's endpoint:
// both asked at once (each is a crictl exec), their answers kept in a
// private directory until both are in.
constexpr const char* kEtcdScript = ETCDCTL_IN_POD
    R"(umask 077
t=$(mktemp -d) || exit 4
trap 'rm -rf -- "$t"' EXIT
etcdctl endpoint health --cluster -w json >"$t/health" 2>/dev/null &
etcdctl member list -w json >"$t/list" || { wait; exit 4; }
wait
cat -- "$t/list"
echo
echo ---
cat -- "$t/health"
exit 0
)";

// $1: the member's ID (hex).
constexpr const char* kRemoveScript = ETCDCTL_IN_POD "etcdctl member remove \"$1\"\n";

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

}  // namespace

std::vector<EtcdMember> parse_etcd_members(const std::string& out) {
  const size_t split = out.find("\n---\n");
  const Value list = parse_json(out.substr(0, split), "etcdctl member list");
  const Value health = split == std::string::npos ? Value() : parse_json(out.substr(split + 5), "endpoint health");
  std::vector<EtcdMember> members;
  const Value* arr = list.find("members");
  if (!arr || !arr->is_array()) return members;
  const auto ids = member_ids(out.substr(0, split));
  for (const auto& m : arr->as_array()) {
    EtcdMember member;
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


ssh::Task<Result<std::vector<EtcdMember>>> etcd_members(ClusterRun& run, const std::string& cp) {
  auto r = co_await run.as_root(cp, kEtcdScript, kQueryTimeout);
  if (!r) co_return r.error();
  if (!r->success()) {
    const std::string why = failure_text(*r);
    co_return Error(ErrorKind::kGeneric, "etcd could not be asked on " + cp + ": " + why.substr(0, why.find('\n')));
  }
  co_return parse_etcd_members(r->out);
}

ssh::Task<Result<void>> remove_etcd_member(ClusterRun& run, const std::string& cp, const std::string& id_hex) {
  if (id_hex.empty() || id_hex.find_first_not_of("0123456789abcdef") != std::string::npos)
    co_return Error(ErrorKind::kInvalidInput, "etcd member ID " + id_hex + ": expected hex digits");
  std::vector<std::string> args{id_hex};  // (GCC 12: no braced temporaries in a co_await's arguments)
  auto r = co_await run.as_root(cp, kRemoveScript, std::move(args), kQueryTimeout);
  if (!r) co_return r.error();
  if (!r->success()) {
    const std::string why = failure_text(*r);
    co_return Error(ErrorKind::kGeneric, "etcdctl member remove " + id_hex + " on " + cp + ": " +
                                             why.substr(0, why.find('\n')));
  }
  co_return Result<void>{};
}

}  // namespace fleetk8s::cluster::phases
