// Waiting for nodes to be Ready, told as progress an admin can read:
// "1/2 nodes Ready; waiting for worker01: NotReady, container runtime is
// down" instead of a retry loop's FAILED - RETRYING lines. This part is
// pure (the query, its parsing, the progress text); cluster_up.cpp polls.
#pragma once

#include <string>
#include <vector>

namespace fleetk8s::orchestrator {

// The command that lists every node's Ready condition, one node a line:
// NAME TAB STATUS(True|False|Unknown) TAB REASON TAB MESSAGE. Run as root
// on a control plane (it reads /etc/kubernetes/admin.conf).
extern const char* const kNodeReadinessCommand;

struct NodeReadiness {
  std::string name;
  std::string status;   // the Ready condition's status: "True", "False", "Unknown" ("" when none yet)
  std::string reason;   // "KubeletNotReady"
  std::string message;  // "container runtime is down"
};

// The command's output, a node a line (lines without a name are skipped).
std::vector<NodeReadiness> parse_node_readiness(const std::string& out);

// Where the wait stands for the nodes `expected` (node names).
struct ReadinessProgress {
  int ready = 0;          // how many of `expected` are Ready
  int expected = 0;
  std::string line;       // "2/4 nodes Ready; waiting for worker02: NotReady, ...; worker03: not registered yet"
  std::vector<std::string> waiting;  // "worker02: NotReady, ..." per node not Ready, in `expected` order
  bool done() const { return ready == expected; }
};
ReadinessProgress readiness_progress(const std::vector<std::string>& expected, const std::vector<NodeReadiness>& nodes);

}  // namespace fleetk8s::orchestrator
