// Draining nodes (drain.h).
#include "drain.h"
#include "phases.h"

#include <set>

#include "fleetk8s/core/strings.h"

namespace fleetk8s::cluster::phases {

namespace {

// A drain's dry run waits this long for evictions a PodDisruptionBudget refuses.
constexpr int kDryRunDrainSeconds = 20;

// Runs BODY (shell text using "$n") for every node name in "$@" at once,
// each in its own subshell with its output kept apart; then prints the
// outputs in order (`headed`: each after a line "== NODE RC") and fails
// when one did. A batch of nodes is drained (or uncordoned) together: the
// batch takes as long as its slowest node.
std::string each_node_at_once(const std::string& body, bool headed) {
  return "umask 077; dir=$(mktemp -d) || exit 1\n"
         "i=0; for n in \"$@\"; do i=$((i+1))\n"
         "  ( { " + body + "; } >\"$dir/$i.out\" 2>&1; echo $? >\"$dir/$i.rc\" ) &\n"
         "done; wait\n"
         "rc=0; i=0; for n in \"$@\"; do i=$((i+1)); r=$(cat \"$dir/$i.rc\")\n" +
         std::string(headed ? "  printf '== %s %s\\n' \"$n\" \"$r\"\n" : "") +
         "  cat \"$dir/$i.out\"; [ \"$r\" = 0 ] || rc=1\n"
         "done\n"
         "rm -rf \"$dir\"; exit $rc\n";
}

// Node names. Every node's server-side dry-run drain at once; prints
// "== NODE RC" and its output per node.
std::string dry_run_script() {
  return "export KUBECONFIG=/etc/kubernetes/admin.conf\n" +
         each_node_at_once("kubectl drain --dry-run=server --ignore-daemonsets --delete-emptydir-data --timeout=" +
                               std::to_string(kDryRunDrainSeconds) + "s -- \"$n\"",
                           true);
}

// $1: the mark's value ("" none); then node names. Each node marked, then
// drained, all at once.
std::string drain_script(std::chrono::seconds timeout) {
  return std::string("export KUBECONFIG=/etc/kubernetes/admin.conf\n"
                     "v=$1; shift\n") +
         each_node_at_once(std::string("{ [ -z \"$v\" ] || kubectl annotate --overwrite node -- \"$n\" \"") +
                           kDrainedMark + "=$v\" >/dev/null; } && kubectl drain --ignore-daemonsets "
                           "--delete-emptydir-data --timeout=" + std::to_string(timeout.count()) + "s -- \"$n\"",
                           false);
}

// Node names: each uncordoned, then its mark removed, all at once.
std::string uncordon_script() {
  return "export KUBECONFIG=/etc/kubernetes/admin.conf\n" +
         each_node_at_once(std::string("kubectl uncordon -- \"$n\" && kubectl annotate node -- \"$n\" ") + kDrainedMark +
                           "- >/dev/null",
                           false);
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
                                kQueryTimeout + std::chrono::seconds(kDryRunDrainSeconds));
  if (!r) co_return r.error();
  co_return parse_drain_blockers(r->out);
}

ssh::Task<Result<CommandResult>> drain(ClusterRun& run, std::vector<std::string> nodes, std::chrono::seconds timeout,
                                       const std::string& mark) {
  const auto limit = timeout + kQueryTimeout;  // the nodes are drained at once
  nodes.insert(nodes.begin(), mark);
  co_return co_await run.as_root(run.first_cp(), drain_script(timeout), std::move(nodes), limit);
}

ssh::Task<Result<CommandResult>> uncordon(ClusterRun& run, std::vector<std::string> nodes) {
  co_return co_await run.as_root(run.first_cp(), uncordon_script(), std::move(nodes), kQueryTimeout);
}

}  // namespace fleetk8s::cluster::phases
