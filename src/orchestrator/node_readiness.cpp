// Node readiness: the kubectl query and the progress text (node_readiness.h).
#include "fleetk8s/orchestrator/node_readiness.h"

#include <map>
#include <sstream>

namespace fleetk8s::orchestrator {

// kubectl's JSONPath with a range: one line per node, fields split by TABs
// (a condition message has no TAB or newline).
const char* const kNodeReadinessCommand =
    "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o "
    "jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}"
    "{.status.conditions[?(@.type==\"Ready\")].status}{\"\\t\"}"
    "{.status.conditions[?(@.type==\"Ready\")].reason}{\"\\t\"}"
    "{.status.conditions[?(@.type==\"Ready\")].message}{\"\\n\"}{end}'";

std::vector<NodeReadiness> parse_node_readiness(const std::string& out) {
  std::vector<NodeReadiness> nodes;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> f;
    size_t at = 0;
    while (f.size() < 3) {
      const size_t tab = line.find('\t', at);
      if (tab == std::string::npos) break;
      f.push_back(line.substr(at, tab - at));
      at = tab + 1;
    }
    f.push_back(line.substr(at));
    f.resize(4);
    if (f[0].empty()) continue;
    nodes.push_back({f[0], f[1], f[2], f[3]});
  }
  return nodes;
}

namespace {

// How kubectl get nodes shows a node, with the condition's own words.
std::string describe(const NodeReadiness* n) {
  if (!n) return "not registered yet";
  std::string text = n->status.empty() ? "NotReady, no Ready condition yet" : "NotReady";
  std::string why = !n->message.empty() ? n->message : n->reason;
  constexpr size_t kMax = 160;  // a CNI message runs long; the start says what is missing
  if (why.size() > kMax) why = why.substr(0, kMax - 3) + "...";
  if (!why.empty()) text += ", " + why;
  return text;
}

}  // namespace

ReadinessProgress readiness_progress(const std::vector<std::string>& expected, const std::vector<NodeReadiness>& nodes) {
  std::map<std::string, const NodeReadiness*> by_name;
  for (const auto& n : nodes) by_name[n.name] = &n;
  ReadinessProgress p;
  p.expected = static_cast<int>(expected.size());
  for (const auto& name : expected) {
    auto it = by_name.find(name);
    const NodeReadiness* n = it == by_name.end() ? nullptr : it->second;
    if (n && n->status == "True") {
      ++p.ready;
      continue;
    }
    p.waiting.push_back(name + ": " + describe(n));
  }
  p.line = std::to_string(p.ready) + "/" + std::to_string(p.expected) + " nodes Ready";
  for (size_t i = 0; i < p.waiting.size(); ++i) p.line += (i == 0 ? "; waiting for " : "; ") + p.waiting[i];
  return p;
}

}  // namespace fleetk8s::orchestrator
