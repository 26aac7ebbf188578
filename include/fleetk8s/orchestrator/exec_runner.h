// Runs one command on many hosts at once (`fleetk8s exec`): at most `forks`
// hosts in flight, one SSH connection each (paced: connect_pacer.h), a bad
// host never blocking the others.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "fleetk8s/orchestrator/connect_pacer.h"
#include "fleetk8s/report/host_outcome.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::orchestrator {

using report::HostOutcome;
using report::HostStatus;

struct ExecTarget {
  ssh::ConnectOptions connect;
  ssh::BecomeOptions become;
};

struct ExecRequest {
  std::string command;
  int forks = 50;            // hosts in flight at once; at least 1
  ssh::ExecOptions options;  // become is taken from each target instead
  ConnectPacing connect;     // connection attempts in flight, retries
};

// Called once per host as soon as it finishes, in completion order.
using OutcomeSink = std::function<void(const HostOutcome&)>;

// Runs `request` on every target through `transport`. Returns the
// outcomes in target order. Must be awaited on the transport's executor.
ssh::Task<std::vector<HostOutcome>> run_exec(ssh::Transport& transport, const std::vector<ExecTarget>& targets,
                                             const ExecRequest& request, OutcomeSink on_done);

}  // namespace fleetk8s::orchestrator
