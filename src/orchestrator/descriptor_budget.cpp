#include "fleetk8s/orchestrator/descriptor_budget.h"

#include <algorithm>
#include <set>
#include <string>

namespace fleetk8s::orchestrator {

namespace {

std::string hop_name(const ssh::ConnectOptions& hop) {
  return hop.user + "@" + hop.address + ":" + std::to_string(hop.port);
}

std::uint64_t logins_at_once(std::size_t hosts, int connect_parallel) {
  return connect_parallel > 0 ? std::min<std::uint64_t>(hosts, static_cast<std::uint64_t>(connect_parallel)) : hosts;
}

}  // namespace

std::uint64_t descriptors_per_host(const ExecTarget& target, bool run_folder) {
  return (target.connect.jump_hosts.empty() ? 1 : 2) + (run_folder ? 1 : 0);
}

std::uint64_t jump_session_descriptors(const std::vector<ExecTarget>& targets) {
  // A session per distinct chain of hops (the transport's JumpPool shares
  // them): the first hop's is a TCP socket, a later one's a socketpair.
  std::set<std::string> chains;
  std::uint64_t n = 0;
  for (const auto& t : targets) {
    std::string chain;
    for (std::size_t i = 0; i < t.connect.jump_hosts.size(); ++i) {
      chain += hop_name(t.connect.jump_hosts[i]) + " > ";
      if (chains.insert(chain).second) n += i == 0 ? 1 : 2;
    }
  }
  return n;
}

std::uint64_t descriptors_for_engine(const std::vector<ExecTarget>& targets, int connect_parallel, bool run_folder) {
  std::uint64_t n = kBaseDescriptors + jump_session_descriptors(targets) + logins_at_once(targets.size(), connect_parallel);
  for (const auto& t : targets) n += descriptors_per_host(t, run_folder);
  return n;
}

std::uint64_t descriptors_for_exec(const std::vector<ExecTarget>& targets, int forks, int connect_parallel) {
  // The hosts connected at once are any `forks` of them: count the costliest.
  std::vector<std::uint64_t> per_host;
  for (const auto& t : targets) per_host.push_back(descriptors_per_host(t, false));
  std::sort(per_host.begin(), per_host.end(), std::greater<>());
  const std::size_t at_once = std::min<std::size_t>(targets.size(), static_cast<std::size_t>(std::max(forks, 1)));
  std::uint64_t n = kBaseDescriptors + jump_session_descriptors(targets) + logins_at_once(at_once, connect_parallel);
  for (std::size_t i = 0; i < at_once; ++i) n += per_host[i];
  return n;
}

int exec_forks_within(const std::vector<ExecTarget>& targets, int forks, int connect_parallel, std::uint64_t limit) {
  if (targets.empty()) return forks;
  int lo = 0, hi = std::max(forks, 1);
  if (descriptors_for_exec(targets, hi, connect_parallel) <= limit) return hi;
  while (lo + 1 < hi) {  // descriptors_for_exec grows with forks: lo fits (or is 0), hi does not
    const int mid = lo + (hi - lo) / 2;
    if (descriptors_for_exec(targets, mid, connect_parallel) <= limit) lo = mid;
    else hi = mid;
  }
  return lo;
}

}  // namespace fleetk8s::orchestrator
