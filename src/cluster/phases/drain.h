// Draining nodes, shared by the commands that take nodes out of service
// (upgrade's rollout and plan, remove): kubectl as root on the first
// control plane, node names passed as positional parameters (never as
// script text). Private to src/cluster.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "fleetk8s/cluster/cluster_run.h"

namespace fleetk8s::cluster::phases {

// The annotation a drained node carries until fleetk8s uncordons it: a run
// stopped in between leaves it, and the next one finds the node by it.
inline constexpr const char* kDrainedMark = "fleetk8s.io/upgrade-drained";

// Every node's server-side dry-run drain at once (the API server answers
// for PodDisruptionBudgets, DaemonSets, local storage, unmanaged pods):
// what would stop a real drain, one line per pod or refusal ("worker02:
// pod default/db-x: Cannot evict pod as it would violate the pod's
// disruption budget."); empty: every drain would finish. Errors: the first
// control plane could not be asked.
ssh::Task<Result<std::vector<std::string>>> drain_blockers(ClusterRun& run, std::vector<std::string> nodes);

// The parser of the dry run's output ("== NODE RC" then kubectl's lines,
// per node), for tests.
std::vector<std::string> parse_drain_blockers(const std::string& out);

// Drains `nodes` at once (--ignore-daemonsets --delete-emptydir-data,
// `timeout` each); with `mark` non-empty, each is annotated
// kDrainedMark=MARK first. The result (every node's output, in order)
// fails when one drain did.
ssh::Task<Result<CommandResult>> drain(ClusterRun& run, std::vector<std::string> nodes, std::chrono::seconds timeout,
                                       const std::string& mark);

// Uncordons `nodes` (at once) and removes their kDrainedMark.
ssh::Task<Result<CommandResult>> uncordon(ClusterRun& run, std::vector<std::string> nodes);

}  // namespace fleetk8s::cluster::phases
