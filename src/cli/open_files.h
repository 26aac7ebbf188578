// The open-files limit (RLIMIT_NOFILE): raised at start, then held against
// what a command needs (orchestrator/descriptor_budget.h) before any host is
// contacted. The only place that calls getrlimit/setrlimit.
#pragma once

#include <cstdint>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/orchestrator/exec_runner.h"

namespace fleetk8s::cli {

struct OpenFilesLimit {
  std::uint64_t soft = 0;  // in force
  std::uint64_t hard = 0;  // the most an unprivileged process may raise it to
};

// Raises the soft limit to the hard one, as a long-running server does:
// most systems start processes at 1024 with a far higher hard limit. Returns
// the limits then in force (unchanged when the kernel refuses).
OpenFilesLimit raise_open_files_limit();

// The limits in force now.
OpenFilesLimit open_files_limit();

// run, up, check, ...: every host's session stays open for the whole
// command. An error (kInvalidInput) naming the hosts, the descriptors they
// need and `ulimit -n` when the soft limit cannot hold them.
Result<void> check_open_files_for_engine(const std::vector<orchestrator::ExecTarget>& targets, int connect_parallel);

// exec: `forks`, lowered to what the limit holds (said in one line on
// stderr), or an error naming `ulimit -n` when not one host at a time fits.
Result<int> fit_exec_forks(const std::vector<orchestrator::ExecTarget>& targets, int forks, int connect_parallel);

}  // namespace fleetk8s::cli
