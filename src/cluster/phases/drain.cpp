// Draining nodes (drain.h).
#include "drain.h"

#include <set>

#include "fleetk8s/core/strings.h"

namespace fleetk8s::cluster::phases {

namespace {

constexpr std::chrono::seconds kDrainQueryTimeout{60};
// A drain's dry run waits this long for evictions a PodDisruptionBudget refuses.
constexpr int kDryRunDrainSeconds = 20;

// Arguments: node names. Every node's server-side dry-run drain at once;
// prints "== NODE RC" and its output per node.
std::string dry_run_script() {
  return "export KUBECONFIG=/etc/kubernetes/admin.conf\n"
         "umask 077; dir=$(mktemp -d) || exit 1\n"
         "i=0; for n in \"$@\"; do i=$((i+1))\n"
         "  ( kubectl drain --dry-run=server --ignore-daemonsets --delete-emptydir-data --timeout=" +
         std::to_string(kDryRunDrainSeconds) +
         "s -- \"$n\" >\"$dir/$i.out\" 2>&1; echo $? >\"$dir/$i.rc\" ) &\n"
         "done; wait\n"
         "i=0; for n in \"$@\"; do i=$((i+1)); printf '== %s %s\\n' \"$n\" \"$(cat \"$dir/$i.rc\")\"; cat \"$dir/$i.out\"; done\n"
         "rm -rf \"$dir\"\n";
}

// $1: the mark's value ("" none); then node names. Each node marked, then drained.
std::string drain_script(std::chrono::seconds timeout) {
  return std::string("export KUBECONFIG=/etc/kubernetes/admin.conf\n"
                     "v=$1; shift; rc=0\n"
                     "for n in \"$@\"; do\n"
                     "  if [ -n \"$v\" ]; then kubectl annotate --overwrite node -- \"$n\" \"") +
         kDrainedMark + "=$v\" >/dev/null || { rc=1; continue; }; fi\n" +
         "  kubectl drain --ignore-daemonsets --delete-emptydir-data --timeout=" + std::to_string(timeout.count()) +
         "s -- \"$n\" || rc=1\n"
         "done; exit $rc\n";
}

// Node names: each uncordoned, then its mark removed.
std::string uncordon_script() {
  return std::string("export KUBECONFIG=/etc/kubernetes/admin.conf\n"
                     "for n in \"$@\"; do\n"
                     "  kubectl uncordon -- \"$n\" && kubectl annotate node -- \"$n\" ") +
         kDrainedMark + "- >/dev/null || exit 1\n"
         "done\n";
}

}  // namespace

// A node whose dry run failed for another reason gives kubectl's first
// error line.
std::vector<std::string> parse_drain_blockers(const std::string& out) {
  std::vector<std::string> blockers;
  std::set<std::string> said;
  std::string node, first_error;
  bool failed = false, named = false;
  auto add = [&](const std::string& line) {
    if (said.insert(line).second) blockers.push_back(line);
  };
  auto close_node = [&] {
    if (failed && !named && !node.empty()) add(node + ": " + (first_error.empty() ? "the dry-run drain failed" : first_error));
  };
  for (const auto& line : split_trimmed(out, '\n')) {
    if (line.rfind("== ", 0) == 0) {
      close_node();
      const auto parts = split_trimmed(line.substr(3), ' ');
      node = parts.empty() ? "" : parts[0];
      failed = parts.size() > 1 && parts[1] != "0";
      named = false;
      first_error.clear();
      continue;
    }
    if (!failed || node.empty()) continue;
    if (const size_t at = line.find("Cannot evict pod as it would violate the pod's disruption budget.");
        at != std::string::npos) {
      // error when evicting pods/"NAME" -n "NS" (will retry after 5s): Cannot evict ...
      const size_t p = line.find("pods/\""), q = p == std::string::npos ? p : line.find('"', p + 6);
      const size_t n = line.find("-n \""), m = n == std::string::npos ? n : line.find('"', n + 4);
      std::string pod = "a pod";
      if (q != std::string::npos && m != std::string::npos)
        pod = "pod " + line.substr(n + 4, m - n - 4) + "/" + line.substr(p + 6, q - p - 6);
      add(node + ": " + pod + ": " + line.substr(at));
      named = true;
    } else if (line.find("cannot delete") != std::string::npos) {
      add(node + ": " + line);
      named = true;
    } else if (first_error.empty() && line.rfind("error:", 0) == 0) {
      first_error = line;
    }
  }
  close_node();
  return blockers;
}

ssh::Task<Result<std::vector<std::string>>> drain_blockers(ClusterRun& run, std::vector<std::string> nodes) {
  auto r = co_await run.as_root(run.first_cp(), dry_run_script(), std::move(nodes),
                                kDrainQueryTimeout + std::chrono::seconds(kDryRunDrainSeconds));
  if (!r) co_return r.error();
  co_return parse_drain_blockers(r->out);
}

ssh::Task<Result<CommandResult>> drain(ClusterRun& run, std::vector<std::string> nodes, std::chrono::seconds timeout,
                                       const std::string& mark) {
  const auto limit = timeout * static_cast<long>(nodes.size()) + kDrainQueryTimeout;
  nodes.insert(nodes.begin(), mark);
  co_return co_await run.as_root(run.first_cp(), drain_script(timeout), std::move(nodes), limit);
}

ssh::Task<Result<CommandResult>> uncordon(ClusterRun& run, std::vector<std::string> nodes) {
  co_return co_await run.as_root(run.first_cp(), uncordon_script(), std::move(nodes), kDrainQueryTimeout);
}

}  // namespace fleetk8s::cluster::phases
