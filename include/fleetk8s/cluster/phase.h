// A cluster command is a list of phases, run in order (k0sctl's model):
// `up.cpp` reads connect → lock → prepare → init → join data → join → wait
// ready → kubeconfig. A phase says what it is (title, hosts, what it reads
// from earlier phases and leaves for later ones, whether it changes hosts)
// and does its one job on the shared ClusterRun. The banner "[n/N] title"
// and the numbers come from the list; nothing else numbers phases.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::cluster {

class ClusterRun;

// How a phase ended: go on with the next one, or end the command with
// `code` (an orchestrator::kCluster* exit code; check's verdict ends with 0
// or 2).
struct Outcome {
  int code = orchestrator::kClusterOk;
  bool stop = false;
  static Outcome next() { return {}; }
  static Outcome end(int code) { return {code, true}; }
};

struct Phase {
  std::string title;     // after "[n/N] "
  std::string hosts;     // which hosts it works on, for people: "every host", "the first control plane"
  std::string reads;     // what it needs from earlier phases ("" nothing)
  std::string produces;  // what it leaves in the ClusterRun for later phases
  bool changes = false;  // it changes hosts: under the run lock, never in check mode
  // Why it has nothing to do in this run, printed after the title ("nothing
  // to join"), or nullopt: run it.
  std::function<std::optional<std::string>(const ClusterRun&)> skip;
  std::function<ssh::Task<Outcome>(ClusterRun&)> run;
};

// Runs `phases` in order, each announced "[n/N] title" (": why" when
// skipped), until one ends the command or the last has run (then
// `final_code`: the hosts' verdict). The cleanups phases registered with
// ClusterRun::at_exit (the run lock's release) run afterwards in reverse
// order, whatever happened. Returns the command's exit code.
ssh::Task<int> run_phases(ClusterRun& run, const std::vector<Phase>& phases);

}  // namespace fleetk8s::cluster
